//! Query Sites complete, Count Sites, the Site object and Get Account (spec
//! `wix-accounts-and-sites.md` 3.1, 4.1-4.3; the **new** rows of `spec/emulator.md`):
//! every filter field and operator of the table, the `WIX` and `ACTIVE` defaults,
//! the sorts with their ties, the 1,000 reachable, `premium` from the Premium plan
//! on the site, and which accounts a key may read.

use std::collections::BTreeSet;

use reseller_domain::query::{Paging, Value};
use reseller_domain::sites::{EditorType, Namespace, SiteCount, SiteDetails};
use reseller_domain::{AccountId, ErrorCode, SiteId, Timestamp};
use reseller_ports::{Accounts, NewSite, ResellerPackages, Seed, Sites, SitesQuery, Wix};
use uuid::Uuid;

use crate::expect::{ok, refused};
use crate::fixture::*;

/// The published bakery of [`MAIN`] (display name "Best Cakes in Town", two apps).
pub const BAKERY: SiteId = site(0x41);
/// A Studio site of [`MAIN`] in [`FOLDER`], one app.
pub const STUDIO: SiteId = site(0x42);
/// A headless site of [`MAIN`].
pub const HEADLESS: SiteId = site(0x43);
/// A site of [`MAIN`] in the trash.
pub const TRASHED: SiteId = site(0x44);
/// The folder of [`STUDIO`].
pub const FOLDER: Uuid = Uuid::from_u128(0xf01d_0000_0000_4000_8000_0000_0000_0001);

fn at(text: &str) -> Timestamp {
    Timestamp::parse_rfc3339(text).unwrap()
}

async fn add(seed: &dyn Seed, id: SiteId, owner: AccountId, name: &str, details: SiteDetails) {
    let mut new = NewSite::new(id, owner, name);
    new.details = details;
    new.created = Some(at("2020-01-01T00:00:00.000Z"));
    seed.add_site(&new)
        .await
        .unwrap_or_else(|e| panic!("seeding: add site {name}: {e}"));
}

/// Adds [`BAKERY`], [`STUDIO`], [`HEADLESS`] and [`TRASHED`] to [`MAIN`].
async fn seed_sites(seed: &dyn Seed) {
    add(
        seed,
        BAKERY,
        MAIN,
        "bakery",
        SiteDetails {
            display_name: Some("Best Cakes in Town".to_owned()),
            published: true,
            app_ids: vec!["stores".to_owned(), "bookings".to_owned()],
            ..SiteDetails::default()
        },
    )
    .await;
    add(
        seed,
        STUDIO,
        MAIN,
        "Bakery2",
        SiteDetails {
            editor_type: EditorType::Studio,
            folder_id: Some(FOLDER),
            app_ids: vec!["stores".to_owned()],
            ..SiteDetails::default()
        },
    )
    .await;
    add(
        seed,
        HEADLESS,
        MAIN,
        "headless-43",
        SiteDetails {
            namespace: Namespace::Headless,
            ..SiteDetails::default()
        },
    )
    .await;
    add(
        seed,
        TRASHED,
        MAIN,
        "old-shop",
        SiteDetails {
            trashed: Some(at("2024-01-01T00:00:00.000Z")),
            ..SiteDetails::default()
        },
    )
    .await;
}

fn query(filter: Option<Value>, sort: Option<(&str, &str)>, limit: Option<u32>) -> SitesQuery {
    let sort = sort
        .map(|(f, o)| vec![(f.to_owned(), Some(o.to_owned()))])
        .unwrap_or_default();
    SitesQuery::new(
        filter,
        sort,
        vec![Paging::Cursor {
            limit,
            cursor: None,
        }],
    )
    .unwrap_or_else(|e| panic!("a valid Query Sites request: {e}"))
}

/// Every page of `first`, in order.
async fn walk(
    client: &dyn Wix,
    account: AccountId,
    first: SitesQuery,
) -> Vec<reseller_ports::SiteInfo> {
    let mut out = Vec::new();
    let mut q = first;
    for _ in 0..2_000 {
        let page = ok("Query Sites", client.query_sites(&on(account), &q).await);
        out.extend(page.sites);
        match page.next_cursor {
            Some(c) => q = SitesQuery::next_page(c, q.limit()),
            None => return out,
        }
    }
    panic!("Query Sites on {account}: the cursors never end");
}

