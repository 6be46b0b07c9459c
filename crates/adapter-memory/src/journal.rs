//! Durable mode: every accepted change is written to a SQLite database in WAL mode
//! before its call answers, and opening the same path restores the world.
//!
//! Writers hand their changes, in the order they were applied, to one committer
//! thread, which commits everything that queued up while the previous commit ran
//! in a single transaction (group commit) and then tells the waiting calls that
//! their sequence number is durable. Rows hold the emulator's JSON documents
//! (packages as Wix writes them), so the store is readable with any SQLite tool.
//!
//! After a failed commit the store is closed for good: every later call that must
//! wait for durability answers `UNAVAILABLE`, and reopening the path restores the
//! last committed state.

use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use reseller_domain::auth::Grant;
use reseller_domain::idempotency::{KeyScope, Record};
use reseller_domain::query::CursorKey;
use reseller_domain::world::{Account, CatalogProduct, Site};
use reseller_domain::{AccountId, IdempotencyKey, Package, Timestamp};
use reseller_ports::{ErrorKind, PortError, Provisioning};
use reseller_wire::TransferSiteResponse;
use reseller_wire::control::{AccountDoc, ApiKeyDoc, CatalogProductDoc, SiteDoc};
use rusqlite::{Connection, OptionalExtension, params};
use serde_json::{Value, json};
use tokio::sync::watch;

use crate::engine::opname;
use crate::snapshot::restore_reference_flags;
use crate::state::{Answer, IdemRecord, State};

/// The store could not be opened or read. The cause (SQLite's or the system's
/// error) is its [`source`](std::error::Error::source), not part of its message.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// SQLite refused (the file is not a database, is locked, the disk failed).
    #[error("the state store failed")]
    Sqlite(#[from] rusqlite::Error),
    /// A row this version cannot read.
    #[error("the state store holds a row this version cannot read ({kind} `{id}`): {problem}")]
    Corrupt {
        /// The row's kind.
        kind: String,
        /// The row's id.
        id: String,
        /// What is wrong.
        problem: String,
    },
    /// The committer thread could not be started, or a store file could not be
    /// created.
    #[error("the state store's files could not be set up")]
    Thread(#[from] std::io::Error),
    /// A store file exists but cannot be read whole; it is left as it is.
    #[error(
        "the state file {} cannot be read whole: {problem} (it was left untouched; move it away to start afresh)",
        file.display()
    )]
    Damaged {
        /// The file.
        file: std::path::PathBuf,
        /// What is wrong with it.
        problem: String,
    },
}

/// One change to journal.
#[derive(Debug, Clone)]
pub(crate) enum Op {
    Account(Account),
    Site(Site),
    Package(Package),
    Product(CatalogProduct),
    Key(String, Grant),
    Transfer(AccountId, AccountId),
    RememberKey(KeyScope, IdemRecord),
    ForgetKey(KeyScope),
    Provisioning(Provisioning),
    ClockOffset(i64),
    /// A change to the domain part of the world.
    Domain(crate::domains::DomainOp),
    /// Everything is gone; a new cursor secret; the clock's offset kept.
    Reset {
        cursor_key: CursorKey,
        clock_offset: i64,
    },
}

/// The changes of one write call, in the order they were applied.
struct Batch {
    /// Its place in the journal: strictly increasing in submission order.
    seq: u64,
    now: Timestamp,
    ops: Vec<Op>,
}

/// What the committer has done, published to every waiting call.
#[derive(Debug, Clone, Default)]
struct Progress {
    /// Every batch up to this sequence number is committed. One committer takes
    /// batches in order from a FIFO channel, so a single number says it all.
    durable: u64,
    /// Why a commit failed; set once, and the committer stops with it.
    failed: Option<String>,
}

