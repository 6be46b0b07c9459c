//! Transfer Site (B2B site management): moving a site from a source account to the
//! header (target) account, with the eligibility policy T1-T9.

use super::{Changes, DomainEvent, Done, Findings};
use crate::auth::Caller;
use crate::error::{Refusal, Violation};
use crate::ids::{AccountId, SiteId};
use crate::time::Timestamp;
use crate::world::WorldView;

/// The `siteTransfer` object: the site, where it is now, and whether Wix e-mails
/// the owner after a successful move. The target is the header account (T7).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SiteTransfer {
    /// `siteTransfer.siteId`
    pub site: SiteId,
    /// `siteTransfer.sourceAccountId`
    pub source_account: AccountId,
    /// `siteTransfer.enableNotifications` (default `false`).
    pub enable_notifications: bool,
}

const T4_TARGET: u8 = 0;
const T1_PARTNER: u8 = 1;
const T3_ALLOWED: u8 = 2;
const T5_SITE: u8 = 3;
const T6_PAID: u8 = 4;

/// Every reason the transfer is refused (empty when it may go ahead).
///
/// - T4: the target (header) account must exist: `TARGET_ACCOUNT_ID_NOT_FOUND` (428).
/// - T1: the key's main account must be a strategic partner: `PERMISSION_DENIED` (403).
/// - T1a: the key must be the main account's own, not a sub-account's (only the
///   strategic partner itself transfers): `PERMISSION_DENIED` (403).
/// - T2: the target must be the caller's main account or a sub-account; this is the
///   key rule of `auth::authorize`, checked before the operation.
/// - T3: (source, target) must be on Wix's allow-list: `SITE_TRANSFER_NOT_ALLOWED` (403).
/// - T5: the site must exist in the source account: `SITE_NOT_FOUND` (400).
/// - T6: the site must carry no paid service, neither a live reseller instance nor
///   one bought outside the reseller flow: `SITE_TRANSFER_NOT_SUPPORTED` (428).
/// - T9: a transfer within one account is judged by the same rules; when allowed it
///   succeeds and changes nothing.
pub fn transfer_eligibility(
    world: &impl WorldView,
    caller: &Caller,
    transfer: &SiteTransfer,
) -> Vec<Violation> {
    let mut found = Findings::default();
    let target = caller.account;
    if world.account(target).is_none() {
        found.add(T4_TARGET, Violation::TargetAccountNotFound { target });
    }
    let key_account = world.account(caller.key_account);
    let partner = world
        .account(world.top_of(caller.key_account))
        .is_some_and(|a| a.strategic_partner);
    if key_account.is_none_or(|a| a.parent.is_some()) {
        // T1a: a sub-account's key never moves a site, not even within its family.
        found.add(
            T1_PARTNER,
            Violation::PermissionDenied {
                reason: "Only a key of the strategic partner's main account can transfer sites."
                    .to_owned(),
            },
        );
    } else if !partner {
        found.add(
            T1_PARTNER,
            Violation::PermissionDenied {
                reason: "Only Wix strategic partners can transfer sites.".to_owned(),
            },
        );
    }
    if !world.transfer_allowed(transfer.source_account, target) {
        found.add(
            T3_ALLOWED,
            Violation::SiteTransferNotAllowed {
                source_account: transfer.source_account,
                target,
            },
        );
    }
    match world.site(transfer.site) {
        Some(site) if site.owner == transfer.source_account => {
            let instances: Vec<_> = world
                .instances_on_site(site.id)
                .into_iter()
                .filter(|i| i.is_live())
                .map(|i| i.id())
                .collect();
            if !instances.is_empty() || !site.external_paid_services.is_empty() {
                found.add(
                    T6_PAID,
                    Violation::SiteTransferNotSupported {
                        site: site.id,
                        instances,
                        external_services: site.external_paid_services.clone(),
                    },
                );
            }
        }
        _ => found.add(
            T5_SITE,
            Violation::TransferSiteNotFound {
                site: transfer.site,
                source_account: transfer.source_account,
            },
        ),
    }
    found
        .into_refusal()
        .map(Refusal::into_vec)
        .unwrap_or_default()
}

/// Transfer Site: moves the site to the header account when every rule allows it
/// (T8: from then on the site belongs to the target). Answers the request's
/// `siteTransfer`, echoed.
///
/// # Errors
/// Every reason of [`transfer_eligibility`], the first deciding the status.
pub fn transfer_site(
    world: &impl WorldView,
    caller: &Caller,
    transfer: &SiteTransfer,
    now: Timestamp,
) -> Result<Done<SiteTransfer>, Refusal> {
    if let Some(refusal) = Refusal::from_vec(transfer_eligibility(world, caller, transfer)) {
        return Err(refusal);
    }
    let mut changes = Changes::default();
    if let Some(site) = world.site(transfer.site) {
        if site.owner != caller.account {
            let mut moved = site.clone();
            moved.owner = caller.account;
            if now > moved.updated {
                moved.updated = now;
            }
            changes.events.push(DomainEvent::SiteTransferred {
                site: site.id,
                from: site.owner,
                to: caller.account,
            });
            changes.sites.push(moved);
        }
    }
    Ok(Done {
        answer: *transfer,
        changes,
    })
}
