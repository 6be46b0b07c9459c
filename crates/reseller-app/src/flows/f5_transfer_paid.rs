//! F5: transfer a site that holds paid services (Wix's remedy: cancel, transfer,
//! create again), with the customer's services restored in the source account
//! when the transfer fails after the cancel.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use reseller_domain::idempotency::fnv1a_128;
use reseller_domain::ops::{BillingRequest, NewInstance, SiteTransfer};
use reseller_domain::text::TextError;
use reseller_domain::{
    AccountId, ExternalId, InstanceId, PackageId, ProductInstance, SiteId, StatusName, Timestamp,
    Violation,
};
use reseller_ports::{PortError, ResellerPackages, SiteTransfers, Sites};

use super::{
    Outcome, SiteAt, Stopped, create_request, list, on, packages_on_site, read, site_in,
    transfer_once,
};
use crate::safe::{Attempts, Created, SafeError, cancel_instance, create_once, read_back};

/// The input of [`transfer_paid_site`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransferPaidSite {
    /// The site to move.
    pub site: SiteId,
    /// The account that holds it (and its paid services) now.
    pub source_account: AccountId,
    /// The account it moves to, where its services are bought again.
    pub target_account: AccountId,
    /// Whether Wix e-mails the site owner after the transfer.
    pub enable_notifications: bool,
    /// The start of the external ids of the packages the flow creates (see
    /// [`recreate_external_id`] and [`restore_external_id`]). Name the move with
    /// it (e.g. `move-4711`): it is what lets a rerun find its own packages.
    pub external_id_prefix: String,
    /// The instances the move covers, when the caller knows them; `None` lets the
    /// flow find them (see [`transfer_paid_site`]). Every output and every
    /// [`Stopped`] report the list ([`TransferPaidLeft::services`]): passing it
    /// back on a rerun makes the rerun converge in every case.
    pub services: Option<Vec<InstanceId>>,
}

/// One service moved to the target account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MovedService {
    /// The instance canceled in the source account.
    pub from: InstanceId,
    /// Its new package in the target account (created now, or found).
    pub package: Created,
    /// The new instance.
    pub instance: InstanceId,
    /// The voucher reference the new instance was bought with: the new instance
    /// of the old reference, when that one moved too.
    pub reference: Option<InstanceId>,
}

/// What [`transfer_paid_site`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaidSiteMoved {
    /// The transfer: done now, or found done (a rerun).
    pub transfer: Outcome,
    /// The services, in the order they were created again.
    pub services: Vec<MovedService>,
}

/// A service created again after a cancel: in the source account (a restore) or
/// in the target account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Recreated {
    /// The canceled instance.
    pub from: InstanceId,
    /// The new package.
    pub package: PackageId,
    /// The new instance.
    pub instance: InstanceId,
}

impl fmt::Display for Recreated {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} as {} (package {})",
            self.from, self.instance, self.package
        )
    }
}

/// The steps of [`transfer_paid_site`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransferPaidStep {
    /// Query Sites on the target account: is the site there already?
    Locate,
    /// Query Packages on the source account: the services on the site.
    Inventory,
    /// Cancel Product Instance, per service.
    Cancel,
    /// Transfer Site.
    Transfer,
    /// Create Package (create-once) in the target account, per service.
    Recreate,
}

impl fmt::Display for TransferPaidStep {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Locate => "F5 locate the site",
            Self::Inventory => "F5 find the services on the site",
            Self::Cancel => "F5 cancel the services",
            Self::Transfer => "F5 transfer the site",
            Self::Recreate => "F5 create the services again in the target account",
        })
    }
}

/// What a stopped [`transfer_paid_site`] left.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TransferPaidLeft {
    /// Where the site is ([`SiteAt::Unknown`] when the first step could not tell).
    pub site_at: SiteAt,
    /// The instances the move covers (pass them as
    /// [`TransferPaidSite::services`] on a rerun).
    pub services: Vec<InstanceId>,
    /// The services canceled in the source account when the flow stopped (before
    /// any restore).
    pub canceled: Vec<InstanceId>,
    /// Canceled services whose cancel outcome could not be read back.
    pub uncertain: Vec<InstanceId>,
    /// Canceled services created again in the source account, on the site (the
    /// compensation of a failed cancel or transfer).
    pub restored: Vec<Recreated>,
    /// Canceled services the compensation could not restore: the customer is
    /// without them until a rerun moves them (pass [`Self::services`]).
    pub unrestored: Vec<InstanceId>,
    /// Services created again in the target account.
    pub recreated: Vec<Recreated>,
    /// Services not (or not known to be) created again in the target account
    /// after the transfer.
    pub not_recreated: Vec<InstanceId>,
}

