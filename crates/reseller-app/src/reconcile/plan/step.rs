//! A plan's steps: what each does ([`Action`]), its kind and symbol
//! ([`StepKind`]), and its description in words.

use reseller_domain::{
    AccountId, Billing, CatalogProductId, DiscountCode, ExternalId, InstanceId, PackageId, SiteId,
};

use super::super::catalog::Catalog;
use super::super::desired::{DesiredProduct, billing_label};

/// What one step does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Create the subscription's package (create-once by its external id).
    Create {
        /// Its products.
        products: Vec<DesiredProduct>,
        /// Packages with this external id that hold nothing live any more (canceled
        /// or replaced earlier); the create is keyed on them too, so that it makes a
        /// new package once, not none.
        retired: Vec<PackageId>,
    },
    /// Cancel a package.
    Cancel {
        /// The package.
        package: PackageId,
        /// Whether billing does not know it (only with `cancel_orphans`).
        orphan: bool,
    },
    /// Cancel one instance billing no longer has.
    CancelInstance {
        /// Its package.
        package: PackageId,
        /// The instance.
        instance: InstanceId,
        /// Its product.
        product: CatalogProductId,
    },
    /// Adjust an instance to another product of its type, or another cycle.
    Adjust {
        /// Its package.
        package: PackageId,
        /// The instance.
        instance: InstanceId,
        /// Its product now.
        product: CatalogProductId,
        /// Its billing now.
        billing: Option<Billing>,
        /// The new product, when it changes.
        to_product: Option<CatalogProductId>,
        /// The billing sent (the new cycle; also sent with a new product).
        to_billing: Billing,
        /// The discount code sent with a new product.
        discount_code: Option<DiscountCode>,
    },
    /// Move an instance to another site, or make it floating.
    Move {
        /// Its package.
        package: PackageId,
        /// The instance.
        instance: InstanceId,
        /// Its product.
        product: CatalogProductId,
        /// Where it is.
        from: Option<SiteId>,
        /// Where billing wants it (`None`: floating).
        to: Option<SiteId>,
        /// The target site holds an instance of the same type now, which leaves in
        /// this plan: the move unassigns first and assigns after every other move
        /// has left its site (two instances that swap sites).
        through_floating: bool,
    },
    /// Cancel the package and create it again with billing's products.
    Replace {
        /// The package canceled.
        package: PackageId,
        /// What the new package holds.
        products: Vec<DesiredProduct>,
        /// Why Adjust and Move cannot do it.
        why: String,
        /// Packages of this external id holding nothing live, plus `package`
        /// (see [`Action::Create`]).
        retired: Vec<PackageId>,
    },
}

/// The kind of a step, for counting and symbols.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum StepKind {
    /// `+`
    Create,
    /// `~` (adjust)
    Adjust,
    /// `~` (move)
    Move,
    /// `-`
    Cancel,
    /// `-/+`
    Replace,
}

impl StepKind {
    /// The table's symbol.
    pub fn symbol(self) -> &'static str {
        match self {
            Self::Create => "+",
            Self::Adjust | Self::Move => "~",
            Self::Cancel => "-",
            Self::Replace => "-/+",
        }
    }

    /// A lower-case name (`create`, `adjust`, `move`, `cancel`, `replace`).
    pub fn name(self) -> &'static str {
        match self {
            Self::Create => "create",
            Self::Adjust => "adjust",
            Self::Move => "move",
            Self::Cancel => "cancel",
            Self::Replace => "replace",
        }
    }
}

impl Action {
    /// Its kind.
    pub fn kind(&self) -> StepKind {
        match self {
            Self::Create { .. } => StepKind::Create,
            Self::Cancel { .. } | Self::CancelInstance { .. } => StepKind::Cancel,
            Self::Adjust { .. } => StepKind::Adjust,
            Self::Move { .. } => StepKind::Move,
            Self::Replace { .. } => StepKind::Replace,
        }
    }

    /// Whether a person must allow it (`--max-destroy`): it takes away a service
    /// billing still charges for.
    pub fn is_destructive(&self) -> bool {
        matches!(self, Self::Replace { .. })
    }
}

/// One step of the plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    /// The external id it serves (the orphan's own, for an orphan).
    pub external_id: ExternalId,
    /// The account it acts on (`wix-account-id`: the package's account).
    pub account: AccountId,
    /// What it does.
    pub action: Action,
    /// Its place in the order (see [`Plan::steps`](super::Plan::steps)).
    pub(crate) rank: u8,
}

impl Step {
    /// The step in words, product names from `catalog`.
    pub fn describe(&self, catalog: &Catalog) -> String {
        let name = |id: CatalogProductId| {
            catalog
                .product(id)
                .filter(|p| !p.name.is_empty())
                .map_or_else(|| id.to_string(), |p| p.name.clone())
        };
        let site =
            |s: Option<SiteId>| s.map_or_else(|| "floating".to_owned(), |s| format!("site {s}"));
        let products = |ps: &[DesiredProduct]| {
            ps.iter()
                .map(|p| {
                    format!(
                        "{} ({}, {}) {}",
                        name(p.catalog_product_id),
                        billing_label(p.billing),
                        p.country_code,
                        site(p.site)
                    )
                })
                .collect::<Vec<_>>()
                .join("; ")
        };
        match &self.action {
            Action::Create { products: ps, .. } => {
                format!("create in account {}: {}", self.account, products(ps))
            }
            Action::Cancel {
                package,
                orphan: false,
            } => format!("cancel package {package} (billing: ended)"),
            Action::Cancel {
                package,
                orphan: true,
            } => format!("cancel package {package} (orphan: billing does not know it)"),
            Action::CancelInstance {
                instance, product, ..
            } => format!(
                "cancel instance {instance} ({}): billing no longer has it",
                name(*product)
            ),
            Action::Adjust {
                instance,
                product,
                billing,
                to_product,
                to_billing,
                ..
            } => format!(
                "adjust instance {instance}: {} {} -> {} {}",
                name(*product),
                billing.map_or_else(|| "(no cycle)".to_owned(), billing_label),
                name(to_product.unwrap_or(*product)),
                billing_label(*to_billing)
            ),
            Action::Move {
                instance,
                product,
                from,
                to,
                through_floating,
                ..
            } => format!(
                "move instance {instance} ({}): {} -> {}{}",
                name(*product),
                site(*from),
                site(*to),
                if *through_floating {
                    " (through floating: the site is freed in this plan)"
                } else {
                    ""
                }
            ),
            Action::Replace {
                package,
                products: ps,
                why,
                ..
            } => format!(
                "replace package {package} ({why}): cancel it, create {}",
                products(ps)
            ),
        }
    }
}