async fn names(client: &dyn Wix, filter: Value) -> BTreeSet<String> {
    let what = format!("{filter:?}");
    walk(client, MAIN, query(Some(filter), None, Some(100)))
        .await
        .into_iter()
        .map(|s| s.name)
        .inspect(|n| assert!(!n.is_empty(), "{what}: a name"))
        .collect()
}

fn set(items: &[&str]) -> BTreeSet<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

const MAIN_DEFAULT: [&str; 5] = ["Bakery2", "bakery", "main-paid", "main-site", "main-spare"];

/// Every field and operator of Query Sites' table, `appIds`, `searchPhrase` and
/// `state`; without a `namespace` or `state` condition only active `WIX` sites;
/// a field outside the table is ignored.
pub async fn query_sites_filters_on_every_field_of_the_table(seed: &dyn Seed) {
    let fx = Fixture::new(seed).await;
    seed_sites(seed).await;
    let c = &*fx.main;
    let cases: Vec<(Value, Vec<&str>)> = vec![
        (Value::Object(Default::default()), MAIN_DEFAULT.to_vec()),
        (Value::object([("name", "bakery".into())]), vec!["bakery"]),
        (Value::object([("name", "BAKERY".into())]), vec![]),
        (Value::condition("name", "$eq", "Bakery2"), vec!["Bakery2"]),
        (
            Value::condition("name", "$ne", "bakery"),
            vec!["Bakery2", "main-paid", "main-site", "main-spare"],
        ),
        (
            Value::condition("name", "$startsWith", "Bak"),
            vec!["Bakery2"],
        ),
        (
            Value::condition("name", "$in", ["bakery", "main-site", "nope"]),
            vec!["bakery", "main-site"],
        ),
        (
            Value::condition("name", "$hasSome", ["main-paid"]),
            vec!["main-paid"],
        ),
        (
            Value::condition("name", "$gt", "main-s"),
            vec!["main-site", "main-spare"],
        ),
        (
            Value::condition("name", "$gte", "main-spare"),
            vec!["main-spare"],
        ),
        (Value::condition("name", "$lt", "bakery"), vec!["Bakery2"]),
        (
            Value::condition("name", "$lte", "bakery"),
            vec!["Bakery2", "bakery"],
        ),
        (
            Value::condition("name", "$exists", true),
            MAIN_DEFAULT.to_vec(),
        ),
        (
            Value::condition(
                "id",
                "$in",
                Value::from([BAKERY.to_string().to_uppercase().as_str()]),
            ),
            vec!["bakery"],
        ),
        (
            Value::condition("id", "$ne", BAKERY.to_string()),
            vec!["Bakery2", "main-paid", "main-site", "main-spare"],
        ),
        (
            Value::condition("folderId", "$exists", false),
            vec!["bakery", "main-paid", "main-site", "main-spare"],
        ),
        (
            Value::object([("folderId", FOLDER.to_string().into())]),
            vec!["Bakery2"],
        ),
        (
            Value::condition("folderId", "$startsWith", &FOLDER.to_string()[..8]),
            vec!["Bakery2"],
        ),
        (Value::object([("published", true.into())]), vec!["bakery"]),
        (
            Value::condition("published", "$in", Value::array([true.into()])),
            vec!["bakery"],
        ),
        (
            Value::condition("published", "$ne", true),
            vec!["Bakery2", "main-paid", "main-site", "main-spare"],
        ),
        (Value::object([("premium", true.into())]), vec![]),
        (
            Value::condition("premium", "$hasSome", Value::array([false.into()])),
            MAIN_DEFAULT.to_vec(),
        ),
        (
            Value::object([("editorType", "studio".into())]),
            vec!["Bakery2"],
        ),
        (
            Value::condition("editorType", "$hasSome", ["ADI", "STUDIO"]),
            vec!["Bakery2"],
        ),
        (
            Value::object([("namespace", "HEADLESS".into())]),
            vec!["headless-43"],
        ),
        (Value::condition("namespace", "$in", ["WIX", "HEADLESS"]), {
            let mut all = MAIN_DEFAULT.to_vec();
            all.push("headless-43");
            all
        }),
        (Value::object([("domainConnected", true.into())]), vec![]),
        (
            Value::condition("domainConnected", "$exists", true),
            MAIN_DEFAULT.to_vec(),
        ),
        (
            Value::condition("appIds", "$hasAll", ["stores", "bookings"]),
            vec!["bakery"],
        ),
        (
            Value::condition("appIds", "$hasSome", ["stores"]),
            vec!["Bakery2", "bakery"],
        ),
        (
            Value::object([("searchPhrase", "CAK".into())]),
            vec!["bakery"],
        ),
        (
            Value::object([("searchPhrase", "town".into())]),
            vec!["bakery"],
        ),
        (Value::object([("searchPhrase", "akery".into())]), vec![]),
        (
            Value::object([("searchPhrase", "main".into())]),
            vec!["main-paid", "main-site", "main-spare"],
        ),
        (
            Value::object([("state", "TRASHED".into())]),
            vec!["old-shop"],
        ),
        (Value::condition("state", "$in", ["ACTIVE", "TRASHED"]), {
            let mut all = MAIN_DEFAULT.to_vec();
            all.push("old-shop");
            all
        }),
        (
            Value::object([("color", "red".into())]),
            MAIN_DEFAULT.to_vec(),
        ),
        (
            Value::object([("displayName", "nothing".into())]),
            MAIN_DEFAULT.to_vec(),
        ),
        (
            Value::object([(
                "$or",
                Value::array([
                    Value::object([("published", true.into())]),
                    Value::object([("editorType", "STUDIO".into())]),
                ]),
            )]),
            vec!["Bakery2", "bakery"],
        ),
    ];
    for (filter, want) in cases {
        assert_eq!(
            names(c, filter.clone()).await,
            set(&want),
            "Query Sites with {filter:?}"
        );
    }
}

