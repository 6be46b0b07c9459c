//! The domain's tests over the standard world of `reseller_contract::fixture` (the
//! one test world of the workspace, re-exported here): that world as a plain
//! [`World`] at [`now`], and the helpers that run the pure operations on it.

use reseller_domain::auth::Caller;
use reseller_domain::ops::{Done, NewInstance};
use reseller_domain::*;
use uuid::Uuid;

pub(crate) use reseller_contract::fixture::*;

pub(crate) fn now() -> Timestamp {
    Timestamp::parse_rfc3339("2026-01-01T00:00:00.000Z").unwrap()
}

pub(crate) fn later(ms: i64) -> Timestamp {
    now().plus_millis(ms)
}

/// The standard world, every site created at [`now`].
pub(crate) fn world() -> World {
    reseller_contract::fixture::world(now())
}

/// `account` acting through a key of [`MAIN`].
pub(crate) fn caller(account: AccountId) -> Caller {
    Caller {
        key_account: MAIN,
        account,
    }
}

/// A sequential id source starting at `0xF000_0000`.
pub(crate) struct Ids(u128);
impl Ids {
    pub(crate) fn new() -> Self {
        Ids(0xF000_0000)
    }
    pub(crate) fn next(&mut self) -> Uuid {
        self.0 += 1;
        Uuid::from_u128(self.0)
    }
}

/// Applies a successful operation to the world and returns its answer.
pub(crate) fn apply<T>(w: &mut World, done: Result<Done<T>, Refusal>) -> T {
    let done = done.unwrap_or_else(|r| panic!("refused: {r}"));
    w.apply(&done.changes);
    done.answer
}

/// Creates a package for `account` and stores it.
pub(crate) fn buy(
    w: &mut World,
    ids: &mut Ids,
    account: AccountId,
    products: Vec<NewInstance>,
) -> Package {
    let r = reseller_domain::ops::create_package(
        &*w,
        &caller(account),
        &create(products),
        now(),
        &mut || ids.next(),
    );
    apply(w, r)
}

/// The codes of a refusal, in order.
pub(crate) fn codes(r: &Refusal) -> Vec<&'static str> {
    r.all().map(|v| leak(v.code().as_str())).collect()
}

fn leak(s: &str) -> &'static str {
    Box::leak(s.to_owned().into_boxed_str())
}
