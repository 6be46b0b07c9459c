//! The dependency rules of `ARCHITECTURE.md`, checked against the resolved graph
//! that `cargo metadata --all-features` prints.
//!
//! [`RULES`] holds one row per workspace crate and mirrors the "**Must not depend
//! on:**" paragraphs of `ARCHITECTURE.md`: adding a crate is adding its row (tidy
//! fails for a crate without one), and every crate a row forbids must be named in
//! that crate's section of `ARCHITECTURE.md`, so the table and the prose cannot
//! drift apart silently.
//!
//! "Depends on" means a normal or build dependency, direct or through other crates
//! (with every feature on, on every platform); dev-dependencies are the tests' own
//! business and never count, except where a row says no crate may point at it at all.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command;

use anyhow::{Context as _, Result, bail};
use serde_json::Value;

use crate::ci::cargo_binary;

/// In a [`Rules::never`] list: every workspace crate but the one the row is about.
const WORKSPACE: &str = "@workspace";
/// In a [`Rules::never`] list: every adapter (the HTTP client, the in-memory Wix and
/// the emulator, which serves it), but the crate the row is about.
const ADAPTERS: &str = "@adapters";
/// The crates [`ADAPTERS`] stands for.
const ADAPTER_CRATES: &[&str] = &["adapter-memory", "adapter-wix-http", "reseller-emulator"];

/// Who may depend on a crate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Dependents {
    /// Any crate, in any way.
    Anyone,
    /// Other crates only as a dev-dependency (a test-only library).
    DevOnly,
    /// No other crate, not even as a dev-dependency (a leaf: a binary or a facade).
    Nobody,
}

/// The rules of one crate, as its section of `ARCHITECTURE.md` states them.
#[derive(Debug)]
pub(crate) struct Rules {
    /// The package name.
    krate: &'static str,
    /// Crates it must not depend on, directly or through others (or a group:
    /// [`WORKSPACE`], [`ADAPTERS`]).
    never: &'static [&'static str],
    /// Crates it must not name in its own manifest (other crates may bring them).
    not_directly: &'static [&'static str],
    /// When set, its direct dependencies are workspace crates or these, nothing else.
    only: Option<&'static [&'static str]>,
    /// Who may depend on it.
    dependents: Dependents,
}

impl Rules {
    /// A crate with no rule yet: anything goes.
    const fn new(krate: &'static str) -> Self {
        Self {
            krate,
            never: &[],
            not_directly: &[],
            only: None,
            dependents: Dependents::Anyone,
        }
    }

    /// Must not depend on any of `crates`, directly or through others.
    const fn never(mut self, crates: &'static [&'static str]) -> Self {
        self.never = crates;
        self
    }

    /// Must not list any of `crates` among its own dependencies.
    const fn not_directly(mut self, crates: &'static [&'static str]) -> Self {
        self.not_directly = crates;
        self
    }

    /// Depends directly on workspace crates and `crates` only.
    const fn only(mut self, crates: &'static [&'static str]) -> Self {
        self.only = Some(crates);
        self
    }

    /// Who may depend on it.
    const fn dependents(mut self, dependents: Dependents) -> Self {
        self.dependents = dependents;
        self
    }
}

/// One row per workspace crate, in the order of `ARCHITECTURE.md`'s code map.
#[rustfmt::skip]
pub(crate) const RULES: &[Rules] = &[
    Rules::new("wix-reseller").only(&["futures-util", "mockall"]).dependents(Dependents::Nobody),
    Rules::new("reseller-domain").never(&[WORKSPACE]).only(&["thiserror", "uuid", "chrono", "serde"]),
    Rules::new("reseller-ports").never(&["reqwest", "axum", "hyper", "tokio", ADAPTERS]),
    Rules::new("reseller-wire").never(&["reqwest", "axum", "hyper", "tokio", "reseller-ports", ADAPTERS]),
    Rules::new("adapter-memory").never(&["reqwest", "axum", "hyper", ADAPTERS]),
    Rules::new("adapter-wix-http").never(&["axum", ADAPTERS]),
    Rules::new("reseller-contract").never(&["reqwest", "axum", "reseller-wire", ADAPTERS]).dependents(Dependents::DevOnly),
    Rules::new("xtask").only(&["anyhow", "serde_json"]).dependents(Dependents::Nobody),
    Rules::new("reseller-emulator").never(&["reqwest", "adapter-wix-http", "reseller-app"]),
    Rules::new("reseller-cli").not_directly(&["axum"]).dependents(Dependents::Nobody),
    Rules::new("reseller-app").never(&["reqwest", "axum", "rusqlite", "reseller-wire", ADAPTERS]),
];

