//! The engine: one world behind a read-write lock, and what every call shares: the
//! builder, the write transaction (`Tx`: provisioning, key expiry, the journal),
//! reads that wait for durability, authorization of the API key and header
//! account, and keyed mutations remembered for 24 hours. The calls themselves
//! live in the child modules, one per surface: `packages` (the Resellers API),
//! `transfer_accounts_sites` (the other Wix APIs) and `control` (seeding and the
//! emulator's control calls).

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::{Arc, RwLock, RwLockReadGuard, RwLockWriteGuard};

use reseller_domain::auth::{self, Caller, Grant, Scope, UnknownAccount, Visibility};
use reseller_domain::idempotency::{Decision, KeyScope, Record, decide};
use reseller_domain::ops::{
    self, AccountInfo, Adjust, ChildAccounts, CreatePackage, Done, NewSubAccount, SiteTransfer,
};
use reseller_domain::query::{CursorKey, PackageQuery};
use reseller_domain::sites::{SiteCount, SiteRow};
use reseller_domain::world::{Account, CatalogProduct, Site, WorldView};
use reseller_domain::{
    AccountId, ErrorCode, ExternalId, FieldViolation, IdempotencyKey, InstanceId, InstanceStatus,
    Package, PackageId, Refusal, RuleType, SiteId, Timestamp, Violation,
};
use reseller_ports::{
    ApiKey, ChildAccountsPaging, Clock, ErrorKind, IdGenerator, NewSite, PackagesPage, PortError,
    Provisioning, RandomIds, SiteInfo, SitesPage, SitesQuery, SystemClock,
};
use reseller_wire::{AdjustRequest, CreatePackageRequest};

use crate::journal::{Journal, Op, StoreError};
use crate::state::{Answer, State};
use crate::{query, sites};

mod control;
mod packages;
mod transfer_accounts_sites;

/// The operation names idempotency keys are scoped to (one per method and route).
pub(crate) mod opname {
    /// Create Package V2.
    pub(crate) const CREATE: &str = "create-package";
    /// The v1 Create Package Wix removed: records of it in a store written
    /// before are skipped on open (no call can replay them).
    pub(crate) const REMOVED_CREATE_V1: &str = "create-package-v1";
    /// Cancel Package.
    pub(crate) const CANCEL_PACKAGE: &str = "cancel-package";
    /// Assign Product Instance To Site.
    pub(crate) const ASSIGN: &str = "assign-instance";
    /// Unassign Product Instance From Site.
    pub(crate) const UNASSIGN: &str = "unassign-instance";
    /// Cancel Product Instance.
    pub(crate) const CANCEL_INSTANCE: &str = "cancel-instance";
    /// Adjust Product Instance Specifications.
    pub(crate) const ADJUST: &str = "adjust-instance";
    /// Update Package External Id.
    pub(crate) const EXTERNAL_ID: &str = "update-external-id";
    /// Transfer Site.
    pub(crate) const TRANSFER: &str = "transfer-site";
    /// Create Account.
    pub(crate) const CREATE_ACCOUNT: &str = "create-account";
    /// Every operation, for reading records back from the store.
    pub(crate) const ALL: [&str; 9] = [
        CREATE,
        CANCEL_PACKAGE,
        ASSIGN,
        UNASSIGN,
        CANCEL_INSTANCE,
        ADJUST,
        EXTERNAL_ID,
        TRANSFER,
        CREATE_ACCOUNT,
    ];
}

/// How a caller identifies itself: an API key and the `wix-account-id` it names.
#[derive(Debug, Clone, Copy)]
pub struct Credentials<'a> {
    /// The API key.
    pub key: &'a ApiKey,
    /// The `wix-account-id` header.
    pub account: AccountId,
}

/// Builds a [`MemoryWix`]: the clock, the id source, and durability.
#[derive(Default)]
pub struct MemoryWixBuilder {
    clock: Option<Arc<dyn Clock>>,
    ids: Option<Arc<dyn IdGenerator>>,
    store_limit: Option<u64>,
}

