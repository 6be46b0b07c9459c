//! Query Packages (E3): visibility (R3.1 and the emulator's choices), filters on
//! the fields of spec table 5.1, sorting (R3.2), cursor paging that visits every
//! match once and walks back (R3.3-R3.5), offset paging with `total` (R3.4), and
//! 400 `INVALID_CURSOR` for a cursor that was altered.
//!
//! A refused query (unknown field or operator, unsortable field, both pagings, a
//! cursor with a filter or sort, a limit above 100) cannot reach a port: a
//! `PackageQuery` is validated when it is built.

use std::collections::BTreeSet;

use reseller_domain::ops::{CreatePackage, NewInstance};
use reseller_domain::query::{PackageQuery, Paging, Value};
use reseller_domain::{AccountId, Billing, ErrorCode, ExternalId, Package, PackageId};
use reseller_ports::{PackagesPage, ResellerPackages, Seed, Wix};

use crate::expect::{id_set, ok, package_ids, refused};
use crate::fixture::*;

/// The packages of the query cases, created one second apart in this order.
struct Population {
    m1: Package,
    m2: Package,
    s1_1: Package,
    s1_2: Package,
    s1_3: Package,
    s2_1: Package,
    s2_2: Package,
    o1: Package,
}

impl Population {
    /// The family's seven packages, newest first (the default order).
    fn family_newest_first(&self) -> Vec<PackageId> {
        package_ids([
            &self.s2_2, &self.s2_1, &self.s1_3, &self.s1_2, &self.s1_1, &self.m2, &self.m1,
        ])
    }

    fn of_sub1(&self) -> BTreeSet<PackageId> {
        id_set([&self.s1_1, &self.s1_2, &self.s1_3])
    }

    fn of_sub2(&self) -> BTreeSet<PackageId> {
        id_set([&self.s2_1, &self.s2_2])
    }
}

async fn named(
    fx: &Fixture<'_>,
    client: &dyn Wix,
    account: AccountId,
    external: Option<&str>,
    products: Vec<NewInstance>,
) -> Package {
    fx.advance(1_000).await;
    let request = CreatePackage {
        external_id: external.map(|e| ExternalId::new(e).expect("an external id")),
        products,
    };
    ok(
        &format!("Create Package {external:?} on {account}"),
        client.create_package(&on(account), &request).await,
    )
}

async fn populate(fx: &Fixture<'_>) -> Population {
    let main = &*fx.main;
    Population {
        m1: named(
            fx,
            main,
            MAIN,
            Some("m-1"),
            vec![item(PLAN_UNLIMITED, Some(MAIN_SITE))],
        )
        .await,
        m2: named(fx, main, MAIN, None, vec![item(ASCEND, None)]).await,
        s1_1: named(
            fx,
            main,
            SUB1,
            Some("s1-1"),
            vec![billed(PLAN_UNLIMITED, Some(SUB1_SITE), Billing::monthly())],
        )
        .await,
        s1_2: named(
            fx,
            main,
            SUB1,
            Some("s1-2"),
            vec![item(ASCEND, None), item(MAILBOX_LITE, None)],
        )
        .await,
        s1_3: named(fx, main, SUB1, Some("s1-3"), vec![item(PLAN_VIP, None)]).await,
        s2_1: named(
            fx,
            main,
            SUB2,
            Some("s2-1"),
            vec![item(PLAN_UNLIMITED, Some(SUB2_SITE))],
        )
        .await,
        s2_2: named(fx, main, SUB2, Some("s2-2"), vec![item(ASCEND, None)]).await,
        o1: named(fx, &*fx.other, OTHER, Some("o-1"), vec![item(ASCEND, None)]).await,
    }
}

fn filtered(filter: Value) -> PackageQuery {
    PackageQuery::new(Some(filter), Vec::new(), Vec::new()).expect("a valid query")
}

fn cursor_paged(limit: u32) -> PackageQuery {
    PackageQuery::new(
        None,
        Vec::new(),
        vec![Paging::Cursor {
            limit: Some(limit),
            cursor: None,
        }],
    )
    .expect("a valid query")
}