impl fmt::Display for TransferPaidLeft {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "site {}", self.site_at)?;
        write!(f, "; services: {}", list(&self.services))?;
        if !self.canceled.is_empty() {
            write!(f, "; canceled: {}", list(&self.canceled))?;
        }
        if !self.uncertain.is_empty() {
            write!(f, "; cancel outcome unknown: {}", list(&self.uncertain))?;
        }
        if !self.restored.is_empty() {
            write!(
                f,
                "; restored in the source account: {}",
                list(&self.restored)
            )?;
        }
        if !self.unrestored.is_empty() {
            write!(f, "; canceled and NOT restored: {}", list(&self.unrestored))?;
        }
        if !self.recreated.is_empty() {
            write!(
                f,
                "; created in the target account: {}",
                list(&self.recreated)
            )?;
        }
        if !self.not_recreated.is_empty() {
            write!(
                f,
                "; not created in the target account: {}",
                list(&self.not_recreated)
            )?;
        }
        Ok(())
    }
}

/// Longest prefix used as given in the derived external ids; a longer one is
/// replaced by its 128-bit FNV-1a hash (32 hex digits), so every derived id fits
/// Wix's 100 characters.
const MAX_PREFIX_CHARS: usize = 50;

fn prefix_part(prefix: &str) -> String {
    if prefix.chars().count() > MAX_PREFIX_CHARS {
        format!("{:032x}", fnv1a_128(prefix.as_bytes()))
    } else {
        prefix.to_owned()
    }
}

/// The external id of the target-account package that replaces `from`:
/// `<prefix>:<from>` (the prefix hashed when longer than 50 characters).
///
/// # Errors
/// None in practice (the id is at most 87 characters); the [`TextError`] of
/// [`ExternalId::new`].
pub fn recreate_external_id(prefix: &str, from: InstanceId) -> Result<ExternalId, TextError> {
    ExternalId::new(format!("{}:{from}", prefix_part(prefix)))
}

/// The external id of the source-account package that restores `from` after a
/// failed transfer: `<prefix>:restore:<from>`.
///
/// # Errors
/// None in practice (the id is at most 95 characters); the [`TextError`] of
/// [`ExternalId::new`].
pub fn restore_external_id(prefix: &str, from: InstanceId) -> Result<ExternalId, TextError> {
    ExternalId::new(format!("{}:restore:{from}", prefix_part(prefix)))
}

/// An instance on the site, in a package of the source account.
#[derive(Debug, Clone)]
struct OnSite {
    instance: ProductInstance,
    /// Whether its package is the restore package of another instance.
    restore: bool,
    /// Creation order: the instance's, then its package's, then the package id
    /// and the position in the package.
    order: (Timestamp, Timestamp, PackageId, usize),
}

/// A derived external id that does not fit, as the refusal Wix would answer.
fn to_error(e: TextError) -> SafeError {
    SafeError::Refused(PortError::from(Violation::field(
        "externalId",
        e.rule(),
        e.to_string(),
    )))
}

