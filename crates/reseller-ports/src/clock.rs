//! Time and id sources as small traits, so every implementation can be made
//! deterministic: a manual clock that only moves forward, sequential ids.

use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use reseller_domain::Timestamp;
use uuid::Uuid;

/// Where "now" comes from.
pub trait Clock: Send + Sync {
    /// The current instant, in milliseconds.
    fn now(&self) -> Timestamp;
}

/// The machine's clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Timestamp {
        Timestamp::new(chrono::Utc::now())
    }
}

/// A clock that moves only when told, and only forward.
#[derive(Debug)]
pub struct ManualClock {
    now: Mutex<Timestamp>,
}

impl ManualClock {
    /// A clock standing at `start`.
    pub fn new(start: Timestamp) -> Self {
        Self {
            now: Mutex::new(start),
        }
    }

    /// Moves the clock forward by `millis` (negative values are ignored); returns the
    /// new time.
    pub fn advance_millis(&self, millis: i64) -> Timestamp {
        let mut now = self.now.lock().unwrap_or_else(|e| e.into_inner());
        if millis > 0 {
            *now = now.plus_millis(millis);
        }
        *now
    }

    /// Sets the clock to `at` when that is not in the past; returns the resulting time.
    pub fn set(&self, at: Timestamp) -> Timestamp {
        let mut now = self.now.lock().unwrap_or_else(|e| e.into_inner());
        if at > *now {
            *now = at;
        }
        *now
    }
}

impl Clock for ManualClock {
    fn now(&self) -> Timestamp {
        *self.now.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Where new ids come from.
pub trait IdGenerator: Send + Sync {
    /// A fresh, never before returned id.
    fn new_id(&self) -> Uuid;
}

/// Random (version 4) ids.
#[derive(Debug, Clone, Copy, Default)]
pub struct RandomIds;

impl IdGenerator for RandomIds {
    fn new_id(&self) -> Uuid {
        Uuid::new_v4()
    }
}

/// Deterministic ids: `seed` in the high 64 bits, a counter in the low 64 bits.
#[derive(Debug)]
pub struct SequentialIds {
    seed: u64,
    next: AtomicU64,
}

impl SequentialIds {
    /// Ids `seed:1`, `seed:2`, ...
    pub fn new(seed: u64) -> Self {
        Self {
            seed,
            next: AtomicU64::new(1),
        }
    }
}

impl IdGenerator for SequentialIds {
    fn new_id(&self) -> Uuid {
        let n = self.next.fetch_add(1, Ordering::Relaxed);
        Uuid::from_u64_pair(self.seed, n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manual_clock_moves_only_forward() {
        let start = Timestamp::from_unix_millis(1_000).unwrap();
        let clock = ManualClock::new(start);
        assert_eq!(clock.advance_millis(500).unix_millis(), 1_500);
        assert_eq!(clock.advance_millis(-10_000).unix_millis(), 1_500);
        assert_eq!(clock.set(start).unix_millis(), 1_500);
        let later = Timestamp::from_unix_millis(9_000).unwrap();
        assert_eq!(clock.set(later), later);
        assert_eq!(clock.now(), later);
    }

    #[test]
    fn sequential_ids_are_distinct_and_repeatable() {
        let a = SequentialIds::new(7);
        let b = SequentialIds::new(7);
        let first: Vec<_> = (0..100).map(|_| a.new_id()).collect();
        let second: Vec<_> = (0..100).map(|_| b.new_id()).collect();
        assert_eq!(first, second);
        let unique: std::collections::HashSet<_> = first.iter().collect();
        assert_eq!(unique.len(), 100);
    }

    #[test]
    fn random_ids_differ() {
        assert_ne!(RandomIds.new_id(), RandomIds.new_id());
    }
}