/// The committer's handle: submit batches in order, wait for their durability.
pub(crate) struct Journal {
    /// The queue to the committer thread. `submit` runs under the world's write
    /// lock, so sends are already in apply order; the `Mutex` only lets the shared
    /// handle send from `&self`, and the `Option` lets `Drop` close the channel.
    sender: Mutex<Option<mpsc::Sender<Batch>>>,
    /// The next batch's sequence number (also taken under the write lock, so the
    /// numbers follow the apply order; the atomic makes `&self` enough).
    next_seq: AtomicU64,
    /// The committer's progress: a `watch` channel, because any number of calls
    /// wait for "durable >= my seq" and only the latest value matters.
    progress: watch::Receiver<Progress>,
    /// The committer, joined on drop so that what was queued is committed before
    /// the file is closed.
    thread: Mutex<Option<JoinHandle<()>>>,
}

const SCHEMA: &str = "
PRAGMA journal_mode = WAL;
PRAGMA synchronous = FULL;
CREATE TABLE IF NOT EXISTS entity (
    kind TEXT NOT NULL,
    id TEXT NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (kind, id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS idempotency (
    account TEXT NOT NULL,
    operation TEXT NOT NULL,
    key TEXT NOT NULL,
    request BLOB NOT NULL,
    answer TEXT NOT NULL,
    at INTEGER NOT NULL,
    PRIMARY KEY (account, operation, key)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS meta (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;
";

const ACCOUNT: &str = "account";
const SITE: &str = "site";
const PACKAGE: &str = "package";
const PRODUCT: &str = "product";
const KEY: &str = "key";
const TRANSFER: &str = "transfer";

impl Journal {
    /// Opens (or creates) the store at `path` and loads its world.
    pub(crate) fn open(
        path: &Path,
        fresh_key: CursorKey,
        now: Timestamp,
        size_limit: Option<u64>,
    ) -> Result<(Self, State), StoreError> {
        let mut conn = crate::store_file::open(path)?;
        // Another reader of the file (a SQLite shell, a backup) may hold its lock
        // for a moment: a commit waits for it rather than failing the store.
        conn.busy_timeout(BUSY_WAIT)?;
        conn.execute_batch(SCHEMA)?;
        if let Some(bytes) = size_limit {
            crate::store_file::limit_size(&conn, bytes)?;
        }
        let state = load(&mut conn, fresh_key, now)?;
        let (sender, receiver) = mpsc::channel::<Batch>();
        let (progress_tx, progress) = watch::channel(Progress::default());
        let progress_tx = Arc::new(progress_tx);
        let thread = std::thread::Builder::new()
            .name("adapter-memory-journal".to_owned())
            .spawn(move || commit_loop(conn, &receiver, &progress_tx))?;
        Ok((
            Self {
                sender: Mutex::new(Some(sender)),
                next_seq: AtomicU64::new(1),
                progress,
                thread: Mutex::new(Some(thread)),
            },
            state,
        ))
    }

    /// Queues `ops` (called under the state's write lock, so batches queue in the
    /// order they were applied); returns the batch's sequence number.
    pub(crate) fn submit(&self, ops: Vec<Op>, now: Timestamp) -> u64 {
        let seq = self.next_seq.fetch_add(1, Ordering::SeqCst);
        let sender = self.sender.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(s) = sender.as_ref() {
            // A closed channel means the committer stopped; `wait` reports it.
            let _ = s.send(Batch { seq, now, ops });
        }
        seq
    }

    /// `UNAVAILABLE` once a commit has failed (the store then takes nothing more).
    pub(crate) fn healthy(&self) -> Result<(), PortError> {
        match &self.progress.borrow().failed {
            None => Ok(()),
            Some(why) => Err(unavailable(why)),
        }
    }

    /// Waits until batch `seq` (and every batch before it) is committed.
    pub(crate) async fn wait(&self, seq: u64) -> Result<(), PortError> {
        let mut rx = self.progress.clone();
        let outcome = rx
            .wait_for(|p| p.durable >= seq || p.failed.is_some())
            .await
            .map(|p| p.clone());
        match outcome {
            Ok(p) if p.durable >= seq => Ok(()),
            Ok(p) => Err(unavailable(
                p.failed.as_deref().unwrap_or("unknown failure"),
            )),
            Err(_) => Err(unavailable("the store's writer has stopped")),
        }
    }
}

fn unavailable(why: &str) -> PortError {
    store_unavailable(format!(
        "The state store failed; nothing more can be written: {why}"
    ))
}

/// A `503 UNAVAILABLE` error (kind `Unavailable`) of a durable store, saying `message`.
pub(crate) fn store_unavailable(message: String) -> PortError {
    PortError::new(
        ErrorKind::Unavailable,
        reseller_domain::ErrorCode::Other {
            code: "UNAVAILABLE".to_owned(),
            status: 503,
        },
        Some(503),
        message,
    )
}

impl Drop for Journal {
    fn drop(&mut self) {
        // Closing the channel lets the committer finish what is queued and stop.
        drop(self.sender.lock().unwrap_or_else(|e| e.into_inner()).take());
        if let Some(t) = self.thread.lock().unwrap_or_else(|e| e.into_inner()).take() {
            let _ = t.join();
        }
    }
}

/// How long a commit waits for a lock another connection holds on the file.
const BUSY_WAIT: std::time::Duration = std::time::Duration::from_secs(10);

/// Most batches one transaction takes: bounds a transaction's size and the
/// latency of the first caller in it under a flood of writes.
const MAX_GROUP: usize = 4096;

/// The committer thread: the group commit. It blocks for one batch, then takes
/// every batch already queued (up to [`MAX_GROUP`]) and commits them in one
/// transaction, so many concurrent writers share one sync to disk; then it
/// publishes the last sequence number committed. On the first failure it
/// publishes the error and stops: a later batch may build on the failed one
/// (the world in memory already holds it), so nothing after it may be committed,
/// and every waiting and later call answers `UNAVAILABLE`.
fn commit_loop(
    mut conn: Connection,
    receiver: &mpsc::Receiver<Batch>,
    progress: &watch::Sender<Progress>,
) {
    while let Ok(first) = receiver.recv() {
        let mut group = vec![first];
        while group.len() < MAX_GROUP {
            match receiver.try_recv() {
                Ok(b) => group.push(b),
                Err(_) => break,
            }
        }
        let last = group.last().map_or(0, |b| b.seq);
        match commit(&mut conn, &group) {
            Ok(()) => {
                progress.send_modify(|p| p.durable = p.durable.max(last));
            }
            Err(e) => {
                progress.send_modify(|p| p.failed = Some(e.to_string()));
                return;
            }
        }
    }
}

fn commit(conn: &mut Connection, group: &[Batch]) -> Result<(), rusqlite::Error> {
    let tx = conn.transaction()?;
    {
        let mut put = tx.prepare_cached(
            "INSERT INTO entity (kind, id, body) VALUES (?1, ?2, ?3)
             ON CONFLICT (kind, id) DO UPDATE SET body = excluded.body",
        )?;
        let mut remember = tx.prepare_cached(
            "INSERT INTO idempotency (account, operation, key, request, answer, at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)
             ON CONFLICT (account, operation, key) DO UPDATE SET
             request = excluded.request, answer = excluded.answer, at = excluded.at",
        )?;
        let mut forget = tx.prepare_cached(
            "DELETE FROM idempotency WHERE account = ?1 AND operation = ?2 AND key = ?3",
        )?;
        let mut meta = tx.prepare_cached(
            "INSERT INTO meta (name, value) VALUES (?1, ?2)
             ON CONFLICT (name) DO UPDATE SET value = excluded.value",
        )?;
        let mut latest = None;
        for batch in group {
            latest = Some(batch.now);
            for op in &batch.ops {
                match op {
                    Op::Account(a) => {
                        put.execute(params![
                            ACCOUNT,
                            a.id.to_string(),
                            to_json(&AccountDoc::from_domain(a))
                        ])?;
                    }
                    Op::Site(s) => {
                        put.execute(params![
                            SITE,
                            s.id.to_string(),
                            to_json(&SiteDoc::from_domain(s))
                        ])?;
                    }
                    Op::Package(p) => {
                        put.execute(params![
                            PACKAGE,
                            p.id().to_string(),
                            to_json(&reseller_wire::Package::from_domain(p))
                        ])?;
                    }
                    Op::Product(p) => {
                        put.execute(params![
                            PRODUCT,
                            p.id.to_string(),
                            to_json(&CatalogProductDoc::from_domain(p))
                        ])?;
                    }
                    Op::Key(text, grant) => {
                        let doc = ApiKeyDoc::new(text, grant.account, &grant.scopes);
                        put.execute(params![KEY, text, to_json(&doc)])?;
                    }
                    Op::Transfer(s, t) => {
                        put.execute(params![
                            TRANSFER,
                            format!("{s}>{t}"),
                            to_json(&reseller_wire::control::AllowedTransferDoc::new(*s, *t))
                        ])?;
                    }
                    Op::RememberKey(scope, record) => {
                        remember.execute(params![
                            scope.account.to_string(),
                            scope.operation,
                            scope.key.as_str(),
                            record.request,
                            answer_json(&record.answer).to_string(),
                            record.at.unix_millis()
                        ])?;
                    }
                    Op::ForgetKey(scope) => {
                        forget.execute(params![
                            scope.account.to_string(),
                            scope.operation,
                            scope.key.as_str()
                        ])?;
                    }
                    Op::Provisioning(mode) => {
                        meta.execute(params!["provisioning", provisioning_text(*mode)])?;
                    }
                    Op::ClockOffset(ms) => {
                        meta.execute(params!["clock_offset", ms.to_string()])?;
                    }
                    Op::Domain(op) => match crate::domains::row(op) {
                        crate::domains::Row::Entity(kind, id, body) => {
                            put.execute(params![kind, id, body])?;
                        }
                        crate::domains::Row::Meta(name, value) => {
                            meta.execute(params![name, value])?;
                        }
                    },
                    Op::Reset {
                        cursor_key,
                        clock_offset,
                    } => {
                        tx.execute("DELETE FROM entity", [])?;
                        tx.execute("DELETE FROM idempotency", [])?;
                        tx.execute("DELETE FROM meta", [])?;
                        meta.execute(params!["cursor_key", hex(cursor_key.as_bytes())])?;
                        meta.execute(params!["clock_offset", clock_offset.to_string()])?;
                    }
                }
            }
        }
        if let Some(now) = latest {
            meta.execute(params!["now_floor", now.unix_millis().to_string()])?;
        }
    }
    tx.commit()
}

fn to_json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

fn answer_json(answer: &Answer) -> Value {
    match answer {
        Answer::Package(p) => json!({ "package": reseller_wire::Package::from_domain(p) }),
        Answer::Transfer(t) => json!({ "transfer": TransferSiteResponse::from_domain(t) }),
        Answer::Account(a) => json!({ "account": a.to_string() }),
    }
}

fn answer_from_json(value: &Value) -> Result<Answer, String> {
    if let Some(p) = value.get("package") {
        let wire: reseller_wire::Package =
            serde_json::from_value(p.clone()).map_err(|e| e.to_string())?;
        return wire
            .try_into_domain()
            .map(Answer::Package)
            .map_err(|e| e.to_string());
    }
    if let Some(t) = value.get("transfer") {
        let wire: TransferSiteResponse =
            serde_json::from_value(t.clone()).map_err(|e| e.to_string())?;
        return wire
            .try_into_domain()
            .map(Answer::Transfer)
            .map_err(|e| e.to_string());
    }
    if let Some(a) = value.get("account").and_then(Value::as_str) {
        return AccountId::parse(a)
            .map(Answer::Account)
            .map_err(|e| e.to_string());
    }
    Err("an answer of no known kind".to_owned())
}

fn provisioning_text(mode: Provisioning) -> String {
    match mode {
        Provisioning::Auto { delay_millis } => format!("auto:{delay_millis}"),
        Provisioning::Manual => "manual".to_owned(),
    }
}

fn provisioning_from_text(text: &str) -> Option<Provisioning> {
    if text == "manual" {
        return Some(Provisioning::Manual);
    }
    let ms = text.strip_prefix("auto:")?.parse().ok()?;
    Some(Provisioning::Auto { delay_millis: ms })
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex16(text: &str) -> Option<[u8; 16]> {
    let mut out = [0u8; 16];
    if text.len() != 32 {
        return None;
    }
    for (i, slot) in out.iter_mut().enumerate() {
        let pair = text.get(i * 2..i * 2 + 2)?;
        *slot = u8::from_str_radix(pair, 16).ok()?;
    }
    Some(out)
}

fn corrupt(kind: &str, id: &str, problem: impl ToString) -> StoreError {
    StoreError::Corrupt {
        kind: kind.to_owned(),
        id: id.to_owned(),
        problem: problem.to_string(),
    }
}

fn get_meta(conn: &Connection, name: &str) -> Result<Option<String>, rusqlite::Error> {
    conn.query_row("SELECT value FROM meta WHERE name = ?1", [name], |r| {
        r.get(0)
    })
    .optional()
}

fn rows(conn: &Connection, kind: &str) -> Result<Vec<(String, String)>, rusqlite::Error> {
    let mut stmt = conn.prepare("SELECT id, body FROM entity WHERE kind = ?1 ORDER BY id")?;
    let out = stmt
        .query_map([kind], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(out)
}

fn parse<T: serde::de::DeserializeOwned>(
    kind: &str,
    id: &str,
    body: &str,
) -> Result<T, StoreError> {
    serde_json::from_str(body).map_err(|e| corrupt(kind, id, e))
}

fn load(conn: &mut Connection, fresh_key: CursorKey, now: Timestamp) -> Result<State, StoreError> {
    let cursor_key = match get_meta(conn, "cursor_key")?.as_deref().and_then(unhex16) {
        Some(bytes) => CursorKey::new(bytes),
        None => {
            conn.execute(
                "INSERT INTO meta (name, value) VALUES ('cursor_key', ?1)
                 ON CONFLICT (name) DO UPDATE SET value = excluded.value",
                [hex(fresh_key.as_bytes())],
            )?;
            fresh_key
        }
    };
    let floor = get_meta(conn, "now_floor")?
        .and_then(|t| t.parse::<i64>().ok())
        .and_then(Timestamp::from_unix_millis)
        .map_or(now, |f| f.max(now));
    let mut st = State::new(cursor_key, floor);
    st.clock_offset = get_meta(conn, "clock_offset")?
        .and_then(|t| t.parse().ok())
        .unwrap_or(0);
    for (id, body) in rows(conn, ACCOUNT)? {
        let doc: AccountDoc = parse(ACCOUNT, &id, &body)?;
        let account = doc
            .try_into_domain("account", || AccountId::from_uuid(uuid::Uuid::nil()))
            .map_err(|e| corrupt(ACCOUNT, &id, e))?;
        st.put_account(account);
    }
    for (id, body) in rows(conn, SITE)? {
        let doc: SiteDoc = parse(SITE, &id, &body)?;
        let site = doc
            .try_into_domain(
                "site",
                || reseller_domain::SiteId::from_uuid(uuid::Uuid::nil()),
                floor,
            )
            .map_err(|e| corrupt(SITE, &id, e))?;
        st.put_site(site);
    }
    for (id, body) in rows(conn, PRODUCT)? {
        let doc: CatalogProductDoc = parse(PRODUCT, &id, &body)?;
        let product = doc
            .try_into_domain("product")
            .map_err(|e| corrupt(PRODUCT, &id, e))?;
        st.catalog.insert(product.id, product);
    }
    for (id, body) in rows(conn, KEY)? {
        let doc: ApiKeyDoc = parse(KEY, "<key>", &body)?;
        let (account, scopes) = doc.grant("key").map_err(|e| corrupt(KEY, "<key>", e))?;
        st.keys.insert(id, Grant { account, scopes });
    }
    for (id, body) in rows(conn, TRANSFER)? {
        let doc: reseller_wire::control::AllowedTransferDoc = parse(TRANSFER, &id, &body)?;
        let pair = doc
            .pair("transfer")
            .map_err(|e| corrupt(TRANSFER, &id, e))?;
        st.allowed.insert(pair);
    }
    let mut packages = Vec::new();
    for (id, body) in rows(conn, PACKAGE)? {
        let wire: reseller_wire::Package = parse(PACKAGE, &id, &body)?;
        packages.push(
            wire.try_into_domain()
                .map_err(|e| corrupt(PACKAGE, &id, e))?,
        );
    }
    for p in restore_reference_flags(packages) {
        st.put_package(p);
    }
    let mut stmt = conn.prepare(
        "SELECT account, operation, key, request, answer, at FROM idempotency ORDER BY at",
    )?;
    let records = stmt
        .query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, Vec<u8>>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, i64>(5)?,
            ))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    for (account, operation, key, request, answer, at) in records {
        let id = format!("{account}/{operation}");
        let account = AccountId::parse(&account).map_err(|e| corrupt("idempotency", &id, e))?;
        // Records no call can replay any more: the removed v1 create, and keys
        // longer than the 100 characters a request may now carry.
        if operation == opname::REMOVED_CREATE_V1 || key.chars().count() > IdempotencyKey::MAX_CHARS
        {
            continue;
        }
        let Some(operation) = opname::ALL.into_iter().find(|o| *o == operation) else {
            return Err(corrupt("idempotency", &id, "unknown operation"));
        };
        let key = IdempotencyKey::new(key).map_err(|e| corrupt("idempotency", &id, e))?;
        let value: Value =
            serde_json::from_str(&answer).map_err(|e| corrupt("idempotency", &id, e))?;
        let answer = answer_from_json(&value).map_err(|e| corrupt("idempotency", &id, e))?;
        let at = Timestamp::from_unix_millis(at)
            .ok_or_else(|| corrupt("idempotency", &id, "a date out of range"))?;
        st.remember(
            KeyScope {
                account,
                operation,
                key,
            },
            Record {
                request,
                answer,
                at,
            },
        );
    }
    drop(stmt);
    let mode = get_meta(conn, "provisioning")?
        .as_deref()
        .and_then(provisioning_from_text)
        .unwrap_or_default();
    st.set_provisioning(mode);
    crate::domains::load(
        &mut st,
        rows(conn, crate::domains::CONNECTED)?,
        rows(conn, crate::domains::TAKEN)?,
        get_meta(conn, crate::domains::TLDS)?,
        get_meta(conn, crate::domains::DNS)?,
    )
    .map_err(|(kind, id, problem)| corrupt(kind, &id, problem))?;
    Ok(st)
}

/// Every row of `st`, as the operations that write it (for an import in durable mode).
pub(crate) fn full_image(st: &State) -> Vec<Op> {
    let mut ops = Vec::new();
    ops.extend(st.accounts.values().cloned().map(Op::Account));
    ops.extend(st.sites.values().cloned().map(Op::Site));
    ops.extend(st.catalog.values().cloned().map(Op::Product));
    ops.extend(st.keys.iter().map(|(k, g)| Op::Key(k.clone(), g.clone())));
    ops.extend(st.allowed.iter().map(|(s, t)| Op::Transfer(*s, *t)));
    ops.extend(st.packages.values().cloned().map(Op::Package));
    ops.push(Op::Provisioning(st.provisioning));
    ops.extend(crate::domains::image(st).into_iter().map(Op::Domain));
    ops
}
