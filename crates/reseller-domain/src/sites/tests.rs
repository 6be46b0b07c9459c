//! Unit and property tests of Query Sites and Count Sites: every field and operator
//! of the table, the defaults, the sort with its ties, the cursor, and a property
//! test that the paged execution equals a plain reference on random sites.

use proptest::prelude::*;
use uuid::Uuid;

use super::*;
use crate::auth::Caller;
use crate::ids::{AccountId, SiteId};
use crate::ops::get_account;
use crate::query::{CursorKey, Paging, QueryError, SortOrder, Value};
use crate::time::Timestamp;
use crate::world::{Account, Site, World};
use crate::{ErrorCode, Refusal};

const KEY: CursorKey = CursorKey::new([7; 16]);

fn acc(n: u128) -> AccountId {
    AccountId::from_uuid(Uuid::from_u128(0xacc0_0000 + n))
}

fn sid(n: u128) -> SiteId {
    SiteId::from_uuid(Uuid::from_u128((0x51fe_u128 << 64) + n))
}

fn ts(ms: i64) -> Timestamp {
    Timestamp::from_unix_millis(1_700_000_000_000 + ms).unwrap_or_else(|| unreachable!())
}

fn site(n: u128, name: &str) -> Site {
    Site {
        id: sid(n),
        owner: acc(1),
        name: name.to_owned(),
        external_paid_services: Vec::new(),
        created: ts(i64::try_from(n).unwrap_or(0) * 1000),
        updated: ts(0),
        details: SiteDetails::default(),
    }
}

fn world(sites: Vec<Site>) -> World {
    let mut w = World::new();
    for (n, parent) in [(1, None), (2, Some(acc(1))), (3, None)] {
        let a = Account {
            id: acc(n),
            parent,
            name: format!("Acme Hosting {n}"),
            strategic_partner: n == 1,
        };
        w.accounts.insert(a.id, a);
    }
    for s in sites {
        w.sites.insert(s.id, s);
    }
    w
}

fn sample() -> World {
    let mut bakery = site(1, "bakery");
    bakery.details.display_name = Some("Best Cakes in Town".into());
    bakery.details.published = true;
    bakery.details.app_ids = vec!["stores".into(), "bookings".into()];
    let mut headless = site(2, "headless-2");
    headless.details.namespace = Namespace::Headless;
    let mut trashed = site(3, "old-shop");
    trashed.details.trashed = Some(ts(500));
    let mut studio = site(4, "Bakery2");
    studio.details.editor_type = EditorType::Studio;
    studio.details.folder_id = Some(Uuid::from_u128(0xf01d));
    studio.details.app_ids = vec!["stores".into()];
    let mut other = site(5, "bakery-other");
    other.owner = acc(2);
    let mut w = world(vec![bakery, headless, trashed, studio, other]);
    w.connected_domains
        .insert(sid(4), vec!["sweet-treats.com".to_owned()]);
    w
}

fn names(w: &World, filter: Option<Value>) -> Vec<String> {
    let q = SiteQuery::new(filter, vec![], vec![]).unwrap_or_else(|e| panic!("{e}"));
    let page = query_sites(w, acc(1), &q, &KEY).unwrap_or_else(|e| panic!("{e}"));
    let mut out: Vec<String> = page.rows.iter().map(|r| r.site.name.clone()).collect();
    out.sort();
    out
}

fn refused(filter: Value) -> String {
    match SiteQuery::new(Some(filter), vec![], vec![]) {
        Err(QueryError::InvalidQuery(m)) => m,
        other => panic!("expected INVALID_QUERY, got {other:?}"),
    }
}

#[test]
fn the_defaults_answer_active_wix_sites_of_the_header_account_only() {
    let w = sample();
    assert_eq!(names(&w, None), ["Bakery2", "bakery"]);
    assert_eq!(
        names(
            &w,
            Some(Value::condition("namespace", "$in", ["WIX", "HEADLESS"]))
        ),
        ["Bakery2", "bakery", "headless-2"]
    );
    assert_eq!(
        names(&w, Some(Value::object([("state", "TRASHED".into())]))),
        ["old-shop"]
    );
    assert_eq!(
        names(
            &w,
            Some(Value::condition("state", "$in", ["ACTIVE", "trashed"]))
        ),
        ["Bakery2", "bakery", "old-shop"]
    );
}

