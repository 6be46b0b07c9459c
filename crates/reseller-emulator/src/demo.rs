//! The demo seed's ids and key, typed, in one place: each id is written once as
//! text (`*_ID`, for JSON and command lines) and turned into its typed id at
//! compile time. The seed (checked against them by this module's tests), the
//! OpenAPI examples, the `reseller demo` and the tests name them from here.
//!
//! ```
//! use reseller_emulator::demo;
//!
//! assert_eq!(demo::ACME.to_string(), demo::ACME_ID);
//! assert_eq!(demo::API_KEY, "emk_demo_acme_hosting_0001");
//! ```

use reseller_domain::{AccountId, CatalogProductId, SiteId};

macro_rules! typed {
    ($(#[$doc:meta])* $name:ident: $ty:ident = $text_name:ident = $text:literal) => {
        #[doc = concat!("The text of [`", stringify!($name), "`].")]
        pub const $text_name: &str = $text;
        $(#[$doc])*
        pub const $name: $ty = $ty::from_uuid(uuid::uuid!($text_name));
    };
}

/// The API key of the demo seed (every scope, on [`ACME`]).
pub const API_KEY: &str = "emk_demo_acme_hosting_0001";

typed!(
    /// "Acme Hosting": the strategic-partner main account.
    ACME: AccountId = ACME_ID = "a1000000-0000-4000-8000-000000000001"
);
typed!(
    /// "Customer 1: Bakery Co": a sub-account of [`ACME`].
    BAKERY_CO: AccountId = BAKERY_CO_ID = "a1000000-0000-4000-8000-000000000002"
);
typed!(
    /// "Customer 2: Florist Ltd": a sub-account of [`ACME`].
    FLORIST_LTD: AccountId = FLORIST_LTD_ID = "a1000000-0000-4000-8000-000000000003"
);

typed!(
    /// `acme-showcase`, a site of [`ACME`].
    ACME_SHOWCASE: SiteId = ACME_SHOWCASE_ID = "51000000-0000-4000-8000-000000000001"
);
typed!(
    /// `bakery`, a site of [`ACME`] built for Bakery Co.
    BAKERY: SiteId = BAKERY_ID = "51000000-0000-4000-8000-000000000002"
);
typed!(
    /// `bakery-blog`, a site of [`BAKERY_CO`].
    BAKERY_BLOG: SiteId = BAKERY_BLOG_ID = "51000000-0000-4000-8000-000000000003"
);
typed!(
    /// `florist`, a site of [`FLORIST_LTD`].
    FLORIST: SiteId = FLORIST_ID = "51000000-0000-4000-8000-000000000004"
);
typed!(
    /// `legacy-shop`, a site of [`ACME`] holding a paid service bought outside
    /// the reseller flow (its transfer is refused).
    LEGACY_SHOP: SiteId = LEGACY_SHOP_ID = "51000000-0000-4000-8000-000000000005"
);
typed!(
    /// `headless-acme-store`, a headless site of [`ACME`]: Query Sites answers it
    /// only when asked for the `HEADLESS` namespace.
    HEADLESS_STORE: SiteId = HEADLESS_STORE_ID = "51000000-0000-4000-8000-000000000006"
);

typed!(
    /// The Premium plan "Business Unlimited" (monthly or yearly).
    BUSINESS_UNLIMITED: CatalogProductId = BUSINESS_UNLIMITED_ID = "c1000000-0000-4000-8000-000000000001"
);
typed!(
    /// The Premium plan "Core" (monthly or yearly).
    CORE: CatalogProductId = CORE_ID = "c1000000-0000-4000-8000-000000000002"
);
typed!(
    /// "Domain": yearly, needs a Premium plan on its site.
    DOMAIN: CatalogProductId = DOMAIN_ID = "c1000000-0000-4000-8000-000000000003"
);
typed!(
    /// "Free first-year domain (voucher)": yearly, needs a Premium plan on its site.
    DOMAIN_VOUCHER: CatalogProductId = DOMAIN_VOUCHER_ID = "c1000000-0000-4000-8000-000000000004"
);
typed!(
    /// "Ascend Business" (monthly or yearly).
    ASCEND_BUSINESS: CatalogProductId = ASCEND_BUSINESS_ID = "c1000000-0000-4000-8000-000000000005"
);
typed!(
    /// "Business mailbox": monthly, at most 5 live per account family.
    MAILBOX: CatalogProductId = MAILBOX_ID = "c1000000-0000-4000-8000-000000000006"
);
typed!(
    /// "Logo Maker": one-time, and Adjust does not support it (428
    /// `OPERATION_NOT_SUPPORTED_FOR_PRODUCT`).
    LOGO: CatalogProductId = LOGO_ID = "c1000000-0000-4000-8000-000000000007"
);

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;
    use crate::seed::demo_seed;

    #[test]
    fn every_constant_names_what_the_seed_holds() {
        let seed = demo_seed();
        let account = |id: &str| {
            seed.accounts
                .iter()
                .find(|a| a.id.as_deref() == Some(id))
                .and_then(|a| a.name.clone())
                .unwrap_or_default()
        };
        assert_eq!(account(ACME_ID), "Acme Hosting");
        assert_eq!(account(BAKERY_CO_ID), "Customer 1: Bakery Co");
        assert_eq!(account(FLORIST_LTD_ID), "Customer 2: Florist Ltd");
        let site = |id: &str| {
            seed.sites
                .iter()
                .find(|s| s.id.as_deref() == Some(id))
                .map(|s| {
                    (
                        s.name.clone().unwrap_or_default(),
                        s.account_id.clone().unwrap_or_default(),
                    )
                })
                .unwrap_or_default()
        };
        assert_eq!(
            site(ACME_SHOWCASE_ID),
            ("acme-showcase".into(), ACME_ID.into())
        );
        assert_eq!(site(BAKERY_ID), ("bakery".into(), ACME_ID.into()));
        assert_eq!(
            site(BAKERY_BLOG_ID),
            ("bakery-blog".into(), BAKERY_CO_ID.into())
        );
        assert_eq!(site(FLORIST_ID), ("florist".into(), FLORIST_LTD_ID.into()));
        assert_eq!(site(LEGACY_SHOP_ID), ("legacy-shop".into(), ACME_ID.into()));
        assert_eq!(
            site(HEADLESS_STORE_ID),
            ("headless-acme-store".into(), ACME_ID.into())
        );
        let product = |id: &str| {
            seed.catalog
                .iter()
                .find(|p| p.id.as_deref() == Some(id))
                .and_then(|p| p.name.clone())
                .unwrap_or_default()
        };
        assert_eq!(product(BUSINESS_UNLIMITED_ID), "Business Unlimited");
        assert_eq!(product(CORE_ID), "Core");
        assert_eq!(product(DOMAIN_ID), "Domain");
        assert_eq!(
            product(DOMAIN_VOUCHER_ID),
            "Free first-year domain (voucher)"
        );
        assert_eq!(product(ASCEND_BUSINESS_ID), "Ascend Business");
        assert_eq!(product(MAILBOX_ID), "Business mailbox");
        assert_eq!(
            product(LOGO_ID),
            "Logo Maker (one-time, cannot be adjusted)"
        );
        assert_eq!(seed.catalog.len(), 7, "every product has its constant");
        assert!(seed.api_keys.iter().any(|k| {
            k.key.as_deref() == Some(API_KEY) && k.account_id.as_deref() == Some(ACME_ID)
        }));
        assert_eq!(seed.accounts.len(), 3, "every account has its constant");
        assert_eq!(seed.sites.len(), 6, "every site has its constant");
    }

    #[test]
    fn typed_ids_are_their_text() {
        assert_eq!(ACME.to_string(), ACME_ID);
        assert_eq!(LEGACY_SHOP.to_string(), LEGACY_SHOP_ID);
        assert_eq!(MAILBOX.to_string(), MAILBOX_ID);
    }
}
