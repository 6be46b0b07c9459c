//! F4: DIY onboarding of a new customer: a sub-account, its package, and polling
//! until provisioning is done.

use std::fmt;
use std::time::Duration;

use reseller_domain::idempotency::fnv1a_128;
use reseller_domain::ops::NewSubAccount;
use reseller_domain::{
    AccountId, ErrorCode, ExternalId, IdempotencyKey, InstanceId, Package, SiteId, StatusName,
};
use reseller_ports::{Accounts, ErrorKind, PortError, ResellerPackages, Sites, SitesQuery};

use super::{PackageLeft, Product, Stopped, create_request, on, read};
use crate::safe::{Attempts, Created, SafeError, create_once};

/// Where the package of [`onboard_customer`] goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SiteChoice {
    /// On this site (it must belong to the sub-account).
    Site(SiteId),
    /// On the sub-account's first site, as Query Sites lists them (its only one,
    /// for a new customer who has built one site).
    FirstOfAccount,
    /// Floating: assigned to the account only, to be assigned later (F2).
    Floating,
}

/// The input of [`onboard_customer`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Onboard {
    /// The reseller's main account (the sub-account's parent).
    pub main_account: AccountId,
    /// The customer's e-mail: the owner of the new sub-account.
    pub email: String,
    /// The reseller's own reference for the customer. The sub-account is created
    /// with the idempotency key [`sub_account_key`] of it, so a rerun within 24
    /// hours gets the same account back instead of a second one.
    pub customer_ref: String,
    /// The sub-account's id, when an earlier run returned it: Create Account is
    /// then skipped. Wix forgets idempotency keys after 24 hours and creates a new
    /// account even for a known e-mail, so store the id the output returns and
    /// pass it here on any later run.
    pub known_account: Option<AccountId>,
    /// The products to sell, in one package.
    pub products: Vec<Product>,
    /// The package's external id.
    pub external_id: ExternalId,
    /// Where the package goes.
    pub site: SiteChoice,
    /// At most this many Get Package polls while an instance is `PENDING`.
    pub polls: u32,
    /// The pause before each poll.
    pub poll_pause: Duration,
}

/// What [`onboard_customer`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Onboarded {
    /// The sub-account: store it (see [`Onboard::known_account`]).
    pub account: AccountId,
    /// The site the package went on; `None` for a floating package.
    pub site: Option<SiteId>,
    /// The package as create-once answered it.
    pub package: Created,
    /// The package as the last poll read it (the create answer when no poll was
    /// needed).
    pub latest: Package,
    /// The instances still `PENDING` after the last poll: not an error, Wix may
    /// take longer; poll Get Package again later.
    pub pending: Vec<InstanceId>,
    /// Get Package polls made.
    pub polls: u32,
}

/// The steps of [`onboard_customer`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnboardStep {
    /// Create Account (a sub-account of the main account).
    CreateAccount,
    /// Query Sites on the sub-account.
    FindSite,
    /// Create Package (create-once) in the sub-account.
    CreatePackage,
    /// Get Package, until no instance is `PENDING`.
    Poll,
}

impl fmt::Display for OnboardStep {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::CreateAccount => "F4 create the sub-account",
            Self::FindSite => "F4 find the site",
            Self::CreatePackage => "F4 create the package",
            Self::Poll => "F4 poll the package",
        })
    }
}

/// What a stopped [`onboard_customer`] left of the sub-account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SubAccountLeft {
    /// Not created (Wix refused it).
    NotCreated,
    /// Maybe created: every try failed in a way that may have taken effect. A
    /// rerun within 24 hours with the same customer reference gets it back.
    Unknown,
    /// It exists.
    Exists(AccountId),
}

impl fmt::Display for SubAccountLeft {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotCreated => f.write_str("not created"),
            Self::Unknown => f.write_str("maybe created (outcome unknown)"),
            Self::Exists(id) => write!(f, "account {id}"),
        }
    }
}

/// What a stopped [`onboard_customer`] left.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OnboardLeft {
    /// The sub-account.
    pub account: SubAccountLeft,
    /// The site chosen, when that step was reached.
    pub site: Option<SiteId>,
    /// The package.
    pub package: PackageLeft,
}

impl fmt::Display for OnboardLeft {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "sub-account: {}; site: ", self.account)?;
        match self.site {
            Some(s) => write!(f, "{s}")?,
            None => f.write_str("none")?,
        }
        write!(f, "; package: {}", self.package)
    }
}

