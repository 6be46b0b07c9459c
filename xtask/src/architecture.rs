//! The checks that keep `ARCHITECTURE.md` true to the tree:
//!
//! - its edge list (the fenced block whose lines read `crate → a, b; dev: c`) is
//!   exactly the workspace's direct dependencies between its own crates, normal
//!   and dev, as `cargo metadata` resolves them;
//! - every top-level module of every crate under `crates/` (a `src/NAME.rs` or a
//!   `src/NAME/` directory; `lib`, `main` and `tests` aside) is named in backticks
//!   in that crate's section, so a new module cannot go unmapped;
//! - a source file with more than [`LONG_FILE`] lines of non-test code (the lines
//!   before its first `#[cfg(test)]`; `tests.rs` and `tests/` files are tests) is
//!   named in the "File size" paragraph, which says why it is one file;
//! - the `docs/` section lists every Markdown file of `docs/`;
//! - no line names a file outside the repository (the project's private `spec/`).

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

use crate::deps::{self, Graph};

/// The arrow of an edge line (`→`, or `->` for those who type it).
const ARROWS: &[&str] = &[" → ", " -> "];

/// The house limit of a source file's non-test lines.
const LONG_FILE: usize = 700;

/// A crate's direct workspace dependencies as the document states them.
#[derive(Debug, Default, PartialEq, Eq)]
struct Edges {
    /// Normal (and build) dependencies.
    uses: BTreeSet<String>,
    /// Dev-dependencies.
    dev: BTreeSet<String>,
}

/// Every problem of `text` (ARCHITECTURE.md) against the workspace at `root` and
/// its resolved `graph`.
pub(crate) fn check(text: &str, root: &Path, graph: Option<&Graph>) -> Vec<String> {
    let mut problems = check_docs_and_outside_files(text, &doc_files(root));
    if let Some(graph) = graph {
        problems.extend(check_edges(text, graph));
    }
    problems.extend(check_modules(text, &crate_modules(root)));
    problems.extend(check_long_files(text, &long_files(root)));
    problems
}

/// The non-test lines of a source: those before its first `#[cfg(test)]`.
fn non_test_lines(source: &str) -> usize {
    source
        .lines()
        .take_while(|line| line.trim() != "#[cfg(test)]")
        .count()
}

/// Every source file of `crates/*/src` and `xtask/src` over [`LONG_FILE`] non-test
/// lines, as `crate/src/path.rs` (`xtask/src/path.rs`).
fn long_files(root: &Path) -> Vec<String> {
    let mut sources = Vec::new();
    for entry in fs::read_dir(root.join("crates"))
        .into_iter()
        .flatten()
        .flatten()
    {
        let name = entry.file_name().to_string_lossy().into_owned();
        rust_files(
            &entry.path().join("src"),
            &format!("{name}/src"),
            &mut sources,
        );
    }
    rust_files(&root.join("xtask/src"), "xtask/src", &mut sources);
    let mut long: Vec<String> = sources
        .into_iter()
        .filter(|(path, _)| !path.ends_with("/tests.rs") && !path.contains("/tests/"))
        .filter(|(_, lines)| *lines > LONG_FILE)
        .map(|(path, _)| path)
        .collect();
    long.sort();
    long
}

/// The `.rs` files below `dir`, named from `prefix`, with their non-test lines.
fn rust_files(dir: &Path, prefix: &str, out: &mut Vec<(String, usize)>) {
    for entry in fs::read_dir(dir).into_iter().flatten().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, &format!("{prefix}/{name}"), out);
        } else if name.ends_with(".rs") {
            let lines = fs::read_to_string(&path).map_or(0, |text| non_test_lines(&text));
            out.push((format!("{prefix}/{name}"), lines));
        }
    }
}

/// Each long file is named (in backticks) in the paragraph that starts with
/// `**File size.**`.
fn check_long_files(text: &str, long: &[String]) -> Vec<String> {
    let paragraph = text
        .split("\n\n")
        .find(|paragraph| paragraph.starts_with("**File size.**"))
        .unwrap_or_default();
    long.iter()
        .filter(|path| !paragraph.contains(&format!("`{path}`")))
        .map(|path| {
            format!(
                "{path} has more than {LONG_FILE} lines of non-test code: split it, or say \
                 why it is one file in ARCHITECTURE.md's **File size.** paragraph"
            )
        })
        .collect()
}

/// The names of the Markdown files directly under `root/docs`, sorted.
fn doc_files(root: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(root.join("docs"))
        .into_iter()
        .flatten()
        .flatten()
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".md"))
        .collect();
    names.sort();
    names
}

