//! The dashboard's browser test: the check that Chromium and chromedriver are
//! installed (before `cargo xtask ci` runs the test, so a missing browser fails
//! the run with a clear message instead of deep inside the test), and `cargo
//! xtask screenshot`, which runs the same test to write the README's picture.
//!
//! The test target (`reseller-emulator`'s `dashboard_browser`) has `test = false`:
//! a plain `cargo test` leaves it out, `cargo xtask ci` runs it as its own step,
//! and the test itself fails, never skips, when the browser is missing.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context as _, Result, bail};

use crate::ci::cargo_binary;

/// Where `cargo xtask screenshot` writes the README's picture.
pub(crate) const README_PICTURE: &str = "docs/images/dashboard.png";

/// The cargo arguments that run the browser test.
pub(crate) const TEST_ARGS: &[&str] = &[
    "test",
    "-p",
    "reseller-emulator",
    "--all-features",
    "--test",
    "dashboard_browser",
];

/// The first of `names` found on `PATH`.
fn on_path(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|dir| names.iter().map(move |name| dir.join(name)))
        .find(|candidate| candidate.is_file())
}

/// Makes sure a Chromium and its chromedriver are on `PATH`: when either is
/// missing on a Debian machine where this runs as root (a fresh CI machine, a
/// fresh container), installs Debian's `chromium` and `chromium-driver` with
/// apt-get first, so `cargo xtask ci` works on a fresh machine as the README says;
/// anywhere else it fails naming what is missing and the line that installs it.
pub(crate) fn check() -> Result<()> {
    let missing = on_path(&["chromium", "chromium-browser", "google-chrome"]).is_none()
        || on_path(&["chromedriver"]).is_none();
    if missing && on_path(&["apt-get"]).is_some() && running_as_root() {
        eprintln!("xtask: installing chromium and chromium-driver with apt-get");
        run_apt(&["update"])?;
        run_apt(&["install", "-y", "chromium", "chromium-driver"])?;
    }
    found()
}

/// Whether this process runs as root (`id -u` prints 0).
fn running_as_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|out| out.status.success() && out.stdout.trim_ascii() == b"0")
}

/// Runs `apt-get ARGS` without questions; fails when it fails.
fn run_apt(args: &[&str]) -> Result<()> {
    let status = Command::new("apt-get")
        .args(args)
        .env("DEBIAN_FRONTEND", "noninteractive")
        .status()
        .context("could not start apt-get")?;
    if !status.success() {
        bail!("apt-get {} failed ({status})", args.join(" "));
    }
    Ok(())
}

/// Fails unless a Chromium and its chromedriver are on `PATH`.
fn found() -> Result<()> {
    let chromium = on_path(&["chromium", "chromium-browser", "google-chrome"]);
    let driver = on_path(&["chromedriver"]);
    match (chromium, driver) {
        (Some(chromium), Some(driver)) => {
            eprintln!(
                "xtask: browser test uses {} and {}",
                chromium.display(),
                driver.display()
            );
            Ok(())
        }
        (chromium, driver) => bail!(
            "the dashboard's browser test needs Chromium and chromedriver on PATH \
             (missing:{}{}); install them with `apt-get install -y chromium chromium-driver` \
             (.ci/run does)",
            if chromium.is_none() { " chromium" } else { "" },
            if driver.is_none() {
                " chromedriver"
            } else {
                ""
            },
        ),
    }
}

/// `cargo xtask screenshot`: runs the browser test with the README's picture as
/// its output.
pub(crate) fn screenshot(root: &Path) -> Result<()> {
    check()?;
    let picture = root.join(README_PICTURE);
    if let Some(dir) = picture.parent() {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    let status = Command::new(cargo_binary())
        .args(TEST_ARGS)
        .env("RESELLER_DASHBOARD_SCREENSHOT", &picture)
        .current_dir(root)
        .status()
        .context("could not start cargo")?;
    if !status.success() {
        bail!("the browser test failed ({status}); no picture written");
    }
    let size = std::fs::metadata(&picture)
        .with_context(|| format!("the test wrote no {}", picture.display()))?
        .len();
    eprintln!("xtask: wrote {} ({size} bytes)", picture.display());
    Ok(())
}
