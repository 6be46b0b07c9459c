//! F6: sell a domain with a plan (`wix-domains.md` 2.6 and 3.8): find the name
//! (check it, or take the first suggestion), create-once the Premium plan on the
//! site, then either sell the domain product as the plan's voucher (paid when the
//! catalog refuses the voucher) or connect a domain the customer owns and wait for
//! its DNS to propagate.

use std::fmt;
use std::time::Duration;

use reseller_domain::domains::{
    ConnectRequest, ConnectionType, DnsStatus, DomainConnection, SetupInfo, SuggestRequest,
};
use reseller_domain::{AccountId, ErrorCode, ExternalId, InstanceId, SiteId};
use reseller_ports::{ConnectedDomains, DomainSearch, ErrorKind, PortError, ResellerPackages};

use super::{PackageLeft, Product, Stopped, create_request, on, read};
use crate::safe::{Attempts, Created, SafeError, create_once};

/// Which domain to sell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DomainWanted {
    /// This name (checked with Check Domain Availability).
    Name(String),
    /// The first suggestion for these words on these TLDs (empty: com, net, org).
    FirstSuggestion {
        /// The words.
        query: String,
        /// The TLDs, without the dot.
        tlds: Vec<String>,
    },
}

/// What to do with the domain once the plan is on the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DomainSale {
    /// Sell the domain product: as the plan's voucher, or paid when the catalog
    /// does not let the plan serve as one. The owner registers the name in Wix's
    /// dashboard (Wix offers no API for it).
    Buy {
        /// The name.
        wanted: DomainWanted,
        /// The domain product (for the TLD), with its billing and country.
        product: Product,
        /// The domain package's external id.
        external_id: ExternalId,
    },
    /// Connect a domain the customer owns elsewhere.
    Connect {
        /// The domain (a subdomain takes no connection type).
        domain: String,
        /// `NAMESERVERS` or `POINTING`; `None` for a subdomain.
        connection: Option<ConnectionType>,
    },
}

/// The input of [`sell_domain`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SellDomain {
    /// The customer's account.
    pub account: AccountId,
    /// The site the plan and the domain go on.
    pub site: SiteId,
    /// The Premium plan.
    pub plan: Product,
    /// The plan package's external id.
    pub plan_external_id: ExternalId,
    /// The domain.
    pub sale: DomainSale,
    /// At most this many Get Connected Domain polls while DNS propagates.
    pub polls: u32,
    /// The pause before each poll.
    pub poll_pause: Duration,
}

/// What [`sell_domain`] did with the domain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DomainDone {
    /// The domain product was sold.
    Bought {
        /// The name, as available when checked.
        domain: String,
        /// The domain package.
        package: Created,
        /// Whether it was sold as the plan's voucher (else paid).
        voucher: bool,
    },
    /// The domain was connected.
    Connected {
        /// The connected domain as the last read saw it (`COMPLETED`, `FAILED`, or
        /// still `IN_PROGRESS` when the polls ran out: not an error, DNS may take
        /// up to 48 hours).
        connection: DomainConnection,
        /// The records the owner must set at the registrar.
        setup: SetupInfo,
    },
}

/// What [`sell_domain`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DomainSold {
    /// The plan package.
    pub plan: Created,
    /// The plan instance.
    pub plan_instance: InstanceId,
    /// The domain.
    pub done: DomainDone,
}

/// The steps of [`sell_domain`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DomainStep {
    /// Check Domain Availability or Suggest Domains.
    Choose,
    /// Create Package (create-once) with the plan.
    Plan,
    /// Create Package (create-once) with the domain product.
    Buy,
    /// Create Connected Domain.
    Connect,
    /// Get Connected Domain polls and Get Setup Info.
    Propagate,
}

impl fmt::Display for DomainStep {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Choose => "F6 choose the domain",
            Self::Plan => "F6 create the plan package",
            Self::Buy => "F6 create the domain package",
            Self::Connect => "F6 connect the domain",
            Self::Propagate => "F6 wait for DNS propagation",
        })
    }
}

/// What a connection attempt left.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConnectionLeft {
    /// Not connected (not reached, or refused).
    NotConnected,
    /// Maybe connected: read it back with Get Connected Domain, or run again.
    Unknown,
    /// Connected.
    Connected,
}

/// What a stopped [`sell_domain`] left.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DomainLeft {
    /// The plan package.
    pub plan: PackageLeft,
    /// The domain package (a sale).
    pub domain_package: PackageLeft,
    /// The connected domain (a connection).
    pub connection: ConnectionLeft,
}