fn offset_paged(limit: Option<u32>, offset: Option<u32>) -> PackageQuery {
    PackageQuery::new(None, Vec::new(), vec![Paging::Offset { limit, offset }])
        .expect("a valid query")
}

fn op(operator: &str, operand: Value) -> Value {
    Value::object([(operator, operand)])
}

fn strings<T: ToString>(items: &[T]) -> Value {
    Value::array(items.iter().map(|i| Value::String(i.to_string())))
}

async fn page(
    client: &dyn Wix,
    account: AccountId,
    query: &PackageQuery,
    what: &str,
) -> PackagesPage {
    ok(what, client.query_packages(&on(account), query).await)
}

/// R3.1: a main account's key sees the packages of the whole family, whichever
/// family account it acts on, and nothing of another family.
pub async fn r3_1_a_main_key_sees_the_family(seed: &dyn Seed) {
    let fx = Fixture::new(seed).await;
    let pop = populate(&fx).await;
    let family: BTreeSet<_> = pop.family_newest_first().into_iter().collect();
    for account in [MAIN, SUB1, SUB2] {
        let seen = fx.all_packages(&*fx.main, account).await;
        assert_eq!(
            id_set(&seen),
            family,
            "the main key acting on {account} sees the family"
        );
    }
    let read_only = fx.all_packages(&*fx.main_read, MAIN).await;
    assert_eq!(id_set(&read_only), family, "a read-only key sees the same");
}

/// R3.1 as Wix words it (revision 2): a sub-account's key sees the header
/// account's whole family, its siblings' packages included ("responses remain
/// consistent across API keys"); an `accountId` filter narrows it; the key still
/// may not act for a sibling (403 `PERMISSION_DENIED`).
pub async fn r3_1_a_sub_key_sees_the_header_accounts_family(seed: &dyn Seed) {
    let fx = Fixture::new(seed).await;
    let pop = populate(&fx).await;
    let family: BTreeSet<_> = pop.family_newest_first().into_iter().collect();
    let seen = fx.all_packages(&*fx.sub1, SUB1).await;
    assert_eq!(id_set(&seen), family, "SUB1's key sees the family");
    let seen = fx.all_packages(&*fx.sub2, SUB2).await;
    assert_eq!(id_set(&seen), family, "SUB2's key sees the family");
    let own = filtered(Value::object([(
        "accountId",
        Value::String(SUB1.to_string()),
    )]));
    let seen = fx.walk(&*fx.sub1, SUB1, own).await;
    assert_eq!(id_set(&seen), pop.of_sub1(), "accountId narrows to SUB1");
    let sibling = filtered(Value::object([(
        "accountId",
        Value::String(SUB2.to_string()),
    )]));
    let seen = fx.walk(&*fx.sub1, SUB1, sibling).await;
    assert_eq!(
        id_set(&seen),
        pop.of_sub2(),
        "as on Wix, the key does not hide a sibling: the app filters itself"
    );
    refused(
        "SUB1's key acting for its sibling",
        fx.sub1.query_packages(&on(SUB2), &cursor_paged(10)).await,
        ErrorCode::PermissionDenied,
    );
}

/// Emulator's choices (revision 2): enum values in filters match without regard
/// to case (Wix's own example filters on `"Enabled"`); answers stay upper case.
pub async fn enum_values_in_filters_ignore_case(seed: &dyn Seed) {
    let fx = Fixture::new(seed).await;
    let pop = populate(&fx).await;
    let enabled = pop.s1_3.instances()[0].id();
    fx.set_status(enabled, reseller_domain::InstanceStatus::Enabled)
        .await;
    for spelling in ["Enabled", "enabled", "ENABLED"] {
        let query = filtered(Value::object([(
            "productInstances.status",
            op("$hasSome", strings(&[spelling])),
        )]));
        let seen = fx.walk(&*fx.main, SUB1, query).await;
        assert_eq!(
            package_ids(&seen),
            [pop.s1_3.id()],
            "status spelled {spelling}"
        );
        assert_eq!(
            seen[0].instances()[0].status().name().as_str(),
            "ENABLED",
            "the answer carries the canonical value"
        );
    }
    let monthly = filtered(Value::object([(
        "productInstances.billingInfo.cycleDuration.unit",
        op("$hasSome", strings(&["month"])),
    )]));
    let seen = fx.walk(&*fx.main, SUB1, monthly).await;
    assert_eq!(package_ids(&seen), [pop.s1_2.id(), pop.s1_1.id()]);
}

