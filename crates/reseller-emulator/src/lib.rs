//! reseller-emulator: the local Wix Resellers API. An axum application over the
//! rules-faithful in-memory Wix (`adapter-memory`) that serves, at Wix's own paths
//! and in Wix's own JSON, every endpoint of the Resellers API, the B2B
//! site-transfer API, Create Account, List Child Accounts and Query Sites, plus the
//! control API of `spec/emulator.md` under `/_emulator/` (seeding, inspection,
//! emulated clock, provisioning mode, fault injection, request log, state export and
//! import, and the OpenAPI document of both surfaces).
//!
//! It never answers 5xx to what a client sends: bad JSON, wrong types, huge bodies,
//! bad GUIDs, unknown routes and methods get a Wix-shaped 400 or 404. A 5xx comes
//! only from an injected fault or a failed durable store.
//!
//! Its limits: a body of at most 4 MiB ([`MAX_BODY_BYTES`]) that is a JSON object of
//! well-formed UTF-8; the accept loop's [`Limits`] (headers within 10 s, the body
//! within 30 s, 1,024 connections, a 10 s shutdown deadline); at most 1,000 fault
//! rules; a request log of at most 1,000 entries and 4 MiB. `PUT /_emulator/state`
//! takes a document whole or changes nothing.
//!
//! ```no_run
//! # async fn run() -> std::io::Result<()> {
//! use reseller_emulator::Emulator;
//!
//! let emulator = Emulator::in_memory();
//! emulator.load_demo_seed_if_empty().await.map_err(std::io::Error::other)?;
//! let running = emulator.spawn("127.0.0.1:0".parse().map_err(std::io::Error::other)?).await?;
//! println!("serving on {}", running.base_url());
//! running.shutdown().await
//! # }
//! ```

// Handlers return `Result<Response, Response>`: the error is the refusal's answer
// itself, built once and sent as is, so boxing it would only add an allocation.
#![allow(clippy::result_large_err)]

mod body;
mod capture;
mod control;
mod dashboard;
pub mod demo;
mod domains;
mod extend;
mod faults;
mod header;
mod log;
pub mod openapi;
mod reply;
mod request_body;
mod routes;
mod seed;
mod server;
mod sites;
mod wix;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use adapter_memory::{MemoryWix, StoreError};
use axum::Router;
use reseller_ports::PortError;
use reseller_wire::control::{RequestLogEntryDoc, StateDocument};

pub use seed::{DEMO_API_KEY, DEMO_MAIN_ACCOUNT, DEMO_PREMIUM_PLAN, demo_seed};
pub use server::{Limits, Running, serve, serve_with};

use crate::faults::Faults;
use crate::log::RequestLog;

/// The largest request body read (4 MiB); a larger one is answered 400.
pub const MAX_BODY_BYTES: usize = 4 * 1024 * 1024;

/// The file of the durable store inside the state directory.
pub const STATE_FILE: &str = "emulator.sqlite";

/// Why the emulator could not start. The cause is the
/// [`source`](std::error::Error::source), not part of the message.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StartError {
    /// The state directory could not be created.
    #[error("cannot create the state directory {path}")]
    StateDir {
        /// The directory.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The durable store could not be opened.
    #[error("cannot open the state in {path}")]
    Store {
        /// The store file.
        path: PathBuf,
        /// Why.
        source: StoreError,
    },
    /// The seed file could not be read or applied.
    #[error("cannot apply the seed {path}: {message}")]
    Seed {
        /// The seed file.
        path: PathBuf,
        /// Why.
        message: String,
    },
}

/// The emulator: the in-memory Wix, its fault rules, its request log and its
/// admin token. Cheap to clone; every clone serves the same state.
#[derive(Clone)]
pub struct Emulator {
    inner: Arc<Inner>,
}

#[derive(Clone)]
struct Inner {
    wix: MemoryWix,
    faults: Faults,
    log: RequestLog,
    admin_token: Option<String>,
}

