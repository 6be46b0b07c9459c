//! Idempotency keys (spec section 1.3 and the emulator's choices): a repeated
//! mutation with the same key, account and operation answers the first answer and
//! changes nothing; the same key with another request is 409
//! `IDEMPOTENCY_KEY_REUSED`; keys are remembered for 24 hours of the Wix's clock.

use reseller_domain::ops::CreatePackage;
use reseller_domain::{ErrorCode, ExternalId};
use reseller_ports::{ResellerPackages, Seed};

use crate::expect::{first, ok, refused};
use crate::fixture::*;

const HOUR_MILLIS: u64 = 60 * 60 * 1000;
const DAY_MILLIS: u64 = 24 * HOUR_MILLIS;

fn order(external: &str) -> CreatePackage {
    CreatePackage {
        external_id: Some(ExternalId::new(external).expect("an external id")),
        ..create(vec![item(ASCEND, None)])
    }
}

/// The same key and request again answers the first answer, even after the
/// package changed since, and creates or changes nothing.
pub async fn the_same_key_and_request_replays_the_first_answer(seed: &dyn Seed) {
    let fx = Fixture::new(seed).await;
    let created = ok(
        "Create Package with a key",
        fx.main
            .create_package(&keyed(SUB1, "order-1"), &order("order-1"))
            .await,
    );
    let before = fx.snapshot().await;
    let replay = ok(
        "the same Create Package again",
        fx.main
            .create_package(&keyed(SUB1, "order-1"), &order("order-1"))
            .await,
    );
    assert_eq!(replay, created, "the first answer again");
    fx.assert_unchanged(&before, "a replayed Create Package")
        .await;
    fx.advance(1_000).await;
    let assigned = ok(
        "Assign with a key",
        fx.main
            .assign_instance(&keyed(SUB1, "assign-1"), first(&created), SUB1_SITE)
            .await,
    );
    let canceled = ok(
        "Cancel Package with a key",
        fx.main
            .cancel_package(&keyed(SUB1, "cancel-1"), created.id())
            .await,
    );
    let before = fx.snapshot().await;
    let replays = [
        fx.main
            .create_package(&keyed(SUB1, "order-1"), &order("order-1"))
            .await,
        fx.main
            .assign_instance(&keyed(SUB1, "assign-1"), first(&created), SUB1_SITE)
            .await,
        fx.main
            .cancel_package(&keyed(SUB1, "cancel-1"), created.id())
            .await,
    ];
    let [c, a, x] = replays;
    assert_eq!(ok("replayed create", c), created);
    assert_eq!(ok("replayed assign", a), assigned);
    assert_eq!(ok("replayed cancel", x), canceled);
    fx.assert_unchanged(&before, "replayed mutations").await;
}

/// The same key with another request, on the same account and operation, is 409
/// `IDEMPOTENCY_KEY_REUSED` and changes nothing.
pub async fn the_same_key_with_another_request_is_idempotency_key_reused_409(seed: &dyn Seed) {
    let fx = Fixture::new(seed).await;
    let p = ok(
        "Create Package with a key",
        fx.main
            .create_package(&keyed(SUB1, "k-1"), &order("order-1"))
            .await,
    );
    let (q, plan) = fx.plan(SUB1, None).await;
    ok(
        "Cancel Package with a key",
        fx.main.cancel_package(&keyed(SUB1, "k-2"), p.id()).await,
    );
    ok(
        "Assign with a key",
        fx.main
            .assign_instance(&keyed(SUB1, "k-3"), plan, SUB1_SITE)
            .await,
    );
    let before = fx.snapshot().await;
    refused(
        "Create Package with a used key and another body",
        fx.main
            .create_package(&keyed(SUB1, "k-1"), &order("order-2"))
            .await,
        ErrorCode::IdempotencyKeyReused,
    );
    refused(
        "Cancel Package with a used key and another package",
        fx.main.cancel_package(&keyed(SUB1, "k-2"), q.id()).await,
        ErrorCode::IdempotencyKeyReused,
    );
    refused(
        "Assign with a used key and another site",
        fx.main
            .assign_instance(&keyed(SUB1, "k-3"), plan, SUB1_SPARE)
            .await,
        ErrorCode::IdempotencyKeyReused,
    );
    fx.assert_unchanged(&before, "reused keys").await;
}

/// Emulator's choices: keys are remembered for 24 hours of the Wix's clock (an
/// hour before, the key still answers; from 24 hours on, it is free again). The
/// clock may also run in real time, so the edge itself is not probed.
pub async fn keys_are_forgotten_after_24_hours(seed: &dyn Seed) {
    let fx = Fixture::new(seed).await;
    let first_answer = ok(
        "Create Package with a key",
        fx.main
            .create_package(&keyed(SUB1, "daily"), &order("day-1"))
            .await,
    );
    fx.advance(DAY_MILLIS - HOUR_MILLIS).await;
    let before = fx.snapshot().await;
    refused(
        "another request with the key after 23 hours",
        fx.main
            .create_package(&keyed(SUB1, "daily"), &order("day-2"))
            .await,
        ErrorCode::IdempotencyKeyReused,
    );
    let replay = ok(
        "the same request after 23 hours",
        fx.main
            .create_package(&keyed(SUB1, "daily"), &order("day-1"))
            .await,
    );
    assert_eq!(replay, first_answer);
    fx.assert_unchanged(&before, "a key within 24 hours").await;
    fx.advance(HOUR_MILLIS).await;
    let second = ok(
        "another request with the key after 24 hours",
        fx.main
            .create_package(&keyed(SUB1, "daily"), &order("day-2"))
            .await,
    );
    assert_ne!(second.id(), first_answer.id(), "a new package");
    let packages = fx.all_packages(&*fx.sub1, SUB1).await;
    assert_eq!(packages.len(), 2, "two packages: {packages:#?}");
}

/// Emulator's choices: a key is scoped to (account, operation): the same key on
/// another account, or for another operation, is a new request.
pub async fn keys_are_scoped_to_account_and_operation(seed: &dyn Seed) {
    let fx = Fixture::new(seed).await;
    let on_sub1 = ok(
        "Create Package on SUB1 with key k",
        fx.main
            .create_package(&keyed(SUB1, "k"), &order("sub1"))
            .await,
    );
    let on_sub2 = ok(
        "Create Package on SUB2 with key k and another body",
        fx.main
            .create_package(&keyed(SUB2, "k"), &order("sub2"))
            .await,
    );
    assert_eq!(on_sub2.account_id(), SUB2);
    assert_ne!(on_sub1.id(), on_sub2.id());
    let canceled = ok(
        "Cancel Package on SUB1 with key k",
        fx.main
            .cancel_package(&keyed(SUB1, "k"), on_sub1.id())
            .await,
    );
    assert_eq!(
        canceled.id(),
        on_sub1.id(),
        "Cancel Package ran, it did not replay the create"
    );
    assert_eq!(
        crate::expect::status(&canceled, first(&canceled)),
        reseller_domain::StatusName::Canceled
    );
}