/// Emulator's choices: another account's key sees nothing of the family.
pub async fn r3_1_another_account_sees_nothing_of_the_family(seed: &dyn Seed) {
    let fx = Fixture::new(seed).await;
    let pop = populate(&fx).await;
    let seen = fx.all_packages(&*fx.other, OTHER).await;
    assert_eq!(id_set(&seen), id_set([&pop.o1]));
    let by_id = filtered(Value::object([(
        "id",
        op("$in", strings(&pop.family_newest_first())),
    )]));
    assert!(fx.walk(&*fx.other, OTHER, by_id).await.is_empty());
}

/// R3.1: an `accountId` filter narrows a main key's view to one account.
pub async fn r3_1_an_account_id_filter_narrows(seed: &dyn Seed) {
    let fx = Fixture::new(seed).await;
    let pop = populate(&fx).await;
    let only_sub1 = filtered(Value::object([(
        "accountId",
        op("$eq", Value::String(SUB1.to_string())),
    )]));
    let seen = fx.walk(&*fx.main, MAIN, only_sub1).await;
    assert_eq!(id_set(&seen), pop.of_sub1());
    let only_other = filtered(Value::object([(
        "accountId",
        Value::String(OTHER.to_string()),
    )]));
    assert!(fx.walk(&*fx.main, MAIN, only_other).await.is_empty());
}

