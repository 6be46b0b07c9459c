//! `cargo xtask`: the project's own automation, written in Rust so it runs the
//! same way on every machine (the alias lives in `.cargo/config.toml`).
//!
//! Commands are dispatched by a plain `match` on the first argument; add a new
//! one as a module plus one arm in [`main`] and one entry in [`USAGE`], as
//! `bench-emulator` is. Arguments are parsed by hand to keep this crate quick to build.

mod architecture;
mod bench_emulator;
mod browser;
mod ci;
mod deps;
mod manifest;
mod tidy;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The help text printed by `cargo xtask help` (and, on stderr, for usage errors).
const USAGE: &str = "\
Usage: cargo xtask <command>

Commands:
  ci      run what CI runs, stopping at the first failure:
            cargo fmt --check, cargo clippy -D warnings, cargo doc (-D warnings),
            the doc tests, the dashboard's browser test (needs chromium and
            chromedriver: checked first), the tests (cargo nextest if installed,
            else cargo test)
  tidy    check repository conventions: every dependency rule of ARCHITECTURE.md
            (from `cargo metadata`), reseller-domain's dependency allowlist,
            a `//!` header atop every crate, crate directory name == package name,
            ARCHITECTURE.md true to the tree (its edge list, every crate's
            modules, docs/ whole, no file outside the repo)
  bench-emulator [ARGS]
          load-test the emulator over loopback (64 connections; Get Package,
            Create Package durable and in memory) against a bare axum handler
            in the same run; prints req/s and ratios (docs/benchmarks.md).
            ARGS go to the load generator (`--help` lists them), e.g.
            `--seconds 1 --rounds 1` for a quick run (default 5 s, 5 rounds)
  screenshot
          run the dashboard's browser test and write its Packages view to
            docs/images/dashboard.png (the README's picture)
  help    print this help
";

/// Exit code for a command-line usage error (unknown command, stray arguments).
const USAGE_ERROR: u8 = 2;

/// Parses the command line, runs the command and turns its outcome into an exit code.
fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((command, rest)) = args.split_first() else {
        return usage_error("missing command");
    };
    let root = project_root();
    let result = match command.as_str() {
        "help" | "-h" | "--help" => {
            print!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        "ci" | "tidy" | "screenshot" if !rest.is_empty() => {
            return usage_error(&format!("`{command}` takes no arguments, got {rest:?}"));
        }
        "ci" => ci::run(&root),
        "tidy" => tidy::run(&root),
        "screenshot" => browser::screenshot(&root),
        "bench-emulator" => bench_emulator::run(&root, rest),
        other => return usage_error(&format!("unknown command `{other}`")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("xtask: error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

/// Reports a usage error with the help text on stderr and returns exit code 2.
fn usage_error(message: &str) -> ExitCode {
    eprintln!("xtask: {message}\n");
    eprint!("{USAGE}");
    ExitCode::from(USAGE_ERROR)
}

/// The workspace root: the parent of this crate's directory.
fn project_root() -> PathBuf {
    let xtask_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    xtask_dir.parent().unwrap_or(xtask_dir).to_path_buf()
}
