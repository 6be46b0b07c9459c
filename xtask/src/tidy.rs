//! Tidy checks: repository conventions that a compiler does not enforce.
//!
//! - `reseller-domain` keeps its normal dependencies (`[dependencies]` and
//!   `[target.*.dependencies]`) on an allowlist: `thiserror`, `uuid`, `chrono`,
//!   and `serde` only when `optional = true`. The domain is pure: no async
//!   runtime, no HTTP, no JSON. Dev- and build-dependencies are not checked.
//! - Every crate under `crates/` starts its `src/lib.rs` / `src/main.rs` with a
//!   `//!` crate doc comment.
//! - Every crate directory under `crates/` is named after its package.
//! - `ARCHITECTURE.md` is true to the tree (`architecture`): its edge list is the
//!   workspace's dependencies, every crate's modules are named in its section, it
//!   lists every file of `docs/` and names no file outside the repository.
//! - Every "must not depend on" rule of `ARCHITECTURE.md`, from the resolved graph
//!   of `cargo metadata` (`deps`: one row per crate, a crate without one fails).
//!
//! The checks run as `cargo xtask tidy` and as the `workspace_is_tidy` test, so
//! `cargo test --workspace` (and thus CI) fails when they fail.

use std::fs;
use std::path::Path;

use anyhow::{Result, bail};

use crate::manifest::{self, Item, Value};
use crate::{architecture, deps};

/// The crate whose dependencies are on an allowlist.
const DOMAIN_CRATE: &str = "reseller-domain";

/// Crates `reseller-domain` may depend on unconditionally.
const DOMAIN_ALLOWED: &[&str] = &["thiserror", "uuid", "chrono"];

/// Crates `reseller-domain` may depend on only as `optional = true` (behind a feature).
const DOMAIN_ALLOWED_IF_OPTIONAL: &[&str] = &["serde"];

/// Runs every check against the workspace at `root`, printing each problem.
pub(crate) fn run(root: &Path) -> Result<()> {
    let problems = check_workspace(root);
    if problems.is_empty() {
        eprintln!("tidy: ok");
        return Ok(());
    }
    for problem in &problems {
        eprintln!("tidy: {problem}");
    }
    bail!("tidy found {} problem(s)", problems.len())
}

/// Runs every check against the workspace at `root`; returns the problems found.
pub(crate) fn check_workspace(root: &Path) -> Vec<String> {
    let mut problems = Vec::new();

    let domain_manifest = format!("crates/{DOMAIN_CRATE}/Cargo.toml");
    match fs::read_to_string(root.join(&domain_manifest)) {
        Ok(text) => problems.extend(
            check_domain_manifest(&text)
                .into_iter()
                .map(|problem| format!("{domain_manifest}: {problem}")),
        ),
        Err(error) => problems.push(format!("{domain_manifest}: cannot read: {error}")),
    }

    match crate_dirs(root) {
        Ok(names) => {
            for name in names {
                problems.extend(check_crate(&root.join("crates").join(&name), &name));
            }
        }
        Err(error) => problems.push(format!("crates/: cannot list: {error}")),
    }
    problems.extend(check_docs_name_real_tests(root));
    problems.extend(check_dependency_rules(root));
    problems
}

/// The "must not depend on" rules of ARCHITECTURE.md ([`deps::RULES`]) against the
/// resolved graph, and the table against the document.
fn check_dependency_rules(root: &Path) -> Vec<String> {
    let (mut problems, graph) = match deps::Graph::load(root) {
        Ok(graph) => (deps::check(&graph, deps::RULES), Some(graph)),
        Err(error) => (
            vec![format!("cannot read the dependency graph: {error:#}")],
            None,
        ),
    };
    match fs::read_to_string(root.join("ARCHITECTURE.md")) {
        Ok(text) => {
            problems.extend(deps::check_mirrors_architecture(&text, deps::RULES));
            problems.extend(architecture::check(&text, root, graph.as_ref()));
        }
        Err(error) => problems.push(format!("ARCHITECTURE.md: cannot read: {error}")),
    }
    problems
}

/// The docs that name tests (`it::…`, `query::…` in backticks).
const DOCS_NAMING_TESTS: &[&str] = &["docs/rules.md", "docs/decisions.md"];

/// Every test a rules document names must exist as a `fn` somewhere under `crates/`
/// or `xtask/`, so the rules table cannot point at a test that was renamed or removed.
fn check_docs_name_real_tests(root: &Path) -> Vec<String> {
    let mut sources = String::new();
    collect_rust_sources(&root.join("crates"), &mut sources);
    collect_rust_sources(&root.join("xtask"), &mut sources);
    let mut problems = Vec::new();
    for doc in DOCS_NAMING_TESTS {
        let Ok(text) = fs::read_to_string(root.join(doc)) else {
            problems.push(format!("{doc}: cannot read"));
            continue;
        };
        for name in named_tests(&text) {
            if !sources.contains(&format!("fn {name}(")) {
                problems.push(format!("{doc}: names test `{name}`, which does not exist"));
            }
        }
    }
    problems
}