/// Spec 5.1 and 5.2: filters on each kind of field (ids, strings, `$exists`,
/// dates, instance paths with `$hasSome` / `$hasAll` on values and objects,
/// `$and` / `$or` / `$not`); enum values ignore case (emulator's choices, rev. 2).
pub async fn filters_select_by_each_kind_of_field(seed: &dyn Seed) {
    let fx = Fixture::new(seed).await;
    let pop = populate(&fx).await;
    ok(
        "Cancel Package",
        fx.main.cancel_package(&on(SUB2), pop.s2_2.id()).await,
    );
    let s = |t: &str| Value::String(t.to_owned());
    let monthly = Value::object([
        ("type", s("RECURRING")),
        (
            "cycleDuration",
            Value::object([("unit", s("MONTH")), ("count", Value::from(1))]),
        ),
    ]);
    let cases: Vec<(&str, Value, Vec<&Package>)> = vec![
        (
            "id $in",
            Value::object([("id", op("$in", strings(&[pop.m1.id(), pop.s2_1.id()])))]),
            vec![&pop.m1, &pop.s2_1],
        ),
        (
            "externalId shorthand $eq",
            Value::object([("externalId", s("s1-2"))]),
            vec![&pop.s1_2],
        ),
        (
            "externalId $exists false",
            Value::object([("externalId", op("$exists", Value::Bool(false)))]),
            vec![&pop.m2],
        ),
        (
            "accountId $ne",
            Value::object([("accountId", op("$ne", Value::String(MAIN.to_string())))]),
            vec![&pop.s1_1, &pop.s1_2, &pop.s1_3, &pop.s2_1, &pop.s2_2],
        ),
        (
            "createdDate $gt",
            Value::object([(
                "createdDate",
                op("$gt", Value::String(pop.s1_2.created().to_rfc3339())),
            )]),
            vec![&pop.s1_3, &pop.s2_1, &pop.s2_2],
        ),
        (
            "createdDate $lte",
            Value::object([(
                "createdDate",
                op("$lte", Value::String(pop.m2.created().to_rfc3339())),
            )]),
            vec![&pop.m1, &pop.m2],
        ),
        (
            "productInstances.siteId $hasSome",
            Value::object([(
                "productInstances.siteId",
                op("$hasSome", strings(&[SUB1_SITE, SUB2_SITE])),
            )]),
            vec![&pop.s1_1, &pop.s2_1],
        ),
        (
            "productInstances.catalogProductId $hasAll",
            Value::object([(
                "productInstances.catalogProductId",
                op("$hasAll", strings(&[ASCEND, MAILBOX_LITE])),
            )]),
            vec![&pop.s1_2],
        ),
        (
            "productInstances.billingInfo.cycleDuration.unit $hasSome",
            Value::object([(
                "productInstances.billingInfo.cycleDuration.unit",
                op("$hasSome", Value::array([s("MONTH")])),
            )]),
            vec![&pop.s1_1, &pop.s1_2],
        ),
        (
            "productInstances.billingInfo $hasSome an object",
            Value::object([(
                "productInstances.billingInfo",
                op("$hasSome", Value::array([monthly])),
            )]),
            vec![&pop.s1_1],
        ),
        (
            "productInstances.status $hasSome",
            Value::object([(
                "productInstances.status",
                op("$hasSome", Value::array([s("CANCELED")])),
            )]),
            vec![&pop.s2_2],
        ),
        (
            "enum values ignore case",
            Value::object([(
                "productInstances.status",
                op("$hasSome", Value::array([s("Canceled")])),
            )]),
            vec![&pop.s2_2],
        ),
        (
            "productInstances.countryCode $hasSome",
            Value::object([(
                "productInstances.countryCode",
                op("$hasSome", Value::array([s("BR")])),
            )]),
            vec![
                &pop.m1, &pop.m2, &pop.s1_1, &pop.s1_2, &pop.s1_3, &pop.s2_1, &pop.s2_2,
            ],
        ),
        (
            "$or",
            Value::object([(
                "$or",
                Value::array([
                    Value::object([("externalId", s("m-1"))]),
                    Value::object([("externalId", s("s2-1"))]),
                ]),
            )]),
            vec![&pop.m1, &pop.s2_1],
        ),
        (
            "$not",
            Value::object([(
                "$not",
                Value::object([("accountId", Value::String(MAIN.to_string()))]),
            )]),
            vec![&pop.s1_1, &pop.s1_2, &pop.s1_3, &pop.s2_1, &pop.s2_2],
        ),
        (
            "two members mean $and",
            Value::object([
                ("accountId", Value::String(SUB1.to_string())),
                (
                    "productInstances.catalogProductId",
                    op("$hasSome", strings(&[PLAN_VIP, PLAN_UNLIMITED])),
                ),
            ]),
            vec![&pop.s1_1, &pop.s1_3],
        ),
    ];
    for (what, filter, expected) in cases {
        let seen = fx.walk(&*fx.main, MAIN, filtered(filter)).await;
        assert_eq!(id_set(&seen), id_set(expected), "filter {what}");
    }
}

/// R3.2: the default order is `createdDate` descending; a sort on `createdDate`
/// or `updatedDate` orders as asked (`ASC` when the order is missing).
pub async fn r3_2_sorting_defaults_to_newest_first(seed: &dyn Seed) {
    let fx = Fixture::new(seed).await;
    let pop = populate(&fx).await;
    let newest_first = pop.family_newest_first();
    let seen = fx.all_packages(&*fx.main, MAIN).await;
    assert_eq!(package_ids(&seen), newest_first, "default order");
    let sorted = |field: &str, order: Option<&str>| {
        PackageQuery::new(
            None,
            vec![(field.to_owned(), order.map(str::to_owned))],
            Vec::new(),
        )
        .expect("a valid sort")
    };
    let mut oldest_first = newest_first.clone();
    oldest_first.reverse();
    let seen = fx.walk(&*fx.main, MAIN, sorted("createdDate", None)).await;
    assert_eq!(
        package_ids(&seen),
        oldest_first,
        "createdDate, ASC by default"
    );
    fx.advance(1_000).await;
    ok(
        "Update Package External Id",
        fx.main
            .update_external_id(
                &on(MAIN),
                pop.m1.id(),
                &ExternalId::new("m-1-renamed").expect("an external id"),
            )
            .await,
    );
    let seen = fx
        .walk(&*fx.main, MAIN, sorted("updatedDate", Some("ASC")))
        .await;
    let mut by_update: Vec<_> = oldest_first
        .iter()
        .copied()
        .filter(|id| *id != pop.m1.id())
        .collect();
    by_update.push(pop.m1.id());
    assert_eq!(package_ids(&seen), by_update, "updatedDate ASC");
    let seen = fx
        .walk(&*fx.main, MAIN, sorted("updatedDate", Some("DESC")))
        .await;
    by_update.reverse();
    assert_eq!(package_ids(&seen), by_update, "updatedDate DESC");
}

