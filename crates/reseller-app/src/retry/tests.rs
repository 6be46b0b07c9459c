//! One retry layer: an error the adapter already retried is not retried again;
//! one from an adapter without retries is, under `Attempts`.

#![allow(clippy::unwrap_used, clippy::panic)]

use std::sync::atomic::{AtomicU32, Ordering};

use reseller_domain::ErrorCode;

use super::*;

#[test]
fn pauses_double_up_to_the_cap_and_honour_retry_after() {
    let a = Attempts::new(10, Duration::from_millis(100));
    assert_eq!(a.pause_before(2, None), Duration::from_millis(100));
    assert_eq!(a.pause_before(3, None), Duration::from_millis(200));
    assert_eq!(a.pause_before(4, None), Duration::from_millis(400));
    assert_eq!(a.pause_before(40, None), Attempts::MAX_PAUSE);
    let slow = PortError::rate_limited(Duration::from_secs(2));
    assert_eq!(a.pause_before(2, Some(&slow)), Duration::from_secs(2));
    assert_eq!(Attempts::new(0, Duration::ZERO).max(), 1);
    assert_eq!(Attempts::once().max(), 1);
}

#[tokio::test]
async fn an_error_the_adapter_retried_is_not_retried_again() {
    let calls = AtomicU32::new(0);
    let e = retry(Attempts::immediate(4), || async {
        calls.fetch_add(1, Ordering::SeqCst);
        Err::<(), _>(PortError::unavailable().with_attempts(3, Duration::from_millis(7)))
    })
    .await
    .unwrap_err();
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    match e {
        SafeError::Unresolved { attempts, last, .. } => {
            assert_eq!(attempts, 3, "the requests the adapter made");
            assert_eq!(last.status(), Some(503));
        }
        other => panic!("{other}"),
    }
}

#[tokio::test]
async fn an_error_of_an_adapter_without_retries_is_retried_and_counted() {
    let calls = AtomicU32::new(0);
    let e = retry(Attempts::immediate(3), || async {
        calls.fetch_add(1, Ordering::SeqCst);
        Err::<(), _>(PortError::unavailable())
    })
    .await
    .unwrap_err();
    assert_eq!(calls.load(Ordering::SeqCst), 3);
    assert!(
        matches!(e, SafeError::Unresolved { attempts: 3, .. }),
        "{e}"
    );

    let calls = AtomicU32::new(0);
    let answer = retry(Attempts::immediate(3), || async {
        match calls.fetch_add(1, Ordering::SeqCst) {
            0 => Err(PortError::unavailable()),
            _ => Ok(7),
        }
    })
    .await
    .unwrap();
    assert_eq!((answer, calls.load(Ordering::SeqCst)), (7, 2));
}

#[tokio::test]
async fn a_refusal_is_answered_at_once_whoever_retried() {
    let calls = AtomicU32::new(0);
    let e = retry(Attempts::immediate(4), || async {
        calls.fetch_add(1, Ordering::SeqCst);
        Err::<(), _>(PortError::refused(ErrorCode::PackageNotFound))
    })
    .await
    .unwrap_err();
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    assert!(matches!(e, SafeError::Refused(_)));
}