#[test]
fn name_compares_plainly_and_case_sensitively() {
    let w = sample();
    let none: [&str; 0] = [];
    let cases: [(Value, &[&str]); 12] = [
        (Value::object([("name", "bakery".into())]), &["bakery"]),
        (Value::object([("name", "BAKERY".into())]), &none),
        (Value::condition("name", "$ne", "bakery"), &["Bakery2"]),
        (Value::condition("name", "$startsWith", "bak"), &["bakery"]),
        (Value::condition("name", "$startsWith", "Bak"), &["Bakery2"]),
        (Value::condition("name", "$gt", "C"), &["bakery"]),
        (Value::condition("name", "$lte", "Bakery2"), &["Bakery2"]),
        (Value::condition("name", "$lt", "Bakery2"), &none),
        (Value::condition("name", "$gte", "bakery"), &["bakery"]),
        (
            Value::condition("name", "$in", ["bakery", "x"]),
            &["bakery"],
        ),
        (
            Value::condition("name", "$hasSome", ["Bakery2"]),
            &["Bakery2"],
        ),
        (
            Value::condition("name", "$exists", true),
            &["Bakery2", "bakery"],
        ),
    ];
    for (filter, want) in cases {
        assert_eq!(names(&w, Some(filter.clone())), want, "{filter:?}");
    }
}

#[test]
fn ids_and_folders_compare_as_guids() {
    let w = sample();
    let upper = sid(1).to_string().to_uppercase();
    assert_eq!(
        names(&w, Some(Value::object([("id", upper.into())]))),
        ["bakery"]
    );
    assert_eq!(
        names(&w, Some(Value::condition("folderId", "$exists", false))),
        ["bakery"]
    );
    let folder = Uuid::from_u128(0xf01d).to_string();
    assert_eq!(
        names(
            &w,
            Some(Value::object([("folderId", folder.clone().into())]))
        ),
        ["Bakery2"]
    );
    assert_eq!(
        names(
            &w,
            Some(Value::condition("folderId", "$ne", folder.clone()))
        ),
        ["bakery"]
    );
    assert_eq!(
        names(
            &w,
            Some(Value::condition("folderId", "$startsWith", &folder[..6]))
        ),
        ["Bakery2"]
    );
    assert_eq!(
        names(&w, Some(Value::condition("id", "$gt", sid(1).to_string()))),
        ["Bakery2"]
    );
}

#[test]
fn flags_and_enums_take_their_five_operators() {
    let w = sample();
    assert_eq!(
        names(&w, Some(Value::object([("published", true.into())]))),
        ["bakery"]
    );
    assert_eq!(
        names(&w, Some(Value::condition("published", "$ne", true))),
        ["Bakery2"]
    );
    assert_eq!(
        names(
            &w,
            Some(Value::condition(
                "published",
                "$in",
                Value::array([false.into()])
            ))
        ),
        ["Bakery2"]
    );
    assert_eq!(
        names(&w, Some(Value::condition("published", "$exists", true))).len(),
        2
    );
    assert_eq!(
        names(&w, Some(Value::object([("premium", true.into())]))),
        Vec::<String>::new()
    );
    assert_eq!(
        names(&w, Some(Value::object([("domainConnected", true.into())]))),
        ["Bakery2"]
    );
    assert_eq!(
        names(&w, Some(Value::object([("editorType", "studio".into())]))),
        ["Bakery2"]
    );
    assert_eq!(
        names(
            &w,
            Some(Value::condition(
                "editorType",
                "$hasSome",
                ["EDITOR", "ADI"]
            ))
        ),
        ["bakery"]
    );
    assert!(refused(Value::condition("published", "$startsWith", "t")).contains("not supported"));
    assert!(refused(Value::condition("premium", "$gt", "a")).contains("not supported"));
    assert!(refused(Value::condition("namespace", "$hasAll", ["WIX"])).contains("not supported"));
    assert!(refused(Value::object([("published", "yes".into())])).contains("boolean"));
}

