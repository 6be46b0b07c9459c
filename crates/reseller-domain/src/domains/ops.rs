//! The domain operations as pure functions over a [`DomainsView`] (the TLDs, the
//! taken names, the connected domains) and the [`WorldView`] (accounts, sites,
//! instances): who may call (D14), availability (D3), Create (D8-D13, D17-D19), Get
//! (D15), List (D20), Setup Info (D21), the disconnect when a site stops being
//! premium (D23), and the Premium-plan test (D12, D22).

use crate::auth::{Caller, Grant, Scope};
use crate::error::{Refusal, RuleType, Violation};
use crate::ids::{AccountId, SiteId, truncate_for_message};
use crate::query::CursorKey;
use crate::time::Timestamp;
use crate::world::WorldView;

use super::connected::{
    AssignmentType, ConnectedDomain, ConnectionType, Propagation, SetupInfo, SiteAssignment,
};
use super::error::{Difference, DomainViolation, GuidCall};
use super::name::{DomainName, TldSet};

/// The product type whose live instance on a site makes it premium.
pub const PREMIUM_PLAN_TYPE: &str = crate::sites::PREMIUM_PLAN;
/// Default `paging.limit` of List Connected Domains.
pub const LIST_DEFAULT_LIMIT: i64 = 50;
/// Largest `paging.limit` of List Connected Domains.
pub const LIST_MAX_LIMIT: i64 = 100;

/// What the domain rules look at beside the [`WorldView`].
pub trait DomainsView {
    /// The TLDs this Wix sells and connects.
    fn tlds(&self) -> &TldSet;
    /// Whether `name` is registered already (`POST /_emulator/domains/taken`).
    fn is_taken(&self, name: &DomainName) -> bool;
    /// The connected domain of this name, whoever connected it.
    fn connected(&self, name: &DomainName) -> Option<&ConnectedDomain>;
    /// The domains `account` connected, in any order.
    fn connected_of_account(&self, account: AccountId) -> Vec<&ConnectedDomain>;
    /// The domains serving `site`, in any order.
    fn connected_of_site(&self, site: SiteId) -> Vec<&ConnectedDomain>;
}

/// Whether `site` holds a `PENDING` or `ENABLED` instance of a `PREMIUM_PLAN`
/// product (D12, D22): the same test as Query Sites' `premium`.
pub use crate::sites::is_premium;

/// Whether `name` can be bought (D3): its root domain is neither taken nor
/// connected, and its TLD is sold.
pub fn is_available(view: &impl DomainsView, name: &DomainName) -> bool {
    let root = name.root();
    view.tlds().contains(&name.tld())
        && !view.is_taken(&root)
        && view.connected(&root).is_none()
        && view.connected(name).is_none()
}

/// Who may call Connected Domains (D14), after the key was found: the key must
/// hold `domains.manage` (403 `PERMISSION_DENIED`), the header account must exist
/// (403 `DOMAINS_GUID_NOT_FOUND`) and be the key's account or its sub-account (403
/// `DOMAINS_PERMISSION_DENIED`). A header that is not a GUID is the adapter's 400
/// `DOMAINS_GUID_NOT_VALID` ([`DomainViolation::GuidNotValid`]).
///
/// # Errors
/// The first broken rule.
pub fn authorize_connected(
    world: &impl WorldView,
    grant: &Grant,
    header_account: AccountId,
) -> Result<Caller, Violation> {
    if !grant.has(Scope::DomainsManage) {
        return Err(Violation::PermissionDenied {
            reason: format!(
                "The API key lacks the permission `{}`.",
                Scope::DomainsManage
            ),
        });
    }
    let Some(account) = world.account(header_account) else {
        return Err(DomainViolation::GuidNotFound {
            account: header_account,
        }
        .into());
    };
    if grant.account != account.id && Some(grant.account) != account.parent {
        return Err(DomainViolation::PermissionDenied {
            account: header_account,
        }
        .into());
    }
    Ok(Caller {
        key_account: grant.account,
        account: header_account,
    })
}