/// The `docs/` section lists every file of `docs/`, and no line names a file
/// outside the repository (the project's private `spec/` documents).
fn check_docs_and_outside_files(text: &str, docs: &[String]) -> Vec<String> {
    let mut problems = Vec::new();
    let section = text
        .split("\n### ")
        .find(|section| section.starts_with("`docs/`"))
        .unwrap_or_default();
    for doc in docs {
        if !section.contains(&format!("`{doc}`")) {
            problems.push(format!(
                "ARCHITECTURE.md: its `docs/` section does not list docs/{doc}"
            ));
        }
    }
    for (number, line) in text.lines().enumerate() {
        if line.contains("spec/") {
            problems.push(format!(
                "ARCHITECTURE.md:{}: names a file outside the repository (`spec/`)",
                number + 1
            ));
        }
    }
    problems
}

/// The edge lines of the document: `crate → a, b; dev: c` (`(none)` for no crate),
/// read from fenced blocks only.
fn stated_edges(text: &str) -> Result<BTreeMap<String, Edges>, String> {
    let mut edges = BTreeMap::new();
    let mut fenced = false;
    for (number, line) in text.lines().enumerate() {
        if line.starts_with("```") {
            fenced = !fenced;
            continue;
        }
        let Some((krate, rest)) = ARROWS.iter().find_map(|arrow| line.split_once(arrow)) else {
            continue;
        };
        if !fenced {
            continue;
        }
        let krate = krate.trim();
        let (uses, dev) = rest.split_once(';').unwrap_or((rest, ""));
        let dev = match dev.trim() {
            "" => "",
            dev => dev.strip_prefix("dev:").ok_or_else(|| {
                format!(
                    "ARCHITECTURE.md:{}: after `;` an edge line says `dev: …`",
                    number + 1
                )
            })?,
        };
        let stated = Edges {
            uses: names(uses),
            dev: names(dev),
        };
        if edges.insert(krate.to_owned(), stated).is_some() {
            return Err(format!(
                "ARCHITECTURE.md:{}: a second edge line for `{krate}`",
                number + 1
            ));
        }
    }
    Ok(edges)
}

/// The crate names of a comma-separated list (`(none)` is the empty list).
fn names(list: &str) -> BTreeSet<String> {
    list.split(',')
        .map(str::trim)
        .filter(|name| !name.is_empty() && *name != "(none)")
        .map(str::to_owned)
        .collect()
}

/// The edge list against the graph: one line per workspace crate, each naming
/// exactly its direct workspace dependencies.
fn check_edges(text: &str, graph: &Graph) -> Vec<String> {
    let stated = match stated_edges(text) {
        Ok(stated) => stated,
        Err(problem) => return vec![problem],
    };
    let mut problems = Vec::new();
    for krate in graph.members() {
        let actual = Edges {
            uses: graph.direct_members(krate, false),
            dev: graph.direct_members(krate, true),
        };
        match stated.get(krate) {
            None => problems.push(format!(
                "ARCHITECTURE.md: the edge list has no line for `{krate}` (`{krate} → …`)"
            )),
            Some(stated) if *stated != actual => problems.push(format!(
                "ARCHITECTURE.md: the edge list says `{krate} → {}; dev: {}`, but its \
                 manifest has `{krate} → {}; dev: {}`",
                list(&stated.uses),
                list(&stated.dev),
                list(&actual.uses),
                list(&actual.dev)
            )),
            Some(_) => {}
        }
    }
    for krate in stated.keys() {
        if !graph.members().contains(krate) {
            problems.push(format!(
                "ARCHITECTURE.md: the edge list names `{krate}`, which is no workspace crate"
            ));
        }
    }
    problems
}

/// A set as the edge list writes it.
fn list(names: &BTreeSet<String>) -> String {
    if names.is_empty() {
        return "(none)".to_owned();
    }
    names.iter().cloned().collect::<Vec<_>>().join(", ")
}

/// Each crate directory under `root/crates` with its top-level module names.
fn crate_modules(root: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let mut crates = BTreeMap::new();
    for entry in fs::read_dir(root.join("crates"))
        .into_iter()
        .flatten()
        .flatten()
    {
        let name = entry.file_name().to_string_lossy().into_owned();
        let mut modules = BTreeSet::new();
        for file in fs::read_dir(entry.path().join("src"))
            .into_iter()
            .flatten()
            .flatten()
        {
            let file_name = file.file_name().to_string_lossy().into_owned();
            let module = match file_name.strip_suffix(".rs") {
                Some(module) => module.to_owned(),
                None if file.path().is_dir() => file_name,
                None => continue,
            };
            if !matches!(module.as_str(), "lib" | "main" | "tests") {
                modules.insert(module);
            }
        }
        crates.insert(name, modules);
    }
    crates
}