#[test]
fn app_ids_search_phrase_and_unknown_fields() {
    let w = sample();
    assert_eq!(
        names(&w, Some(Value::condition("appIds", "$hasSome", ["stores"]))),
        ["Bakery2", "bakery"]
    );
    assert_eq!(
        names(
            &w,
            Some(Value::condition(
                "appIds",
                "$hasAll",
                ["stores", "bookings"]
            ))
        ),
        ["bakery"]
    );
    assert!(refused(Value::condition("appIds", "$eq", "stores")).contains("not supported"));
    // searchPhrase: a case-insensitive prefix of a word of the name, display name or a domain.
    assert_eq!(
        names(&w, Some(Value::object([("searchPhrase", "CAK".into())]))),
        ["bakery"]
    );
    assert_eq!(
        names(&w, Some(Value::object([("searchPhrase", "town".into())]))),
        ["bakery"]
    );
    assert_eq!(
        names(&w, Some(Value::object([("searchPhrase", "treats".into())]))),
        ["Bakery2"]
    );
    assert_eq!(
        names(&w, Some(Value::object([("searchPhrase", "akery".into())]))),
        Vec::<String>::new()
    );
    assert_eq!(
        names(&w, Some(Value::object([("searchPhrase", "bakery".into())]))),
        ["Bakery2", "bakery"]
    );
    assert_eq!(
        names(
            &w,
            Some(Value::object([("searchPhrase", "sweet-tr".into())]))
        ),
        ["Bakery2"]
    );
    assert!(
        refused(Value::condition("searchPhrase", "$startsWith", "b")).contains("not supported")
    );
    // Unknown and sort-only fields are ignored, with whatever operator they carry.
    assert_eq!(
        names(&w, Some(Value::object([("displayName", "nothing".into())]))),
        ["Bakery2", "bakery"]
    );
    assert_eq!(
        names(&w, Some(Value::condition("createdDate", "$contains", "x"))),
        ["Bakery2", "bakery"]
    );
    assert_eq!(
        names(
            &w,
            Some(Value::object([(
                "$not",
                Value::object([("color", "red".into())])
            )]))
        ),
        ["Bakery2", "bakery"]
    );
    assert!(refused(Value::condition("name", "$regex", "b")).contains("unknown operator"));
    assert!(refused(Value::condition("name", "$nin", ["b"])).contains("not supported"));
    assert!(refused(Value::from("name")).contains("object"));
}

#[test]
fn logical_operators_combine_conditions() {
    let w = sample();
    let either = Value::object([(
        "$or",
        Value::array([
            Value::object([("name", "bakery".into())]),
            Value::object([("editorType", "STUDIO".into())]),
        ]),
    )]);
    assert_eq!(names(&w, Some(either)), ["Bakery2", "bakery"]);
    let not = Value::object([("$not", Value::object([("published", true.into())]))]);
    assert_eq!(names(&w, Some(not)), ["Bakery2"]);
}

#[test]
fn count_ignores_premium_and_app_ids() {
    let w = sample();
    let count = |f: Value| count_sites(&w, acc(1), &SiteCount::new(Some(f)).unwrap_or_default());
    assert_eq!(count_sites(&w, acc(1), &SiteCount::default()), 2);
    assert_eq!(count(Value::object([("premium", true.into())])), 2);
    assert_eq!(count(Value::condition("appIds", "$hasAll", ["none"])), 2);
    assert_eq!(count(Value::object([("published", true.into())])), 1);
    assert_eq!(count(Value::object([("namespace", "HEADLESS".into())])), 1);
    assert!(matches!(
        SiteCount::new(Some(Value::condition("published", "$gt", true))),
        Err(QueryError::InvalidQuery(_))
    ));
}

