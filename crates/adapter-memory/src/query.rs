//! Query Packages over the indexes: the page a query asks for is found by walking
//! the per-account `createdDate` / `updatedDate` indexes from the cursor's boundary,
//! so its cost depends on the page size and the number of accounts the caller may
//! see, not on the number of packages.
//!
//! The walk collects the page's matches plus at most one match on each side of it,
//! and hands that short slice to the domain's [`Plan::page`], which then builds the
//! same page and the same cursors as a full sort of every match would (the property
//! test `query_index::indexed_pages_equal_the_reference` checks this). Queries the
//! indexes cannot serve in order (two sort fields, offset paging, which must count
//! every match) sort the caller's visible packages instead.

use std::collections::BTreeSet;
use std::iter::Peekable;

use chrono::{DateTime, Utc};
use reseller_domain::auth::Visibility;
use reseller_domain::query::{
    Boundary, Condition, Direction, Filter, KeyField, KeyOp, PackageQuery, Plan, QueryError,
    QueryPage, SortField, SortOrder, Window,
};
use reseller_domain::{AccountId, ExternalId, Package, PackageId, Timestamp, Violation};
use reseller_ports::{PackagesPage, PortError};
use uuid::Uuid;

use crate::state::State;
use crate::tables::{SortIndex, SortKey};

/// Runs `query` for a caller who sees `visibility`.
pub(crate) fn run<'s>(
    state: &'s State,
    visibility: Visibility,
    query: &PackageQuery,
) -> Result<QueryPage<'s>, QueryError> {
    run_over(state, Some(visibility), query)
}

/// Runs `query` over every account's packages (the emulator's own inspection,
/// which acts for no caller).
pub(crate) fn run_every<'s>(
    state: &'s State,
    query: &PackageQuery,
) -> Result<QueryPage<'s>, QueryError> {
    run_over(state, None, query)
}

/// A page of [`run`] or [`run_every`] as the port answers it: the packages
/// cloned out of the state, a refusal as the port's error.
pub(crate) fn owned(page: Result<QueryPage<'_>, QueryError>) -> Result<PackagesPage, PortError> {
    let page = page.map_err(|e| PortError::from(Violation::from(e)))?;
    Ok(PackagesPage {
        packages: page.packages.into_iter().cloned().collect(),
        next_cursor: page.next_cursor,
        prev_cursor: page.prev_cursor,
        total: page.total,
        offset: page.offset,
    })
}

/// Runs `query` over what `visibility` sees (every account when `None`).
fn run_over<'s>(
    state: &'s State,
    visibility: Option<Visibility>,
    query: &PackageQuery,
) -> Result<QueryPage<'s>, QueryError> {
    let key = state.cursor_key.clone();
    let plan = query.resolve(&key)?;
    let visible = |p: &Package| visibility.is_none_or(|v| v.includes(state, p.account_id()));

    if let Some(ids) = direct_candidates(state, plan.filter.as_ref()) {
        let mut matches: Vec<&Package> = ids
            .into_iter()
            .filter_map(|id| state.packages.get(&id))
            .filter(|p| visible(p) && plan.matches(p))
            .collect();
        matches.sort_by(|a, b| plan.sort.compare(a, b));
        return Ok(plan.page(&matches, &key));
    }

    let accounts = candidate_accounts(state, visibility, plan.filter.as_ref());
    let single = match plan.sort.specs() {
        [one] => Some(*one),
        _ => None,
    };
    match (&plan.window, single) {
        (Window::Cursor { limit, boundary }, Some(spec)) => {
            let index = match spec.field {
                SortField::CreatedDate => &state.by_created,
                SortField::UpdatedDate => &state.by_updated,
            };
            let walk = Walk {
                state,
                index,
                accounts: &accounts,
                order: spec.order,
                plan: &plan,
            };
            let limit = usize::try_from(*limit).unwrap_or(usize::MAX).max(1);
            let window = walk.window(boundary.as_ref(), limit);
            Ok(plan.page(&window, &key))
        }
        _ => {
            let mut matches: Vec<&Package> = accounts
                .iter()
                .flat_map(|a| account_range(&state.by_created, *a, None, true))
                .filter_map(|(_, id)| state.packages.get(id))
                .filter(|p| plan.matches(p))
                .collect();
            matches.sort_by(|a, b| plan.sort.compare(a, b));
            Ok(plan.page(&matches, &key))
        }
    }
}

