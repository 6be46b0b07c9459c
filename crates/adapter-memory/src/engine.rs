//! The engine: one world behind a read-write lock. Every call authenticates its API
//! key, authorizes the header account, runs the domain's pure operation against the
//! state, stores the changes (and, in durable mode, journals them before the answer
//! goes out), and remembers keyed mutations for 24 hours.

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

    // ----- the Resellers API --------------------------------------------------

    /// Create Package (V2).
    ///
    /// # Errors
    /// See `ResellerPackages::create_package`; `UNAUTHENTICATED` (401) for an
    /// unknown key, `PERMISSION_DENIED` (403) for a key that may not act on the
    /// account.
    pub async fn create_package(
        &self,
        cred: Credentials<'_>,
        key: Option<&IdempotencyKey>,
        request: &CreatePackage,
    ) -> Result<Package, PortError> {
        let op = opname::CREATE;
        let key = key.map(|k| {
            (
                op,
                k,
                fingerprint_json(&CreatePackageRequest::from_domain(request, None)),
            )
        });
        let answer = self
            .keyed(
                cred,
                Scope::PackagesManage,
                UnknownAccount::AccountNotFound,
                key,
                |st, caller, now, ids| {
                    let mut new_id = || ids.new_id();
                    package_answer(ops::create_package(st, caller, request, now, &mut new_id))
                },
            )
            .await?;
        expect_package(answer)
    }

    /// Get Package.
    ///
    /// # Errors
    /// `PACKAGE_NOT_FOUND` (404) when unknown or owned by another account; the
    /// authentication errors.
    pub async fn get_package(
        &self,
        cred: Credentials<'_>,
        id: PackageId,
    ) -> Result<Package, PortError> {
        self.read_as(cred, Scope::PackagesRead, |st, caller| {
            Ok(ops::get_package(st, caller, id)?.clone())
        })
        .await
    }

    /// Query Packages: one page, as the caller's key may see them.
    ///
    /// # Errors
    /// `INVALID_CURSOR`, `INVALID_QUERY`; the authentication errors.
    pub async fn query_packages(
        &self,
        cred: Credentials<'_>,
        q: &PackageQuery,
    ) -> Result<PackagesPage, PortError> {
        self.read_as(cred, Scope::PackagesRead, |st, caller| {
            let visibility = Visibility::of(st, caller);
            let page =
                query::run(st, visibility, q).map_err(|e| PortError::from(Violation::from(e)))?;
            Ok(PackagesPage {
                packages: page.packages.into_iter().cloned().collect(),
                next_cursor: page.next_cursor,
                prev_cursor: page.prev_cursor,
                total: page.total,
                offset: page.offset,
            })
        })
        .await
    }

    async fn package_op(
        &self,
        cred: Credentials<'_>,
        key: Option<(&'static str, &IdempotencyKey, Vec<u8>)>,
        f: impl FnOnce(&State, &Caller, Timestamp) -> Result<Done<Package>, Refusal>,
    ) -> Result<Package, PortError> {
        let answer = self
            .keyed(
                cred,
                Scope::PackagesManage,
                UnknownAccount::AccountNotFound,
                key,
                |st, caller, now, _| package_answer(f(st, caller, now)),
            )
            .await?;
        expect_package(answer)
    }

    /// Cancel Package.
    ///
    /// # Errors
    /// `PACKAGE_NOT_FOUND`; `IDEMPOTENCY_KEY_REUSED`; the authentication errors.
    pub async fn cancel_package(
        &self,
        cred: Credentials<'_>,
        key: Option<&IdempotencyKey>,
        id: PackageId,
    ) -> Result<Package, PortError> {
        let key = key.map(|k| (opname::CANCEL_PACKAGE, k, id.to_string().into_bytes()));
        self.package_op(cred, key, |st, c, now| ops::cancel_package(st, c, id, now))
            .await
    }

    /// Assign Product Instance To Site.
    ///
    /// # Errors
    /// See `ResellerPackages::assign_instance`.
    pub async fn assign_instance(
        &self,
        cred: Credentials<'_>,
        key: Option<&IdempotencyKey>,
        instance: InstanceId,
        site: SiteId,
    ) -> Result<Package, PortError> {
        let key = key.map(|k| (opname::ASSIGN, k, format!("{instance}/{site}").into_bytes()));
        self.package_op(cred, key, |st, c, now| {
            ops::assign_instance(st, c, instance, site, now)
        })
        .await
    }

    /// Unassign Product Instance From Site.
    ///
    /// # Errors
    /// `PRODUCT_INSTANCE_NOT_FOUND`; `IDEMPOTENCY_KEY_REUSED`; the authentication errors.
    pub async fn unassign_instance(
        &self,
        cred: Credentials<'_>,
        key: Option<&IdempotencyKey>,
        instance: InstanceId,
    ) -> Result<Package, PortError> {
        let key = key.map(|k| (opname::UNASSIGN, k, instance.to_string().into_bytes()));
        self.package_op(cred, key, |st, c, now| {
            ops::unassign_instance(st, c, instance, now)
        })
        .await
    }

    /// Cancel Product Instance.
    ///
    /// # Errors
    /// `PRODUCT_INSTANCE_NOT_FOUND`; `IDEMPOTENCY_KEY_REUSED`; the authentication errors.
    pub async fn cancel_instance(
        &self,
        cred: Credentials<'_>,
        key: Option<&IdempotencyKey>,
        instance: InstanceId,
    ) -> Result<Package, PortError> {
        let key = key.map(|k| {
            (
                opname::CANCEL_INSTANCE,
                k,
                instance.to_string().into_bytes(),
            )
        });
        self.package_op(cred, key, |st, c, now| {
            ops::cancel_instance(st, c, instance, now)
        })
        .await
    }

    /// Adjust Product Instance Specifications.
    ///
    /// # Errors
    /// See `ResellerPackages::adjust_instance`.
    pub async fn adjust_instance(
        &self,
        cred: Credentials<'_>,
        key: Option<&IdempotencyKey>,
        instance: InstanceId,
        request: &Adjust,
    ) -> Result<Package, PortError> {
        let key = key.map(|k| {
            let mut print = instance.to_string().into_bytes();
            print.extend(fingerprint_json(&AdjustRequest::from_domain(request, None)));
            (opname::ADJUST, k, print)
        });
        self.package_op(cred, key, |st, c, now| {
            ops::adjust_instance(st, c, instance, request, now)
        })
        .await
    }

    /// Update Package External Id.
    ///
    /// # Errors
    /// `PACKAGE_NOT_FOUND`; the authentication errors.
    pub async fn update_external_id(
        &self,
        cred: Credentials<'_>,
        key: Option<&IdempotencyKey>,
        id: PackageId,
        external_id: &ExternalId,
    ) -> Result<Package, PortError> {
        let key = key.map(|k| {
            (
                opname::EXTERNAL_ID,
                k,
                format!("{id}/{}", external_id.as_str()).into_bytes(),
            )
        });
        self.package_op(cred, key, |st, c, now| {
            ops::update_external_id(st, c, id, external_id.clone(), now)
        })
        .await
    }

    // ----- Transfer, Accounts, Sites ------------------------------------------

    /// Transfer Site to the header account.
    ///
    /// # Errors
    /// See `SiteTransfers::transfer_site`.
    pub async fn transfer_site(
        &self,
        cred: Credentials<'_>,
        key: Option<&IdempotencyKey>,
        transfer: &SiteTransfer,
    ) -> Result<SiteTransfer, PortError> {
        let key = key.map(|k| {
            let print = format!(
                "{}/{}/{}",
                transfer.site, transfer.source_account, transfer.enable_notifications
            );
            (opname::TRANSFER, k, print.into_bytes())
        });
        let answer = self
            .keyed(
                cred,
                Scope::SiteTransfer,
                UnknownAccount::TargetAccountNotFound,
                key,
                |st, caller, now, _| {
                    let done = ops::transfer_site(st, caller, transfer, now)?;
                    Ok((Answer::Transfer(done.answer), done.changes))
                },
            )
            .await?;
        match answer {
            Answer::Transfer(t) => Ok(t),
            other => Err(mismatch(&other)),
        }
    }

    /// Create Account: a sub-account of the header account.
    ///
    /// # Errors
    /// See `Accounts::create_sub_account`.
    pub async fn create_sub_account(
        &self,
        cred: Credentials<'_>,
        key: Option<&IdempotencyKey>,
        request: &NewSubAccount,
    ) -> Result<AccountId, PortError> {
        let key = key.map(|k| {
            (
                opname::CREATE_ACCOUNT,
                k,
                request.email.clone().into_bytes(),
            )
        });
        let answer = self
            .keyed(
                cred,
                Scope::AccountsManage,
                UnknownAccount::AccountNotFound,
                key,
                |st, caller, _, ids| {
                    let mut new_id = || ids.new_id();
                    let done = ops::create_sub_account(st, caller, request, &mut new_id)?;
                    Ok((Answer::Account(done.answer), done.changes))
                },
            )
            .await?;
        match answer {
            Answer::Account(a) => Ok(a),
            other => Err(mismatch(&other)),
        }
    }

    /// List Child Accounts of the header account.
    ///
    /// # Errors
    /// See `Accounts::list_child_accounts`.
    pub async fn list_child_accounts(
        &self,
        cred: Credentials<'_>,
        paging: ChildAccountsPaging,
    ) -> Result<ChildAccounts, PortError> {
        self.read_as(cred, Scope::AccountsManage, |st, caller| {
            Ok(ops::list_child_accounts(
                st,
                caller,
                paging.offset,
                paging.limit,
            )?)
        })
        .await
    }

    /// Query Sites of the header account.
    ///
    /// # Errors
    /// See `Sites::query_sites`.
    pub async fn query_sites(
        &self,
        cred: Credentials<'_>,
        q: &SitesQuery,
    ) -> Result<SitesPage, PortError> {
        self.read_as(cred, Scope::AccountsManage, |st, caller| {
            sites::query(st, caller.account, q)
        })
        .await
    }

    /// Count Sites of the header account.
    ///
    /// # Errors
    /// See `Sites::count_sites`.
    pub async fn count_sites(
        &self,
        cred: Credentials<'_>,
        c: &SiteCount,
    ) -> Result<u64, PortError> {
        self.read_as(cred, Scope::AccountsManage, |st, caller| {
            Ok(sites::count(st, caller.account, c))
        })
        .await
    }

    /// Get Account.
    ///
    /// # Errors
    /// See `Accounts::get_account`.
    pub async fn get_account(
        &self,
        cred: Credentials<'_>,
        id: AccountId,
    ) -> Result<AccountInfo, PortError> {
        self.read_as(cred, Scope::AccountsManage, |st, caller| {
            Ok(ops::get_account(st, caller, id)?)
        })
        .await
    }

    /// Whether `key` is a known API key: the emulator answers 401 before it reads the
    /// `wix-account-id` header or the body.
    ///
    /// # Errors
    /// `UNAUTHENTICATED` (401) for an unknown key.
    pub fn authenticate(&self, key: &ApiKey) -> Result<(), PortError> {
        grant_of(&self.read_lock(), key).map(drop)
    }

    /// One site as Query Sites describes it, if it exists (for checks).
    pub async fn site_info(&self, id: SiteId) -> Option<SiteInfo> {
        let st = self.read_lock();
        st.sites
            .get(&id)
            .map(|s| sites::info(&SiteRow::of(&*st, s), &sites::owner_slug(&st, s.owner)))
    }

    // ----- seeding and control -------------------------------------------------

    /// Adds an account. A sub-account's parent must exist and be a main account.
    ///
    /// # Errors
    /// `ALREADY_EXISTS` (409) for a known id; a field violation on
    /// `parentAccountId` for an unknown parent or a parent that is a sub-account.
    pub async fn add_account(&self, account: Account) -> Result<Account, PortError> {
        self.write(|tx| {
            if tx.st.accounts.contains_key(&account.id) {
                return Err(conflict(
                    "ALREADY_EXISTS",
                    format!("Account `{}` already exists.", account.id),
                ));
            }
            if let Some(parent) = account.parent {
                match tx.st.account(parent) {
                    None => {
                        return Err(field_error(
                            "parentAccountId",
                            RuleType::Validation,
                            format!("no account `{parent}`"),
                        ));
                    }
                    Some(p) if p.parent.is_some() => {
                        return Err(field_error(
                            "parentAccountId",
                            RuleType::Validation,
                            format!("`{parent}` is a sub-account; sub-accounts are one level deep"),
                        ));
                    }
                    Some(_) => {}
                }
            }
            tx.apply(ops::Changes {
                accounts: vec![account.clone()],
                ..ops::Changes::default()
            });
            Ok(account)
        })
        .await
    }

    /// Adds a site of an existing account.
    ///
    /// # Errors
    /// `ACCOUNT_NOT_FOUND` (404) for an unknown owner; `ALREADY_EXISTS` (409) for a
    /// known site id.
    pub async fn add_site(&self, site: &NewSite) -> Result<Site, PortError> {
        let fresh = SiteId::from_uuid(self.new_uuid());
        self.write(|tx| {
            if tx.st.account(site.account).is_none() {
                return Err(Violation::AccountNotFound {
                    account: site.account,
                }
                .into());
            }
            let id = site.id.unwrap_or(fresh);
            if tx.st.sites.contains_key(&id) {
                return Err(conflict(
                    "ALREADY_EXISTS",
                    format!("Site `{id}` already exists."),
                ));
            }
            let name = if site.name.is_empty() {
                let text = id.to_string();
                format!("site-{}", text.get(..8).unwrap_or(&text))
            } else {
                site.name.clone()
            };
            let site = Site {
                id,
                owner: site.account,
                name,
                external_paid_services: site.external_paid_services.clone(),
                created: site.created.unwrap_or(tx.now),
                updated: site.created.unwrap_or(tx.now),
                details: site.details.clone(),
            };
            tx.apply(ops::Changes {
                sites: vec![site.clone()],
                ..ops::Changes::default()
            });
            Ok(site)
        })
        .await
    }

    /// Adds or replaces a catalog product.
    ///
    /// # Errors
    /// A field violation on `billingCycles` when it is empty.
    pub async fn add_product(&self, product: CatalogProduct) -> Result<CatalogProduct, PortError> {
        if product.billing_cycles.is_empty() {
            return Err(field_error(
                "billingCycles",
                RuleType::MinSize,
                "a product needs at least one billing cycle".to_owned(),
            ));
        }
        self.write(|tx| {
            tx.log(|| Op::Product(product.clone()));
            tx.st.catalog.insert(product.id, product.clone());
            Ok(product)
        })
        .await
    }

    /// Puts `(source, target)` on the transfer allow-list.
    ///
    /// # Errors
    /// `ACCOUNT_NOT_FOUND` (404) when either account is unknown.
    pub async fn allow_transfer(
        &self,
        source: AccountId,
        target: AccountId,
    ) -> Result<(), PortError> {
        self.write(|tx| {
            for a in [source, target] {
                if tx.st.account(a).is_none() {
                    return Err(Violation::AccountNotFound { account: a }.into());
                }
            }
            if tx.st.allowed.insert((source, target)) {
                tx.log(|| Op::Transfer(source, target));
            }
            Ok(())
        })
        .await
    }

    /// Creates an API key of `account` with `scopes` (`None`: every scope), or
    /// registers `text` as that key when given.
    ///
    /// # Errors
    /// `ACCOUNT_NOT_FOUND` (404) for an unknown account; `ALREADY_EXISTS` (409) when
    /// the given key text is taken by another account.
    pub async fn add_api_key(
        &self,
        account: AccountId,
        scopes: Option<BTreeSet<Scope>>,
        text: Option<&str>,
    ) -> Result<ApiKey, PortError> {
        let generated = format!("emk_{}", self.new_uuid().simple());
        let text = text.map(str::to_owned).unwrap_or(generated);
        if text.is_empty() {
            return Err(field_error(
                "key",
                RuleType::MinLength,
                "an API key cannot be empty".to_owned(),
            ));
        }
        let grant = Grant {
            account,
            scopes: scopes.unwrap_or_else(|| Scope::ALL.into_iter().collect()),
        };
        self.write(|tx| {
            if tx.st.account(account).is_none() {
                return Err(Violation::AccountNotFound { account }.into());
            }
            if tx.st.keys.get(&text).is_some_and(|g| g.account != account) {
                return Err(conflict(
                    "ALREADY_EXISTS",
                    "This API key is already registered.".to_owned(),
                ));
            }
            tx.log(|| Op::Key(text.clone(), grant.clone()));
            tx.st.keys.insert(text.clone(), grant);
            Ok(ApiKey::new(text))
        })
        .await
    }

    /// Chooses how new instances leave `PENDING`.
    ///
    /// # Errors
    /// Only the durable store's errors.
    pub async fn set_provisioning(&self, mode: Provisioning) -> Result<(), PortError> {
        self.write(|tx| {
            tx.st.set_provisioning(mode);
            tx.log(|| Op::Provisioning(mode));
            Ok(())
        })
        .await
    }

    /// The provisioning mode in effect.
    pub fn provisioning(&self) -> Provisioning {
        self.read_lock().provisioning
    }

    /// Moves an instance as Wix's provisioning would; answers its package.
    ///
    /// # Errors
    /// `PRODUCT_INSTANCE_NOT_FOUND`; `ILLEGAL_STATUS_TRANSITION` (409).
    pub async fn set_instance_status(
        &self,
        instance: InstanceId,
        status: InstanceStatus,
    ) -> Result<Package, PortError> {
        self.write(|tx| {
            let done = ops::set_instance_status(&*tx.st, instance, status, tx.now)?;
            tx.apply(done.changes);
            Ok(done.answer)
        })
        .await
    }

    /// A failed move as Wix may leave it (the emulator's `leaveFloating` fault):
    /// when `instance` belongs to `account` and sits on a site other than `target`,
    /// it becomes floating (dependents follow) and its package is answered;
    /// otherwise (floating, or already on `target`: not a move) nothing changes
    /// (`None`).
    ///
    /// # Errors
    /// `PRODUCT_INSTANCE_NOT_FOUND` for an instance that is not `account`'s.
    pub async fn leave_floating(
        &self,
        account: AccountId,
        instance: InstanceId,
        target: SiteId,
    ) -> Result<Option<Package>, PortError> {
        self.write(|tx| {
            let caller = Caller {
                key_account: account,
                account,
            };
            let moving = tx
                .st
                .package_of_instance(instance)
                .filter(|p| p.account_id() == account)
                .and_then(|p| p.instance(instance))
                .ok_or(Violation::ProductInstanceNotFound { instance })?
                .site()
                .is_some_and(|site| site != target);
            if !moving {
                return Ok(None);
            }
            let done = ops::unassign_instance(&*tx.st, &caller, instance, tx.now)?;
            tx.apply(done.changes);
            Ok(Some(done.answer))
        })
        .await
    }

    /// Moves an expiring instance's `expirationDate` on by `cycles` billing cycles
    /// (the extension a reseller makes in Wix's dashboard); answers its package.
    ///
    /// # Errors
    /// `PRODUCT_INSTANCE_NOT_FOUND`; 400 on `cycles` below 1 or past 9999;
    /// `INSTANCE_NOT_EXTENDABLE` (409) without `expirationDate` or when not
    /// `PENDING`/`ENABLED`.
    pub async fn extend_instance(
        &self,
        instance: InstanceId,
        cycles: i64,
    ) -> Result<Package, PortError> {
        self.write(|tx| {
            let done = ops::extend_instance(&*tx.st, instance, cycles, tx.now)?;
            tx.apply(done.changes);
            Ok(done.answer)
        })
        .await
    }

    /// The Wix's current time.
    pub fn now(&self) -> Timestamp {
        let st = self.read_lock();
        self.now_for(&st)
    }

    /// Moves the Wix's clock forward by `millis`; answers the new time.
    ///
    /// # Errors
    /// Only the durable store's errors.
    pub async fn advance_clock(&self, millis: u64) -> Result<Timestamp, PortError> {
        let millis = i64::try_from(millis).unwrap_or(i64::MAX);
        self.write(|tx| {
            tx.st.clock_offset = tx.st.clock_offset.saturating_add(millis);
            let offset = tx.st.clock_offset;
            tx.log(|| Op::ClockOffset(offset));
            Ok(())
        })
        .await?;
        // Provisioning and key expiry at the new time happen on the next call.
        Ok(self.now())
    }

    /// Sets the Wix's clock to `at` when that is later than now; answers the time.
    ///
    /// # Errors
    /// Only the durable store's errors.
    pub async fn set_clock(&self, at: Timestamp) -> Result<Timestamp, PortError> {
        let now = self.now();
        let ahead = at.unix_millis().saturating_sub(now.unix_millis());
        if ahead > 0 {
            return self.advance_clock(u64::try_from(ahead).unwrap_or(0)).await;
        }
        Ok(now)
    }

    /// Forgets everything: accounts, sites, catalog, keys, packages, idempotency
    /// records; provisioning goes back to automatic with no delay. The clock keeps
    /// its time (it only moves forward).
    ///
    /// # Errors
    /// Only the durable store's errors.
    pub async fn reset(&self) -> Result<(), PortError> {
        let key = new_cursor_key(self.inner.ids.as_ref());
        self.write(|tx| {
            let offset = tx.st.clock_offset;
            let floor = tx.st.now_floor;
            *tx.st = State::new(key.clone(), floor);
            tx.st.clock_offset = offset;
            tx.log(|| Op::Reset {
                cursor_key: key.clone(),
                clock_offset: offset,
            });
            Ok(())
        })
        .await
    }

    /// Every account, mains first, in id order.
    pub fn accounts(&self) -> Vec<Account> {
        self.read_lock()
            .accounts_in_order()
            .into_iter()
            .cloned()
            .collect()
    }

    /// The sites of `owner` (every site when `None`), in id order.
    pub fn sites(&self, owner: Option<AccountId>) -> Vec<Site> {
        let st = self.read_lock();
        let mut out: Vec<Site> = match owner {
            Some(o) => st.sites_of(o).into_iter().cloned().collect(),
            None => st.sites.values().cloned().collect(),
        };
        out.sort_by_key(|s| s.id);
        out
    }

    /// The catalog, in id order.
    pub fn catalog(&self) -> Vec<CatalogProduct> {
        let st = self.read_lock();
        let mut out: Vec<CatalogProduct> = st.catalog.values().cloned().collect();
        out.sort_by_key(|p| p.id);
        out
    }

    /// A package by id, whoever owns it (for checks).
    pub fn package(&self, id: PackageId) -> Option<Package> {
        self.read_lock().packages.get(&id).cloned()
    }

    /// Every broken invariant of the world and its indexes (empty when all hold):
    /// 1 to 1000 instances per package, one package per instance, a reference used
    /// once, one live instance per product type per site, live instances only on
    /// their owner's sites, and every index in step with the packages. For tests.
    pub fn invariant_violations(&self) -> Vec<String> {
        self.read_lock().violations()
    }

    /// How many packages the world holds.
    pub fn package_count(&self) -> usize {
        self.read_lock().packages.len()
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

/// The canonical bytes of a request, for comparing repeats of an idempotency key.
fn fingerprint_json<T: serde::Serialize>(request: &T) -> Vec<u8> {
    serde_json::to_vec(request).unwrap_or_default()
}

fn package_answer(done: Result<Done<Package>, Refusal>) -> Result<(Answer, ops::Changes), Refusal> {
    let done = done?;
    Ok((Answer::Package(done.answer), done.changes))
}

fn expect_package(answer: Answer) -> Result<Package, PortError> {
    match answer {
        Answer::Package(p) => Ok(p),
        other => Err(mismatch(&other)),
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