/// The last path segment of every backticked `a::b::test_name` in `text`, plus every
/// backticked bare `module::test` written without a crate prefix.
fn named_tests(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (i, piece) in text.split('`').enumerate() {
        // Odd pieces are inside backticks.
        if i % 2 == 0 || !piece.contains("::") {
            continue;
        }
        let is_path = piece
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == ':');
        if !is_path {
            continue;
        }
        if let Some(last) = piece.rsplit("::").next() {
            if !last.is_empty() {
                out.push(last.to_owned());
            }
        }
    }
    out
}

/// Appends the text of every `.rs` file below `dir` (recursively).
fn collect_rust_sources(dir: &Path, out: &mut String) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            if path.file_name().is_some_and(|n| n == "target") {
                continue;
            }
            collect_rust_sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            if let Ok(text) = fs::read_to_string(&path) {
                out.push_str(&text);
                out.push('\n');
            }
        }
    }
}

/// The names of the directories under `root/crates`, sorted, hidden ones skipped.
fn crate_dirs(root: &Path) -> std::io::Result<Vec<String>> {
    let mut names = Vec::new();
    for entry in fs::read_dir(root.join("crates"))? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if entry.file_type()?.is_dir() && !name.starts_with('.') {
            names.push(name);
        }
    }
    names.sort();
    Ok(names)
}

/// Checks one crate directory `crates/<name>`: its package name and its `//!` header.
fn check_crate(dir: &Path, name: &str) -> Vec<String> {
    let mut problems = Vec::new();
    match fs::read_to_string(dir.join("Cargo.toml")) {
        Ok(text) => match package_name(&text) {
            Ok(package) if package == name => {}
            Ok(package) => problems.push(format!(
                "crates/{name}: directory name `{name}` differs from package name `{package}`; \
                 rename one so they match"
            )),
            Err(error) => problems.push(format!("crates/{name}/Cargo.toml: {error}")),
        },
        Err(error) => problems.push(format!("crates/{name}/Cargo.toml: cannot read: {error}")),
    }

    let mut roots = 0;
    for source in ["src/lib.rs", "src/main.rs"] {
        let Ok(text) = fs::read_to_string(dir.join(source)) else {
            continue;
        };
        roots += 1;
        if !starts_with_crate_doc(&text) {
            problems.push(format!(
                "crates/{name}/{source}: the first line must be a `//!` crate doc comment \
                 saying what the crate is for"
            ));
        }
    }
    if roots == 0 {
        problems.push(format!(
            "crates/{name}: has neither src/lib.rs nor src/main.rs"
        ));
    }
    problems
}

/// Whether the first line of a crate root is a `//!` doc comment.
fn starts_with_crate_doc(source: &str) -> bool {
    source.trim_start_matches('\u{feff}').starts_with("//!")
}

/// The `[package] name` of a manifest.
fn package_name(manifest_text: &str) -> Result<String, String> {
    let items = manifest::parse(manifest_text).map_err(|error| format!("cannot parse: {error}"))?;
    items
        .into_iter()
        .find_map(|item| match item {
            Item::Pair {
                path,
                value: Value::String(name),
                ..
            } if path == ["package", "name"] => Some(name),
            _ => None,
        })
        .ok_or_else(|| "no `[package] name`".to_owned())
}

/// A normal (non-dev, non-build) dependency declared in a manifest.
#[derive(Debug)]
struct Dependency {
    /// The table it is declared in: `[dependencies]` or `[target.<cfg>.dependencies]`.
    table: String,
    /// The dependency's key (its name in Rust code).
    key: String,
    /// The crate it really is, when renamed with `package = "..."`.
    package: Option<String>,
    /// Whether it has `optional = true`.
    optional: bool,
    /// The line where it is first declared.
    line: usize,
}

impl Dependency {
    /// The name of the crate depended on.
    fn crate_name(&self) -> &str {
        self.package.as_deref().unwrap_or(&self.key)
    }

    /// Records an attribute (`optional`, `package`, ...) found at `attr` under the key.
    fn set(&mut self, attr: &[String], value: &Value) {
        match (attr, value) {
            (_, Value::Table(entries)) => {
                for (key, value) in entries {
                    let mut path = attr.to_vec();
                    path.extend(key.iter().cloned());
                    self.set(&path, value);
                }
            }
            ([name], value) if name == "optional" => self.optional = *value == Value::Bool(true),
            ([name], Value::String(package)) if name == "package" => {
                self.package = Some(package.clone())
            }
            _ => {}
        }
    }
}

