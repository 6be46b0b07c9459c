//! reseller-cli: the `reseller` command line of the Wix reseller toolkit.
//!
//! - `reseller serve` starts the local Wix Resellers API emulator;
//! - `reseller demo` runs the documented reseller flows against an emulator in the
//!   same process, through the real HTTP client;
//! - `reseller packages|instances|sites|accounts ...` call every operation of the
//!   ports against real Wix or an emulator (`--base-url`, `--api-key` /
//!   `WIX_API_KEY`, `--account-id` / `WIX_ACCOUNT_ID`);
//! - `reseller watch` prints the changes of the account's packages as they are
//!   seen (the change feed of reseller-app; Wix has no webhooks for this API);
//! - `reseller reconcile plan|apply --desired FILE` keeps Wix in step with the
//!   reseller's billing: a plan to read, then apply (exit codes: 0 nothing to do,
//!   2 changes, 1 problems);
//! - `reseller completions <shell>` prints a shell completion script.
//!
//! Exit codes: 0 success, 1 refused by the API, 2 usage (bad flags or input),
//! 3 transport failure or unknown outcome. The API key is never printed.

/// Prints a line on stdout, ignoring a closed stdout (a server must not stop
/// because whoever started it stopped reading).
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), $($arg)*);
    }};
}

mod bulk;
mod demo;
mod domains;
mod ops;
mod output;
mod reconcile;
mod serve;
mod watch;

use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand};
use reseller_ports::{ErrorKind, PortError};

use crate::ops::{AccountsCommand, Connection, InstancesCommand, PackagesCommand, SitesCommand};
use crate::output::Format;

/// The command line of the Wix reseller toolkit: the local emulator, a demo of
/// the reseller flows, and every Resellers API operation.
#[derive(Debug, Parser)]
#[command(name = "reseller", version, about, propagate_version = true)]
struct Cli {
    /// How answers are printed: a readable table, or JSON for scripts.
    #[arg(long, global = true, value_enum, default_value_t = Format::Table)]
    output: Format,
    #[command(flatten)]
    connection: Connection,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Start the local Wix Resellers API emulator.
    Serve(serve::Serve),
    /// Run the documented reseller flows, step by step, against an emulator in
    /// this process, through the real HTTP client (no account, key or server needed).
    Demo,
    /// Packages: create (one, or many from a JSONL file), get, cancel, query, set-external-id.
    Packages {
        #[command(subcommand)]
        command: PackagesCommand,
    },
    /// Product instances: assign, unassign, cancel, adjust.
    Instances {
        #[command(subcommand)]
        command: InstancesCommand,
    },
    /// Sites: transfer, list, count.
    Sites {
        #[command(subcommand)]
        command: SitesCommand,
    },
    /// Accounts: create-sub, get, list.
    Accounts {
        #[command(subcommand)]
        command: AccountsCommand,
    },
    /// Domains: check, suggest, connect, list, get, setup.
    Domains {
        #[command(subcommand)]
        command: domains::DomainsCommand,
    },
    /// Print the changes of the packages as they are seen: created, enabled,
    /// failed, canceled, assigned, adjusted... (polls Query Packages; a checkpoint
    /// file lets a restart go on where the last run stopped).
    Watch(watch::Watch),
    /// Keep Wix in step with billing: `plan` prints what differs and what would
    /// change (exit 0 nothing to do, 2 changes, 1 problems), `apply` changes it.
    Reconcile {
        #[command(subcommand)]
        command: reconcile::ReconcileCommand,
    },
    /// Print the completion script of a shell.
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
}

/// Why a command failed, and so its exit code.
#[derive(Debug)]
pub(crate) enum Failure {
    /// Wix (or the emulator) refused: exit code 1.
    Refused(String),
    /// Bad flags or input, found before anything was sent: exit code 2.
    Usage(String),
    /// Nothing or an unknown outcome came back: exit code 3.
    Transport(String),
    /// Exit with this code; everything is said already (`reseller reconcile`).
    Exit(u8),
}

impl Failure {
    fn code(&self) -> u8 {
        match self {
            Self::Refused(_) => 1,
            Self::Usage(_) => 2,
            Self::Transport(_) => 3,
            Self::Exit(code) => *code,
        }
    }

    fn message(&self) -> &str {
        match self {
            Self::Refused(m) | Self::Usage(m) | Self::Transport(m) => m,
            Self::Exit(_) => "",
        }
    }
}

/// `e`'s message followed by each of its causes (`source()`), joined by `: `. The
/// workspace's errors print a cause in their message or through `source()`, never
/// both, so nothing repeats.
pub(crate) fn with_causes(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut cause = e.source();
    while let Some(next) = cause {
        text.push_str(": ");
        text.push_str(&next.to_string());
        cause = next.source();
    }
    text
}

/// Whether `e` means nothing, or nothing readable, came back (exit code 3).
pub(crate) fn is_transport(e: &PortError) -> bool {
    matches!(
        e.kind(),
        ErrorKind::NotSent | ErrorKind::OutcomeUnknown | ErrorKind::UnreadableAnswer
    )
}

impl From<PortError> for Failure {
    fn from(e: PortError) -> Self {
        if is_transport(&e) {
            Self::Transport(e.to_string())
        } else if e.status().is_none() {
            // Refused by the client itself, before sending (no account to act on).
            Self::Usage(e.to_string())
        } else {
            Self::Refused(e.to_string())
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::from(3);
        }
    };
    let format = cli.output;
    let connection = cli.connection;
    let result = runtime.block_on(async move {
        match cli.command {
            Command::Serve(args) => serve::serve(args).await.map_err(Failure::Transport),
            Command::Demo => demo::run(&mut std::io::stdout())
                .await
                .map_err(Failure::Transport),
            Command::Packages { command } => ops::packages(&connection, command, format).await,
            Command::Instances { command } => ops::instances(&connection, command, format).await,
            Command::Sites { command } => ops::sites(&connection, command, format).await,
            Command::Accounts { command } => ops::accounts(&connection, command, format).await,
            Command::Domains { command } => domains::domains(&connection, command, format).await,
            Command::Watch(args) => watch::watch(&connection, args, format).await,
            Command::Reconcile { command } => reconcile::run(&connection, command, format).await,
            Command::Completions { shell } => {
                let mut command = Cli::command();
                let mut script = Vec::new();
                clap_complete::generate(shell, &mut command, "reseller", &mut script);
                use std::io::Write as _;
                let _ = std::io::stdout().write_all(&script);
                Ok(())
            }
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Exit(code)) => ExitCode::from(code),
        Err(failure) => {
            eprintln!("error: {}", failure.message());
            ExitCode::from(failure.code())
        }
    }
}