/// Spec 5.2 and R3.3: following `next` cursors visits every match exactly once in
/// order, whatever the limit of each page; `prev` cursors walk back through the
/// same pages; the first page has no `prev`, the last no `next`.
pub async fn cursor_paging_visits_every_match_once_and_walks_back(seed: &dyn Seed) {
    let fx = Fixture::new(seed).await;
    let pop = populate(&fx).await;
    let all = pop.family_newest_first();
    let first = page(&*fx.main, MAIN, &cursor_paged(3), "page 1").await;
    assert_eq!(package_ids(&first.packages), all[0..3]);
    assert_eq!(first.prev_cursor, None, "the first page has no prev");
    assert_eq!((first.total, first.offset), (None, None));
    let next = first
        .next_cursor
        .clone()
        .expect("a next cursor after page 1");
    let second = page(&*fx.main, MAIN, &cursor_query(Some(3), next), "page 2").await;
    assert_eq!(package_ids(&second.packages), all[3..6]);
    let next = second
        .next_cursor
        .clone()
        .expect("a next cursor after page 2");
    let third = page(&*fx.main, MAIN, &cursor_query(Some(3), next), "page 3").await;
    assert_eq!(package_ids(&third.packages), all[6..7]);
    assert_eq!(third.next_cursor, None, "the last page has no next");
    let prev = third.prev_cursor.clone().expect("a prev cursor on page 3");
    let back = page(&*fx.main, MAIN, &cursor_query(Some(3), prev), "back to 2").await;
    assert_eq!(package_ids(&back.packages), all[3..6]);
    let prev = back.prev_cursor.clone().expect("a prev cursor on page 2");
    let back = page(&*fx.main, MAIN, &cursor_query(Some(3), prev), "back to 1").await;
    assert_eq!(package_ids(&back.packages), all[0..3]);
    assert_eq!(back.prev_cursor, None, "back on the first page");
    // Only the limit may change between pages.
    let two = page(&*fx.main, MAIN, &cursor_paged(2), "limit 2").await;
    let next = two.next_cursor.clone().expect("a next cursor");
    let rest = page(&*fx.main, MAIN, &cursor_query(Some(5), next), "limit 5").await;
    assert_eq!(package_ids(&rest.packages), all[2..7]);
    assert_eq!(rest.next_cursor, None);
}

/// R3.5: a cursor carries the filter and the sort of its query; the following
/// pages keep them.
pub async fn a_cursor_keeps_the_filter_and_sort_of_its_query(seed: &dyn Seed) {
    let fx = Fixture::new(seed).await;
    let pop = populate(&fx).await;
    let query = PackageQuery::new(
        Some(Value::object([(
            "accountId",
            Value::String(SUB1.to_string()),
        )])),
        vec![("createdDate".to_owned(), Some("ASC".to_owned()))],
        vec![Paging::Cursor {
            limit: Some(1),
            cursor: None,
        }],
    )
    .expect("a valid query");
    let seen = fx.walk(&*fx.main, MAIN, query).await;
    assert_eq!(
        package_ids(&seen),
        package_ids([&pop.s1_1, &pop.s1_2, &pop.s1_3])
    );
}

/// Emulator's choices: visibility is the caller's, whatever cursor it sends: a
/// cursor made for the main key, sent with a sub-account's key, shows that
/// sub-account's packages only (or is refused as 400 `INVALID_CURSOR`).
pub async fn a_cursor_never_widens_what_a_key_sees(seed: &dyn Seed) {
    let fx = Fixture::new(seed).await;
    let pop = populate(&fx).await;
    let first = page(&*fx.main, MAIN, &cursor_paged(1), "the main key's page").await;
    let next = first.next_cursor.expect("a next cursor");
    let query = cursor_query(Some(100), next);
    match fx.other.query_packages(&on(OTHER), &query).await {
        Ok(p) => {
            assert!(
                id_set(&p.packages).is_subset(&id_set([&pop.o1])),
                "OTHER's key sees only OTHER's packages: {p:#?}"
            );
        }
        Err(e) => {
            refused::<()>("a foreign cursor", Err(e), ErrorCode::InvalidCursor);
        }
    }
}

