//! What the model-based and property tests pick from a world: a random status, the
//! account, site or product of the standard world a random index names, the
//! instance or package a random index names, and the site transfer a random triple
//! names. Written once here for the domain's property tests and the in-memory
//! Wix's model and concurrency tests, which pick alike.

use reseller_domain::ops::SiteTransfer;
use reseller_domain::world::World;
use reseller_domain::{
    AccountId, CatalogProductId, Failure, FailureCode, InstanceId, InstanceStatus, PackageId,
    SiteId,
};

use crate::fixture::{
    ACCOUNTS, SITES, UNKNOWN_INSTANCE, UNKNOWN_PACKAGE, UNKNOWN_PRODUCT, catalog,
};

/// The account of the standard world `n` names (modulo their number), in
/// [`ACCOUNTS`] order.
pub fn account_of(n: u8) -> AccountId {
    ACCOUNTS[usize::from(n) % ACCOUNTS.len()]
}

/// The index of `account` in [`ACCOUNTS`] (what [`account_of`] takes), if it is one.
pub fn account_index(account: AccountId) -> Option<u8> {
    let at = ACCOUNTS.iter().position(|a| *a == account)?;
    u8::try_from(at).ok()
}

/// The site of the standard world `n` names (modulo their number), in
/// [`SITES`] order.
pub fn site_of(n: u8) -> SiteId {
    SITES[usize::from(n) % SITES.len()].0
}

/// The product `n` names (modulo their number plus one): a product of the
/// standard catalog, in catalog order, or [`UNKNOWN_PRODUCT`] after the last.
pub fn product_of(n: u8) -> CatalogProductId {
    let all = catalog();
    let at = usize::from(n) % (all.len() + 1);
    all.get(at).map_or(UNKNOWN_PRODUCT, |p| p.id)
}

/// A Transfer Site a random triple names: a site and the source and target
/// accounts, each by index (see [`site_of`] and [`account_of`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TransferPick {
    /// The site, by index.
    pub site: u8,
    /// The account the site leaves, by index.
    pub source: u8,
    /// The account the site goes to (the caller's header account), by index.
    pub target: u8,
}

impl TransferPick {
    /// The transfer, without notifications.
    pub fn transfer(self) -> SiteTransfer {
        SiteTransfer {
            site: site_of(self.site),
            source_account: account_of(self.source),
            enable_notifications: false,
        }
    }

    /// The target account, the one the call acts on.
    pub fn target_account(self) -> AccountId {
        account_of(self.target)
    }
}

/// One of the five statuses, by `n` modulo 5 (a failure carries its reason).
pub fn status_of(n: u8) -> InstanceStatus {
    match n % 5 {
        0 => InstanceStatus::Pending,
        1 => InstanceStatus::AwaitingAction,
        2 => InstanceStatus::Enabled,
        3 => InstanceStatus::Failed(Failure {
            code: FailureCode::DeliveryTimeout,
            message: "late".into(),
        }),
        _ => InstanceStatus::Canceled,
    }
}

/// Every instance id of `world`, package by package in id order.
pub fn instance_ids(world: &World) -> Vec<InstanceId> {
    world
        .packages
        .values()
        .flat_map(|p| p.instances().iter().map(|i| i.id()))
        .collect()
}

/// The instance `pick` names (modulo their number), or [`UNKNOWN_INSTANCE`] in a
/// world without one.
pub fn pick_instance(world: &World, pick: usize) -> InstanceId {
    let all = instance_ids(world);
    all.get(pick.checked_rem(all.len()).unwrap_or(0))
        .copied()
        .unwrap_or(UNKNOWN_INSTANCE)
}

/// The package `pick` names (modulo their number), or [`UNKNOWN_PACKAGE`] in a
/// world without one.
pub fn pick_package(world: &World, pick: usize) -> PackageId {
    let count = world.packages.len();
    world
        .packages
        .keys()
        .nth(pick.checked_rem(count).unwrap_or(0))
        .copied()
        .unwrap_or(UNKNOWN_PACKAGE)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_world_picks_the_unknown_ids() {
        let world = World::new();
        assert_eq!(pick_instance(&world, 7), UNKNOWN_INSTANCE);
        assert_eq!(pick_package(&world, 7), UNKNOWN_PACKAGE);
        assert!(instance_ids(&world).is_empty());
        assert_eq!(status_of(8).name(), status_of(3).name());
    }

    #[test]
    fn indexes_name_every_account_site_and_product_and_wrap() {
        let products = catalog().len() + 1;
        let every = |n: usize| 0..u8::try_from(n).unwrap();
        assert_eq!(
            every(ACCOUNTS.len()).map(account_of).collect::<Vec<_>>(),
            ACCOUNTS
        );
        assert_eq!(account_of(4), account_of(0));
        for (n, account) in every(ACCOUNTS.len()).zip(ACCOUNTS) {
            assert_eq!(account_index(account), Some(n));
        }
        assert_eq!(account_index(crate::fixture::UNKNOWN_ACCOUNT), None);
        let sites: Vec<SiteId> = SITES.iter().map(|s| s.0).collect();
        assert_eq!(every(SITES.len()).map(site_of).collect::<Vec<_>>(), sites);
        let ids: Vec<CatalogProductId> = every(products).map(product_of).collect();
        let mut want: Vec<CatalogProductId> = catalog().iter().map(|p| p.id).collect();
        want.push(UNKNOWN_PRODUCT);
        assert_eq!(ids, want);
        assert_eq!(product_of(u8::try_from(products).unwrap()), product_of(0));
        let t = TransferPick {
            site: 1,
            source: 2,
            target: 3,
        };
        assert_eq!(t.transfer().site, SITES[1].0);
        assert_eq!(t.transfer().source_account, ACCOUNTS[2]);
        assert_eq!(t.target_account(), ACCOUNTS[3]);
    }
}
