//! The suite's own checks: the one case list of `__cases!` names exactly the
//! `pub async fn` cases of the case modules, and every expansion type-checks.

use std::collections::BTreeSet;
use std::sync::Arc;

use reseller_domain::auth::Scope;
use reseller_domain::domains::{DnsStatus, DomainConnection, Propagation};
use reseller_domain::{
    Account, AccountId, CatalogProduct, InstanceId, InstanceStatus, Package, Site, Timestamp,
};
use reseller_ports::{ApiKey, NewSite, PortError, Provisioning, Seed, Wix};

/// Every case module and its source, scanned for `pub async fn`; a module split
/// into files is listed with each of its files as `module/file`.
const CASE_MODULES: &[(&str, &str)] = &[
    ("accounts", include_str!("accounts.rs")),
    ("adjust", include_str!("adjust.rs")),
    ("auth", include_str!("auth.rs")),
    ("dependents", include_str!("dependents.rs")),
    ("domains", include_str!("domains.rs")),
    ("flows", include_str!("flows.rs")),
    ("idempotency", include_str!("idempotency.rs")),
    ("instances", include_str!("instances.rs")),
    ("packages_create", include_str!("packages_create.rs")),
    (
        "packages_create/billing",
        include_str!("packages_create/billing.rs"),
    ),
    (
        "packages_create/catalog",
        include_str!("packages_create/catalog.rs"),
    ),
    (
        "packages_create/placement",
        include_str!("packages_create/placement.rs"),
    ),
    (
        "packages_create/request",
        include_str!("packages_create/request.rs"),
    ),
    (
        "packages_create/vouchers",
        include_str!("packages_create/vouchers.rs"),
    ),
    ("packages_read", include_str!("packages_read.rs")),
    ("packages_update", include_str!("packages_update.rs")),
    ("provisioning", include_str!("provisioning.rs")),
    ("query", include_str!("query.rs")),
    ("sites", include_str!("sites.rs")),
    ("sites_query", include_str!("sites_query.rs")),
    ("transfer", include_str!("transfer.rs")),
];

/// The modules of `lib.rs` that hold helpers, not cases.
const HELPER_MODULES: &[&str] = &["expect", "fixture", "picks", "wix_errors"];

fn declared_cases() -> Vec<String> {
    let mut out = Vec::new();
    for (path, source) in CASE_MODULES {
        // A file of a split module: its cases are re-exported by the module.
        let module = path.split('/').next().unwrap_or(path);
        for line in source.lines() {
            if let Some(rest) = line.strip_prefix("pub async fn ") {
                let name: String = rest
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                out.push(format!("{module}::{name}"));
            }
        }
    }
    out
}

#[test]
fn the_case_list_names_every_case_once() {
    let listed: Vec<&str> = crate::CASES.to_vec();
    let unique: BTreeSet<&str> = listed.iter().copied().collect();
    assert_eq!(unique.len(), listed.len(), "a case is listed twice");
    let declared = declared_cases();
    let declared_set: BTreeSet<&str> = declared.iter().map(String::as_str).collect();
    assert_eq!(
        declared_set.len(),
        declared.len(),
        "a case is declared twice"
    );
    let missing: Vec<_> = declared_set.difference(&unique).collect();
    let unknown: Vec<_> = unique.difference(&declared_set).collect();
    assert!(
        missing.is_empty() && unknown.is_empty(),
        "add to __cases! in lib.rs: {missing:?}; not a `pub async fn` case: {unknown:?}"
    );
    assert!(listed.len() > 50, "the suite is not empty");
}

#[test]
fn every_case_module_is_scanned() {
    let declared: BTreeSet<&str> = include_str!("lib.rs")
        .lines()
        .filter_map(|l| l.strip_prefix("pub mod "))
        .filter_map(|l| l.strip_suffix(';'))
        .filter(|m| !HELPER_MODULES.contains(m))
        .collect();
    let scanned: BTreeSet<&str> = CASE_MODULES
        .iter()
        .map(|(m, _)| m.split('/').next().unwrap_or(m))
        .collect();
    assert_eq!(
        declared, scanned,
        "CASE_MODULES must list every case module"
    );
    // A module split into files: each file it declares is scanned (the module
    // re-exports their cases, so they run as `module::case`).
    let listed: BTreeSet<&str> = CASE_MODULES.iter().map(|(m, _)| *m).collect();
    for (module, source) in CASE_MODULES {
        for file in source
            .lines()
            .filter_map(|l| l.strip_prefix("mod "))
            .filter_map(|l| l.strip_suffix(';'))
        {
            assert!(
                listed.contains(format!("{module}/{file}").as_str()),
                "CASE_MODULES must list {module}/{file}"
            );
        }
    }
    for helper in HELPER_MODULES {
        let source = match *helper {
            "expect" => include_str!("expect.rs"),
            "picks" => include_str!("picks.rs"),
            "wix_errors" => include_str!("wix_errors.rs"),
            _ => include_str!("fixture.rs"),
        };
        assert!(
            !source.lines().any(|l| l.starts_with("pub async fn ")),
            "{helper} holds helpers only: a `pub async fn` there would look like a case"
        );
    }
}

#[test]
fn cases_run_on_a_runtime_with_timers() {
    let mut ran = false;
    crate::__run(async {
        tokio::time::sleep(std::time::Duration::from_millis(1)).await;
        ran = true;
    });
    assert!(ran);
}

/// A Wix that cannot exist: stands in for an adapter in [`expansion`], which is
/// type-checked and never run.
enum NoWix {}

#[async_trait::async_trait]
impl Seed for NoWix {
    async fn add_account(&self, _: &Account) -> Result<Account, PortError> {
        match *self {}
    }
    async fn add_site(&self, _: &NewSite) -> Result<Site, PortError> {
        match *self {}
    }
    async fn add_product(&self, _: &CatalogProduct) -> Result<CatalogProduct, PortError> {
        match *self {}
    }
    async fn allow_transfer(&self, _: AccountId, _: AccountId) -> Result<(), PortError> {
        match *self {}
    }
    async fn add_api_key(
        &self,
        _: AccountId,
        _: Option<BTreeSet<Scope>>,
    ) -> Result<ApiKey, PortError> {
        match *self {}
    }
    async fn set_provisioning(&self, _: Provisioning) -> Result<(), PortError> {
        match *self {}
    }
    async fn set_instance_status(
        &self,
        _: InstanceId,
        _: InstanceStatus,
    ) -> Result<Package, PortError> {
        match *self {}
    }
    async fn extend_instance(&self, _: InstanceId, _: u32) -> Result<Package, PortError> {
        match *self {}
    }
    async fn advance_clock(&self, _: u64) -> Result<Timestamp, PortError> {
        match *self {}
    }
    async fn mark_taken(&self, _: &[String]) -> Result<(), PortError> {
        match *self {}
    }
    async fn set_tlds(&self, _: &[String]) -> Result<(), PortError> {
        match *self {}
    }
    async fn set_dns(&self, _: Propagation) -> Result<(), PortError> {
        match *self {}
    }
    async fn set_dns_status(&self, _: &str, _: DnsStatus) -> Result<DomainConnection, PortError> {
        match *self {}
    }
    fn connect(&self, _: &ApiKey, _: AccountId) -> Arc<dyn Wix> {
        match *self {}
    }
}

fn no_wix() -> NoWix {
    panic!("the type-checked expansion is never run")
}

/// Every case as `contract_suite!` expands it, type-checked but not run.
mod expansion {
    use super::no_wix;

    crate::__cases! { @check (async { no_wix() }) }
}
