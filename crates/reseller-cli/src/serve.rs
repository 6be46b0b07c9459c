//! `reseller serve`: the emulator with the flags and `RESELLER_*` environment
//! variables of `spec/emulator.md`; it prints the demo seed's ids and a curl line,
//! and stops gracefully on SIGINT and SIGTERM.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::Args;
use std::time::Duration;

use reseller_emulator::{DEMO_API_KEY, Emulator, Limits};

/// `reseller serve`: flags mirror the `RESELLER_*` environment variables.
#[derive(Debug, Args)]
pub(crate) struct Serve {
    /// The address to listen on (port 0 picks a free port).
    #[arg(long, env = "RESELLER_LISTEN", default_value = "127.0.0.1:8686")]
    listen: SocketAddr,
    /// The directory of the durable state.
    #[arg(long, env = "RESELLER_STATE", default_value = ".reseller/emulator")]
    state: PathBuf,
    /// Keep the state in memory only (nothing survives a restart).
    #[arg(long, env = "RESELLER_IN_MEMORY")]
    in_memory: bool,
    /// A JSON seed file, applied when the state is empty (instead of the demo seed).
    #[arg(long, env = "RESELLER_SEED")]
    seed: Option<PathBuf>,
    /// When set, every `/_emulator/` call needs `Authorization: Bearer TOKEN`.
    #[arg(long, env = "RESELLER_ADMIN_TOKEN", hide_env_values = true)]
    admin_token: Option<String>,
    /// Connections open at once; more wait until one closes.
    #[arg(long, env = "RESELLER_MAX_CONNECTIONS", default_value_t = 1024)]
    max_connections: usize,
    /// Milliseconds a request's headers may take to arrive (an idle connection is
    /// closed after as long).
    #[arg(long, env = "RESELLER_HEADER_TIMEOUT_MS", default_value_t = 10_000)]
    header_timeout_ms: u64,
    /// Milliseconds a request's body may take to arrive after its headers.
    #[arg(long, env = "RESELLER_BODY_TIMEOUT_MS", default_value_t = 30_000)]
    body_timeout_ms: u64,
    /// Milliseconds the shutdown waits for busy connections before closing them.
    #[arg(long, env = "RESELLER_SHUTDOWN_DEADLINE_MS", default_value_t = 10_000)]
    shutdown_deadline_ms: u64,
}

impl Serve {
    fn limits(&self) -> Limits {
        Limits {
            header_timeout: Duration::from_millis(self.header_timeout_ms.max(1)),
            body_timeout: Duration::from_millis(self.body_timeout_ms.max(1)),
            shutdown_deadline: Duration::from_millis(self.shutdown_deadline_ms),
            max_connections: self.max_connections.max(1),
        }
    }
}

/// The log on stderr: `RUST_LOG` (default `info`) filters it; the emulator writes
/// one line per request (method, path, status, duration, account id; never a key).
fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .try_init();
}

/// Keeps SIGXFSZ from killing the server when a file-size limit (`ulimit -f`) is
/// reached: the write then fails like a full disk, the store answers 503 from then
/// on, and every answered write stays on disk. The handler stays for the process.
#[cfg(unix)]
fn survive_file_size_limit() -> Option<tokio::signal::unix::Signal> {
    /// SIGXFSZ on Linux and the BSDs.
    const SIGXFSZ: i32 = 25;
    tokio::signal::unix::signal(tokio::signal::unix::SignalKind::from_raw(SIGXFSZ)).ok()
}

/// Raises the open-files soft limit to the hard limit, so the connection limit,
/// not the descriptors, decides how many clients are served; answers the limit
/// now in force, when known.
fn raise_open_files_limit() -> Option<u64> {
    match rlimit::increase_nofile_limit(u64::MAX) {
        Ok(n) => {
            tracing::debug!(limit = n, "open-files limit");
            Some(n)
        }
        Err(e) => {
            tracing::warn!(error = %e, "the open-files limit could not be raised");
            None
        }
    }
}

/// Descriptors kept free for the store, the listener and the runtime.
const SPARE_FILES: u64 = 64;

