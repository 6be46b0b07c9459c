//! Create Package, what the catalog allows: the product exists, is resellable
//! and has settings (R1.5), and its subscription limit over the family (R1.6).

use reseller_domain::ErrorCode;
use reseller_ports::{ResellerPackages, Seed};

use crate::expect::{first, ok, refused};
use crate::fixture::*;

/// R1.5: the product must exist: 404 `PRODUCT_NOT_FOUND`.
pub async fn r1_5_unknown_product_is_product_not_found_404(seed: &dyn Seed) {
    let fx = Fixture::new(seed).await;
    let before = fx.snapshot().await;
    refused(
        "Create Package with an unknown product",
        fx.main
            .create_package(
                &on(SUB1),
                &create(vec![item(ASCEND, None), item(UNKNOWN_PRODUCT, None)]),
            )
            .await,
        ErrorCode::ProductNotFound,
    );
    fx.assert_unchanged(&before, "Create Package with an unknown product")
        .await;
}

/// R1.5: the product must be resellable: 428 `INVALID_PRODUCTS`.
pub async fn r1_5_not_resellable_is_invalid_products_428(seed: &dyn Seed) {
    let fx = Fixture::new(seed).await;
    let before = fx.snapshot().await;
    refused(
        "Create Package with a product not for resale",
        fx.main
            .create_package(&on(SUB1), &create(vec![item(NOT_RESELLABLE, None)]))
            .await,
        ErrorCode::InvalidProducts,
    );
    fx.assert_unchanged(&before, "Create Package with a product not for resale")
        .await;
}

/// R1.5: the product must have Wix-side settings: 428 `PRODUCT_SETTINGS_NOT_FOUND`.
pub async fn r1_5_product_without_settings_is_product_settings_not_found_428(seed: &dyn Seed) {
    let fx = Fixture::new(seed).await;
    let before = fx.snapshot().await;
    refused(
        "Create Package with a product without settings",
        fx.main
            .create_package(&on(SUB1), &create(vec![item(NO_SETTINGS, Some(SUB1_SITE))]))
            .await,
        ErrorCode::ProductSettingsNotFound,
    );
    fx.assert_unchanged(&before, "Create Package with a product without settings")
        .await;
}

/// R1.6: a product's subscription limit counts the live instances of the whole
/// account family and the request itself: 428 `PRODUCT_LIMIT_EXCEEDED`. Canceled
/// instances do not count; another family has its own count.
pub async fn r1_6_subscription_limit_counts_the_family_and_the_request(seed: &dyn Seed) {
    let fx = Fixture::new(seed).await;
    fx.buy(SUB1, vec![item(MAILBOX, None)]).await;
    let before = fx.snapshot().await;
    refused(
        "two more mailboxes in one request (limit 2, 1 live)",
        fx.main
            .create_package(
                &on(MAIN),
                &create(vec![item(MAILBOX, None), item(MAILBOX, None)]),
            )
            .await,
        ErrorCode::ProductLimitExceeded,
    );
    fx.assert_unchanged(&before, "over the limit in one request")
        .await;
    let sibling = fx.buy(SUB2, vec![item(MAILBOX, None)]).await;
    let before = fx.snapshot().await;
    refused(
        "a third mailbox in the family",
        fx.main
            .create_package(&on(MAIN), &create(vec![item(MAILBOX, None)]))
            .await,
        ErrorCode::ProductLimitExceeded,
    );
    fx.assert_unchanged(&before, "over the family's limit")
        .await;
    ok(
        "another family has its own count",
        fx.other
            .create_package(
                &on(OTHER),
                &create(vec![item(MAILBOX, None), item(MAILBOX, None)]),
            )
            .await,
    );
    ok(
        "Cancel Product Instance",
        fx.main.cancel_instance(&on(SUB2), first(&sibling)).await,
    );
    fx.buy(MAIN, vec![item(MAILBOX, None)]).await;
}