impl std::fmt::Debug for MemoryWixBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MemoryWixBuilder")
            .field("clock", &self.clock.is_some())
            .field("ids", &self.ids.is_some())
            .field("store_limit", &self.store_limit)
            .finish()
    }
}

impl MemoryWixBuilder {
    /// Uses `clock` for every date (default: the system clock).
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = Some(clock);
        self
    }

    /// Uses `ids` for every new id, key and cursor secret (default: random).
    pub fn ids(mut self, ids: Arc<dyn IdGenerator>) -> Self {
        self.ids = Some(ids);
        self
    }

    /// Caps the durable store's database file at about `bytes` (SQLite's
    /// `max_page_count`): a commit that would grow it further fails as on a full
    /// disk. For tests of a full disk without root, and to bound the store.
    pub fn store_size_limit(mut self, bytes: u64) -> Self {
        self.store_limit = Some(bytes);
        self
    }

    fn parts(self) -> (Arc<dyn Clock>, Arc<dyn IdGenerator>) {
        (
            self.clock.unwrap_or_else(|| Arc::new(SystemClock)),
            self.ids.unwrap_or_else(|| Arc::new(RandomIds)),
        )
    }

    /// An empty in-memory Wix (nothing survives the process).
    pub fn build(self) -> MemoryWix {
        let (clock, ids) = self.parts();
        let state = State::new(new_cursor_key(ids.as_ref()), clock.now());
        MemoryWix::from_parts(state, clock, ids, None)
    }

    /// A durable Wix stored under `path` (a SQLite database in WAL mode, created
    /// when absent): every accepted change is committed to it before the call
    /// answers, and opening the same path again restores the state.
    ///
    /// # Errors
    /// The store cannot be opened or holds a state this version cannot read.
    pub fn open(self, path: impl AsRef<Path>) -> Result<MemoryWix, StoreError> {
        let limit = self.store_limit;
        let (clock, ids) = self.parts();
        let fresh_key = new_cursor_key(ids.as_ref());
        let (journal, state) = Journal::open(path.as_ref(), fresh_key, clock.now(), limit)?;
        Ok(MemoryWix::from_parts(state, clock, ids, Some(journal)))
    }
}

fn new_cursor_key(ids: &dyn IdGenerator) -> CursorKey {
    CursorKey::new(*ids.new_id().as_bytes())
}

/// The in-memory Wix: every port of `reseller-ports` with Wix's rules, status codes
/// and error codes, shared cheaply (`Clone`) across tasks and threads.
#[derive(Clone)]
pub struct MemoryWix {
    pub(crate) inner: Arc<Inner>,
}

impl std::fmt::Debug for MemoryWix {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MemoryWix")
            .field("durable", &self.inner.journal.is_some())
            .finish_non_exhaustive()
    }
}

pub(crate) struct Inner {
    /// The whole world. One lock for everything: an operation reads several tables
    /// (accounts, sites, catalog, packages, keys) and must see them consistent,
    /// and every write is short (a pure domain operation and an index update), so
    /// finer locks would buy little and risk a torn read. A `std` lock, not an
    /// async one: it is never held across an `.await` (see [`MemoryWix::write`]).
    state: RwLock<State>,
    clock: Arc<dyn Clock>,
    ids: Arc<dyn IdGenerator>,
    journal: Option<Journal>,
}

/// A write in progress: the state under the write lock, the instant of the call,
/// and what to journal.
pub(crate) struct Tx<'a> {
    pub(crate) st: &'a mut State,
    pub(crate) now: Timestamp,
    log: Option<Vec<Op>>,
}