#[test]
fn limits_paging_kinds_and_sorts_are_checked() {
    let cursor = |limit| {
        vec![Paging::Cursor {
            limit,
            cursor: None,
        }]
    };
    assert!(SiteQuery::new(None, vec![], cursor(Some(100))).is_ok());
    match SiteQuery::new(None, vec![], cursor(Some(101))) {
        Err(QueryError::Field(fv)) => assert_eq!(fv.field, "query.cursorPaging.limit"),
        other => panic!("{other:?}"),
    }
    let offset = vec![Paging::Offset {
        limit: None,
        offset: Some(0),
    }];
    assert!(matches!(
        SiteQuery::new(None, vec![], offset),
        Err(QueryError::InvalidQuery(_))
    ));
    let sort = |f: &str, o: Option<&str>| vec![(f.to_owned(), o.map(str::to_owned))];
    assert!(matches!(
        SiteQuery::new(None, sort("name", None), vec![]),
        Err(QueryError::InvalidQuery(_))
    ));
    assert!(matches!(
        SiteQuery::new(None, sort("displayName", Some("UP")), vec![]),
        Err(QueryError::Field(_))
    ));
    let with_cursor = vec![Paging::Cursor {
        limit: None,
        cursor: Some("x".into()),
    }];
    assert!(matches!(
        SiteQuery::new(None, sort("displayName", None), with_cursor.clone()),
        Err(QueryError::InvalidCursor(_))
    ));
    let q = SiteQuery::new(None, vec![], with_cursor).unwrap_or_default();
    assert!(matches!(
        q.plan(&KEY, acc(1)),
        Err(QueryError::InvalidCursor(_))
    ));
}

/// Every page of a query, walked with its cursors.
fn walk(w: &World, account: AccountId, first: SiteQuery) -> Result<Vec<SiteId>, QueryError> {
    let mut out = Vec::new();
    let mut q = first;
    loop {
        let page = query_sites(w, account, &q, &KEY)?;
        out.extend(page.rows.iter().map(|r| r.site.id));
        match page.next_cursor {
            Some(c) => q = SiteQuery::next_page(c, q.limit()),
            None => return Ok(out),
        }
    }
}

#[test]
fn sorts_break_ties_by_id_and_put_untrashed_sites_last() {
    let mut sites = Vec::new();
    for n in 1..=6u128 {
        let mut s = site(n, &format!("s{n}"));
        s.details.display_name = Some(if n % 2 == 0 {
            "Same".into()
        } else {
            format!("N{n}")
        });
        s.details.trashed = (n % 3 != 0).then(|| ts(i64::try_from(10 - n).unwrap_or(0)));
        s.details.namespace = Namespace::Wix;
        sites.push(s);
    }
    let w = world(sites);
    let all = Value::condition("state", "$in", ["ACTIVE", "TRASHED"]);
    let run = |field: &str, order: &str| {
        let q = SiteQuery::new(
            Some(all.clone()),
            vec![(field.to_owned(), Some(order.to_owned()))],
            vec![Paging::Cursor {
                limit: Some(2),
                cursor: None,
            }],
        )
        .unwrap_or_else(|e| panic!("{e}"));
        walk(&w, acc(1), q).unwrap_or_else(|e| panic!("{e}"))
    };
    assert_eq!(run("trashedDate", "ASC"), [5, 4, 2, 1, 3, 6].map(sid));
    assert_eq!(run("trashedDate", "DESC"), [1, 2, 4, 5, 6, 3].map(sid));
    assert_eq!(run("displayName", "ASC"), [1, 3, 5, 2, 4, 6].map(sid));
    assert_eq!(run("displayName", "DESC"), [6, 4, 2, 5, 3, 1].map(sid));
    assert_eq!(run("createdDate", "DESC"), [6, 5, 4, 3, 2, 1].map(sid));
    let default = SiteQuery::new(Some(all), vec![], vec![]).unwrap_or_default();
    assert_eq!(
        walk(&w, acc(1), default).unwrap_or_default(),
        [6, 5, 4, 3, 2, 1].map(sid)
    );
}

#[test]
fn cursors_are_bound_to_their_account_and_reach_the_first_thousand() {
    let w = world((0..1_050u128).map(|n| site(n, &format!("s{n}"))).collect());
    let first = SiteQuery::new(
        None,
        vec![],
        vec![Paging::Cursor {
            limit: Some(100),
            cursor: None,
        }],
    )
    .unwrap_or_default();
    let page = query_sites(&w, acc(1), &first, &KEY).unwrap_or_else(|e| panic!("{e}"));
    let cursor = page.next_cursor.unwrap_or_default();
    let next = SiteQuery::next_page(cursor.clone(), None);
    assert!(matches!(
        query_sites(&w, acc(2), &next, &KEY),
        Err(QueryError::InvalidCursor(_))
    ));
    let mut altered = cursor.into_bytes();
    if let Some(b) = altered.get_mut(10) {
        *b = if *b == b'A' { b'B' } else { b'A' };
    }
    let altered = SiteQuery::next_page(String::from_utf8(altered).unwrap_or_default(), None);
    assert!(matches!(
        query_sites(&w, acc(1), &altered, &KEY),
        Err(QueryError::InvalidCursor(_))
    ));
    let all = walk(&w, acc(1), first).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(all.len(), 1000);
    assert_eq!(all.first(), Some(&sid(1049)));
}