/// R3.4 and the emulator's choices: offset paging skips `offset` matches, takes
/// `limit`, answers `total` and `offset`, and no cursors.
pub async fn r3_4_offset_paging_returns_total_and_no_cursors(seed: &dyn Seed) {
    let fx = Fixture::new(seed).await;
    let pop = populate(&fx).await;
    let all = pop.family_newest_first();
    let p = page(
        &*fx.main,
        MAIN,
        &offset_paged(Some(3), Some(2)),
        "offset 2 limit 3",
    )
    .await;
    assert_eq!(package_ids(&p.packages), all[2..5]);
    assert_eq!((p.total, p.offset), (Some(7), Some(2)));
    assert_eq!((p.next_cursor, p.prev_cursor), (None, None));
    let past = page(
        &*fx.main,
        MAIN,
        &offset_paged(Some(3), Some(7)),
        "past the end",
    )
    .await;
    assert!(past.packages.is_empty());
    assert_eq!(past.total, Some(7));
    let p = page(&*fx.main, MAIN, &offset_paged(None, None), "defaults").await;
    assert_eq!(package_ids(&p.packages), all);
    assert_eq!((p.total, p.offset), (Some(7), Some(0)));
    let p = page(&*fx.sub1, SUB1, &offset_paged(None, None), "a sub key").await;
    assert_eq!(
        p.total,
        Some(7),
        "total counts what the key sees: the family"
    );
}

/// R3.2, R3.3 and the emulator's choices: a page holds 100 packages by default
/// under cursor paging, 50 under offset paging.
pub async fn paging_defaults_are_100_for_cursors_and_50_for_offsets(seed: &dyn Seed) {
    let fx = Fixture::new(seed).await;
    for _ in 0..101 {
        fx.buy(MAIN, vec![item(ASCEND, None)]).await;
    }
    let default = PackageQuery::new(None, Vec::new(), Vec::new()).expect("the default query");
    let p = page(&*fx.main, MAIN, &default, "the default query").await;
    assert_eq!(p.packages.len(), 100);
    let next = p.next_cursor.expect("a next cursor");
    let rest = page(&*fx.main, MAIN, &cursor_query(None, next), "page 2").await;
    assert_eq!(rest.packages.len(), 1);
    let p = page(&*fx.main, MAIN, &offset_paged(None, None), "offset paging").await;
    assert_eq!(p.packages.len(), 50);
    assert_eq!(p.total, Some(101));
    let p = page(&*fx.main, MAIN, &offset_paged(Some(100), None), "limit 100").await;
    assert_eq!(p.packages.len(), 100);
}

/// Emulator's choices: a cursor that is altered, cut short or made up is 400
/// `INVALID_CURSOR`.
pub async fn an_altered_cursor_is_invalid_cursor_400(seed: &dyn Seed) {
    let fx = Fixture::new(seed).await;
    populate(&fx).await;
    let first = page(&*fx.main, MAIN, &cursor_paged(2), "page 1").await;
    let cursor = first.next_cursor.expect("a next cursor");
    let chars: Vec<char> = cursor.chars().collect();
    let mid = chars.len() / 2;
    let mut altered = chars.clone();
    altered[mid] = if chars[mid] == 'A' { 'B' } else { 'A' };
    let altered: String = altered.into_iter().collect();
    let cut: String = chars[..chars.len().saturating_sub(4)].iter().collect();
    for bad in [altered, cut, "not-a-cursor".to_owned(), "%%%".to_owned()] {
        refused(
            &format!("cursor {bad:?}"),
            fx.main
                .query_packages(&on(MAIN), &cursor_query(Some(2), bad.clone()))
                .await,
            ErrorCode::InvalidCursor,
        );
    }
}
