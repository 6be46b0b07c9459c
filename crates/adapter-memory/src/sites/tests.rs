//! The indexed Query Sites equals the domain's reference execution, page by page
//! and cursor by cursor, on random sites of several owners (property test).

use proptest::prelude::*;
use reseller_domain::query::{CursorKey, Paging, SortOrder, Value};
use reseller_domain::sites::{
    EditorType, Namespace, SiteDetails, SiteQuery, SiteSortField, query_sites,
};
use reseller_domain::world::{Account, Site};
use reseller_domain::{AccountId, SiteId, Timestamp};
use uuid::Uuid;

use super::page;
use crate::state::State;

const KEY: CursorKey = CursorKey::new([3; 16]);

fn acc(n: u128) -> AccountId {
    AccountId::from_uuid(Uuid::from_u128(n))
}

fn ts(ms: i64) -> Timestamp {
    Timestamp::from_unix_millis(1_700_000_000_000 + ms).unwrap_or_else(|| unreachable!())
}

type Raw = (u8, String, Option<String>, i64, i64, Option<i64>, u8);

fn raw_site() -> impl Strategy<Value = Raw> {
    (
        0u8..3,
        "[a-c]{1,2}",
        proptest::option::of("[A-Ca-c]{1,2}"),
        0i64..8,
        0i64..4,
        proptest::option::of(0i64..3),
        any::<u8>(),
    )
}

fn state(raw: &[Raw]) -> State {
    let mut st = State::new(KEY, ts(0));
    // Owners 1, 2 (1's sub-account) and the highest id there is, to exercise the
    // bounds of the indexes.
    for (id, parent) in [(1, None), (2, Some(acc(1))), (u128::MAX, None)] {
        st.put_account(Account {
            id: acc(id),
            parent,
            name: format!("owner {id}"),
            strategic_partner: false,
        });
    }
    for (i, (owner, name, display, created, updated, trashed, bits)) in raw.iter().enumerate() {
        let owner = [acc(1), acc(2), acc(u128::MAX)][usize::from(*owner)];
        st.put_site(Site {
            id: SiteId::from_uuid(Uuid::from_u128(0x5000 + u128::try_from(i).unwrap_or(0))),
            owner,
            name: name.clone(),
            external_paid_services: Vec::new(),
            created: ts(*created),
            updated: ts(created + updated),
            details: SiteDetails {
                display_name: display.clone(),
                namespace: if bits & 1 == 0 {
                    Namespace::Wix
                } else {
                    Namespace::Headless
                },
                editor_type: if bits & 2 == 0 {
                    EditorType::Editor
                } else {
                    EditorType::Studio
                },
                published: bits & 4 != 0,
                folder_id: None,
                app_ids: Vec::new(),
                trashed: trashed.map(ts),
            },
        });
    }
    st
}

fn filter(choice: u8) -> Option<Value> {
    let states = Value::array([Value::from("ACTIVE"), Value::from("TRASHED")]);
    match choice {
        0 => None,
        1 => Some(Value::object([("published", Value::from(true))])),
        2 => Some(Value::object([("state", Value::object([("$in", states)]))])),
        _ => Some(Value::object([(
            "$or",
            Value::array([
                Value::object([("editorType", Value::from("STUDIO"))]),
                Value::object([("namespace", Value::from("HEADLESS"))]),
                Value::object([("state", Value::from("TRASHED"))]),
            ]),
        )])),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(192))]

    #[test]
    fn indexed_pages_equal_the_reference(
        raw in proptest::collection::vec(raw_site(), 0..40),
        owner in proptest::sample::select(vec![1u128, 2, u128::MAX]),
        field in proptest::sample::select(SiteSortField::ALL.to_vec()),
        desc in any::<bool>(),
        choice in 0u8..4,
        limit in 1u32..6,
    ) {
        let st = state(&raw);
        prop_assert!(st.violations().is_empty(), "{:?}", st.violations());
        let order = if desc { SortOrder::Desc } else { SortOrder::Asc };
        let mut q = SiteQuery::new(
            filter(choice),
            vec![(field.as_str().to_owned(), Some(order.as_str().to_owned()))],
            vec![Paging::Cursor { limit: Some(limit), cursor: None }],
        ).unwrap_or_else(|e| panic!("{e}"));
        let mut pages = 0;
        loop {
            let (rows, next) = page(&st, acc(owner), &q, &KEY).unwrap_or_else(|e| panic!("{e:?}"));
            let reference = query_sites(&st, acc(owner), &q, &KEY).unwrap_or_else(|e| panic!("{e}"));
            let ids: Vec<SiteId> = rows.iter().map(|r| r.site.id).collect();
            let expected: Vec<SiteId> = reference.rows.iter().map(|r| r.site.id).collect();
            prop_assert_eq!(ids, expected);
            prop_assert_eq!(&next, &reference.next_cursor);
            pages += 1;
            prop_assert!(pages <= 41);
            match next {
                Some(c) => q = SiteQuery::next_page(c, Some(limit)),
                None => break,
            }
        }
    }
}