impl Tx<'_> {
    /// Records `op` for the journal (durable mode only).
    pub(crate) fn log(&mut self, op: impl FnOnce() -> Op) {
        if let Some(log) = &mut self.log {
            log.push(op());
        }
    }

    /// Stores an operation's changes (and schedules provisioning of new instances).
    pub(crate) fn apply(&mut self, changes: ops::Changes) {
        for p in &changes.packages {
            let known = self.st.packages.contains_key(&p.id());
            if !known {
                for i in p.instances() {
                    if State::is_pending(i.status()) {
                        self.st.schedule(i.id(), i.created());
                    }
                }
            }
        }
        if let Some(log) = &mut self.log {
            log.extend(changes.accounts.iter().cloned().map(Op::Account));
            log.extend(changes.sites.iter().cloned().map(Op::Site));
            log.extend(changes.packages.iter().cloned().map(Op::Package));
        }
        let premium_before = crate::domains::premium_sites_touched(self.st, &changes);
        self.st.apply(changes);
        self.disconnect_lost(premium_before);
    }

    /// Enables every instance whose automatic provisioning is due.
    fn provision(&mut self) {
        for id in self.st.take_due(self.now) {
            if let Ok(done) =
                ops::set_instance_status(&*self.st, id, InstanceStatus::Enabled, self.now)
            {
                self.apply(done.changes);
            }
        }
    }

    /// Cancels every live instance whose `expirationDate` has come, and floats
    /// what required it (the domain's `expire_instance`), earliest first.
    fn expire_instances(&mut self) {
        for id in self.st.expired_at(self.now) {
            if let Ok(done) = ops::expire_instance(&*self.st, id, self.now) {
                self.apply(done.changes);
            }
        }
    }

    /// Forgets idempotency records past their 24 hours.
    fn expire(&mut self) {
        for scope in self.st.expire_keys(self.now) {
            self.log(|| Op::ForgetKey(scope));
        }
    }
}

fn unauthenticated() -> PortError {
    PortError::from_answer(
        401,
        ErrorCode::Unauthenticated,
        "The API key is missing or unknown.",
    )
}

pub(crate) fn grant_of(st: &State, key: &ApiKey) -> Result<Grant, PortError> {
    st.keys
        .get(key.expose())
        .cloned()
        .ok_or_else(unauthenticated)
}

fn authorize(
    st: &State,
    cred: Credentials<'_>,
    scope: Scope,
    unknown: UnknownAccount,
) -> Result<Caller, PortError> {
    let grant = grant_of(st, cred.key)?;
    auth::authorize(st, &grant, cred.account, scope, unknown).map_err(PortError::from)
}

fn conflict(code: &str, message: String) -> PortError {
    PortError::from_answer(
        409,
        ErrorCode::Other {
            code: code.to_owned(),
            status: 409,
        },
        message,
    )
}

fn field_error(field: &str, rule: RuleType, description: String) -> PortError {
    PortError::from(Violation::field(field, rule, description))
}

impl MemoryWix {
    /// A builder (clock, ids, durability).
    pub fn builder() -> MemoryWixBuilder {
        MemoryWixBuilder::default()
    }

    /// An empty in-memory Wix on the system clock with random ids.
    pub fn new() -> Self {
        Self::builder().build()
    }

    fn from_parts(
        state: State,
        clock: Arc<dyn Clock>,
        ids: Arc<dyn IdGenerator>,
        journal: Option<Journal>,
    ) -> Self {
        Self {
            inner: Arc::new(Inner {
                state: RwLock::new(state),
                clock,
                ids,
                journal,
            }),
        }
    }

    /// Whether changes are journaled to a store.
    pub fn is_durable(&self) -> bool {
        self.inner.journal.is_some()
    }