/// The idempotency key of the Create Account call for `customer_ref`:
/// `sub-account-` and the reference's 128-bit FNV-1a hash. Wix scopes keys to
/// the calling account and remembers them for 24 hours.
pub fn sub_account_key(customer_ref: &str) -> IdempotencyKey {
    IdempotencyKey::derived("sub-account", fnv1a_128(customer_ref.as_bytes()))
}

/// F4: onboard a new customer.
///
/// Calls, in order:
/// 1. Create Account on the main account with the key [`sub_account_key`],
///    retried with that key while the outcome may pass (skipped when
///    `known_account` is given). Wix makes a new account even for a known
///    e-mail: the key is what keeps a rerun within 24 hours from making a second
///    one.
/// 2. With [`SiteChoice::FirstOfAccount`]: Query Sites on the sub-account; no
///    site is a refusal (404 `SITE_NOT_FOUND`, not sent by Wix).
/// 3. create-once of the package in the sub-account (`wix-account-id` = the
///    sub-account, as Wix recommends for DIY).
/// 4. While an instance is `PENDING`: a pause, then Get Package, at most `polls`
///    times. Ending with pending instances is not an error.
///
/// # Errors
/// [`Stopped`] with what exists: the sub-account (its id, when known) and the
/// package.
pub async fn onboard_customer<W>(
    wix: &W,
    input: &Onboard,
    attempts: Attempts,
) -> Result<Onboarded, Stopped<OnboardStep, OnboardLeft>>
where
    W: Accounts + Sites + ResellerPackages + ?Sized,
{
    let account = match input.known_account {
        Some(a) => a,
        None => create_sub_account(wix, input, attempts)
            .await
            .map_err(|e| Stopped {
                step: OnboardStep::CreateAccount,
                left: OnboardLeft {
                    account: if matches!(e, SafeError::Unresolved { .. }) {
                        SubAccountLeft::Unknown
                    } else {
                        SubAccountLeft::NotCreated
                    },
                    site: None,
                    package: PackageLeft::NotCreated,
                },
                cause: e,
            })?,
    };
    let stop = |step, cause, site, package| Stopped {
        step,
        cause,
        left: OnboardLeft {
            account: SubAccountLeft::Exists(account),
            site,
            package,
        },
    };
    let call = on(account);
    let site = match input.site {
        SiteChoice::Site(s) => Some(s),
        SiteChoice::Floating => None,
        SiteChoice::FirstOfAccount => {
            let query = SitesQuery::default();
            let page = read(attempts, || wix.query_sites(&call, &query))
                .await
                .map_err(|e| stop(OnboardStep::FindSite, e, None, PackageLeft::NotCreated))?;
            match page.sites.first() {
                Some(s) => Some(s.id),
                None => {
                    let none = PortError::new(
                        ErrorKind::NotFound,
                        ErrorCode::SiteNotFound,
                        None,
                        format!("account `{account}` holds no site (Query Sites)"),
                    );
                    return Err(stop(
                        OnboardStep::FindSite,
                        SafeError::Refused(none),
                        None,
                        PackageLeft::NotCreated,
                    ));
                }
            }
        }
    };
    let products = input.products.iter().map(|p| p.instance(site)).collect();
    let package = create_once(
        wix,
        &call,
        &create_request(products).external_id(input.external_id.clone()),
        attempts,
    )
    .await
    .map_err(|e| {
        let left = PackageLeft::after(&e);
        stop(OnboardStep::CreatePackage, e, site, left)
    })?;
    let id = package.package.id();
    let mut latest = package.package.clone();
    let mut polls = 0;
    while polls < input.polls && !pending(&latest).is_empty() {
        if !input.poll_pause.is_zero() {
            tokio::time::sleep(input.poll_pause).await;
        }
        polls += 1;
        latest = read(attempts, || wix.get_package(&call, id))
            .await
            .map_err(|e| stop(OnboardStep::Poll, e, site, PackageLeft::Exists(id)))?;
    }
    Ok(Onboarded {
        account,
        site,
        pending: pending(&latest),
        package,
        latest,
        polls,
    })
}

/// The instances of `package` still `PENDING`.
fn pending(package: &Package) -> Vec<InstanceId> {
    package
        .instances()
        .iter()
        .filter(|i| i.status().name() == StatusName::Pending)
        .map(|i| i.id())
        .collect()
}

/// Create Account with the customer's derived key, retried with it.
async fn create_sub_account<W: Accounts + ?Sized>(
    wix: &W,
    input: &Onboard,
    attempts: Attempts,
) -> Result<AccountId, SafeError> {
    let call = on(input.main_account).idempotency_key(sub_account_key(&input.customer_ref));
    let request = NewSubAccount {
        email: input.email.clone(),
    };
    read(attempts, || wix.create_sub_account(&call, &request)).await
}
