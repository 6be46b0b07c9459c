//! The built-in demo seed: what an empty emulator starts with when no `--seed` is
//! given. One strategic-partner main account, two customers' sub-accounts, a few
//! sites (one published, one holding a paid service bought outside the reseller
//! flow, so its transfer is refused, one headless, so Query Sites hides it unless
//! asked for `HEADLESS`), a catalog of typical products (a Premium plan that grants
//! a domain voucher, domains that expire a year after purchase, a logo that cannot
//! be adjusted) and one API key with every scope. Its ids are fixed so that
//! examples and scripts can name them.

use reseller_wire::control::StateDocument;

/// The API key of the demo seed (every scope, on the main account).
pub const DEMO_API_KEY: &str = crate::demo::API_KEY;

/// The demo seed's main account (Acme Hosting, a strategic partner).
pub const DEMO_MAIN_ACCOUNT: &str = crate::demo::ACME_ID;

/// The demo seed's Premium plan "Business Unlimited" (monthly or yearly).
pub const DEMO_PREMIUM_PLAN: &str = crate::demo::BUSINESS_UNLIMITED_ID;

/// The demo seed as JSON (the seed-file shape of `spec/emulator.md`).
const DEMO_SEED: &str = r#"{
  "accounts": [
    {"id": "a1000000-0000-4000-8000-000000000001", "name": "Acme Hosting", "strategicPartner": true},
    {"id": "a1000000-0000-4000-8000-000000000002", "parentAccountId": "a1000000-0000-4000-8000-000000000001", "name": "Customer 1: Bakery Co"},
    {"id": "a1000000-0000-4000-8000-000000000003", "parentAccountId": "a1000000-0000-4000-8000-000000000001", "name": "Customer 2: Florist Ltd"}
  ],
  "sites": [
    {"id": "51000000-0000-4000-8000-000000000001", "accountId": "a1000000-0000-4000-8000-000000000001", "name": "acme-showcase", "displayName": "Acme Showcase", "published": true, "createdDate": "2024-01-15T09:00:00.000Z"},
    {"id": "51000000-0000-4000-8000-000000000002", "accountId": "a1000000-0000-4000-8000-000000000001", "name": "bakery"},
    {"id": "51000000-0000-4000-8000-000000000003", "accountId": "a1000000-0000-4000-8000-000000000002", "name": "bakery-blog"},
    {"id": "51000000-0000-4000-8000-000000000004", "accountId": "a1000000-0000-4000-8000-000000000003", "name": "florist"},
    {"id": "51000000-0000-4000-8000-000000000005", "accountId": "a1000000-0000-4000-8000-000000000001", "name": "legacy-shop", "externalPaidServices": ["Wix Stores premium bought on wix.com"]},
    {"id": "51000000-0000-4000-8000-000000000006", "accountId": "a1000000-0000-4000-8000-000000000001", "name": "headless-acme-store", "displayName": "Acme Headless Store", "namespace": "HEADLESS"}
  ],
  "catalog": [
    {"id": "c1000000-0000-4000-8000-000000000001", "productType": "PREMIUM_PLAN", "name": "Business Unlimited",
     "billingCycles": [{"type": "RECURRING", "cycleDuration": {"unit": "MONTH", "count": 1}},
                       {"type": "RECURRING", "cycleDuration": {"unit": "YEAR", "count": 1}}],
     "grantsVoucherFor": ["DOMAIN"]},
    {"id": "c1000000-0000-4000-8000-000000000002", "productType": "PREMIUM_PLAN", "name": "Core",
     "billingCycles": [{"type": "RECURRING", "cycleDuration": {"unit": "MONTH", "count": 1}},
                       {"type": "RECURRING", "cycleDuration": {"unit": "YEAR", "count": 1}}]},
    {"id": "c1000000-0000-4000-8000-000000000003", "productType": "DOMAIN", "name": "Domain",
     "billingCycles": [{"type": "RECURRING", "cycleDuration": {"unit": "YEAR", "count": 1}}],
     "requiresProductType": "PREMIUM_PLAN", "tld": "com"},
    {"id": "c1000000-0000-4000-8000-000000000004", "productType": "DOMAIN", "name": "Free first-year domain (voucher)",
     "billingCycles": [{"type": "RECURRING", "cycleDuration": {"unit": "YEAR", "count": 1}}],
     "requiresProductType": "PREMIUM_PLAN", "tld": "com"},
    {"id": "c1000000-0000-4000-8000-000000000005", "productType": "ASCEND", "name": "Ascend Business",
     "billingCycles": [{"type": "RECURRING", "cycleDuration": {"unit": "MONTH", "count": 1}},
                       {"type": "RECURRING", "cycleDuration": {"unit": "YEAR", "count": 1}}]},
    {"id": "c1000000-0000-4000-8000-000000000006", "productType": "MAILBOX", "name": "Business mailbox",
     "billingCycles": [{"type": "RECURRING", "cycleDuration": {"unit": "MONTH", "count": 1}}],
     "subscriptionLimit": 5},
    {"id": "c1000000-0000-4000-8000-000000000007", "productType": "LOGO", "name": "Logo Maker (one-time, cannot be adjusted)",
     "billingCycles": [{"type": "ONE_TIME"}],
     "adjustable": false}
  ],
  "apiKeys": [
    {"key": "emk_demo_acme_hosting_0001", "accountId": "a1000000-0000-4000-8000-000000000001"}
  ],
  "allowedTransfers": [
    {"sourceAccountId": "a1000000-0000-4000-8000-000000000001", "targetAccountId": "a1000000-0000-4000-8000-000000000002"},
    {"sourceAccountId": "a1000000-0000-4000-8000-000000000002", "targetAccountId": "a1000000-0000-4000-8000-000000000001"},
    {"sourceAccountId": "a1000000-0000-4000-8000-000000000001", "targetAccountId": "a1000000-0000-4000-8000-000000000003"},
    {"sourceAccountId": "a1000000-0000-4000-8000-000000000003", "targetAccountId": "a1000000-0000-4000-8000-000000000001"}
  ],
  "packages": [],
  "takenDomains": ["bakery.com", "florist-ltd.com", "acme-hosting.net"]
}"#;

