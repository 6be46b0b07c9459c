//! Provisioning (spec section 2.5 and the emulator's control API): how instances
//! leave `PENDING` in automatic and manual mode, and the lifecycle's legal moves;
//! an illegal move is 409 `ILLEGAL_STATUS_TRANSITION`.

use reseller_domain::{ErrorCode, Failure, FailureCode, InstanceStatus, StatusName};
use reseller_ports::{Provisioning, ResellerPackages, Seed};

use crate::expect::{instance, instance_ids, ok, refused, status};
use crate::fixture::*;

/// Emulator's choices: by default provisioning is automatic without delay: the
/// create answer shows `PENDING`, and from the next call on the instance is
/// `ENABLED`.
pub async fn auto_without_delay_enables_from_the_next_call(seed: &dyn Seed) {
    let fx = Fixture::with_adapter_provisioning(seed).await;
    let (p, plan) = fx.plan(SUB1, Some(SUB1_SITE)).await;
    assert_eq!(status(&p, plan), StatusName::Pending, "the create answer");
    let later = fx.get(SUB1, p.id()).await;
    assert_eq!(status(&later, plan), StatusName::Enabled, "the next call");
    fx.seed
        .set_provisioning(Provisioning::Auto { delay_millis: 0 })
        .await
        .unwrap_or_else(|e| panic!("set automatic provisioning: {e}"));
    let (q, other) = fx.plan(SUB1, None).await;
    assert_eq!(status(&q, other), StatusName::Pending);
    assert_eq!(
        status(&fx.get(SUB1, q.id()).await, other),
        StatusName::Enabled
    );
}

/// Emulator's choices: with a delay, an instance is `ENABLED` once that much of
/// the Wix's clock has passed, not halfway; a canceled instance stays canceled.
/// (The clock may also run in real time, so the edge itself is not probed.)
pub async fn auto_with_a_delay_enables_once_the_delay_has_passed(seed: &dyn Seed) {
    let fx = Fixture::new(seed).await;
    fx.seed
        .set_provisioning(Provisioning::Auto {
            delay_millis: 60_000,
        })
        .await
        .unwrap_or_else(|e| panic!("set provisioning with a delay: {e}"));
    let p = fx
        .buy(
            SUB1,
            vec![item(PLAN_UNLIMITED, Some(SUB1_SITE)), item(ASCEND, None)],
        )
        .await;
    let ids = instance_ids(&p);
    let [plan, ascend] = ids.as_slice() else {
        panic!("two instances expected");
    };
    let (plan, ascend) = (*plan, *ascend);
    assert_eq!(status(&p, plan), StatusName::Pending);
    assert_eq!(
        status(&fx.get(SUB1, p.id()).await, plan),
        StatusName::Pending
    );
    ok(
        "Cancel Product Instance before the delay",
        fx.main.cancel_instance(&on(SUB1), ascend).await,
    );
    fx.advance(30_000).await;
    let before = fx.get(SUB1, p.id()).await;
    assert_eq!(status(&before, plan), StatusName::Pending, "halfway");
    fx.advance(30_000).await;
    let after = fx.get(SUB1, p.id()).await;
    assert_eq!(status(&after, plan), StatusName::Enabled, "on time");
    assert_eq!(
        status(&after, ascend),
        StatusName::Canceled,
        "stays canceled"
    );
}

/// Emulator's choices: in manual mode an instance stays `PENDING` however much time
/// passes, until it is moved; the move shows in the answer and in Get Package.
pub async fn manual_provisioning_stays_pending_until_moved(seed: &dyn Seed) {
    let fx = Fixture::new(seed).await;
    let (p, plan) = fx.plan(SUB1, Some(SUB1_SITE)).await;
    fx.advance(7 * 24 * 60 * 60 * 1000).await;
    assert_eq!(
        status(&fx.get(SUB1, p.id()).await, plan),
        StatusName::Pending
    );
    let moved = fx.set_status(plan, InstanceStatus::Enabled).await;
    assert_eq!(moved.id(), p.id(), "the answer is the instance's package");
    assert_eq!(status(&moved, plan), StatusName::Enabled);
    assert_eq!(fx.get(SUB1, p.id()).await, moved, "Get Package agrees");
}