/// The sorts: `displayName`, `createdDate`, `updatedDate`, `trashedDate`, each way;
/// equal values in id order in the sort's direction; sites without a
/// `trashedDate` after the others in either direction; `createdDate` `DESC` by
/// default. Paging with a cursor keeps the order.
pub async fn query_sites_sorts_and_breaks_ties_by_id(seed: &dyn Seed) {
    let fx = Fixture::new(seed).await;
    let rows = [
        (
            0x51,
            "Same",
            "2021-01-01T00:00:00.000Z",
            Some("2024-03-01T00:00:00.000Z"),
        ),
        (0x52, "Same", "2021-01-02T00:00:00.000Z", None),
        (
            0x53,
            "Alpha",
            "2021-01-02T00:00:00.000Z",
            Some("2024-02-01T00:00:00.000Z"),
        ),
        (0x54, "Zed", "2021-01-04T00:00:00.000Z", None),
    ];
    for (n, display, created, trashed) in rows {
        let mut new = NewSite::new(site(n), SUB2, format!("s{n:x}"));
        new.details.display_name = Some(display.to_owned());
        new.details.trashed = trashed.map(at);
        new.created = Some(at(created));
        seed.add_site(&new)
            .await
            .unwrap_or_else(|e| panic!("seeding: add site {n}: {e}"));
    }
    let only_these = Value::condition("name", "$startsWith", "s5");
    let every = Value::object([
        ("name", Value::object([("$startsWith", "s5".into())])),
        (
            "state",
            Value::object([("$in", Value::from(["ACTIVE", "TRASHED"]))]),
        ),
    ]);
    let order = |v: Vec<reseller_ports::SiteInfo>| v.into_iter().map(|s| s.id).collect::<Vec<_>>();
    let ids = |ns: &[u128]| ns.iter().map(|n| site(*n)).collect::<Vec<_>>();
    for (filter, sort, want) in [
        (
            every.clone(),
            Some(("displayName", "ASC")),
            ids(&[0x53, 0x51, 0x52, 0x54]),
        ),
        (
            every.clone(),
            Some(("displayName", "DESC")),
            ids(&[0x54, 0x52, 0x51, 0x53]),
        ),
        (
            every.clone(),
            Some(("createdDate", "ASC")),
            ids(&[0x51, 0x52, 0x53, 0x54]),
        ),
        (
            every.clone(),
            Some(("createdDate", "DESC")),
            ids(&[0x54, 0x53, 0x52, 0x51]),
        ),
        (
            every.clone(),
            Some(("updatedDate", "ASC")),
            ids(&[0x51, 0x52, 0x53, 0x54]),
        ),
        (
            every.clone(),
            Some(("trashedDate", "ASC")),
            ids(&[0x53, 0x51, 0x52, 0x54]),
        ),
        (
            every.clone(),
            Some(("trashedDate", "DESC")),
            ids(&[0x51, 0x53, 0x54, 0x52]),
        ),
        (every.clone(), None, ids(&[0x54, 0x53, 0x52, 0x51])),
        (only_these, None, ids(&[0x54, 0x52])),
    ] {
        let got = order(walk(&*fx.main, SUB2, query(Some(filter.clone()), sort, Some(1))).await);
        assert_eq!(
            got, want,
            "Query Sites sorted by {sort:?}, one per page, filter {filter:?}"
        );
    }
}