/// The part of the resolved dependency graph the rules look at.
#[derive(Debug, Clone, Default)]
pub(crate) struct Graph {
    /// The workspace's package names.
    members: BTreeSet<String>,
    /// Package name to the names of its normal and build dependencies.
    uses: BTreeMap<String, BTreeSet<String>>,
    /// Package name to the names of its dev-dependencies (only those).
    dev_uses: BTreeMap<String, BTreeSet<String>>,
}

impl Graph {
    /// Reads the graph of the workspace at `root` with `cargo metadata`, every feature on.
    pub(crate) fn load(root: &Path) -> Result<Self> {
        let output = Command::new(cargo_binary())
            .args(["metadata", "--format-version", "1", "--all-features"])
            .current_dir(root)
            .output()
            .context("could not run `cargo metadata`")?;
        if !output.status.success() {
            bail!(
                "`cargo metadata` failed ({}): {}",
                output.status,
                String::from_utf8_lossy(&output.stderr)
            );
        }
        let metadata: Value = serde_json::from_slice(&output.stdout)
            .context("`cargo metadata` printed something that is not JSON")?;
        Self::from_metadata(&metadata)
    }

    /// The graph of a `cargo metadata` document.
    fn from_metadata(metadata: &Value) -> Result<Self> {
        let mut names = BTreeMap::new();
        for package in array(metadata, "packages")? {
            names.insert(string(package, "id")?, string(package, "name")?);
        }
        let name_of = |id: &str| {
            names
                .get(id)
                .cloned()
                .with_context(|| format!("`cargo metadata` names unknown package `{id}`"))
        };
        let mut graph = Self::default();
        for id in array(metadata, "workspace_members")? {
            let id = id
                .as_str()
                .context("a workspace member id is not a string")?;
            graph.members.insert(name_of(id)?);
        }
        let resolve = metadata
            .get("resolve")
            .context("`cargo metadata` has no `resolve`")?;
        for node in array(resolve, "nodes")? {
            let from = name_of(&string(node, "id")?)?;
            for dep in array(node, "deps")? {
                let to = name_of(&string(dep, "pkg")?)?;
                let mut runtime = false;
                for kind in array(dep, "dep_kinds")? {
                    // `null` is a normal dependency; "build" counts too; "dev" does not.
                    runtime |= kind.get("kind").and_then(Value::as_str) != Some("dev");
                }
                let table = if runtime {
                    &mut graph.uses
                } else {
                    &mut graph.dev_uses
                };
                table.entry(from.clone()).or_default().insert(to);
            }
        }
        Ok(graph)
    }

    /// Adds a dependency edge (tests use it to break a rule on purpose).
    #[cfg(test)]
    fn add(&mut self, from: &str, to: &str, dev: bool) {
        let table = if dev {
            &mut self.dev_uses
        } else {
            &mut self.uses
        };
        table
            .entry(from.to_owned())
            .or_default()
            .insert(to.to_owned());
    }

    /// The workspace's crates.
    pub(crate) fn members(&self) -> &BTreeSet<String> {
        &self.members
    }

    /// The workspace crates `krate` names directly: its dev-dependencies when `dev`,
    /// else its normal and build dependencies.
    pub(crate) fn direct_members(&self, krate: &str, dev: bool) -> BTreeSet<String> {
        let table = if dev { &self.dev_uses } else { &self.uses };
        table
            .get(krate)
            .into_iter()
            .flatten()
            .filter(|name| self.members.contains(*name))
            .cloned()
            .collect()
    }

    /// The crates `krate` uses directly (normal and build dependencies).
    fn direct(&self, krate: &str) -> BTreeSet<String> {
        self.uses.get(krate).cloned().unwrap_or_default()
    }

    /// The path `krate -> ... -> target` through normal and build dependencies, if any.
    fn path_to(&self, krate: &str, target: &str) -> Option<Vec<String>> {
        let mut came_from: BTreeMap<String, String> = BTreeMap::new();
        let mut queue = std::collections::VecDeque::from([krate.to_owned()]);
        while let Some(at) = queue.pop_front() {
            for next in self.direct(&at) {
                if next == krate || came_from.contains_key(&next) {
                    continue;
                }
                came_from.insert(next.clone(), at.clone());
                if next == target {
                    let mut path = vec![next];
                    while let Some(previous) = path.last().and_then(|last| came_from.get(last)) {
                        path.push(previous.clone());
                    }
                    path.reverse();
                    return Some(path);
                }
                queue.push_back(next);
            }
        }
        None
    }