impl fmt::Display for DomainLeft {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "plan: {}; domain package: {}; connection: {}",
            self.plan,
            self.domain_package,
            match self.connection {
                ConnectionLeft::NotConnected => "none",
                ConnectionLeft::Unknown => "maybe made (outcome unknown)",
                ConnectionLeft::Connected => "made",
            }
        )
    }
}

type Stop = Stopped<DomainStep, DomainLeft>;

fn stop(step: DomainStep, cause: SafeError, left: DomainLeft) -> Stop {
    Stopped { step, cause, left }
}

const NOTHING: DomainLeft = DomainLeft {
    plan: PackageLeft::NotCreated,
    domain_package: PackageLeft::NotCreated,
    connection: ConnectionLeft::NotConnected,
};

/// Whether Wix refused `error` because the reference cannot serve as a voucher
/// (404 `INVALID_REFERENCE_PRODUCT_INSTANCE_ID`, the one code Wix publishes).
fn voucher_refused(error: &SafeError) -> bool {
    let SafeError::Refused(e) = error else {
        return false;
    };
    e.code() == &ErrorCode::InvalidReferenceProductInstanceId
}

/// The name to buy: checked available, or the first suggestion.
async fn choose<W>(
    wix: &W,
    account: AccountId,
    wanted: &DomainWanted,
    attempts: Attempts,
) -> Result<String, Stop>
where
    W: DomainSearch + ?Sized,
{
    let call = on(account);
    let taken = |what: String| {
        let e = PortError::new(
            ErrorKind::Conflict,
            ErrorCode::Other {
                code: "DOMAIN_NOT_AVAILABLE".to_owned(),
                status: 409,
            },
            None,
            what,
        );
        stop(DomainStep::Choose, SafeError::Refused(e), NOTHING)
    };
    match wanted {
        DomainWanted::Name(name) => {
            let a = read(attempts, || wix.check_availability(&call, name))
                .await
                .map_err(|e| stop(DomainStep::Choose, e, NOTHING))?;
            if a.available {
                Ok(a.domain.to_string())
            } else {
                Err(taken(format!("{} is taken", a.domain)))
            }
        }
        DomainWanted::FirstSuggestion { query, tlds } => {
            let request = SuggestRequest {
                tlds: tlds.clone(),
                paging_limit: Some(1),
                ..SuggestRequest::new(query.clone())
            };
            let page = read(attempts, || wix.suggest_domains(&call, &request))
                .await
                .map_err(|e| stop(DomainStep::Choose, e, NOTHING))?;
            page.suggestions
                .first()
                .map(ToString::to_string)
                .ok_or_else(|| taken(format!("no available domain for `{query}`")))
        }
    }
}