/// Spec 2.5: the legal moves succeed (`PENDING` to `AWAITING_ACTION`, `ENABLED`,
/// `FAILED` or `CANCELED`; `AWAITING_ACTION` on; `ENABLED` to `CANCELED`), a
/// `FAILED` instance carries its failure and no other does; every other move,
/// including to the same status, is 409 `ILLEGAL_STATUS_TRANSITION`.
pub async fn status_moves_follow_the_lifecycle(seed: &dyn Seed) {
    let fx = Fixture::new(seed).await;
    let p = fx.buy(SUB1, vec![item(ASCEND, None); 4]).await;
    let ids = instance_ids(&p);
    let [a, b, c, d] = ids.as_slice() else {
        panic!("four instances expected");
    };
    let failure = Failure {
        code: FailureCode::ExternalFailure,
        message: "the provider gave up".to_owned(),
    };
    for (id, to) in [
        (*a, InstanceStatus::AwaitingAction),
        (*a, InstanceStatus::Enabled),
        (*a, InstanceStatus::Canceled),
        (*b, InstanceStatus::Failed(failure.clone())),
        (*c, InstanceStatus::Canceled),
        (*d, InstanceStatus::AwaitingAction),
    ] {
        let name = to.name();
        let moved = fx.set_status(id, to).await;
        assert_eq!(status(&moved, id), name);
    }
    let now = fx.get(SUB1, p.id()).await;
    assert_eq!(
        instance(&now, *b).status(),
        &InstanceStatus::Failed(failure.clone())
    );
    for id in [*a, *c, *d] {
        assert_eq!(instance(&now, id).status().failure(), None);
    }
    let (_, e) = fx.plan(SUB1, None).await;
    fx.set_status(e, InstanceStatus::Enabled).await;
    let before = fx.snapshot().await;
    let illegal = [
        (*a, InstanceStatus::Enabled, "CANCELED -> ENABLED"),
        (*b, InstanceStatus::Enabled, "FAILED -> ENABLED"),
        (*b, InstanceStatus::Failed(failure), "FAILED -> FAILED"),
        (*c, InstanceStatus::Pending, "CANCELED -> PENDING"),
        (*d, InstanceStatus::Pending, "AWAITING_ACTION -> PENDING"),
        (
            *d,
            InstanceStatus::AwaitingAction,
            "AWAITING_ACTION -> AWAITING_ACTION",
        ),
        (e, InstanceStatus::Pending, "ENABLED -> PENDING"),
        (
            e,
            InstanceStatus::AwaitingAction,
            "ENABLED -> AWAITING_ACTION",
        ),
        (e, InstanceStatus::Enabled, "ENABLED -> ENABLED"),
    ];
    for (id, to, what) in illegal {
        refused(
            what,
            fx.seed.set_instance_status(id, to).await,
            ErrorCode::IllegalStatusTransition,
        );
    }
    fx.assert_unchanged(&before, "illegal status moves").await;
    let e = fx
        .seed
        .set_instance_status(UNKNOWN_INSTANCE, InstanceStatus::Enabled)
        .await
        .expect_err("moving an unknown instance");
    assert_eq!(
        e.code(),
        &ErrorCode::ProductInstanceNotFound,
        "moving an unknown instance: {e}"
    );
    let (_, pending) = fx.plan(SUB2, None).await;
    let before = fx.snapshot().await;
    refused(
        "PENDING -> PENDING",
        fx.seed
            .set_instance_status(pending, InstanceStatus::Pending)
            .await,
        ErrorCode::IllegalStatusTransition,
    );
    fx.assert_unchanged(&before, "a move to the same status")
        .await;
}