    /// What a `never` list forbids for `krate`, groups expanded.
    fn expand(&self, krate: &str, list: &[&str]) -> Vec<String> {
        let mut out = Vec::new();
        for &name in list {
            match name {
                WORKSPACE => out.extend(self.members.iter().cloned()),
                ADAPTERS => out.extend(ADAPTER_CRATES.iter().map(|&name| name.to_owned())),
                name => out.push(name.to_owned()),
            }
        }
        out.retain(|name| name != krate);
        out
    }
}

/// The array member `key` of `value`.
fn array<'a>(value: &'a Value, key: &str) -> Result<&'a Vec<Value>> {
    value
        .get(key)
        .and_then(Value::as_array)
        .with_context(|| format!("`cargo metadata`: `{key}` is not an array"))
}

/// The string member `key` of `value`, owned.
fn string(value: &Value, key: &str) -> Result<String> {
    value
        .get(key)
        .and_then(Value::as_str)
        .map(str::to_owned)
        .with_context(|| format!("`cargo metadata`: `{key}` is not a string"))
}

/// Every broken rule of `rules` in `graph`, and every crate without a row.
pub(crate) fn check(graph: &Graph, rules: &[Rules]) -> Vec<String> {
    let mut problems = Vec::new();
    for member in &graph.members {
        if !rules.iter().any(|rule| rule.krate == member.as_str()) {
            problems.push(format!(
                "crate `{member}` has no row in xtask's dependency rules (xtask/src/deps.rs \
                 RULES): add one that states what ARCHITECTURE.md says it must not depend on"
            ));
        }
    }
    for rule in rules {
        let krate = rule.krate;
        if !graph.members.contains(krate) {
            problems.push(format!(
                "xtask's dependency rules name `{krate}`, which is not a workspace crate"
            ));
            continue;
        }
        for forbidden in graph.expand(krate, rule.never) {
            if let Some(path) = graph.path_to(krate, &forbidden) {
                problems.push(format!(
                    "`{krate}` must not depend on `{forbidden}` (ARCHITECTURE.md), but does: {}",
                    path.join(" -> ")
                ));
            }
        }
        let direct = graph.direct(krate);
        for forbidden in rule.not_directly {
            if direct.contains(*forbidden) {
                problems.push(format!(
                    "`{krate}` must not depend on `{forbidden}` directly (ARCHITECTURE.md)"
                ));
            }
        }
        if let Some(only) = rule.only {
            for dep in &direct {
                if !graph.members.contains(dep) && !only.contains(&dep.as_str()) {
                    problems.push(format!(
                        "`{krate}` may depend only on workspace crates and {} (ARCHITECTURE.md), \
                         not on `{dep}`",
                        only.join(", ")
                    ));
                }
            }
        }
        for other in graph.members.iter().filter(|other| other.as_str() != krate) {
            let uses = graph.direct(other).contains(krate);
            let dev_uses = graph
                .dev_uses
                .get(other)
                .is_some_and(|dev| dev.contains(krate));
            let broken = match rule.dependents {
                Dependents::Anyone => false,
                Dependents::DevOnly => uses,
                Dependents::Nobody => uses || dev_uses,
            };
            if broken {
                let allowed = match rule.dependents {
                    Dependents::DevOnly => "only as a dev-dependency",
                    _ => "at all",
                };
                problems.push(format!(
                    "`{other}` depends on `{krate}`, which other crates may depend on {allowed} \
                     (ARCHITECTURE.md)"
                ));
            }
        }
    }
    problems
}

/// Every crate a row forbids by name must be named in the crate's section of
/// `ARCHITECTURE.md` (the `###` heading naming `crates/NAME` in backticks, or
/// `NAME` alone for `xtask`).
pub(crate) fn check_mirrors_architecture(architecture: &str, rules: &[Rules]) -> Vec<String> {
    let mut problems = Vec::new();
    for rule in rules {
        let Some(section) = section(architecture, rule.krate) else {
            problems.push(format!(
                "ARCHITECTURE.md has no section for `{}` (a `### `crates/{}`` heading)",
                rule.krate, rule.krate
            ));
            continue;
        };
        let named = rule
            .never
            .iter()
            .chain(rule.not_directly)
            .chain(rule.only.unwrap_or_default())
            .filter(|name| !name.starts_with('@'));
        for name in named {
            if !section.contains(name) {
                problems.push(format!(
                    "xtask's dependency rules for `{}` name `{name}`, which its section of \
                     ARCHITECTURE.md does not mention",
                    rule.krate
                ));
            }
        }
    }
    problems
}

