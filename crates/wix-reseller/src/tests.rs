//! The three tasks of the guide stay within their line budgets: the lines a
//! reader writes (the visible lines of each example, hidden set-up excluded, as
//! counted in `docs/ergonomics.md`).

#![allow(clippy::unwrap_used, clippy::expect_used)]

/// The visible lines of the code block under the guide's heading `heading`.
fn visible_lines(heading: &str) -> usize {
    let docs: Vec<&str> = include_str!("lib.rs")
        .lines()
        .filter_map(|l| l.strip_prefix("//!"))
        .map(|l| l.strip_prefix(' ').unwrap_or(l))
        .collect();
    let start = docs
        .iter()
        .position(|l| l.starts_with("# ") && l.contains(heading))
        .expect("the heading");
    let mut lines = docs
        .iter()
        .skip(start + 1)
        .skip_while(|l| !l.starts_with("```"));
    lines.next();
    lines
        .take_while(|l| !l.starts_with("```"))
        .filter(|l| !(l.is_empty() || *l == &"#" || l.starts_with("# ")))
        .count()
}

#[test]
fn the_three_tasks_fit_their_line_budgets() {
    let (a, b, c) = (
        visible_lines("Task (a)"),
        visible_lines("Task (b)"),
        visible_lines("Task (c)"),
    );
    assert!(a > 5 && a <= 25, "task (a): {a} lines");
    assert!(b > 5 && b <= 25, "task (b): {b} lines");
    assert!(c > 5 && c <= 20, "task (c): {c} lines");
}
