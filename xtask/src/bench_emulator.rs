//! `cargo xtask bench-emulator`: the emulator's load test over loopback.
//!
//! Runs the release-built load generator of reseller-emulator
//! (`crates/reseller-emulator/examples/load.rs`) and passes its output through:
//! for Get Package and for Create Package (durable, and in memory for context),
//! the emulator's requests per second against a bare axum handler answering the
//! same bytes, measured in the same run with 64 connections, rounds alternating
//! the two sides, medians and ratios at the end (the figures of
//! `docs/benchmarks.md`). The generator lives in an example so that this crate
//! stays quick to build; extra arguments (`--seconds 1 --rounds 1` for a quick
//! run, `--scenarios get`, `--help`) go to it unchanged.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context as _, Result, bail};

/// Builds and runs the load generator from the workspace `root` with `args`.
pub(crate) fn run(root: &Path, args: &[String]) -> Result<()> {
    let cargo = crate::ci::cargo_binary();
    // The durable scenario's state directories (removed after each round).
    let dir = target_dir(root).join("bench-emulator");
    let mut command = Command::new(&cargo);
    command
        .args([
            "run",
            "--release",
            "--quiet",
            "-p",
            "reseller-emulator",
            "--example",
            "load",
            "--",
            "--dir",
        ])
        .arg(&dir)
        .args(args)
        .current_dir(root);
    eprintln!(
        "xtask bench-emulator: cargo run --release -p reseller-emulator --example load -- --dir {} {}",
        dir.display(),
        args.join(" ")
    );
    let status = command
        .status()
        .context("could not start `cargo run` (is cargo on PATH?)")?;
    if !status.success() {
        bail!("the load generator failed ({status})");
    }
    Ok(())
}

/// Cargo's target directory: `CARGO_TARGET_DIR` (relative to `root`) or `root/target`.
fn target_dir(root: &Path) -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) if !dir.is_empty() => root.join(dir),
        _ => root.join("target"),
    }
}
