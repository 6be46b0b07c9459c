//! The durable change-feed checkpoint store: [`SqliteCheckpoints`] keeps every
//! feed's [`Checkpoint`] (watermark, next sequence number and the last state seen
//! of every package) in a SQLite database, so a feed restarted from the same file
//! neither misses nor repeats a change.
//!
//! The database runs in WAL mode with `synchronous = FULL`: a save is on disk
//! before it answers, and it is one transaction (all of an update or none of it).
//! Its tables are prefixed `checkpoint_`, so the file may be shared with another
//! store (the durable journal of [`crate::MemoryWix`], for one). Packages are
//! stored as the JSON documents Wix writes (`reseller_wire::Package`), readable with
//! any SQLite tool, next to the one fact the wire shape does not carry: which
//! instances have served as a voucher reference.
//!
//! Every SQLite failure, and every row that cannot be read back, answers a
//! `503 UNAVAILABLE` [`PortError`] naming the feed; nothing is skipped silently.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_trait::async_trait;
use reseller_domain::{InstanceId, Package, PackageId, Timestamp};
use reseller_ports::{Checkpoint, CheckpointUpdate, Checkpoints, FeedId, PortError};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};

use crate::journal::{StoreError, store_unavailable};

const SCHEMA: &str = "
PRAGMA journal_mode = WAL;
PRAGMA synchronous = FULL;
CREATE TABLE IF NOT EXISTS checkpoint_feed (
    id TEXT PRIMARY KEY,
    watermark INTEGER,
    next_sequence INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS checkpoint_package (
    feed TEXT NOT NULL,
    package TEXT NOT NULL,
    doc TEXT NOT NULL,
    used_as_reference TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (feed, package)
) WITHOUT ROWID;
";

/// How long a call waits for another connection's write lock on the file.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Change-feed checkpoints in a SQLite database (durable, shared by every feed
/// under its [`FeedId`]).
///
/// Cheap to share behind an `Arc`; calls are serialised on one connection and run
/// on Tokio's blocking pool (inline when no Tokio runtime is running).
///
/// Columns: `checkpoint_feed(id, watermark, next_sequence)`, the watermark in Unix
/// milliseconds and the sequence number as the 64 bits of the `u64`;
/// `checkpoint_package(feed, package, doc, used_as_reference)`, `doc` the package
/// as Wix writes it and `used_as_reference` the space-separated ids of its
/// instances that have served as a voucher reference.
pub struct SqliteCheckpoints {
    path: PathBuf,
    /// One connection, one caller at a time: a SQLite connection is not `Sync`,
    /// and each save is one transaction that must not interleave with another.
    /// Shared (`Arc`) so the blocking task that runs a call can own a handle.
    conn: Arc<Mutex<Connection>>,
}

impl fmt::Debug for SqliteCheckpoints {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SqliteCheckpoints")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

impl SqliteCheckpoints {
    /// Opens the store at `path`, creating the file, its directory and the tables
    /// when missing.
    ///
    /// # Errors
    /// [`StoreError::Sqlite`] when SQLite refuses (the file is not a database, is
    /// locked, the disk failed); [`StoreError::Thread`] when the directory cannot be
    /// created.
    pub fn open(path: impl AsRef<Path>) -> Result<Self, StoreError> {
        let path = path.as_ref();
        if let Some(dir) = path.parent() {
            if !dir.as_os_str().is_empty() {
                std::fs::create_dir_all(dir)?;
            }
        }
        let conn = Connection::open(path)?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        conn.execute_batch(SCHEMA)?;
        Ok(Self {
            path: path.to_path_buf(),
            conn: Arc::new(Mutex::new(conn)),
        })
    }

    /// The database's path, as given to [`SqliteCheckpoints::open`].
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Runs `work` on the connection, off the async executor when a Tokio runtime
    /// is running.
    async fn with_conn<T, F>(&self, work: F) -> Result<T, String>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T, String> + Send + 'static,
    {
        let conn = Arc::clone(&self.conn);
        let run = move || {
            let mut guard = conn.lock().unwrap_or_else(|e| e.into_inner());
            work(&mut guard)
        };
        // SQLite blocks (disk syncs, a busy lock): on a runtime that happens on a
        // blocking thread, so executor threads keep serving; without one, inline.
        match tokio::runtime::Handle::try_current() {
            Ok(handle) => match handle.spawn_blocking(run).await {
                Ok(outcome) => outcome,
                Err(e) => Err(format!("the store's worker stopped: {e}")),
            },
            Err(_) => run(),
        }
    }
}

/// One stored package row: its id, document and voucher-reference ids.
struct Row {
    package: String,
    doc: String,
    used_as_reference: String,
}

impl Row {
    fn of(package: &Package) -> Result<Self, String> {
        let id = package.id().to_string();
        let doc = serde_json::to_string(&reseller_wire::Package::from_domain(package))
            .map_err(|e| format!("package `{id}` cannot be written as JSON: {e}"))?;
        let used_as_reference = package
            .instances()
            .iter()
            .filter(|i| i.used_as_reference())
            .map(|i| i.id().to_string())
            .collect::<Vec<_>>()
            .join(" ");
        Ok(Self {
            package: id,
            doc,
            used_as_reference,
        })
    }

    fn read(&self) -> Result<Package, String> {
        let problem = |what: String| format!("package row `{}` {what}", self.package);
        let wire: reseller_wire::Package = serde_json::from_str(&self.doc)
            .map_err(|e| problem(format!("holds unreadable JSON: {e}")))?;
        let package = wire
            .try_into_domain()
            .map_err(|e| problem(format!("holds a package this version cannot read: {e}")))?;
        let id = PackageId::parse(&self.package)
            .map_err(|e| problem(format!("has a bad package id: {e}")))?;
        if package.id() != id {
            return Err(problem(format!("holds package `{}`", package.id())));
        }
        let mut used = Vec::new();
        for text in self.used_as_reference.split_whitespace() {
            let instance = InstanceId::parse(text)
                .map_err(|e| problem(format!("names a bad voucher reference: {e}")))?;
            if package.instance(instance).is_none() {
                return Err(problem(format!(
                    "names voucher reference `{instance}`, which is not one of its instances"
                )));
            }
            used.push(instance);
        }
        if used.is_empty() {
            return Ok(package);
        }
        crate::snapshot::mark_used(package, |id| used.contains(&id))
            .map_err(|e| problem(format!("cannot be rebuilt: {e}")))
    }
}

/// The feed's row and package rows, read in one transaction (one snapshot).
type Stored = (Option<(Option<i64>, i64)>, Vec<Row>);

fn read_feed(conn: &mut Connection, feed: &str) -> Result<Stored, rusqlite::Error> {
    let tx = conn.transaction()?;
    let head = tx
        .query_row(
            "SELECT watermark, next_sequence FROM checkpoint_feed WHERE id = ?1",
            [feed],
            |r| Ok((r.get::<_, Option<i64>>(0)?, r.get::<_, i64>(1)?)),
        )
        .optional()?;
    let rows = {
        let mut stmt = tx.prepare_cached(
            "SELECT package, doc, used_as_reference FROM checkpoint_package
             WHERE feed = ?1 ORDER BY package",
        )?;
        stmt.query_map([feed], |r| {
            Ok(Row {
                package: r.get(0)?,
                doc: r.get(1)?,
                used_as_reference: r.get(2)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?
    };
    tx.commit()?;
    Ok((head, rows))
}

fn checkpoint_of((head, rows): Stored) -> Result<Checkpoint, String> {
    let mut checkpoint = Checkpoint::default();
    if let Some((watermark, next_sequence)) = head {
        checkpoint.watermark = match watermark {
            Some(ms) => Some(
                Timestamp::from_unix_millis(ms)
                    .ok_or_else(|| format!("the watermark {ms} is out of range"))?,
            ),
            None => None,
        };
        checkpoint.next_sequence = u64_of(next_sequence);
    }
    for row in rows {
        let package = row.read()?;
        checkpoint.seen.insert(package.id(), package);
    }
    Ok(checkpoint)
}

fn write_feed(
    conn: &mut Connection,
    feed: &str,
    watermark: i64,
    next_sequence: i64,
    rows: &[Row],
) -> Result<(), rusqlite::Error> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    tx.execute(
        "INSERT INTO checkpoint_feed (id, watermark, next_sequence) VALUES (?1, ?2, ?3)
         ON CONFLICT (id) DO UPDATE SET
         watermark = excluded.watermark, next_sequence = excluded.next_sequence",
        params![feed, watermark, next_sequence],
    )?;
    {
        let mut put = tx.prepare_cached(
            "INSERT INTO checkpoint_package (feed, package, doc, used_as_reference)
             VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (feed, package) DO UPDATE SET
             doc = excluded.doc, used_as_reference = excluded.used_as_reference",
        )?;
        for row in rows {
            put.execute(params![feed, row.package, row.doc, row.used_as_reference])?;
        }
    }
    tx.commit()
}

/// The `u64` as the SQLite integer with the same 64 bits (lossless both ways).
fn i64_of(n: u64) -> i64 {
    n as i64
}

/// The inverse of [`i64_of`].
fn u64_of(n: i64) -> u64 {
    n as u64
}

#[async_trait]
impl Checkpoints for SqliteCheckpoints {
    async fn load(&self, feed: &FeedId) -> Result<Checkpoint, PortError> {
        let name = feed.as_str().to_owned();
        self.with_conn(move |conn| {
            let stored = read_feed(conn, &name).map_err(|e| e.to_string())?;
            checkpoint_of(stored)
        })
        .await
        .map_err(|why| {
            store_unavailable(format!(
                "The checkpoint of feed `{feed}` cannot be read: {why}"
            ))
        })
    }

    async fn save(&self, feed: &FeedId, update: &CheckpointUpdate) -> Result<(), PortError> {
        let failed = |why: String| {
            store_unavailable(format!(
                "The checkpoint of feed `{feed}` was not saved (nothing of it was): {why}"
            ))
        };
        let rows = update
            .seen
            .iter()
            .map(Row::of)
            .collect::<Result<Vec<_>, _>>()
            .map_err(failed)?;
        let name = feed.as_str().to_owned();
        let watermark = update.watermark.unix_millis();
        let next_sequence = i64_of(update.next_sequence);
        self.with_conn(move |conn| {
            write_feed(conn, &name, watermark, next_sequence, &rows).map_err(|e| e.to_string())
        })
        .await
        .map_err(failed)
    }
}