/// The first 1,000 matches are reachable through the cursors, no more; Count
/// Sites still counts them all.
pub async fn query_sites_reaches_the_first_thousand(seed: &dyn Seed) {
    let fx = Fixture::new(seed).await;
    for n in 0..1_000u128 {
        seed.add_site(&NewSite::new(
            site(0x1_0000 + n),
            OTHER,
            format!("bulk-{n}"),
        ))
        .await
        .unwrap_or_else(|e| panic!("seeding: add site {n}: {e}"));
    }
    let all = walk(
        &*fx.other,
        OTHER,
        query(None, Some(("displayName", "ASC")), Some(100)),
    )
    .await;
    assert_eq!(all.len(), 1_000, "the first 1,000 of 1,001 sites");
    let distinct: BTreeSet<SiteId> = all.iter().map(|s| s.id).collect();
    assert_eq!(distinct.len(), 1_000, "each site once");
    let count = ok(
        "Count Sites",
        fx.other
            .count_sites(&on(OTHER), &SiteCount::default())
            .await,
    );
    assert_eq!(count, 1_001);
}

/// Every member of the Site object: defaults, `viewUrl` empty while unpublished,
/// `contributorAccountIds` the owner; `premium` while a `PENDING` or `ENABLED`
/// Premium plan is assigned, and not after it is canceled.
pub async fn site_object_carries_every_field_and_premium_follows_the_plan(seed: &dyn Seed) {
    let fx = Fixture::new(seed).await;
    seed_sites(seed).await;
    let find = |sites: &[reseller_ports::SiteInfo], id: SiteId| {
        sites
            .iter()
            .find(|s| s.id == id)
            .cloned()
            .unwrap_or_else(|| panic!("site {id} answered"))
    };
    let sites = fx.sites_of(&*fx.main, MAIN).await;
    let plain = find(&sites, MAIN_SITE);
    let before = plain.updated;
    assert_eq!(plain.display_name, "main-site");
    assert_eq!(
        (plain.namespace.as_str(), plain.editor_type.as_str()),
        ("WIX", "EDITOR")
    );
    assert!(!plain.published && !plain.premium && !plain.domain_connected && !plain.blocked);
    assert_eq!(plain.view_url, "", "an unpublished site has no viewUrl");
    assert_eq!(plain.edit_url, format!("/editor/{MAIN_SITE}"));
    assert_eq!(plain.thumbnail, format!("/site-thumbnail/{MAIN_SITE}"));
    assert_eq!(plain.contributor_account_ids, [MAIN.to_string()]);
    assert_eq!((plain.folder_id, plain.trashed), (None, None));
    assert!(
        plain
            .html_app_id
            .is_some_and(|h| h != MAIN_SITE.to_string())
    );
    let bakery = find(&sites, BAKERY);
    assert_eq!(bakery.display_name, "Best Cakes in Town");
    assert!(bakery.published);
    assert_eq!(bakery.view_url, "https://acme-hosting.wixsite.com/bakery");
    assert_eq!(bakery.created, at("2020-01-01T00:00:00.000Z"));
    let studio = find(&sites, STUDIO);
    assert_eq!(studio.folder_id, Some(FOLDER.to_string()));
    assert_eq!(studio.editor_type, "STUDIO");
    assert_eq!(find(&sites, HEADLESS).namespace, "HEADLESS");
    assert_eq!(
        find(&sites, TRASHED).trashed,
        Some(at("2024-01-01T00:00:00.000Z"))
    );

    let (package, _) = fx.plan(MAIN, Some(MAIN_SITE)).await;
    let premium = names(&*fx.main, Value::object([("premium", true.into())])).await;
    assert_eq!(
        premium,
        set(&["main-site"]),
        "a PENDING Premium plan makes the site premium"
    );
    let after = find(&fx.sites_of(&*fx.main, MAIN).await, MAIN_SITE);
    assert_eq!(
        after.updated, before,
        "a plan on the site is not a change of the site"
    );
    ok(
        "Cancel Package",
        fx.main.cancel_package(&on(MAIN), package.id()).await,
    );
    let premium = names(&*fx.main, Value::object([("premium", true.into())])).await;
    assert!(premium.is_empty(), "a canceled plan does not: {premium:?}");
}