/// Every module of `modules` (crate to module names) is named in its crate's
/// section: `` `name` ``, `` `name/…` `` or `` `name::…` `` in backticks.
fn check_modules(text: &str, modules: &BTreeMap<String, BTreeSet<String>>) -> Vec<String> {
    let mut problems = Vec::new();
    for (krate, names) in modules {
        let Some(section) = deps::section(text, krate) else {
            problems.push(format!(
                "ARCHITECTURE.md has no section for `crates/{krate}`"
            ));
            continue;
        };
        for module in names {
            let named = [
                format!("`{module}`"),
                format!("`{module}/"),
                format!("`{module}::"),
                format!("`{module}.rs"),
            ]
            .iter()
            .any(|form| section.contains(form.as_str()));
            if !named {
                problems.push(format!(
                    "ARCHITECTURE.md: the section of `crates/{krate}` does not name its \
                     module `{module}` (src/{module}.rs)"
                ));
            }
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn architecture_lists_every_doc_and_names_no_outside_file() {
        let text = "# A\n\n### `docs/`\n\n`rules.md`: rules.\n\n### `xtask`\n\n`flows.md` here.\n";
        let docs = ["rules.md".to_owned(), "flows.md".to_owned()];
        let problems = check_docs_and_outside_files(text, &docs);
        assert_eq!(problems.len(), 1, "{problems:#?}");
        assert!(problems[0].contains("docs/flows.md"));
        let problems =
            check_docs_and_outside_files(&format!("{text}See `spec/emulator.md`.\n"), &docs[..1]);
        assert_eq!(problems.len(), 1, "{problems:#?}");
        assert!(problems[0].contains(":10:"), "{problems:#?}");
    }

    /// The workspace's real graph.
    fn real() -> Graph {
        deps::Graph::load(&crate::project_root()).expect("cargo metadata")
    }

    /// The real document's edge list, with `line` of `krate` replaced.
    fn with_line(krate: &str, line: &str) -> String {
        let text = fs::read_to_string(crate::project_root().join("ARCHITECTURE.md"))
            .expect("ARCHITECTURE.md");
        text.lines()
            .map(|l| {
                if l.split_once(" → ")
                    .is_some_and(|(name, _)| name.trim() == krate)
                {
                    line.to_owned()
                } else {
                    l.to_owned()
                }
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn an_edge_the_document_omits_or_invents_fails() {
        let graph = real();
        let omitted = with_line("reseller-ports", "reseller-ports → (none)");
        let problems = check_edges(&omitted, &graph);
        assert_eq!(problems.len(), 1, "{problems:#?}");
        assert!(
            problems[0].contains("reseller-ports → reseller-domain"),
            "{problems:#?}"
        );
        let invented = with_line(
            "reseller-wire",
            "reseller-wire → reseller-domain, reseller-ports",
        );
        assert_eq!(check_edges(&invented, &graph).len(), 1);
        let dev_omitted = with_line("reseller-domain", "reseller-domain → (none)");
        assert_eq!(check_edges(&dev_omitted, &graph).len(), 1);
        let missing = with_line("xtask", "");
        let problems = check_edges(&missing, &graph);
        assert!(problems[0].contains("no line for `xtask`"), "{problems:#?}");
    }

    #[test]
    fn edge_lines_outside_a_fence_or_malformed_are_not_taken() {
        let text = "a → b\n```\nc → d, e; dev: f\nx → (none)\n```\n";
        let stated = stated_edges(text).expect("well formed");
        assert_eq!(stated.len(), 2, "{stated:#?}");
        assert_eq!(stated["c"].uses.len(), 2);
        assert_eq!(stated["c"].dev.len(), 1);
        assert!(stated["x"].uses.is_empty());
        assert!(stated_edges("```\nc → d; f\n```\n").is_err());
        assert!(stated_edges("```\nc → d\nc → e\n```\n").is_err());
    }

    #[test]
    fn a_long_file_is_split_or_named_in_the_file_size_paragraph() {
        let source = format!(
            "{}#[cfg(test)]\nmod tests {{}}\n",
            "fn f() {}\n".repeat(701)
        );
        assert_eq!(non_test_lines(&source), 701);
        assert_eq!(non_test_lines("fn f() {}\n"), 1);
        let long = ["alpha/src/engine.rs".to_owned()];
        let named = "# A\n\n**File size.** Long: `alpha/src/engine.rs` (a table).\n";
        assert!(check_long_files(named, &long).is_empty());
        let elsewhere = "# A\n\n`alpha/src/engine.rs`\n\n**File size.** None.\n";
        let problems = check_long_files(elsewhere, &long);
        assert_eq!(problems.len(), 1, "{problems:#?}");
        assert!(
            problems[0].starts_with("alpha/src/engine.rs"),
            "{problems:#?}"
        );
    }

    #[test]
    fn a_module_the_crate_section_does_not_name_fails() {
        let text = "### `crates/alpha`\n\nThe `engine` and `engine/packages`; `query::x`.\n\n### `crates/beta`\n\n`store`\n";
        let mut modules = BTreeMap::new();
        modules.insert(
            "alpha".to_owned(),
            BTreeSet::from(["engine".to_owned(), "query".to_owned(), "store".to_owned()]),
        );
        let problems = check_modules(text, &modules);
        assert_eq!(problems.len(), 1, "{problems:#?}");
        assert!(problems[0].contains("module `store`"), "{problems:#?}");
        modules.insert("gamma".to_owned(), BTreeSet::new());
        assert_eq!(check_modules(text, &modules).len(), 2);
    }
}
