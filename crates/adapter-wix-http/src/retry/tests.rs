//! Unit tests of the retry policy and of `Retry-After` reading.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use super::*;

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

fn policy() -> RetryPolicy {
    RetryPolicy::default()
        .with_max_attempts(5)
        .with_backoff(ms(100), ms(1_000))
        .with_budget(Duration::from_secs(10))
}

#[test]
fn the_backoff_ceiling_doubles_up_to_its_maximum() {
    let p = policy();
    let ceilings: Vec<_> = (1..=6).map(|n| p.backoff_ceiling(n)).collect();
    assert_eq!(
        ceilings,
        [ms(100), ms(200), ms(400), ms(800), ms(1_000), ms(1_000)]
    );
    assert_eq!(p.backoff_ceiling(u32::MAX), ms(1_000));
}

#[test]
fn the_jittered_wait_is_drawn_below_the_ceiling() {
    let p = policy();
    let mut seen = None;
    let wait = p.wait_before(3, ms(0), None, |ceiling| {
        seen = Some(ceiling);
        ceiling / 2
    });
    assert_eq!(seen, Some(ms(400)));
    assert_eq!(wait, Some(ms(200)));
    // A jitter source that overshoots is clamped to the ceiling.
    assert_eq!(p.wait_before(1, ms(0), None, |c| c * 10), Some(ms(100)));
    for _ in 0..1_000 {
        let drawn = full_jitter(ms(30));
        assert!(drawn <= ms(30), "{drawn:?}");
    }
}

#[test]
fn retry_after_is_honoured_as_given() {
    let p = policy();
    let wait = p.wait_before(1, ms(0), Some(ms(2_500)), |_| {
        unreachable!("no jitter when the service says how long")
    });
    assert_eq!(wait, Some(ms(2_500)));
}

#[test]
fn attempts_and_budget_stop_the_retries() {
    let p = policy();
    assert!(p.wait_before(4, ms(0), None, |c| c).is_some());
    assert_eq!(
        p.wait_before(5, ms(0), None, |c| c),
        None,
        "5 attempts made"
    );
    assert_eq!(
        p.wait_before(1, ms(9_950), None, |c| c),
        None,
        "the wait would end beyond the budget"
    );
    assert_eq!(
        p.wait_before(1, ms(0), Some(Duration::from_secs(10)), |c| c),
        None,
        "a Retry-After longer than the budget is not waited for"
    );
    assert_eq!(
        RetryPolicy::never().wait_before(1, ms(0), None, |c| c),
        None
    );
    assert_eq!(
        RetryPolicy::default().with_max_attempts(0).max_attempts(),
        1
    );
}

#[test]
fn retry_after_reads_seconds_fractions_and_http_dates() {
    let now = UNIX_EPOCH + Duration::from_secs(1_445_412_480); // Wed, 21 Oct 2015 07:28:00 GMT
    assert_eq!(
        parse_retry_after("120", now),
        Some(Duration::from_secs(120))
    );
    assert_eq!(parse_retry_after(" 0 ", now), Some(Duration::ZERO));
    assert_eq!(parse_retry_after("0.25", now), Some(ms(250)));
    assert_eq!(
        parse_retry_after("Wed, 21 Oct 2015 07:28:30 GMT", now),
        Some(Duration::from_secs(30))
    );
    assert_eq!(
        parse_retry_after("Wed, 21 Oct 2015 07:00:00 GMT", now),
        Some(Duration::ZERO),
        "a date in the past means now"
    );
    for bad in ["", "soon", "-1", "1e3", "."] {
        assert_eq!(parse_retry_after(bad, now), None, "{bad:?}");
    }
    assert!(parse_retry_after("1", SystemTime::now()).is_some());
}
