//! Create Package, the request as a whole: `countryCode` on every product
//! (R1.11), 1 to 1000 products (spec 2.1), and the first broken rule in rule
//! order deciding the answer.

use reseller_domain::ops::NewInstance;
use reseller_domain::{ErrorCode, RuleType};
use reseller_ports::{ResellerPackages, Seed};

use crate::expect::{instance_ids, invalid_fields, refused};
use crate::fixture::*;

/// R1.11: Create Package requires `countryCode` on every product (400
/// `REQUIRED_FIELD` on each `products[i].countryCode`); the v1 create that did
/// not is gone (Wix removed it).
pub async fn r1_11_create_requires_country_code_on_every_product(seed: &dyn Seed) {
    let fx = Fixture::new(seed).await;
    let without = NewInstance {
        country_code: None,
        ..item(ASCEND, None)
    };
    let products = vec![without.clone(), item(ASCEND, None), without];
    let before = fx.snapshot().await;
    invalid_fields(
        "V2 without countryCode",
        fx.main
            .create_package(&on(SUB1), &create(products.clone()))
            .await,
        &[
            ("products[0].countryCode", RuleType::RequiredField),
            ("products[2].countryCode", RuleType::RequiredField),
        ],
    );
    fx.assert_unchanged(&before, "V2 without countryCode").await;
}

/// Spec 2.1: a package holds 1 to 1000 instances: none is 400 `MIN_SIZE`, 1001 is
/// 400 `MAX_SIZE` (both on `products`); exactly 1000 is fine.
pub async fn products_must_number_1_to_1000(seed: &dyn Seed) {
    let fx = Fixture::new(seed).await;
    let before = fx.snapshot().await;
    invalid_fields(
        "no products",
        fx.main.create_package(&on(SUB1), &create(Vec::new())).await,
        &[("products", RuleType::MinSize)],
    );
    invalid_fields(
        "1001 products",
        fx.main
            .create_package(&on(SUB1), &create(vec![item(ASCEND, None); 1001]))
            .await,
        &[("products", RuleType::MaxSize)],
    );
    fx.assert_unchanged(&before, "0 or 1001 products").await;
    let p = fx.buy(SUB1, vec![item(ASCEND, None); 1000]).await;
    let ids: std::collections::BTreeSet<_> = instance_ids(&p).into_iter().collect();
    assert_eq!(ids.len(), 1000, "1000 distinct instances");
}

/// Design: every broken rule is found and the first in rule order decides the
/// answer; field violations are reported alone.
pub async fn create_reports_the_first_broken_rule_in_rule_order(seed: &dyn Seed) {
    let fx = Fixture::new(seed).await;
    let before = fx.snapshot().await;
    refused(
        "a product not for resale and an unknown one",
        fx.main
            .create_package(
                &on(SUB1),
                &create(vec![
                    item(NOT_RESELLABLE, None),
                    item(UNKNOWN_PRODUCT, None),
                ]),
            )
            .await,
        ErrorCode::ProductNotFound,
    );
    refused(
        "a foreign site and a missing cycle",
        fx.main
            .create_package(
                &on(SUB1),
                &create(vec![
                    item(PLAN_UNLIMITED, Some(SUB2_SITE)),
                    NewInstance {
                        billing: None,
                        ..item(PLAN_VIP, None)
                    },
                ]),
            )
            .await,
        ErrorCode::MissingBillingCycle,
    );
    invalid_fields(
        "a missing countryCode and an unknown product",
        fx.main
            .create_package(
                &on(SUB1),
                &create(vec![
                    item(UNKNOWN_PRODUCT, None),
                    NewInstance {
                        country_code: None,
                        ..item(ASCEND, None)
                    },
                ]),
            )
            .await,
        &[("products[1].countryCode", RuleType::RequiredField)],
    );
    fx.assert_unchanged(&before, "refusals with several broken rules")
        .await;
}