impl std::fmt::Debug for Emulator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Emulator")
            .field("durable", &self.inner.wix.is_durable())
            .field(
                "admin_token",
                &self.inner.admin_token.as_ref().map(|_| "<redacted>"),
            )
            .finish_non_exhaustive()
    }
}

impl Emulator {
    /// An emulator over `wix` (in memory or durable), with no admin token.
    pub fn from_wix(wix: MemoryWix) -> Self {
        Self {
            inner: Arc::new(Inner {
                wix,
                faults: Faults::default(),
                log: RequestLog::default(),
                admin_token: None,
            }),
        }
    }

    /// An emulator whose state lives in memory only.
    pub fn in_memory() -> Self {
        Self::from_wix(MemoryWix::new())
    }

    /// An emulator whose state is durable in the directory `dir` (created when
    /// missing): a write answered 2xx survives a crash of the process.
    ///
    /// # Errors
    /// [`StartError`] when the directory or the store cannot be opened.
    pub fn open(dir: impl AsRef<Path>) -> Result<Self, StartError> {
        let dir = dir.as_ref();
        // A new state directory is its owner's only (the state holds API keys).
        let mut builder = std::fs::DirBuilder::new();
        builder.recursive(true);
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
        builder.create(dir).map_err(|source| StartError::StateDir {
            path: dir.to_path_buf(),
            source,
        })?;
        let path = dir.join(STATE_FILE);
        let wix = MemoryWix::builder()
            .open(&path)
            .map_err(|source| StartError::Store { path, source })?;
        Ok(Self::from_wix(wix))
    }

    /// The same emulator, where every `/_emulator/` call needs
    /// `Authorization: Bearer TOKEN`. Call it before the first clone is shared.
    #[must_use]
    pub fn with_admin_token(self, token: Option<String>) -> Self {
        let inner = Arc::unwrap_or_clone(self.inner);
        Self {
            inner: Arc::new(Inner {
                admin_token: token.filter(|t| !t.is_empty()),
                ..inner
            }),
        }
    }

    /// The in-memory Wix behind the HTTP surface (to seed or inspect it in-process).
    pub fn wix(&self) -> &MemoryWix {
        &self.inner.wix
    }

    /// The newest `limit` entries of the request log, newest first: what
    /// `GET /_emulator/requests` answers (method, path, status, duration, the
    /// `wix-account-id` and idempotency key sent; never an API key or a body). The
    /// log keeps the last 1000 requests; reading it is not a request and is not
    /// logged.
    pub fn requests(&self, limit: usize) -> Vec<RequestLogEntryDoc> {
        self.inner.log.newest(limit)
    }

    /// Whether the state has no account yet (a fresh state).
    pub fn is_empty(&self) -> bool {
        self.inner.wix.accounts().is_empty()
    }

    /// Replaces the state with `doc` when the state is empty; answers whether it did.
    ///
    /// # Errors
    /// The refusal of an inconsistent document (nothing changes then).
    pub async fn seed_if_empty(&self, doc: &StateDocument) -> Result<bool, PortError> {
        if !self.is_empty() {
            return Ok(false);
        }
        self.inner.wix.import(doc).await?;
        Ok(true)
    }

    /// Loads the built-in demo seed ([`demo_seed`]) when the state is empty.
    ///
    /// # Errors
    /// As [`Emulator::seed_if_empty`].
    pub async fn load_demo_seed_if_empty(&self) -> Result<bool, PortError> {
        self.seed_if_empty(&demo_seed()).await
    }

    /// Reads the seed file at `path` and applies it when the state is empty.
    ///
    /// # Errors
    /// [`StartError::Seed`] when the file cannot be read, is not a seed document
    /// read whole (as `PUT /_emulator/state` reads one: an object, no unknown
    /// member, numbers in range), or is refused.
    pub async fn seed_file_if_empty(&self, path: &Path) -> Result<bool, StartError> {
        let fail = |message: String| StartError::Seed {
            path: path.to_path_buf(),
            message,
        };
        let text = std::fs::read(path).map_err(|e| fail(e.to_string()))?;
        let doc: StateDocument = body::parse_whole(&text).map_err(fail)?;
        self.seed_if_empty(&doc)
            .await
            .map_err(|e| fail(e.to_string()))
    }

