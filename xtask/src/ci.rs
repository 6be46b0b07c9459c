//! `cargo xtask ci`: what CI runs, in order, stopping at the first failure.
//!
//! 1. `cargo fmt --all -- --check`
//! 2. `cargo clippy --workspace --all-targets --all-features [--locked] -- -D warnings`
//! 3. `RUSTDOCFLAGS=-D warnings cargo doc --workspace --no-deps --all-features`
//!    (the mocks and the facade's feature-gated parts are documented too)
//! 4. `cargo test --workspace --doc --all-features` (nextest does not run doc tests)
//! 5. `cargo test -p reseller-emulator --all-features --test dashboard_browser`: the
//!    dashboard in headless Chromium (its own target, left out of plain `cargo
//!    test`); before anything runs, `browser::check` fails the run when Chromium or
//!    chromedriver is missing
//! 6. `cargo nextest run --workspace --all-features` (or `cargo test`)
//!
//! The tidy checks run in step 6, as an ordinary test of this crate.

use std::ffi::OsString;
use std::fmt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result, bail};

/// One CI step: a named cargo invocation, with extra environment variables.
struct Step {
    /// Short name for the log and the timing summary.
    name: &'static str,
    /// Arguments after `cargo`.
    args: Vec<String>,
    /// Environment variables set for this step only.
    env: Vec<(&'static str, String)>,
}

impl Step {
    /// A step running `cargo <args>`.
    fn new(name: &'static str, args: &[&str]) -> Self {
        Self {
            name,
            args: args.iter().map(|arg| (*arg).to_owned()).collect(),
            env: Vec::new(),
        }
    }

    /// Adds an environment variable for this step.
    fn env(mut self, key: &'static str, value: String) -> Self {
        self.env.push((key, value));
        self
    }
}

impl fmt::Display for Step {
    /// Shows the step as a shell command line, e.g. `RUSTDOCFLAGS='-D warnings' cargo doc`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (key, value) in &self.env {
            write!(f, "{key}='{value}' ")?;
        }
        write!(f, "cargo {}", self.args.join(" "))
    }
}