    // A poisoned lock is taken over rather than failing every later call: a
    // panic cannot leave the state half-written, because operations compute their
    // `Changes` without the state being touched and `State::apply` only inserts
    // finished values (the `invariant_violations` check proves the indexes agree).
    fn read_lock(&self) -> RwLockReadGuard<'_, State> {
        self.inner.state.read().unwrap_or_else(|e| e.into_inner())
    }

    fn write_lock(&self) -> RwLockWriteGuard<'_, State> {
        self.inner.state.write().unwrap_or_else(|e| e.into_inner())
    }

    fn now_for(&self, st: &State) -> Timestamp {
        let now = self.inner.clock.now().plus_millis(st.clock_offset);
        now.max(st.now_floor)
    }

    /// A fresh id from the configured generator (for records seeded from outside).
    pub fn new_uuid(&self) -> uuid::Uuid {
        self.inner.ids.new_id()
    }

    /// Runs `f` under the write lock, after provisioning and key expiry, then
    /// journals what it changed and waits until that is durable. A refusal still
    /// journals the provisioning that ran before it.
    pub(crate) async fn write<T>(
        &self,
        f: impl FnOnce(&mut Tx<'_>) -> Result<T, PortError>,
    ) -> Result<T, PortError> {
        // The block holds the write lock; it ends before the `.await` below, so no
        // task ever waits for the disk while holding the world.
        let (result, seq) = {
            let mut guard = self.write_lock();
            // Checked under the lock: once a commit has failed, no write that
            // queues after it may answer from the world it left in memory.
            self.store_failed()?;
            let now = self.now_for(&guard);
            guard.now_floor = now;
            let mut tx = Tx {
                st: &mut guard,
                now,
                log: self.inner.journal.as_ref().map(|_| Vec::new()),
            };
            tx.provision();
            tx.expire_instances();
            tx.settle_domains();
            tx.expire();
            let result = f(&mut tx);
            let log = tx.log.take();
            // A call that changed nothing (a replay, a refusal) still answers from
            // what earlier calls wrote: it waits until all of that is durable, so a
            // replayed answer never goes out before the write it replays.
            let seq = match (&self.inner.journal, log) {
                (Some(journal), Some(log)) if !log.is_empty() => {
                    // Submitted while the write lock is still held: batches reach
                    // the committer in the order they were applied to the world,
                    // and `applied_seq` (what a reader may have seen) moves with
                    // them.
                    let seq = journal.submit(log, now);
                    guard.applied_seq = seq;
                    seq
                }
                _ => guard.applied_seq,
            };
            (result, seq)
        };
        // Waiting outside the lock lets other writers apply and queue meanwhile:
        // the committer then takes all of their batches in one transaction (one
        // sync to disk for many calls), which is the group commit.
        if let Some(journal) = &self.inner.journal {
            journal.wait(seq).await?;
        }
        result
    }

    /// `UNAVAILABLE` (503) once a commit of the durable store has failed: from then
    /// on no call answers from the world in memory, which may hold the failed
    /// write (reopening the store restores the last committed state).
    fn store_failed(&self) -> Result<(), PortError> {
        match &self.inner.journal {
            Some(journal) => journal.healthy(),
            None => Ok(()),
        }
    }

    /// Runs `f` under the read lock (after any due provisioning), then waits until
    /// everything it may have seen is durable.
    pub(crate) async fn read<T>(
        &self,
        f: impl FnOnce(&State, Timestamp) -> Result<T, PortError>,
    ) -> Result<T, PortError> {
        self.store_failed()?;
        let due = {
            let st = self.read_lock();
            let now = self.now_for(&st);
            st.has_due(now)
                || st.has_expiring(now)
                || st.has_expired_keys(now)
                || st.domains.has_unsettled(now)
        };
        // A read lock cannot be upgraded: when provisioning or key expiry is due,
        // an empty write runs it (the write re-checks under its own lock, and both
        // are idempotent, so a race with another caller does no harm). Reads then
        // never change the world.
        if due {
            self.write(|_| Ok(())).await?;
        }
        // `applied_seq` is read under the same lock as the answer: the answer may
        // show a write whose batch is not yet on disk, so the read waits for that
        // batch too (nothing is answered before it is durable, reads included).
        let (result, seq) = {
            let st = self.read_lock();
            let now = self.now_for(&st);
            (f(&st, now), st.applied_seq)
        };
        if let Some(journal) = &self.inner.journal {
            journal.wait(seq).await?;
        }
        result
    }

    /// A read on behalf of `cred`: authorizes the key for `scope` on the header
    /// account (an unknown account is `ACCOUNT_NOT_FOUND`), then runs `f`.
    async fn read_as<T>(
        &self,
        cred: Credentials<'_>,
        scope: Scope,
        f: impl FnOnce(&State, &Caller) -> Result<T, PortError>,
    ) -> Result<T, PortError> {
        self.read(|st, _| {
            let caller = authorize(st, cred, scope, UnknownAccount::AccountNotFound)?;
            f(st, &caller)
        })
        .await
    }

    /// A keyed mutation: replays the remembered answer for the same request, refuses
    /// another request under the same key, or applies `f` and remembers its answer.
    async fn keyed(
        &self,
        cred: Credentials<'_>,
        scope: Scope,
        unknown: UnknownAccount,
        key: Option<(&'static str, &IdempotencyKey, Vec<u8>)>,
        f: impl FnOnce(
            &State,
            &Caller,
            Timestamp,
            &dyn IdGenerator,
        ) -> Result<(Answer, ops::Changes), Refusal>,
    ) -> Result<Answer, PortError> {
        let ids = self.inner.ids.clone();
        self.write(|tx| {
            let caller = authorize(tx.st, cred, scope, unknown)?;
            let keyed = key.map(|(operation, key, request)| {
                (
                    KeyScope {
                        account: cred.account,
                        operation,
                        key: key.clone(),
                    },
                    request,
                )
            });
            if let Some((scope, request)) = &keyed {
                match decide(scope, tx.st.idem.get(scope), request, tx.now)? {
                    Decision::Replay(answer) => return Ok(answer),
                    Decision::Apply => {}
                }
            }
            let (answer, changes) = f(tx.st, &caller, tx.now, ids.as_ref())?;
            tx.apply(changes);
            if let Some((scope, request)) = keyed {
                let record = Record {
                    request,
                    answer: answer.clone(),
                    at: tx.now,
                };
                tx.log(|| Op::RememberKey(scope.clone(), record.clone()));
                tx.st.remember(scope, record);
            }
            Ok(answer)
        })
        .await
    }

    /// Waits until every change made so far is durable (at once in memory). Call
    /// it after reading the world through a synchronous accessor ([`Self::export`],
    /// [`Self::accounts`], ...) and before answering from what was read: it fails
    /// when what was read may not be durable.
    ///
    /// # Errors
    /// The store failed (`UNAVAILABLE`, 503).
    pub async fn flush(&self) -> Result<(), PortError> {
        self.store_failed()?;
        let seq = self.read_lock().applied_seq;
        match &self.inner.journal {
            Some(j) => j.wait(seq).await,
            None => Ok(()),
        }
    }

    /// Runs `f` on a consistent snapshot of the whole world (for checks and export).
    pub(crate) fn with_state<T>(&self, f: impl FnOnce(&State) -> T) -> T {
        f(&self.read_lock())
    }

    /// Replaces the whole world with `state` (import).
    pub(crate) async fn replace_state(
        &self,
        build: impl FnOnce(Timestamp, CursorKey) -> Result<State, PortError>,
    ) -> Result<(), PortError> {
        let key = new_cursor_key(self.inner.ids.as_ref());
        self.write(|tx| {
            let mut next = build(tx.now, key.clone())?;
            next.clock_offset = tx.st.clock_offset;
            next.now_floor = tx.st.now_floor;
            let mode = next.provisioning;
            next.set_provisioning(mode);
            *tx.st = next;
            if tx.log.is_some() {
                let ops = crate::journal::full_image(tx.st);
                let clock_offset = tx.st.clock_offset;
                tx.log(|| Op::Reset {
                    cursor_key: key.clone(),
                    clock_offset,
                });
                for op in ops {
                    tx.log(|| op);
                }
            }
            Ok(())
        })
        .await
    }
}

impl Default for MemoryWix {
    fn default() -> Self {
        Self::new()
    }
}

/// A remembered answer of another kind than the operation gives: only possible if
/// a store was edited by hand, since keys are scoped by operation.
fn mismatch(answer: &Answer) -> PortError {
    let kind = match answer {
        Answer::Package(_) => "a package",
        Answer::Transfer(_) => "a site transfer",
        Answer::Account(_) => "an account",
    };
    PortError::transport(
        ErrorKind::Unexpected,
        format!("the idempotency record of this key holds {kind}, not this operation's answer"),
    )
}

/// The field violation of a bad seed value, for the control surfaces.
pub(crate) fn seed_violation(field: &str, description: String) -> PortError {
    PortError::from(Violation::InvalidFields(vec![FieldViolation::new(
        field,
        RuleType::Validation,
        description,
    )]))
}