/// F5: transfer a site that holds paid services.
///
/// Calls, in order:
/// 1. Query Sites on the target account: when the site is there, the transfer is
///    done (a rerun): steps 3 and 4 are skipped.
/// 2. Query Packages on the source account (`productInstances.siteId`): the
///    instances on the site. The services the move covers:
///    - given in [`TransferPaidSite::services`], each followed through its
///      restore packages (a service restored by an earlier run is now the
///      restore instance);
///    - else, while the site is in the source account: the live instances on it,
///      and the canceled restore instances of an earlier run that were not
///      restored again;
///    - else (the site is in the target account): the canceled instances on it
///      not superseded by a restore. This also takes in instances canceled before
///      the flow ever ran: pass `services` to exclude them.
/// 3. Cancel Product Instance for each live service, add-ons first (the reverse
///    of creation order). Per instance rather than Cancel Package: a package may
///    hold instances on other sites, which must not be canceled.
/// 4. Transfer Site (`wix-account-id` = target), read back before each retry.
/// 5. create-once in the target account, one package per service, in creation
///    order (a plan before the add-on that needs it: Create Package judges an
///    add-on against the instances already on the site, so a plan and its add-on
///    cannot share one request), with the same product, billing, country and
///    discount code, on the site, external id [`recreate_external_id`]. A
///    service bought with a voucher reference gets the new instance of that
///    reference when the reference moved too, and no reference otherwise (the
///    old one is canceled or used already; Wix then charges the add-on).
///
/// Compensation: when the cancel or the transfer fails, every canceled service
/// is created again in the SOURCE account on the site (create-once, external id
/// [`restore_external_id`], same order and reference rule), so the customer keeps
/// the service; the [`Stopped`] says what was restored (new package ids) and what
/// could not be.
///
/// Run again after a failure at any step: the cancels find canceled instances,
/// the transfer is found done, and the packages are found by their external ids.
///
/// # Errors
/// [`Stopped`] at the step that failed, with the services, their state, and the
/// packages created along the way.
pub async fn transfer_paid_site<W>(
    wix: &W,
    input: &TransferPaidSite,
    attempts: Attempts,
) -> Result<PaidSiteMoved, Stopped<TransferPaidStep, TransferPaidLeft>>
where
    W: ResellerPackages + SiteTransfers + Sites + ?Sized,
{
    let mut left = TransferPaidLeft::default();
    let in_target = match read(attempts, || site_in(wix, input.target_account, input.site)).await {
        Ok(there) => there,
        Err(cause) => {
            return Err(Stopped {
                step: TransferPaidStep::Locate,
                cause,
                left,
            });
        }
    };
    left.site_at = if in_target {
        SiteAt::Target
    } else {
        SiteAt::Source
    };

    let services = match inventory(wix, input, in_target, attempts).await {
        Ok(s) => s,
        Err(cause) => {
            return Err(Stopped {
                step: TransferPaidStep::Inventory,
                cause,
                left,
            });
        }
    };
    left.services = services.iter().map(ProductInstance::id).collect();

    let transfer = if in_target {
        Outcome::AlreadyDone
    } else {
        let source = on(input.source_account);
        let mut canceled: Vec<InstanceId> = services
            .iter()
            .filter(|s| !s.is_live())
            .map(ProductInstance::id)
            .collect();
        for service in services.iter().rev().filter(|s| s.is_live()) {
            let id = service.id();
            let cause = match cancel_instance(wix, &source, id, attempts).await {
                Ok(_) => {
                    canceled.push(id);
                    continue;
                }
                Err(e) => e,
            };
            if matches!(cause, SafeError::Unresolved { .. }) {
                match read_back(wix, &source, id, attempts).await {
                    Some(p) if p.instance(id).is_some_and(|i| !i.is_live()) => canceled.push(id),
                    Some(_) => {}
                    None => left.uncertain.push(id),
                }
            }
            left.canceled = canceled;
            restore(wix, input, &services, &mut left, attempts).await;
            return Err(Stopped {
                step: TransferPaidStep::Cancel,
                cause,
                left,
            });
        }
        left.canceled = canceled;
        let request = SiteTransfer {
            site: input.site,
            source_account: input.source_account,
            enable_notifications: input.enable_notifications,
        };
        if let Err(failed) = transfer_once(wix, input.target_account, &request, attempts).await {
            left.site_at = failed.site_at();
            restore(wix, input, &services, &mut left, attempts).await;
            return Err(Stopped {
                step: TransferPaidStep::Transfer,
                cause: failed.cause,
                left,
            });
        }
        left.site_at = SiteAt::Target;
        Outcome::Done
    };
    left.canceled = left.services.clone();

    let target = on(input.target_account);
    let mut new_ids: BTreeMap<InstanceId, InstanceId> = BTreeMap::new();
    let mut moved = Vec::with_capacity(services.len());
    for (n, service) in services.iter().enumerate() {
        let reference = service.reference().and_then(|r| new_ids.get(&r).copied());
        let made = match recreate_external_id(&input.external_id_prefix, service.id()) {
            Ok(ext) => {
                let request =
                    create_request(vec![again(service, input.site, reference)]).external_id(ext);
                create_once(wix, &target, &request, attempts).await
            }
            Err(e) => Err(to_error(e)),
        };
        let created = match made.and_then(|c| first_instance(&c).map(|i| (c, i))) {
            Ok(ok) => ok,
            Err(cause) => {
                left.not_recreated = services.iter().skip(n).map(ProductInstance::id).collect();
                return Err(Stopped {
                    step: TransferPaidStep::Recreate,
                    cause,
                    left,
                });
            }
        };
        let (package, instance) = created;
        new_ids.insert(service.id(), instance.id());
        left.recreated.push(Recreated {
            from: service.id(),
            package: package.package.id(),
            instance: instance.id(),
        });
        moved.push(MovedService {
            from: service.id(),
            instance: instance.id(),
            reference: instance.reference(),
            package,
        });
    }
    Ok(PaidSiteMoved {
        transfer,
        services: moved,
    })
}

/// The (first) instance of a package create-once answered.
fn first_instance(created: &Created) -> Result<ProductInstance, SafeError> {
    created.package.instances().first().cloned().ok_or_else(|| {
        SafeError::Refused(PortError::new(
            reseller_ports::ErrorKind::UnreadableAnswer,
            reseller_domain::ErrorCode::InvalidArgument,
            None,
            format!("package {} holds no instance", created.package.id()),
        ))
    })
}