/// Runs every CI step from the workspace `root`, failing on the first failing step.
pub(crate) fn run(root: &Path) -> Result<()> {
    crate::browser::check()?;
    let cargo = cargo_binary();
    let steps = plan(root, &cargo);
    let count = steps.len();
    let started = Instant::now();
    let mut timings: Vec<(&'static str, Duration)> = Vec::with_capacity(count);

    for (index, step) in steps.iter().enumerate() {
        eprintln!("\n==> [{}/{count}] {}: {step}", index + 1, step.name);
        let step_started = Instant::now();
        let status = Command::new(&cargo)
            .args(&step.args)
            .envs(step.env.iter().map(|(key, value)| (*key, value.as_str())))
            .current_dir(root)
            .status()
            .with_context(|| format!("could not start `{step}` (is cargo on PATH?)"))?;
        let took = step_started.elapsed();
        timings.push((step.name, took));
        if !status.success() {
            print_summary(&timings, started.elapsed());
            bail!(
                "CI step {}/{count} `{}` failed ({status}) after {}: `{step}`",
                index + 1,
                step.name,
                Seconds(took),
            );
        }
        eprintln!("<== {} ok in {}", step.name, Seconds(took));
    }

    print_summary(&timings, started.elapsed());
    eprintln!("xtask ci: all {count} steps passed");
    Ok(())
}

/// The steps to run, adapted to this checkout and machine: `--locked` only when
/// `Cargo.lock` exists, nextest only when `cargo nextest` works.
fn plan(root: &Path, cargo: &OsString) -> Vec<Step> {
    let mut clippy = vec!["clippy", "--workspace", "--all-targets", "--all-features"];
    if root.join("Cargo.lock").is_file() {
        clippy.push("--locked");
    }
    clippy.extend(["--", "-D", "warnings"]);

    let tests = if has_nextest(cargo) {
        Step::new("test", &["nextest", "run", "--workspace", "--all-features"])
    } else {
        eprintln!("xtask ci: `cargo nextest` not available, using `cargo test`");
        Step::new("test", &["test", "--workspace", "--all-features"])
    };

    vec![
        Step::new("fmt", &["fmt", "--all", "--", "--check"]),
        Step::new("clippy", &clippy),
        Step::new(
            "doc",
            &["doc", "--workspace", "--no-deps", "--all-features"],
        )
        .env("RUSTDOCFLAGS", rustdocflags()),
        // Doc tests before the main tests, so the run closes on the test runner's
        // summary of every test rather than on the last crate's doc-test count.
        Step::new(
            "doctest",
            &["test", "--workspace", "--doc", "--all-features"],
        ),
        Step::new("browser", crate::browser::TEST_ARGS),
        tests,
    ]
}

/// `RUSTDOCFLAGS` for the doc step: any flags already set, plus `-D warnings`.
fn rustdocflags() -> String {
    match std::env::var("RUSTDOCFLAGS") {
        Ok(flags) if !flags.trim().is_empty() => format!("{} -D warnings", flags.trim()),
        _ => "-D warnings".to_owned(),
    }
}

/// The cargo to invoke: the one running us (`$CARGO`), else `cargo` from `PATH`.
pub(crate) fn cargo_binary() -> OsString {
    std::env::var_os("CARGO").unwrap_or_else(|| OsString::from("cargo"))
}

/// Whether `cargo nextest --version` runs successfully.
fn has_nextest(cargo: &OsString) -> bool {
    Command::new(cargo)
        .args(["nextest", "--version"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|status| status.success())
}

/// Prints how long each step that ran took, and the total.
fn print_summary(timings: &[(&'static str, Duration)], total: Duration) {
    eprintln!("\nxtask ci timings:");
    for (name, took) in timings {
        eprintln!("  {name:<8} {:>9}", Seconds(*took).to_string());
    }
    eprintln!("  {:<8} {:>9}", "total", Seconds(total).to_string());
}

/// A duration shown as `0.04s`, `12.35s` or `4m05.6s`.
struct Seconds(Duration);

impl fmt::Display for Seconds {
    /// Formats the duration with centiseconds under a minute, tenths past it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let centis = self.0.as_millis() / 10;
        if centis < 6000 {
            write!(f, "{}.{:02}s", centis / 100, centis % 100)
        } else {
            let tenths = centis / 10;
            let (minutes, tenths) = (tenths / 600, tenths % 600);
            write!(f, "{minutes}m{:02}.{}s", tenths / 10, tenths % 10)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_are_readable() {
        assert_eq!(Seconds(Duration::from_millis(0)).to_string(), "0.00s");
        assert_eq!(Seconds(Duration::from_millis(42)).to_string(), "0.04s");
        assert_eq!(Seconds(Duration::from_millis(12_345)).to_string(), "12.34s");
        assert_eq!(Seconds(Duration::from_millis(59_999)).to_string(), "59.99s");
        assert_eq!(
            Seconds(Duration::from_millis(245_600)).to_string(),
            "4m05.6s"
        );
    }

    #[test]
    fn steps_display_as_shell_commands() {
        let step =
            Step::new("doc", &["doc", "--no-deps"]).env("RUSTDOCFLAGS", "-D warnings".into());
        assert_eq!(
            step.to_string(),
            "RUSTDOCFLAGS='-D warnings' cargo doc --no-deps"
        );
    }

    #[test]
    fn plan_runs_the_documented_steps_in_order() {
        let root = crate::project_root();
        let names: Vec<_> = plan(&root, &cargo_binary())
            .iter()
            .map(|step| step.name)
            .collect();
        assert_eq!(
            names,
            ["fmt", "clippy", "doc", "doctest", "browser", "test"]
        );
    }
}