/// The demo seed: the document an empty emulator loads when started without
/// `--seed`.
pub fn demo_seed() -> StateDocument {
    // The text is a constant checked by this module's tests; an unreadable text
    // would give the empty document, never a panic.
    serde_json::from_str(DEMO_SEED).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

    use super::*;

    #[test]
    fn demo_seed_reads_whole() {
        let strict: serde_json::Value = serde_json::from_str(DEMO_SEED).unwrap();
        let doc = demo_seed();
        assert_eq!(doc.accounts.len(), 3);
        assert_eq!(doc.sites.len(), 6);
        assert_eq!(doc.catalog.len(), 7);
        assert_eq!(
            doc.catalog[0].grants_voucher_for.as_deref(),
            Some(&["DOMAIN".to_owned()][..])
        );
        assert_eq!(doc.catalog[6].id.as_deref(), Some(crate::demo::LOGO_ID));
        assert_eq!(doc.catalog[6].adjustable, Some(false));
        assert_eq!(doc.api_keys.len(), 1);
        assert_eq!(doc.api_keys[0].key.as_deref(), Some(DEMO_API_KEY));
        assert_eq!(doc.allowed_transfers.len(), 4);
        assert_eq!(doc.accounts[0].id.as_deref(), Some(DEMO_MAIN_ACCOUNT));
        assert_eq!(
            doc.api_keys[0].account_id.as_deref(),
            Some(DEMO_MAIN_ACCOUNT)
        );
        assert_eq!(doc.catalog[0].id.as_deref(), Some(DEMO_PREMIUM_PLAN));
        assert_eq!(strict["accounts"].as_array().unwrap().len(), 3);
    }
}