#[test]
fn get_account_reads_the_key_account_and_its_children_only() {
    let w = sample();
    let caller = |key, header| Caller {
        key_account: acc(key),
        account: acc(header),
    };
    let own = get_account(&w, &caller(1, 1), acc(1)).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(
        (own.slug.as_str(), own.name.as_str()),
        ("acme-hosting-1", "Acme Hosting 1")
    );
    assert!(get_account(&w, &caller(1, 1), acc(2)).is_ok());
    assert!(get_account(&w, &caller(2, 2), acc(2)).is_ok());
    let not_found = |r: Result<crate::ops::AccountInfo, Refusal>| {
        r.err().map(|e| e.code()) == Some(ErrorCode::AccountNotFound)
    };
    assert!(not_found(get_account(&w, &caller(2, 2), acc(1))));
    assert!(not_found(get_account(&w, &caller(1, 1), acc(3))));
    assert!(not_found(get_account(&w, &caller(1, 1), acc(9))));
}

// ----- property: the paged execution equals a plain reference ----------------

/// A random condition with its plain meaning.
#[derive(Debug, Clone)]
enum Pick {
    Published(bool),
    NameStarts(String),
    NameGt(String),
    EditorIn(Vec<EditorType>),
    Namespace(Namespace),
    FolderAbsent,
    AppsAll(Vec<String>),
    Phrase(String),
    State(SiteState),
}

impl Pick {
    fn value(&self) -> Value {
        match self {
            Self::Published(b) => Value::object([("published", (*b).into())]),
            Self::NameStarts(p) => Value::condition("name", "$startsWith", p.as_str()),
            Self::NameGt(p) => Value::condition("name", "$gt", p.as_str()),
            Self::EditorIn(list) => Value::condition(
                "editorType",
                "$in",
                Value::array(list.iter().map(|e| Value::from(e.as_str().to_lowercase()))),
            ),
            Self::Namespace(n) => Value::object([("namespace", n.as_str().into())]),
            Self::FolderAbsent => Value::condition("folderId", "$exists", false),
            Self::AppsAll(a) => Value::condition(
                "appIds",
                "$hasAll",
                Value::array(a.iter().map(|s| Value::from(s.as_str()))),
            ),
            Self::Phrase(p) => Value::object([("searchPhrase", p.as_str().into())]),
            Self::State(s) => Value::object([("state", s.as_str().into())]),
        }
    }

    fn holds(&self, s: &Site) -> bool {
        let d = &s.details;
        match self {
            Self::Published(b) => d.published == *b,
            Self::NameStarts(p) => s.name.starts_with(p.as_str()),
            Self::NameGt(p) => s.name.as_str() > p.as_str(),
            Self::EditorIn(list) => list.contains(&d.editor_type),
            Self::Namespace(n) => d.namespace == *n,
            Self::FolderAbsent => d.folder_id.is_none(),
            Self::AppsAll(a) => a.iter().all(|x| d.app_ids.contains(x)),
            Self::Phrase(p) => [s.name.as_str(), s.display_name()].iter().any(|t| {
                t.to_lowercase()
                    .split(|c: char| !c.is_alphanumeric())
                    .any(|w| w.starts_with(&p.to_lowercase()))
            }),
            Self::State(st) => d.state() == *st,
        }
    }
}