/// `limits` with at most as many connections as the open-files limit leaves room
/// for (an accept that fails for want of a descriptor would only be retried).
fn within_open_files(mut limits: Limits, open_files: Option<u64>) -> Limits {
    if let Some(n) = open_files {
        let room = usize::try_from(n.saturating_sub(SPARE_FILES).max(1)).unwrap_or(usize::MAX);
        if room < limits.max_connections {
            tracing::warn!(
                max_connections = room,
                asked = limits.max_connections,
                "the open-files limit leaves room for fewer connections"
            );
            limits.max_connections = room;
        }
    }
    limits
}

/// A future that resolves when SIGINT or SIGTERM arrives. The handlers are
/// installed here, before it is first polled: the server announces its address
/// only after this, so a signal sent as soon as it listens is never missed (a
/// signal before the handlers exist would kill the process without the flush).
fn signalled() -> impl std::future::Future<Output = ()> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let interrupt = signal(SignalKind::interrupt());
        let terminate = signal(SignalKind::terminate());
        async move {
            match (interrupt, terminate) {
                (Ok(mut interrupt), Ok(mut terminate)) => {
                    tokio::select! {
                        _ = interrupt.recv() => {}
                        _ = terminate.recv() => {}
                    }
                }
                (Ok(mut only), Err(_)) | (Err(_), Ok(mut only)) => {
                    only.recv().await;
                }
                (Err(_), Err(_)) => {
                    let _ = tokio::signal::ctrl_c().await;
                }
            }
        }
    }
    #[cfg(not(unix))]
    {
        async {
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}

/// Runs the emulator until SIGINT or SIGTERM.
pub(crate) async fn serve(args: Serve) -> Result<(), String> {
    init_logging();
    let stop = signalled();
    let open_files = raise_open_files_limit();
    #[cfg(unix)]
    let _file_size_limit = survive_file_size_limit();
    let emulator = if args.in_memory {
        Emulator::in_memory()
    } else {
        Emulator::open(&args.state).map_err(|e| crate::with_causes(&e))?
    };
    let emulator = emulator.with_admin_token(args.admin_token.clone());
    let seeded = match &args.seed {
        Some(path) => emulator
            .seed_file_if_empty(path)
            .await
            .map_err(|e| e.to_string())?,
        None => emulator
            .load_demo_seed_if_empty()
            .await
            .map_err(|e| e.to_string())?,
    };
    let listener = tokio::net::TcpListener::bind(args.listen)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", args.listen))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    let where_ = if args.in_memory {
        "in memory".to_owned()
    } else {
        format!("state in {}", args.state.display())
    };
    out!("reseller emulator listening on http://{addr} ({where_})");
    out!("dashboard: http://{addr}/_emulator/ui/");
    if seeded && args.seed.is_none() {
        print_demo(addr);
    } else if seeded {
        out!(
            "seeded from {}",
            args.seed
                .as_deref()
                .map(|p| p.display().to_string())
                .unwrap_or_default()
        );
    }
    reseller_emulator::serve_with(
        listener,
        emulator,
        stop,
        within_open_files(args.limits(), open_files),
    )
    .await
    .map_err(|e| format!("the state could not be flushed: {e}"))?;
    out!("reseller emulator stopped");
    Ok(())
}

/// What the demo seed holds, and a call to paste.
fn print_demo(addr: SocketAddr) {
    let doc = reseller_emulator::demo_seed();
    out!("demo seed loaded:");
    out!("  API key:      {DEMO_API_KEY}");
    for account in &doc.accounts {
        let id = account.id.as_deref().unwrap_or_default();
        let name = account.name.as_deref().unwrap_or_default();
        let role = if account.parent_account_id.is_some() {
            "sub-account"
        } else {
            "main account"
        };
        out!("  {role:<13} {id}  {name}");
    }
    let main = doc
        .accounts
        .first()
        .and_then(|a| a.id.clone())
        .unwrap_or_default();
    out!("try:");
    out!(
        "  curl -s -X POST http://{addr}/resellers/v1/packages/query -H 'Authorization: {DEMO_API_KEY}' -H 'wix-account-id: {main}' -H 'Content-Type: application/json' -d '{{\"query\": {{}}}}'"
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn connections_stay_within_the_open_files_limit() {
        let asked = Limits::default();
        assert_eq!(within_open_files(asked, None), asked);
        assert_eq!(within_open_files(asked, Some(1_048_576)), asked);
        assert_eq!(
            within_open_files(asked, Some(1024)).max_connections,
            1024 - 64
        );
        assert_eq!(within_open_files(asked, Some(10)).max_connections, 1);
    }
}