/// Count Sites counts what Query Sites answers, the `WIX` and `ACTIVE` defaults
/// included, and ignores `premium` and `appIds`.
pub async fn count_sites_counts_like_query_sites(seed: &dyn Seed) {
    let fx = Fixture::new(seed).await;
    seed_sites(seed).await;
    fx.plan(MAIN, Some(MAIN_SITE)).await;
    let count = |filter: Option<Value>| {
        let c =
            SiteCount::new(filter).unwrap_or_else(|e| panic!("a valid Count Sites filter: {e}"));
        let client = fx.main.clone();
        async move { ok("Count Sites", client.count_sites(&on(MAIN), &c).await) }
    };
    assert_eq!(count(None).await, 5);
    assert_eq!(
        count(Some(Value::object([("namespace", "HEADLESS".into())]))).await,
        1
    );
    assert_eq!(
        count(Some(Value::object([("state", "TRASHED".into())]))).await,
        1
    );
    assert_eq!(
        count(Some(Value::object([("published", true.into())]))).await,
        1
    );
    assert_eq!(
        count(Some(Value::object([("premium", true.into())]))).await,
        5,
        "premium is ignored"
    );
    assert_eq!(
        count(Some(Value::condition("appIds", "$hasAll", ["none"]))).await,
        5,
        "appIds is ignored"
    );
    assert_eq!(
        ok(
            "Count Sites on SUB1",
            fx.main.count_sites(&on(SUB1), &SiteCount::default()).await
        ),
        3,
        "SUB1's three sites"
    );
}

/// Get Account reads the key's own account and its sub-accounts; any other
/// account, or one that does not exist, is 404 `ACCOUNT_NOT_FOUND`.
pub async fn get_account_reads_the_keys_account_and_its_children(seed: &dyn Seed) {
    let fx = Fixture::new(seed).await;
    let main = ok(
        "Get Account MAIN",
        fx.main.get_account(&on(MAIN), MAIN).await,
    );
    assert_eq!(main.id, MAIN);
    assert_eq!(
        (main.slug.as_str(), main.name.as_str()),
        ("acme-hosting", "Acme Hosting")
    );
    let sub = ok(
        "Get Account SUB1 with MAIN's key",
        fx.main.get_account(&on(MAIN), SUB1).await,
    );
    assert_eq!((sub.id, sub.name.as_str()), (SUB1, "Customer 1"));
    ok(
        "Get Account SUB1 with its own key",
        fx.sub1.get_account(&on(SUB1), SUB1).await,
    );
    for (client, header, target, what) in [
        (
            &fx.sub1,
            SUB1,
            MAIN,
            "a sub-account's key reading its parent",
        ),
        (
            &fx.sub1,
            SUB1,
            SUB2,
            "a sub-account's key reading a sibling",
        ),
        (&fx.main, MAIN, OTHER, "a key reading another family"),
        (
            &fx.main,
            MAIN,
            UNKNOWN_ACCOUNT,
            "an account that does not exist",
        ),
    ] {
        refused(
            what,
            client.get_account(&on(header), target).await,
            ErrorCode::AccountNotFound,
        );
    }
}