/// If `path` lies inside a normal dependency, splits it into
/// (table, dependency key, attribute path).
fn split_dependency_path(path: &[String]) -> Option<(String, &str, &[String])> {
    match path {
        [table, key, attr @ ..] if table == "dependencies" => {
            Some(("[dependencies]".to_owned(), key, attr))
        }
        [target, cfg, table, key, attr @ ..] if target == "target" && table == "dependencies" => {
            Some((format!("[target.'{cfg}'.dependencies]"), key, attr))
        }
        _ => None,
    }
}

/// Every normal dependency a manifest declares, in order of first appearance.
fn normal_dependencies(items: &[Item]) -> Vec<Dependency> {
    let mut dependencies: Vec<Dependency> = Vec::new();
    for item in items {
        let (path, value, line) = match item {
            Item::Header { path, line } => (path, None, *line),
            Item::Pair { path, value, line } => (path, Some(value), *line),
        };
        let Some((table, key, attr)) = split_dependency_path(path) else {
            continue;
        };
        let index = match dependencies
            .iter()
            .position(|dep| dep.table == table && dep.key == key)
        {
            Some(index) => index,
            None => {
                dependencies.push(Dependency {
                    table,
                    key: key.to_owned(),
                    package: None,
                    optional: false,
                    line,
                });
                dependencies.len() - 1
            }
        };
        if let (Some(dependency), Some(value)) = (dependencies.get_mut(index), value) {
            dependency.set(attr, value);
        }
    }
    dependencies
}