/// The top-level conjuncts of a filter (the filter itself when it is not an AND).
fn conjuncts(filter: &Filter) -> Vec<&Filter> {
    match filter {
        Filter::And(parts) => parts.iter().flat_map(conjuncts).collect(),
        other => vec![other],
    }
}

/// The values a key field must take for the filter to hold, when a top-level
/// conjunct says so (`$eq` or `$in`): `None` when the filter does not pin it.
fn pinned(filter: Option<&Filter>, field: KeyField) -> Option<Vec<String>> {
    let filter = filter?;
    let mut out: Option<Vec<String>> = None;
    for part in conjuncts(filter) {
        if let Filter::Cond(Condition::Key { field: f, op }) = part {
            if *f != field {
                continue;
            }
            let values = match op {
                KeyOp::Eq(v) => vec![v.clone()],
                KeyOp::In(list) => list.clone(),
                _ => continue,
            };
            out = Some(match out {
                None => values,
                Some(prev) => prev.into_iter().filter(|v| values.contains(v)).collect(),
            });
        }
    }
    out
}

/// Packages named by the filter itself (by id or by external id), when it does.
fn direct_candidates(state: &State, filter: Option<&Filter>) -> Option<BTreeSet<PackageId>> {
    if let Some(ids) = pinned(filter, KeyField::Id) {
        return Some(
            ids.iter()
                .filter_map(|t| PackageId::parse(t).ok())
                .filter(|id| state.packages.contains_key(id))
                .collect(),
        );
    }
    if let Some(values) = pinned(filter, KeyField::ExternalId) {
        return Some(
            values
                .iter()
                .filter_map(|v| ExternalId::new(v.as_str()).ok())
                .filter_map(|e| state.by_external.get(&e))
                .flatten()
                .copied()
                .collect(),
        );
    }
    None
}

/// The accounts whose packages may match: the visible ones, narrowed by an
/// `accountId` the filter pins. In id order, without repeats.
fn candidate_accounts(
    state: &State,
    visibility: Option<Visibility>,
    filter: Option<&Filter>,
) -> Vec<AccountId> {
    let visible: Vec<AccountId> = match visibility {
        Some(Visibility::Family(top)) => state.family(top),
        None => {
            let mut every: Vec<AccountId> = state.accounts.keys().copied().collect();
            every.sort();
            every
        }
    };
    match pinned(filter, KeyField::AccountId) {
        None => visible,
        Some(values) => {
            let wanted: BTreeSet<AccountId> = values
                .iter()
                .filter_map(|t| AccountId::parse(t).ok())
                .collect();
            visible.into_iter().filter(|a| wanted.contains(a)).collect()
        }
    }
}

fn min_ts() -> Timestamp {
    Timestamp::new(DateTime::<Utc>::MIN_UTC)
}

fn max_ts() -> Timestamp {
    Timestamp::new(DateTime::<Utc>::MAX_UTC)
}

fn min_id() -> PackageId {
    PackageId::from_uuid(Uuid::nil())
}

fn max_id() -> PackageId {
    PackageId::from_uuid(Uuid::max())
}

/// One account's entries, by sort key then id, both ascending (`ascending`) or
/// both descending; starting at the group of `from` when given (that whole group
/// included).
fn account_range(
    index: &SortIndex,
    account: AccountId,
    from: Option<Timestamp>,
    ascending: bool,
) -> Box<dyn Iterator<Item = &SortKey> + '_> {
    let Some(entries) = index.of(account) else {
        return Box::new(std::iter::empty());
    };
    if ascending {
        let lo = (from.unwrap_or_else(min_ts), min_id());
        Box::new(entries.range(lo..))
    } else {
        let hi = (from.unwrap_or_else(max_ts), max_id());
        Box::new(entries.range(..=hi).rev())
    }
}

/// One account's entries in a given key direction with ids ascending within each
/// key (the package sort order, whose tie-break is always id ascending) or
/// descending (its reverse).
struct Ordered<'a> {
    inner: Peekable<Box<dyn Iterator<Item = &'a SortKey> + 'a>>,
    flip: bool,
    group: Vec<&'a SortKey>,
}

impl<'a> Iterator for Ordered<'a> {
    type Item = &'a SortKey;

