//! `reseller serve`: the emulator with the flags and `RESELLER_*` environment
//! variables of `spec/emulator.md`; it prints the demo seed's ids and a curl line,
//! and stops gracefully on SIGINT and SIGTERM.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::Args;
use reseller_emulator::{DEMO_API_KEY, Emulator};

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
}

/// Resolves when SIGINT or SIGTERM arrives.
async fn signalled() {
    let interrupt = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut terminate) => {
                tokio::select! {
                    _ = interrupt => {}
                    _ = terminate.recv() => {}
                }
            }
            Err(_) => {
                let _ = interrupt.await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = interrupt.await;
    }
}

/// Runs the emulator until SIGINT or SIGTERM.
pub(crate) async fn serve(args: Serve) -> Result<(), String> {
    let emulator = if args.in_memory {
        Emulator::in_memory()
    } else {
        Emulator::open(&args.state).map_err(|e| e.to_string())?
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
    reseller_emulator::serve(listener, emulator, signalled())
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