/// The text of the `###` section of `architecture` about `krate`, up to the next heading.
pub(crate) fn section<'a>(architecture: &'a str, krate: &str) -> Option<&'a str> {
    let headings = [format!("### `crates/{krate}`"), format!("### `{krate}`")];
    let start = headings
        .iter()
        .find_map(|heading| architecture.find(&format!("{heading}\n")))?;
    let rest = architecture.get(start + 4..)?;
    let end = rest.find("\n#").map_or(rest.len(), |end| end + 1);
    rest.get(..end)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The workspace's real graph (read once).
    fn real() -> Graph {
        static GRAPH: std::sync::OnceLock<Graph> = std::sync::OnceLock::new();
        GRAPH
            .get_or_init(|| Graph::load(&crate::project_root()).expect("cargo metadata"))
            .clone()
    }

    /// Tidy fails on `graph`, and one of its problems says `needle`.
    fn assert_fails(graph: &Graph, needle: &str) {
        let problems = check(graph, RULES);
        assert!(problems.iter().any(|p| p.contains(needle)), "{problems:#?}");
    }

    #[test]
    fn the_workspace_keeps_every_rule() {
        let problems = check(&real(), RULES);
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }

    #[test]
    fn the_rules_mirror_architecture_md() {
        let text = std::fs::read_to_string(crate::project_root().join("ARCHITECTURE.md")).unwrap();
        let problems = check_mirrors_architecture(&text, RULES);
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }

    #[test]
    fn a_forbidden_direct_dependency_fails() {
        let mut graph = real();
        graph.add("reseller-app", "adapter-memory", false);
        assert_fails(&graph, "`reseller-app` must not depend on `adapter-memory`");
        let mut graph = real();
        graph.add("reseller-domain", "reseller-ports", false);
        assert_fails(
            &graph,
            "`reseller-domain` must not depend on `reseller-ports`",
        );
    }

    #[test]
    fn a_forbidden_crate_reached_through_another_fails_and_names_the_path() {
        let mut graph = real();
        graph.add("reseller-ports", "some-helper", false);
        graph.add("some-helper", "tokio", false);
        assert_fails(&graph, "reseller-ports -> some-helper -> tokio");
    }

    #[test]
    fn every_row_is_enforced() {
        // One forbidden edge per row that forbids something: each makes tidy fail.
        for rule in RULES {
            let graph = real();
            let forbidden = graph
                .expand(rule.krate, rule.never)
                .into_iter()
                .chain(rule.not_directly.iter().map(|name| (*name).to_owned()))
                .next()
                .or_else(|| rule.only.map(|_| "left-pad".to_owned()));
            let Some(forbidden) = forbidden else {
                continue;
            };
            let mut broken = graph.clone();
            broken.add(rule.krate, &forbidden, false);
            assert!(
                !check(&broken, RULES).is_empty(),
                "{} -> {forbidden}",
                rule.krate
            );
        }
    }

    #[test]
    fn dev_dependencies_do_not_count_but_dependents_rules_see_them() {
        let mut graph = real();
        graph.add("reseller-app", "adapter-memory", true);
        graph.add("reseller-ports", "reseller-contract", true);
        assert!(check(&graph, RULES).is_empty());
        graph.add("adapter-memory", "reseller-contract", false);
        assert_fails(&graph, "only as a dev-dependency");
        let mut graph = real();
        graph.add("reseller-app", "wix-reseller", true);
        assert_fails(&graph, "`reseller-app` depends on `wix-reseller`");
    }

    #[test]
    fn direct_only_rules_and_allowlists() {
        let mut graph = real();
        // The CLI reaches axum through the emulator: allowed; naming it itself is not.
        assert!(graph.path_to("reseller-cli", "axum").is_some());
        graph.add("reseller-cli", "axum", false);
        assert_fails(&graph, "`reseller-cli` must not depend on `axum` directly");
        let mut graph = real();
        graph.add("wix-reseller", "serde", false);
        assert_fails(&graph, "not on `serde`");
    }

    #[test]
    fn a_crate_without_a_row_fails() {
        let mut graph = real();
        graph.members.insert("reseller-new".to_owned());
        assert_fails(&graph, "`reseller-new` has no row");
    }

    #[test]
    fn a_row_naming_what_architecture_md_does_not_fails() {
        let text = "### `crates/reseller-app`\n\nMust not depend on: reqwest.\n\n### `xtask`\n";
        let rules = [Rules::new("reseller-app").never(&["reqwest", "hyper"])];
        let problems = check_mirrors_architecture(text, &rules);
        assert_eq!(problems.len(), 1, "{problems:#?}");
        assert!(problems[0].contains("`hyper`"));
        assert_eq!(
            check_mirrors_architecture(text, &[Rules::new("xtask").only(&["anyhow"])]).len(),
            1
        );
    }
}