    /// Waits until every answered write is on disk (a no-op in memory).
    ///
    /// # Errors
    /// The store's failure.
    pub async fn flush(&self) -> Result<(), PortError> {
        self.inner.wix.flush().await
    }

    /// The axum router of both surfaces, with fault injection and the request log.
    pub fn router(&self) -> Router {
        Router::new()
            .merge(routes::router())
            .merge(dashboard::routes())
            .fallback(reply::no_route)
            .method_not_allowed_fallback(reply::no_route)
            .layer(axum::middleware::from_fn_with_state(
                self.clone(),
                faults::layer,
            ))
            .with_state(self.clone())
    }

    /// An in-memory emulator holding the demo seed ([`demo`]), served on a free
    /// loopback port until [`Running::shutdown`]: what a test or an example of the
    /// toolkit starts with, in one line. Keep a clone of the emulator first
    /// ([`Emulator::in_memory`], then [`Emulator::spawn`]) to reach its state
    /// directly as well.
    ///
    /// # Errors
    /// The bind error (seeding an empty in-memory store does not fail; if it did,
    /// its error is answered as an [`std::io::Error`] too).
    pub async fn spawn_demo() -> std::io::Result<Running> {
        let emulator = Self::in_memory();
        emulator
            .load_demo_seed_if_empty()
            .await
            .map_err(std::io::Error::other)?;
        emulator
            .spawn(std::net::SocketAddr::from(([127, 0, 0, 1], 0)))
            .await
    }

    /// Serves on `addr` (port 0 picks a free port) until [`Running::shutdown`].
    ///
    /// # Errors
    /// The bind error.
    pub async fn spawn(self, addr: std::net::SocketAddr) -> std::io::Result<Running> {
        server::spawn(self, addr, Limits::default()).await
    }

    /// [`Emulator::spawn`] with the accept loop's `limits` (timeouts, connection
    /// limit, shutdown deadline).
    ///
    /// # Errors
    /// The bind error.
    pub async fn spawn_with(
        self,
        addr: std::net::SocketAddr,
        limits: Limits,
    ) -> std::io::Result<Running> {
        server::spawn(self, addr, limits).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every message of `e`'s chain (`e`, then each `source()`), outermost first.
    fn chain(e: &dyn std::error::Error) -> Vec<String> {
        let mut messages = vec![e.to_string()];
        let mut cause = e.source();
        while let Some(next) = cause {
            messages.push(next.to_string());
            cause = next.source();
        }
        messages
    }

    #[test]
    fn a_state_that_cannot_be_opened_names_each_cause_once_in_the_error_chain() {
        // A file that is not a database (the store's own check refuses it), and a
        // state file that is a directory (SQLite's error, through the store's).
        type Damage = fn(&std::path::Path);
        let cases: [(&str, Damage, usize); 2] = [
            (
                "garbage",
                |file| std::fs::write(file, "not a database\n".repeat(64)).unwrap(),
                2,
            ),
            (
                "directory",
                |file| std::fs::create_dir_all(file.join("inside")).unwrap(),
                3,
            ),
        ];
        for (tag, damage, depth) in cases {
            let dir = std::env::temp_dir().join(format!("emulator-{tag}-{}", std::process::id()));
            std::fs::create_dir_all(&dir).unwrap();
            damage(&dir.join(STATE_FILE));
            let e = Emulator::open(&dir).unwrap_err();
            std::fs::remove_dir_all(&dir).unwrap();
            assert!(matches!(e, StartError::Store { .. }), "{tag}: {e:?}");
            let messages = chain(&e);
            assert!(messages.len() >= depth, "{tag}: {messages:#?}");
            for (i, outer) in messages.iter().enumerate() {
                for inner in messages.iter().skip(i + 1) {
                    assert!(
                        !outer.contains(inner.as_str()),
                        "{tag}: {outer:?} repeats {inner:?}"
                    );
                }
            }
        }
    }
}
