//! The durable store's files on disk: creating the database readable by its owner
//! only (it holds API keys), and refusing, before SQLite touches them, files that
//! exist but cannot be read whole (an empty or foreign database, a write-ahead log
//! that belongs to no database or to another one), so a damaged state is never
//! silently replaced by a fresh one.

use std::fs::{File, OpenOptions};
use std::io::Read;
use std::path::{Path, PathBuf};

use rusqlite::Connection;

use crate::journal::StoreError;

/// The first 16 bytes of every SQLite database file.
const DB_MAGIC: &[u8; 16] = b"SQLite format 3\0";

/// The two magic numbers a write-ahead log starts with (big-endian).
const WAL_MAGIC: [u32; 2] = [0x377f_0682, 0x377f_0683];

/// The tables of the durable store; `checkpoint_` tables (change-feed checkpoints)
/// and SQLite's own may share the file.
const OURS: [&str; 3] = ["entity", "idempotency", "meta"];

fn damaged(file: &Path, problem: impl Into<String>) -> StoreError {
    StoreError::Damaged {
        file: file.to_path_buf(),
        problem: problem.into(),
    }
}

/// `path` with `suffix` appended to its file name (`emulator.sqlite-wal`).
fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

fn read_head(path: &Path, n: usize) -> std::io::Result<Vec<u8>> {
    let mut head = Vec::with_capacity(n);
    File::open(path)?.take(n as u64).read_to_end(&mut head)?;
    Ok(head)
}

/// The page size a database header (or a WAL header) states, at `offset`.
fn page_size_at(head: &[u8], offset: usize, four_bytes: bool) -> Option<u32> {
    if four_bytes {
        let b: [u8; 4] = head.get(offset..offset + 4)?.try_into().ok()?;
        Some(u32::from_be_bytes(b))
    } else {
        let b: [u8; 2] = head.get(offset..offset + 2)?.try_into().ok()?;
        // In a database header, 1 stands for 65536.
        match u16::from_be_bytes(b) {
            1 => Some(65_536),
            n => Some(u32::from(n)),
        }
    }
}

/// Creates a file readable and writable by its owner only.
fn create_private(path: &Path) -> std::io::Result<File> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)
}

/// Opens the store's database at `path`, creating it (owner-only) when absent.
///
/// # Errors
/// [`StoreError::Damaged`] naming the file when the database or its write-ahead
/// log exists but is not a store this version can read whole; SQLite's errors.
pub(crate) fn open(path: &Path) -> Result<Connection, StoreError> {
    if let Some(dir) = path.parent() {
        if !dir.as_os_str().is_empty() {
            std::fs::create_dir_all(dir)?;
        }
    }
    let wal = sibling(path, "-wal");
    let wal_len = std::fs::metadata(&wal).map_or(0, |m| m.len());
    match std::fs::metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            if wal_len > 0 {
                return Err(damaged(
                    &wal,
                    "a write-ahead log without its database (the database file is missing)",
                ));
            }
            create(path)?;
        }
        Err(e) => return Err(e.into()),
        Ok(meta) if meta.len() == 0 => {
            return Err(damaged(path, "the database file is empty (0 bytes)"));
        }
        Ok(_) => check_headers(path, &wal, wal_len)?,
    }
    let conn = Connection::open(path).map_err(|e| damaged(path, e.to_string()))?;
    check_tables(&conn, path)?;
    Ok(conn)
}

/// Creates the database whole under a temporary name, then renames it: a crash
/// in between leaves no empty database file behind.
fn create(path: &Path) -> Result<(), StoreError> {
    let fresh = sibling(path, ".new");
    for leftover in [
        fresh.clone(),
        sibling(&fresh, "-wal"),
        sibling(&fresh, "-shm"),
    ] {
        match std::fs::remove_file(&leftover) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e.into()),
            _ => {}
        }
    }
    drop(create_private(&fresh)?);
    {
        let conn = Connection::open(&fresh)?;
        // A one-page database in rollback mode: no write-ahead log to leave behind.
        conn.execute_batch("CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;")?;
    }
    std::fs::rename(&fresh, path)?;
    Ok(())
}

/// The database file starts as SQLite's does, and a write-ahead log, when
/// present, is one (its magic) of the same page size.
fn check_headers(path: &Path, wal: &Path, wal_len: u64) -> Result<(), StoreError> {
    let head = read_head(path, 100)?;
    if head.get(..16) != Some(DB_MAGIC.as_slice()) {
        return Err(damaged(path, "not a SQLite database"));
    }
    if wal_len >= 32 {
        let wal_head = read_head(wal, 32)?;
        let magic = page_size_at(&wal_head, 0, true).unwrap_or(0);
        if !WAL_MAGIC.contains(&magic) {
            return Err(damaged(wal, "not a SQLite write-ahead log"));
        }
        let db_page = page_size_at(&head, 16, false);
        let wal_page = page_size_at(&wal_head, 8, true);
        if db_page != wal_page {
            return Err(damaged(
                wal,
                format!(
                    "the write-ahead log does not match its database (page size {} against {})",
                    wal_page.unwrap_or(0),
                    db_page.unwrap_or(0)
                ),
            ));
        }
    }
    Ok(())
}

/// Every table is the store's (or a checkpoint table), and a store with rows has
/// its cursor secret.
fn check_tables(conn: &Connection, path: &Path) -> Result<(), StoreError> {
    let bad = |e: rusqlite::Error| damaged(path, e.to_string());
    let mut stmt = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
        .map_err(bad)?;
    let tables = stmt
        .query_map([], |r| r.get::<_, String>(0))
        .map_err(bad)?
        .collect::<Result<Vec<_>, _>>()
        .map_err(bad)?;
    drop(stmt);
    if let Some(foreign) = tables.iter().find(|t| {
        !OURS.contains(&t.as_str()) && !t.starts_with("checkpoint_") && !t.starts_with("sqlite_")
    }) {
        return Err(damaged(
            path,
            format!("a database of something else (it has a table `{foreign}`)"),
        ));
    }
    if tables.iter().any(|t| t == "entity") {
        let rows: i64 = conn
            .query_row("SELECT count(*) FROM entity", [], |r| r.get(0))
            .map_err(bad)?;
        let secret: i64 = if tables.iter().any(|t| t == "meta") {
            conn.query_row(
                "SELECT count(*) FROM meta WHERE name = 'cursor_key'",
                [],
                |r| r.get(0),
            )
            .map_err(bad)?
        } else {
            0
        };
        if rows > 0 && secret == 0 {
            return Err(damaged(
                path,
                "the store has rows but no `meta` cursor secret",
            ));
        }
    }
    Ok(())
}

/// Caps the database at about `bytes` (SQLite's `max_page_count`).
pub(crate) fn limit_size(conn: &Connection, bytes: u64) -> Result<(), StoreError> {
    let page: i64 = conn.query_row("PRAGMA page_size", [], |r| r.get(0))?;
    let pages = bytes / u64::try_from(page.max(1)).unwrap_or(4096);
    let pages = pages.max(1);
    conn.query_row(&format!("PRAGMA max_page_count = {pages}"), [], |_| Ok(()))?;
    Ok(())
}