/// Checks `reseller-domain`'s manifest against the dependency allowlist.
fn check_domain_manifest(manifest_text: &str) -> Vec<String> {
    let items = match manifest::parse(manifest_text) {
        Ok(items) => items,
        Err(error) => return vec![format!("cannot parse: {error}")],
    };
    normal_dependencies(&items)
        .iter()
        .filter(|dep| {
            let name = dep.crate_name();
            !(DOMAIN_ALLOWED.contains(&name)
                || (dep.optional && DOMAIN_ALLOWED_IF_OPTIONAL.contains(&name)))
        })
        .map(|dep| {
            let what = match &dep.package {
                Some(package) => format!("`{}` (package `{package}`)", dep.key),
                None => format!("`{}`", dep.key),
            };
            format!(
                "line {}: dependency {what} in {} is not allowed: {DOMAIN_CRATE} is the pure \
                 core (no I/O, no async, no JSON) and may depend only on {} (and on {} with \
                 `optional = true`)",
                dep.line,
                dep.table,
                DOMAIN_ALLOWED.join(", "),
                DOMAIN_ALLOWED_IF_OPTIONAL.join(", "),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn rules_documents_name_tests_by_their_last_segment() {
        let text = "| a | `it::packages::r1_1_x` | `SITE_NOT_FOUND`, `query::tests::props::y_z`, `a b::c` |";
        assert_eq!(super::named_tests(text), ["r1_1_x", "y_z"]);
    }

    use super::*;

    /// Today's real manifest, the baseline the other cases edit.
    const ALLOWED: &str = r#"
[package]
name = "reseller-domain"
version.workspace = true

[features]
serde = ["dep:serde"]

[dependencies]
thiserror.workspace = true
uuid = { workspace = true }
chrono = { version = "0.4", default-features = false, features = [
    "std",
] } # comment

[dev-dependencies]
proptest.workspace = true
tokio = { version = "1", features = ["full"] }

[build-dependencies]
cc = "1"

[lints]
workspace = true
"#;

    /// The allowed manifest with `extra` appended to its `[dependencies]` table.
    fn with_dependency(extra: &str) -> String {
        ALLOWED.replace(
            "[dev-dependencies]",
            &format!("{extra}\n\n[dev-dependencies]"),
        )
    }

    fn assert_passes(text: &str) {
        let problems = check_domain_manifest(text);
        assert!(
            problems.is_empty(),
            "expected no problems, got {problems:#?}"
        );
    }

    fn assert_fails(text: &str, crate_name: &str) {
        let problems = check_domain_manifest(text);
        assert_eq!(problems.len(), 1, "expected one problem, got {problems:#?}");
        assert!(
            problems
                .iter()
                .all(|problem| problem.contains(&format!("`{crate_name}`"))),
            "{problems:#?}"
        );
    }

    #[test]
    fn allowed_manifest_passes() {
        assert_passes(ALLOWED);
        assert_passes("[package]\nname = \"reseller-domain\"\n");
    }

    #[test]
    fn other_dependencies_fail() {
        assert_fails(&with_dependency("tokio = \"1\""), "tokio");
        assert_fails(&with_dependency("tokio.workspace = true"), "tokio");
        assert_fails(&with_dependency("\"tokio\" = { version = \"1\" }"), "tokio");
        assert_fails(
            &with_dependency("serde_json = { workspace = true, optional = true }"),
            "serde_json",
        );
    }

    #[test]
    fn serde_passes_only_when_optional() {
        assert_fails(&with_dependency("serde = \"1\""), "serde");
        assert_fails(&with_dependency("serde.workspace = true"), "serde");
        assert_fails(
            &with_dependency("serde = { version = \"1\", optional = false }"),
            "serde",
        );
        assert_passes(&with_dependency(
            "serde = { version = \"1\", optional = true }",
        ));
        assert_passes(&with_dependency(
            "serde = { workspace = true, optional = true }",
        ));
        assert_passes(&with_dependency(
            "serde.workspace = true\nserde.optional = true",
        ));
    }

    #[test]
    fn dependency_tables_fail() {
        assert_fails(
            &format!("{ALLOWED}\n[dependencies.reqwest]\nversion = \"0.12\"\n"),
            "reqwest",
        );
        assert_fails(&format!("{ALLOWED}\n[dependencies.reqwest]\n"), "reqwest");
        assert_passes(&format!(
            "{ALLOWED}\n[dependencies.serde]\nworkspace = true\noptional = true\n"
        ));
        assert_fails(
            &format!("{ALLOWED}\n[dependencies.serde]\nworkspace = true\n"),
            "serde",
        );
    }

    #[test]
    fn target_dependencies_are_checked() {
        assert_fails(
            &format!("{ALLOWED}\n[target.'cfg(unix)'.dependencies]\nlibc = \"0.2\"\n"),
            "libc",
        );
        assert_fails(
            &format!(
                "{ALLOWED}\n[target.\"wasm32-unknown-unknown\".dependencies.axum]\n\
                 version = \"0.8\"\n"
            ),
            "axum",
        );
        assert_passes(&format!(
            "{ALLOWED}\n[target.'cfg(unix)'.dependencies]\nuuid.workspace = true\n"
        ));
        assert_passes(&format!(
            "{ALLOWED}\n[target.'cfg(unix)'.dev-dependencies]\nlibc = \"0.2\"\n"
        ));
    }

    #[test]
    fn renames_and_dotted_top_level_keys_are_seen_through() {
        assert_fails(
            &with_dependency("thiserror2 = { package = \"tokio\", version = \"1\" }"),
            "thiserror2",
        );
        assert_passes(&with_dependency(
            "errors = { package = \"thiserror\", version = \"2\" }",
        ));
        assert_fails(&format!("dependencies.tokio = \"1\"\n{ALLOWED}"), "tokio");
    }

    #[test]
    fn dev_and_build_dependencies_and_comments_are_ignored() {
        assert_passes(&with_dependency("# tokio = \"1\"\n"));
        assert_passes(&format!(
            "{ALLOWED}\n[dev-dependencies.axum]\nversion = \"0.8\"\n"
        ));
    }

    #[test]
    fn unparsable_manifest_fails() {
        let problems = check_domain_manifest("[dependencies\ntokio = \"1\"\n");
        assert_eq!(problems.len(), 1, "{problems:#?}");
    }

    #[test]
    fn package_names_and_crate_docs() {
        assert_eq!(package_name(ALLOWED), Ok("reseller-domain".to_owned()));
        assert!(package_name("[lib]\nname = \"x\"\n").is_err());
        assert!(starts_with_crate_doc("//! Crate docs.\n\npub mod a;\n"));
        assert!(!starts_with_crate_doc("pub mod a;\n//! Late.\n"));
        assert!(!starts_with_crate_doc("// Not a doc comment.\n"));
    }

    #[test]
    fn crate_checks_report_name_and_header_problems() {
        let dir = std::env::temp_dir().join(format!("xtask-tidy-{}", std::process::id()));
        let krate = dir.join("crates").join("adapter-memory");
        fs::create_dir_all(krate.join("src")).unwrap();
        fs::write(
            krate.join("Cargo.toml"),
            "[package]\nname = \"memory-adapter\"\n",
        )
        .unwrap();
        fs::write(krate.join("src/lib.rs"), "pub mod a;\n").unwrap();
        let problems = check_crate(&krate, "adapter-memory");
        fs::remove_dir_all(&dir).unwrap();
        assert_eq!(problems.len(), 2, "{problems:#?}");
        assert!(
            problems
                .iter()
                .any(|problem| problem.contains("`memory-adapter`"))
        );
        assert!(
            problems
                .iter()
                .any(|problem| problem.contains("src/lib.rs"))
        );
    }

    /// The real workspace: fails CI when a convention above is broken.
    #[test]
    fn workspace_is_tidy() {
        let problems = check_workspace(&crate::project_root());
        assert!(
            problems.is_empty(),
            "tidy problems:\n{}",
            problems.join("\n")
        );
    }
}