/// Create Connected Domain's body, as sent (unvalidated).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConnectRequest {
    /// `connectedDomain.domain` (required).
    pub domain: Option<String>,
    /// `connectedDomain.connectionType`
    pub connection_type: Option<String>,
    /// `connectedDomain.siteInfo.assignmentType` (default `PRIMARY`).
    pub assignment_type: Option<String>,
    /// `connectedDomain.suppressNotifications` (default `false`).
    pub suppress_notifications: Option<bool>,
}

impl ConnectRequest {
    /// A request for `domain` by `connection_type` (`None` for a subdomain).
    pub fn new(domain: impl Into<String>, connection_type: Option<ConnectionType>) -> Self {
        Self {
            domain: Some(domain.into()),
            connection_type: connection_type.map(|c| c.as_str().to_owned()),
            ..Self::default()
        }
    }
}

/// What Create answers and what it changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Connected {
    /// The connected domain answered.
    pub answer: ConnectedDomain,
    /// Every connected domain to store (the answer, and a previous primary it
    /// unassigned); empty when the same request was repeated.
    pub changes: Vec<ConnectedDomain>,
}

/// Create Connected Domain (D8-D13, D17-D19) for `caller` on the `wix-site-id`
/// `site`. Rules in order: `domain` present (400 `REQUIRED_FIELD`) and a hostname
/// (400 `FORMAT`); the site one of the header account's (400
/// `DOMAINS_GUID_NOT_VALID`); the connection type (400 `Invalid connection type`);
/// the TLD connectable (400 `Invalid domain`, restricted); the name not for sale
/// (400 `Invalid domain`); not connected by another family (403
/// `DOMAINS_DOMAIN_NOT_PERMITTED`); the site premium (403 `NON_PREMIUM_SITE`); the
/// same domain in the family: the same request answers the existing object, a
/// domain left without a site is reassigned, other settings are 409
/// `DOMAINS_ALREADY_EXISTS`. A new `PRIMARY` unassigns the site's previous primary.
///
/// # Errors
/// The first broken rule; nothing changes.
#[allow(clippy::too_many_arguments)]
pub fn create_connected_domain(
    world: &impl WorldView,
    view: &impl DomainsView,
    caller: &Caller,
    site: Option<SiteId>,
    request: &ConnectRequest,
    propagation: Propagation,
    now: Timestamp,
) -> Result<Connected, Refusal> {
    let Some(text) = request.domain.as_deref() else {
        return Err(Violation::field(
            "connectedDomain.domain",
            RuleType::RequiredField,
            "the domain is required",
        )
        .into());
    };
    let name = DomainName::parse(text)
        .map_err(|e| Violation::field("connectedDomain.domain", RuleType::Format, e.to_string()))?;
    let site = site
        .filter(|s| world.site(*s).is_some_and(|s| s.owner == caller.account))
        .ok_or(DomainViolation::GuidNotValid {
            call: GuidCall::Create,
        })?;
    let connection_type = connection_type_for(&name, request.connection_type.as_deref())?;
    let assignment = match request.assignment_type.as_deref() {
        None => AssignmentType::Primary,
        Some(text) => match AssignmentType::parse(text) {
            Some(AssignmentType::Unknown) => AssignmentType::Primary,
            Some(a) => a,
            None => {
                return Err(Violation::field(
                    "connectedDomain.siteInfo.assignmentType",
                    RuleType::InvalidEnumValue,
                    format!(
                        "`{}` is not PRIMARY or REDIRECT",
                        truncate_for_message(text)
                    ),
                )
                .into());
            }
        },
    };
    let domain = name.to_string();
    if !view.tlds().contains(&name.tld()) {
        return Err(DomainViolation::Restricted { domain }.into());
    }
    if is_available(view, &name) {
        return Err(DomainViolation::AvailableForPurchase { domain }.into());
    }
    let existing = view.connected(&name);
    if let Some(e) = existing {
        if world.top_of(e.account) != world.top_of(caller.account) {
            return Err(DomainViolation::DomainNotPermitted { domain }.into());
        }
    }
    if !is_premium(world, site) {
        return Err(DomainViolation::NonPremiumSite { domain, site }.into());
    }
    let wanted = SiteAssignment { site, assignment };
    let answer = match existing {
        Some(e) if e.connection_type != connection_type => {
            return Err(DomainViolation::AlreadyExists {
                domain,
                difference: Difference::ConnectionType,
            }
            .into());
        }
        Some(e) if e.site == Some(wanted) && e.account == caller.account => {
            return Ok(Connected {
                answer: e.clone(),
                changes: Vec::new(),
            });
        }
        Some(e) if e.site.is_none() && e.account == caller.account => ConnectedDomain {
            site: Some(wanted),
            suppress_notifications: request
                .suppress_notifications
                .unwrap_or(e.suppress_notifications),
            updated: now.max(e.updated),
            ..e.clone()
        },
        Some(_) => {
            return Err(DomainViolation::AlreadyExists {
                domain,
                difference: Difference::Settings,
            }
            .into());
        }
        None => ConnectedDomain::new(
            name.clone(),
            caller.account,
            connection_type,
            Some(wanted),
            request.suppress_notifications.unwrap_or(false),
            propagation,
            now,
        ),
    };
    let mut changes = vec![answer.clone()];
    if assignment == AssignmentType::Primary {
        changes.extend(
            view.connected_of_site(site)
                .into_iter()
                .filter(|d| {
                    d.domain != name
                        && d.site
                            .is_some_and(|s| s.assignment == AssignmentType::Primary)
                })
                .map(|d| d.unassigned(now)),
        );
    }
    Ok(Connected { answer, changes })
}