    fn next(&mut self) -> Option<Self::Item> {
        if !self.flip {
            return self.inner.next();
        }
        if let Some(e) = self.group.pop() {
            return Some(e);
        }
        let first = self.inner.next()?;
        self.group.push(first);
        while let Some(e) = self.inner.next_if(|e| e.0 == first.0) {
            self.group.push(e);
        }
        // The group came in the wrong id order; popping from the end reverses it.
        self.group.pop()
    }
}

/// A walk over the indexes of the candidate accounts in sort order (or its reverse).
struct Walk<'s, 'p> {
    state: &'s State,
    index: &'s SortIndex,
    accounts: &'p [AccountId],
    order: SortOrder,
    plan: &'p Plan,
}

impl<'s> Walk<'s, '_> {
    /// Every candidate package from the group of `from` on, in sort order
    /// (`forward`) or in reverse sort order.
    fn packages(
        &self,
        from: Option<Timestamp>,
        forward: bool,
    ) -> impl Iterator<Item = &'s Package> + '_ {
        // The key direction of the walk, and whether ids run against it.
        let key_ascending = (self.order == SortOrder::Asc) == forward;
        let ids_ascending = forward;
        let mut lanes: Vec<Peekable<Ordered<'s>>> = self
            .accounts
            .iter()
            .map(|a| {
                Ordered {
                    inner: account_range(self.index, *a, from, key_ascending).peekable(),
                    flip: key_ascending != ids_ascending,
                    group: Vec::new(),
                }
                .peekable()
            })
            .collect();
        let state = self.state;
        std::iter::from_fn(move || {
            let mut best: Option<(usize, &SortKey)> = None;
            for (i, lane) in lanes.iter_mut().enumerate() {
                let Some(e) = lane.peek().copied() else {
                    continue;
                };
                let better = match best {
                    None => true,
                    Some((_, b)) => {
                        let by_key = if key_ascending { e.0 < b.0 } else { e.0 > b.0 };
                        let same_key = e.0 == b.0;
                        let by_id = if ids_ascending { e.1 < b.1 } else { e.1 > b.1 };
                        by_key || (same_key && by_id)
                    }
                };
                if better {
                    best = Some((i, e));
                }
            }
            let (i, e) = best?;
            if let Some(lane) = lanes.get_mut(i) {
                lane.next();
            }
            Some(e.1)
        })
        .filter_map(move |id| state.packages.get(&id))
    }

    /// The page's matches with at most one match before and one after them: enough
    /// for [`Plan::page`] to take the same page and make the same cursors as it
    /// would from every match.
    fn window(&self, boundary: Option<&Boundary>, limit: usize) -> Vec<&'s Package> {
        let plan = self.plan;
        let matches = |p: &&Package| plan.matches(p);
        let take = limit.saturating_add(1);
        match boundary {
            None => self
                .packages(None, true)
                .filter(matches)
                .take(take)
                .collect(),
            Some(b) => {
                let at = b.position.keys().first().copied();
                let admits = |p: &&Package| b.admits(&plan.sort, p);
                match b.direction {
                    Direction::Next => {
                        let before = self
                            .packages(at, false)
                            .filter(|p| !admits(p))
                            .find(matches);
                        let rest = self
                            .packages(at, true)
                            .filter(admits)
                            .filter(matches)
                            .take(take);
                        before.into_iter().chain(rest).collect()
                    }
                    Direction::Prev => {
                        let mut page: Vec<&Package> = self
                            .packages(at, false)
                            .filter(admits)
                            .filter(matches)
                            .take(take)
                            .collect();
                        page.reverse();
                        let after = self.packages(at, true).filter(|p| !admits(p)).find(matches);
                        page.into_iter().chain(after).collect()
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pinned_intersects_eq_and_in() {
        let f = Filter::And(vec![
            Filter::Cond(Condition::Key {
                field: KeyField::AccountId,
                op: KeyOp::In(vec!["a".into(), "b".into()]),
            }),
            Filter::Cond(Condition::Key {
                field: KeyField::AccountId,
                op: KeyOp::Eq("b".into()),
            }),
        ]);
        assert_eq!(
            pinned(Some(&f), KeyField::AccountId),
            Some(vec!["b".to_owned()])
        );
        assert_eq!(pinned(Some(&f), KeyField::Id), None);
        let or = Filter::Or(vec![f.clone()]);
        assert_eq!(pinned(Some(&or), KeyField::AccountId), None);
    }
}