/// F6: sell a domain with a plan.
///
/// Calls, in order:
/// 1. (buying) Check Domain Availability, or Suggest Domains for the first name;
/// 2. create-once of the plan package on the site;
/// 3. buying: create-once of the domain package on the site, its product
///    referencing the plan instance; when Wix refuses the reference (the catalog
///    does not make the plan a voucher for domains, or it served already), the
///    same package without the reference (paid);
///    connecting: Create Connected Domain on the site (after a transient failure,
///    Get Connected Domain tells whether it was made), then Get Connected Domain
///    every `poll_pause` until `COMPLETED` or `FAILED` (at most `polls` times),
///    and Get Connected Domain Setup Info.
///
/// Run again after any failure: the packages are found by their external ids and
/// an identical Create Connected Domain answers the existing domain.
///
/// # Errors
/// [`Stopped`] with its step and what exists.
pub async fn sell_domain<W>(
    wix: &W,
    input: &SellDomain,
    attempts: Attempts,
) -> Result<DomainSold, Stop>
where
    W: ResellerPackages + DomainSearch + ConnectedDomains + ?Sized,
{
    let call = on(input.account);
    let chosen = match &input.sale {
        DomainSale::Buy { wanted, .. } => Some(choose(wix, input.account, wanted, attempts).await?),
        DomainSale::Connect { .. } => None,
    };
    let plan_request = create_request(vec![input.plan.instance(Some(input.site))])
        .external_id(input.plan_external_id.clone());
    let plan = create_once(wix, &call, &plan_request, attempts)
        .await
        .map_err(|e| {
            let left = DomainLeft {
                plan: PackageLeft::after(&e),
                ..NOTHING
            };
            stop(DomainStep::Plan, e, left)
        })?;
    let plan_left = || DomainLeft {
        plan: PackageLeft::Exists(plan.package.id()),
        ..NOTHING
    };
    let plan_instance = plan
        .package
        .instances()
        .iter()
        .find(|i| i.catalog_product_id() == input.plan.catalog_product_id)
        .map(|i| i.id())
        .ok_or_else(|| {
            let e = PortError::new(
                ErrorKind::UnreadableAnswer,
                ErrorCode::InvalidArgument,
                None,
                format!("package {} holds no plan instance", plan.package.id()),
            );
            stop(DomainStep::Plan, SafeError::Refused(e), plan_left())
        })?;
    let done = match &input.sale {
        DomainSale::Buy {
            product,
            external_id,
            ..
        } => {
            let domain = chosen.unwrap_or_default();
            let mut item = product.instance(Some(input.site));
            item.reference = Some(plan_instance);
            let with_voucher = create_request(vec![item.clone()]).external_id(external_id.clone());
            let (package, voucher) = match create_once(wix, &call, &with_voucher, attempts).await {
                Ok(p) => (p, true),
                Err(e) if voucher_refused(&e) => {
                    item.reference = None;
                    let paid = create_request(vec![item]).external_id(external_id.clone());
                    let p = create_once(wix, &call, &paid, attempts)
                        .await
                        .map_err(|e| {
                            let left = DomainLeft {
                                domain_package: PackageLeft::after(&e),
                                ..plan_left()
                            };
                            stop(DomainStep::Buy, e, left)
                        })?;
                    (p, false)
                }
                Err(e) => {
                    let left = DomainLeft {
                        domain_package: PackageLeft::after(&e),
                        ..plan_left()
                    };
                    return Err(stop(DomainStep::Buy, e, left));
                }
            };
            let voucher = voucher
                && package
                    .package
                    .instances()
                    .iter()
                    .any(|i| i.reference() == Some(plan_instance));
            DomainDone::Bought {
                domain,
                package,
                voucher,
            }
        }
        DomainSale::Connect { domain, connection } => {
            let request = ConnectRequest::new(domain.clone(), *connection);
            let connected = connect(wix, input, &request, attempts, &plan_left).await?;
            let connected_left = || DomainLeft {
                connection: ConnectionLeft::Connected,
                ..plan_left()
            };
            let mut connection = connected;
            let mut polls = 0;
            while !matches!(connection.dns, DnsStatus::Completed | DnsStatus::Failed)
                && polls < input.polls
            {
                polls += 1;
                tokio::time::sleep(input.poll_pause).await;
                connection = read(attempts, || wix.get_connected_domain(&call, domain))
                    .await
                    .map_err(|e| stop(DomainStep::Propagate, e, connected_left()))?;
            }
            let setup = read(attempts, || wix.connected_domain_setup_info(&call, domain))
                .await
                .map_err(|e| stop(DomainStep::Propagate, e, connected_left()))?;
            DomainDone::Connected { connection, setup }
        }
    };
    Ok(DomainSold {
        plan,
        plan_instance,
        done,
    })
}

/// Create Connected Domain once; after a failure that may have taken effect, Get
/// Connected Domain tells whether it exists on the site.
async fn connect<W>(
    wix: &W,
    input: &SellDomain,
    request: &ConnectRequest,
    attempts: Attempts,
    plan_left: &dyn Fn() -> DomainLeft,
) -> Result<DomainConnection, Stop>
where
    W: ConnectedDomains + ?Sized,
{
    let call = on(input.account);
    match wix
        .create_connected_domain(&call, Some(input.site), request)
        .await
    {
        Ok(c) => Ok(c),
        Err(e) if !e.is_retryable() && !e.may_have_been_applied() => {
            let left = plan_left();
            Err(stop(DomainStep::Connect, SafeError::Refused(e), left))
        }
        Err(first) => {
            let domain = request.domain.clone().unwrap_or_default();
            match read(attempts, || wix.get_connected_domain(&call, &domain)).await {
                Ok(c) if c.site.is_some_and(|s| s.site == input.site) => Ok(c),
                Ok(_) | Err(SafeError::Refused(_)) => {
                    let left = plan_left();
                    Err(stop(
                        DomainStep::Connect,
                        SafeError::Unresolved {
                            attempts: 1,
                            elapsed: Duration::ZERO,
                            last: first,
                        },
                        DomainLeft {
                            connection: ConnectionLeft::NotConnected,
                            ..left
                        },
                    ))
                }
                Err(e) => {
                    let left = plan_left();
                    Err(stop(
                        DomainStep::Connect,
                        e,
                        DomainLeft {
                            connection: ConnectionLeft::Unknown,
                            ..left
                        },
                    ))
                }
            }
        }
    }
}