/// D11: a root domain needs `POINTING` or `NAMESERVERS`; a subdomain takes none
/// (absent or `UNKNOWN_CONNECTION_TYPE`).
fn connection_type_for(
    name: &DomainName,
    sent: Option<&str>,
) -> Result<ConnectionType, DomainViolation> {
    let parsed = sent.map(ConnectionType::parse);
    let refuse = || DomainViolation::InvalidConnectionType {
        connection_type: truncate_for_message(sent.unwrap_or(ConnectionType::Unknown.as_str())),
    };
    match (name.is_subdomain(), parsed) {
        (true, None | Some(Some(ConnectionType::Unknown))) => Ok(ConnectionType::Unknown),
        (false, Some(Some(c @ (ConnectionType::Pointing | ConnectionType::Nameservers)))) => Ok(c),
        _ => Err(refuse()),
    }
}

/// The caller's connected domain named `text` (D15): unknown, malformed, or
/// connected by another account: 404 `NOT_FOUND`.
///
/// # Errors
/// `NOT_FOUND`.
pub fn get_connected_domain<'v>(
    view: &'v impl DomainsView,
    caller: &Caller,
    text: &str,
) -> Result<&'v ConnectedDomain, Refusal> {
    DomainName::parse(text)
        .ok()
        .and_then(|n| view.connected(&n))
        .filter(|d| d.account == caller.account)
        .ok_or_else(|| {
            DomainViolation::NotFound {
                domain: truncate_for_message(text),
            }
            .into()
        })
}

/// Get Connected Domain Setup Info (D21).
///
/// # Errors
/// `NOT_FOUND` as [`get_connected_domain`].
pub fn setup_info(
    view: &impl DomainsView,
    caller: &Caller,
    text: &str,
) -> Result<SetupInfo, Refusal> {
    get_connected_domain(view, caller, text).map(ConnectedDomain::setup_info)
}

/// One page of List Connected Domains.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectedPage {
    /// The domains, `createdDate` descending (ties: by name).
    pub domains: Vec<ConnectedDomain>,
    /// The next page's cursor.
    pub next_cursor: Option<String>,
}