/// The `products[]` entry that buys `service` again on `site`.
fn again(service: &ProductInstance, site: SiteId, reference: Option<InstanceId>) -> NewInstance {
    NewInstance {
        catalog_product_id: service.catalog_product_id(),
        country_code: service.country_code(),
        site: Some(site),
        billing: service.billing().map(BillingRequest::of),
        discount_code: service.discount_code().cloned(),
        reference,
    }
}

/// The services the move covers, in creation order (step 2).
async fn inventory<W: ResellerPackages + ?Sized>(
    wix: &W,
    input: &TransferPaidSite,
    in_target: bool,
    attempts: Attempts,
) -> Result<Vec<ProductInstance>, SafeError> {
    let source = on(input.source_account);
    let packages = read(attempts, || packages_on_site(wix, &source, input.site)).await?;
    // Restore packages by their external id, to recognise restore instances and
    // follow a service to the instance that restored it.
    let mut restore_of: BTreeMap<ExternalId, InstanceId> = BTreeMap::new();
    for p in packages
        .iter()
        .filter(|p| p.account_id() == input.source_account)
    {
        for i in p
            .instances()
            .iter()
            .filter(|i| i.site() == Some(input.site))
        {
            let ext = restore_external_id(&input.external_id_prefix, i.id()).map_err(to_error)?;
            restore_of.insert(ext, i.id());
        }
    }
    let mut on_site: BTreeMap<InstanceId, OnSite> = BTreeMap::new();
    let mut restored_by: BTreeMap<InstanceId, InstanceId> = BTreeMap::new();
    for p in packages
        .iter()
        .filter(|p| p.account_id() == input.source_account)
    {
        let restores = p.external_id().and_then(|e| restore_of.get(e)).copied();
        for (n, i) in p.instances().iter().enumerate() {
            if i.site() != Some(input.site) {
                continue;
            }
            if let Some(from) = restores {
                restored_by.entry(from).or_insert(i.id());
            }
            on_site.insert(
                i.id(),
                OnSite {
                    instance: i.clone(),
                    restore: restores.is_some(),
                    order: (i.created(), p.created(), p.id(), n),
                },
            );
        }
    }
    let superseded = |id: &InstanceId| restored_by.contains_key(id);
    let canceled = |s: &OnSite| s.instance.status().name() == StatusName::Canceled;
    let mut chosen: Vec<&OnSite> = match &input.services {
        Some(wanted) => {
            let mut seen = BTreeSet::new();
            let mut out = Vec::new();
            for id in wanted {
                let mut end = *id;
                // Follow the restores; each step is a new instance, so the chain
                // ends within the number of instances on the site.
                for _ in 0..=on_site.len() {
                    match restored_by.get(&end) {
                        Some(next) => end = *next,
                        None => break,
                    }
                }
                let Some(found) = on_site.get(&end) else {
                    return Err(SafeError::Refused(PortError::from(
                        Violation::ProductInstanceNotFound { instance: *id },
                    )));
                };
                if seen.insert(end) {
                    out.push(found);
                }
            }
            out
        }
        None if !in_target => on_site
            .values()
            .filter(|s| {
                s.instance.is_live() || (s.restore && canceled(s) && !superseded(&s.instance.id()))
            })
            .collect(),
        None => on_site
            .values()
            .filter(|s| canceled(s) && !superseded(&s.instance.id()))
            .collect(),
    };
    chosen.sort_by_key(|s| s.order);
    Ok(chosen.into_iter().map(|s| s.instance.clone()).collect())
}

/// The compensation: every canceled service of `left` created again in the
/// source account, on the site, in creation order; fills `left.restored` and
/// `left.unrestored`.
async fn restore<W: ResellerPackages + ?Sized>(
    wix: &W,
    input: &TransferPaidSite,
    services: &[ProductInstance],
    left: &mut TransferPaidLeft,
    attempts: Attempts,
) {
    let source = on(input.source_account);
    let mut new_ids: BTreeMap<InstanceId, InstanceId> = BTreeMap::new();
    for service in services.iter().filter(|s| left.canceled.contains(&s.id())) {
        let reference = service.reference().and_then(|r| new_ids.get(&r).copied());
        let made = match restore_external_id(&input.external_id_prefix, service.id()) {
            Ok(ext) => {
                let request =
                    create_request(vec![again(service, input.site, reference)]).external_id(ext);
                create_once(wix, &source, &request, attempts).await
            }
            Err(e) => Err(to_error(e)),
        };
        match made.and_then(|c| first_instance(&c).map(|i| (c.package.id(), i.id()))) {
            Ok((package, instance)) => {
                new_ids.insert(service.id(), instance);
                left.restored.push(Recreated {
                    from: service.id(),
                    package,
                    instance,
                });
            }
            Err(_) => left.unrestored.push(service.id()),
        }
    }
}