fn pick() -> impl Strategy<Value = Pick> {
    prop_oneof![
        any::<bool>().prop_map(Pick::Published),
        "[a-cA-C]{0,2}".prop_map(Pick::NameStarts),
        "[a-cA-C]{1,2}".prop_map(Pick::NameGt),
        proptest::sample::subsequence(EditorType::ALL.to_vec(), 0..3).prop_map(Pick::EditorIn),
        proptest::sample::select(vec![Namespace::Wix, Namespace::Headless])
            .prop_map(Pick::Namespace),
        Just(Pick::FolderAbsent),
        proptest::sample::subsequence(vec!["a".to_owned(), "b".to_owned()], 0..=2)
            .prop_map(Pick::AppsAll),
        "[a-c]{1,2}".prop_map(Pick::Phrase),
        proptest::sample::select(SiteState::ALL.to_vec()).prop_map(Pick::State),
    ]
}

fn random_site() -> impl Strategy<Value = (String, Option<String>, u8, i64, Option<i64>, u8)> {
    (
        "[a-cA-C]{1,3}",
        proptest::option::of("[a-c]{1,2}( [a-c]{1,2})?"),
        any::<u8>(),
        0i64..20,
        proptest::option::of(0i64..5),
        any::<u8>(),
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn paged_query_equals_the_reference(
        raw in proptest::collection::vec(random_site(), 0..40),
        picks in proptest::collection::vec(pick(), 0..3),
        field in proptest::sample::select(SiteSortField::ALL.to_vec()),
        desc in any::<bool>(),
        limit in 1u32..7,
    ) {
        let sites: Vec<Site> = raw.iter().enumerate().map(|(i, (name, display, bits, created, trashed, owner))| {
            let n = u128::try_from(i).unwrap_or(0);
            let mut s = site(n, name);
            s.owner = if owner % 5 == 0 { acc(2) } else { acc(1) };
            s.created = ts(*created);
            s.updated = ts(created / 2);
            s.details = SiteDetails {
                display_name: display.clone(),
                namespace: if bits & 1 == 0 { Namespace::Wix } else { Namespace::Headless },
                editor_type: EditorType::ALL[usize::from(bits >> 1) % EditorType::ALL.len()],
                published: bits & 16 != 0,
                folder_id: (bits & 32 != 0).then(|| Uuid::from_u128(9)),
                app_ids: [("a", bits & 64 != 0), ("b", bits & 128 != 0)]
                    .iter().filter(|(_, on)| *on).map(|(a, _)| (*a).to_owned()).collect(),
                trashed: trashed.map(ts),
            };
            s
        }).collect();
        let w = world(sites.clone());
        let filter = if picks.is_empty() {
            None
        } else {
            Some(Value::object([("$and", Value::array(picks.iter().map(Pick::value)))]))
        };
        let order = if desc { SortOrder::Desc } else { SortOrder::Asc };
        let q = SiteQuery::new(
            filter,
            vec![(field.as_str().to_owned(), Some(order.as_str().to_owned()))],
            vec![Paging::Cursor { limit: Some(limit), cursor: None }],
        ).unwrap_or_else(|e| panic!("{e}"));
        let got = walk(&w, acc(1), q).unwrap_or_else(|e| panic!("{e}"));

        let names_ns = picks.iter().any(|p| matches!(p, Pick::Namespace(_)));
        let names_state = picks.iter().any(|p| matches!(p, Pick::State(_)));
        let mut expected: Vec<&Site> = sites.iter()
            .filter(|s| s.owner == acc(1))
            .filter(|s| names_ns || s.details.namespace == Namespace::Wix)
            .filter(|s| names_state || s.details.trashed.is_none())
            .filter(|s| picks.iter().all(|p| p.holds(s)))
            .collect();
        expected.sort_by(|a, b| {
            let plain = match field {
                SiteSortField::DisplayName => a.display_name().cmp(b.display_name()),
                SiteSortField::CreatedDate => a.created.cmp(&b.created),
                SiteSortField::UpdatedDate => a.updated.cmp(&b.updated),
                SiteSortField::TrashedDate => match (a.details.trashed, b.details.trashed) {
                    (Some(_), None) => return std::cmp::Ordering::Less,
                    (None, Some(_)) => return std::cmp::Ordering::Greater,
                    (x, y) => x.cmp(&y),
                },
            };
            order.apply(plain.then(a.id.cmp(&b.id)))
        });
        let expected: Vec<SiteId> = expected.iter().map(|s| s.id).collect();
        prop_assert_eq!(got, expected);
    }
}