/// List Connected Domains (D20): the header account's domains, `createdDate`
/// descending, `paging.limit` 0..100 (default 50), sealed cursors.
///
/// # Errors
/// 400 `MIN`/`MAX` on `paging.limit`; `INVALID_CURSOR` for a cursor this Wix did
/// not make for this account.
pub fn list_connected_domains(
    view: &impl DomainsView,
    caller: &Caller,
    limit: Option<i64>,
    cursor: Option<&str>,
    key: &CursorKey,
) -> Result<ConnectedPage, Refusal> {
    let limit = match limit {
        Some(l) if l < 0 => {
            return Err(
                Violation::field("paging.limit", RuleType::Min, "must be at least 0").into(),
            );
        }
        Some(l) if l > LIST_MAX_LIMIT => {
            return Err(Violation::field(
                "paging.limit",
                RuleType::Max,
                format!("must be at most {LIST_MAX_LIMIT}"),
            )
            .into());
        }
        other => usize::try_from(other.unwrap_or(LIST_DEFAULT_LIMIT)).unwrap_or(0),
    };
    let after = cursor
        .map(|c| ListCursor::open(c, key, caller.account))
        .transpose()?;
    let mut all = view.connected_of_account(caller.account);
    all.sort_by(|a, b| {
        b.created
            .cmp(&a.created)
            .then_with(|| a.domain.cmp(&b.domain))
    });
    let rest: Vec<&ConnectedDomain> = all
        .into_iter()
        .filter(|d| match &after {
            None => true,
            Some((created, name)) => {
                d.created < *created || (d.created == *created && d.domain.as_str() > name.as_str())
            }
        })
        .collect();
    let page: Vec<ConnectedDomain> = rest.iter().take(limit).map(|d| (*d).clone()).collect();
    let next_cursor = match page.last() {
        Some(last) if rest.len() > page.len() => Some(ListCursor::seal(caller.account, last, key)),
        _ => None,
    };
    Ok(ConnectedPage {
        domains: page,
        next_cursor,
    })
}

/// D23: the connected domains of `site` with their `siteInfo` cleared, for the
/// change in which the site stops being premium (whatever took the plan away).
pub fn disconnect_site(
    view: &impl DomainsView,
    site: SiteId,
    now: Timestamp,
) -> Vec<ConnectedDomain> {
    view.connected_of_site(site)
        .into_iter()
        .map(|d| d.unassigned(now))
        .collect()
}

/// D23 over a whole change: the sites that were premium in `before` and are not in
/// `after`, each with the domains to disconnect.
pub fn disconnections(
    before: &impl WorldView,
    after: &impl WorldView,
    view: &impl DomainsView,
    sites: impl IntoIterator<Item = SiteId>,
    now: Timestamp,
) -> Vec<ConnectedDomain> {
    let mut out = Vec::new();
    for site in sites {
        if is_premium(before, site) && !is_premium(after, site) {
            out.extend(disconnect_site(view, site, now));
        }
    }
    out
}

const LIST_MAGIC: u8 = b'C';
const LIST_VERSION: u8 = 1;

/// The sealed cursor of List Connected Domains: the account, and the last
/// domain's `createdDate` and name.
struct ListCursor;

impl ListCursor {
    fn seal(account: AccountId, last: &ConnectedDomain, key: &CursorKey) -> String {
        let mut w = vec![LIST_MAGIC, LIST_VERSION];
        w.extend_from_slice(account.as_uuid().as_bytes());
        w.extend_from_slice(&last.created.unix_millis().to_le_bytes());
        w.extend_from_slice(last.domain.as_str().as_bytes());
        key.seal(&w)
    }

    fn open(
        text: &str,
        key: &CursorKey,
        account: AccountId,
    ) -> Result<(Timestamp, DomainName), Refusal> {
        let invalid = |reason: &str| {
            Refusal::one(Violation::InvalidCursor {
                reason: reason.to_owned(),
            })
        };
        let payload = key.open(text).map_err(|e| invalid(&e.to_string()))?;
        let malformed = || invalid("not a List Connected Domains cursor");
        let (head, rest) = payload.split_at_checked(2).ok_or_else(malformed)?;
        if head != [LIST_MAGIC, LIST_VERSION] {
            return Err(malformed());
        }
        let (id, rest) = rest.split_at_checked(16).ok_or_else(malformed)?;
        let id = <[u8; 16]>::try_from(id).map_err(|_| malformed())?;
        if uuid::Uuid::from_bytes(id) != *account.as_uuid() {
            return Err(invalid("the cursor belongs to another account"));
        }
        let (millis, name) = rest.split_at_checked(8).ok_or_else(malformed)?;
        let millis = i64::from_le_bytes(<[u8; 8]>::try_from(millis).map_err(|_| malformed())?);
        let created = Timestamp::from_unix_millis(millis).ok_or_else(malformed)?;
        let name = std::str::from_utf8(name)
            .ok()
            .and_then(|n| DomainName::parse(n).ok())
            .ok_or_else(malformed)?;
        Ok((created, name))
    }
}
