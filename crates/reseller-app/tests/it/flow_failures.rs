//! Every step of every flow failing, against `MockWix` (the mocks of the ports): a
//! refusal and an outcome-unknown failure at each step, checked against what the
//! mocks were asked (each expectation has its count, so an extra call fails the
//! test, and a call without an expectation panics).

use std::time::Duration;

use mockall::Sequence;
use reseller_app::flows::{
    HandOver, HandOverStep, Onboard, OnboardStep, Outcome, PackageLeft, PlanWithVoucher, Product,
    Reassign, ReassignStep, Recreated, SiteAt, SiteChoice, SubAccountLeft, TransferPaidSite,
    TransferPaidStep, VoucherStep, hand_over_site, onboard_customer, plan_with_voucher,
    reassign_instance, recreate_external_id, restore_external_id, sub_account_key,
    transfer_paid_site,
};
use reseller_app::safe::create_once_key;
use reseller_app::{Attempts, Origin, SafeError};
use reseller_contract::fixture::{account, product, site};
use reseller_domain::instance::InstanceParts;
use reseller_domain::ops::CreatePackage;
use reseller_domain::package::PackageParts;
use reseller_domain::query::{
    ArrayOp, Condition, Filter, InstancePath, KeyField, KeyOp, PackageQuery, Value,
};
use reseller_domain::{
    AccountId, Assignment, Billing, CatalogProductId, CountryCode, ErrorCode, ExternalId,
    InstanceId, InstanceStatus, Instances, Package, PackageId, ProductInstance, SiteId, Timestamp,
    Violation,
};
use reseller_ports::{ErrorKind, MockWix, PackagesPage, PortError, SiteInfo, SitesPage};
use uuid::Uuid;

// ----- the four mocks as one Wix: reseller-ports' MockWix -------------------

type Mocks = MockWix;

// ----- ids, objects, errors -------------------------------------------------

const fn instance_id(n: u128) -> InstanceId {
    InstanceId::from_uuid(Uuid::from_u128(
        0x1000_0000_0000_4000_8000_0000_0000_0000 + n,
    ))
}
const fn package_id(n: u128) -> PackageId {
    PackageId::from_uuid(Uuid::from_u128(
        0xb000_0000_0000_4000_8000_0000_0000_0000 + n,
    ))
}

const MAIN: AccountId = account(1);
const TEAM: AccountId = account(2);
const CUSTOMER: AccountId = account(3);
const NEW: AccountId = account(4);
const SITE: SiteId = site(1);
const SITE2: SiteId = site(2);
const PLAN: CatalogProductId = product(1);
const DOMAIN: CatalogProductId = product(2);

fn at(millis: i64) -> Timestamp {
    Timestamp::from_unix_millis(millis).unwrap()
}

fn br() -> CountryCode {
    CountryCode::new("BR").unwrap()
}

fn ext(text: &str) -> ExternalId {
    ExternalId::new(text).unwrap()
}

fn inst(
    id: InstanceId,
    product: CatalogProductId,
    site: Option<SiteId>,
    status: InstanceStatus,
    reference: Option<InstanceId>,
    created: i64,
) -> ProductInstance {
    ProductInstance::from_parts(InstanceParts {
        id,
        catalog_product_id: product,
        assignment: site.map_or(Assignment::Floating, Assignment::Site),
        status,
        billing: Some(Billing::yearly()),
        country_code: Some(br()),
        discount_code: None,
        reference,
        used_as_reference: false,
        created: at(created),
        updated: at(created),
        expiration: None,
    })
}

fn pkg(
    id: PackageId,
    account: AccountId,
    external: Option<&str>,
    instances: Vec<ProductInstance>,
) -> Package {
    let created = instances.first().map_or(at(0), ProductInstance::created);
    Package::from_parts(PackageParts {
        id,
        account_id: account,
        parent_account_id: Some(MAIN),
        external_id: external.map(ext),
        instances: Instances::new(instances).unwrap(),
        created,
        updated: created,
    })
}

fn page(packages: Vec<Package>) -> PackagesPage {
    PackagesPage {
        packages,
        next_cursor: None,
        prev_cursor: None,
        total: None,
        offset: None,
    }
}

fn sites_page(sites: &[(SiteId, AccountId)]) -> SitesPage {
    SitesPage {
        sites: sites
            .iter()
            .map(|(id, owner)| SiteInfo {
                id: *id,
                name: "site".to_owned(),
                display_name: "site".to_owned(),
                owner_account_id: *owner,
                contributor_account_ids: vec![owner.to_string()],
                premium: false,
                published: false,
                namespace: "WIX".to_owned(),
                editor_type: "EDITOR".to_owned(),
                folder_id: None,
                domain_connected: false,
                blocked: false,
                view_url: String::new(),
                edit_url: format!("/editor/{id}"),
                thumbnail: format!("/site-thumbnail/{id}"),
                html_app_id: None,
                created: at(0),
                updated: at(0),
                trashed: None,
            })
            .collect(),
        next_cursor: None,
    }
}

fn unknown() -> PortError {
    PortError::transport(ErrorKind::OutcomeUnknown, "timed out after sending")
}

fn denied() -> PortError {
    PortError::from(Violation::PermissionDenied {
        reason: "no".to_owned(),
    })
}

fn once() -> Attempts {
    Attempts::immediate(1)
}

fn is_refused(cause: &SafeError, code: ErrorCode) -> bool {
    matches!(cause, SafeError::Refused(e) if *e.code() == code)
}

fn is_unresolved(cause: &SafeError) -> bool {
    matches!(cause, SafeError::Unresolved { last, .. } if last.kind() == ErrorKind::OutcomeUnknown)
}

// ----- query matchers -------------------------------------------------------

/// The filter a lookup on a customer's behalf sends: the condition, narrowed by
/// `accountId` to the call's account (Query Packages answers the whole family).
fn narrowed(q: &PackageQuery, account: Option<AccountId>) -> Option<&Filter> {
    match (q.filter(), account) {
        (Some(Filter::And(parts)), Some(account)) => match parts.as_slice() {
            [
                inner,
                Filter::Cond(Condition::Key {
                    field: KeyField::AccountId,
                    op: KeyOp::Eq(a),
                }),
            ] if *a == account.to_string() => Some(inner),
            _ => None,
        },
        (filter, None) => filter,
        _ => None,
    }
}

fn ext_eq(q: &PackageQuery, account: Option<AccountId>) -> Option<String> {
    match narrowed(q, account) {
        Some(Filter::Cond(Condition::Key {
            field: KeyField::ExternalId,
            op: KeyOp::Eq(v),
        })) => Some(v.clone()),
        _ => None,
    }
}

fn instances_filter(
    q: &PackageQuery,
    account: Option<AccountId>,
    path: InstancePath,
    value: String,
) -> bool {
    let filter = match q.filter() {
        Some(f @ Filter::Cond(_)) => Some(f),
        _ => narrowed(q, account),
    };
    matches!(filter, Some(Filter::Cond(Condition::Instances { path: p, op: ArrayOp::HasSome(v) }))
        if *p == path && v == &vec![Value::String(value)])
}

/// The expectations these tests set, by step.
trait Expect {
    /// Query Packages by external id on `account`, answering `answer`.
    fn lookup(
        &mut self,
        account: AccountId,
        external: &str,
        answer: Result<Vec<Package>, PortError>,
    );
    /// Query Packages by `productInstances.siteId` on `account`.
    fn on_site(
        &mut self,
        account: AccountId,
        site: SiteId,
        answer: Result<Vec<Package>, PortError>,
    );
    /// Query Packages by `productInstances.instanceId` on `account`.
    fn holding(
        &mut self,
        account: AccountId,
        instance: InstanceId,
        answer: Result<Vec<Package>, PortError>,
    );
    /// Create Package on `account` with the create-once key of `external`.
    fn create(
        &mut self,
        account: AccountId,
        external: &str,
        check: impl Fn(&CreatePackage) -> bool + Send + 'static,
        answer: Result<Package, PortError>,
    );
    /// Query Sites on `account` for `site`.
    fn where_is(&mut self, account: AccountId, site: SiteId, answer: Result<SitesPage, PortError>);
    /// Transfer Site of `site` from `source` to `target`.
    fn transfer(
        &mut self,
        site: SiteId,
        source: AccountId,
        target: AccountId,
        answer: Result<(), PortError>,
    );
}

impl Expect for Mocks {
    /// Query Packages by external id on `account`, answering `answer`.
    fn lookup(
        &mut self,
        account: AccountId,
        external: &str,
        answer: Result<Vec<Package>, PortError>,
    ) {
        let external = external.to_owned();
        self.packages
            .expect_query_packages()
            .withf(move |c, q| {
                c.account_id == Some(account)
                    && ext_eq(q, c.account_id).as_deref() == Some(external.as_str())
            })
            .times(1)
            .returning(move |_, _| answer.clone().map(page));
    }

    /// Query Packages by `productInstances.siteId` on `account`.
    fn on_site(
        &mut self,
        account: AccountId,
        site: SiteId,
        answer: Result<Vec<Package>, PortError>,
    ) {
        self.packages
            .expect_query_packages()
            .withf(move |c, q| {
                c.account_id == Some(account)
                    && instances_filter(q, c.account_id, InstancePath::SiteId, site.to_string())
            })
            .times(1)
            .returning(move |_, _| answer.clone().map(page));
    }

    /// Query Packages by `productInstances.instanceId` on `account`.
    fn holding(
        &mut self,
        account: AccountId,
        instance: InstanceId,
        answer: Result<Vec<Package>, PortError>,
    ) {
        self.packages
            .expect_query_packages()
            .withf(move |c, q| {
                c.account_id == Some(account)
                    && instances_filter(
                        q,
                        c.account_id,
                        InstancePath::InstanceId,
                        instance.to_string(),
                    )
            })
            .times(1)
            .returning(move |_, _| answer.clone().map(page));
    }

    /// Create Package on `account` with the create-once key of `external`.
    fn create(
        &mut self,
        account: AccountId,
        external: &str,
        check: impl Fn(&CreatePackage) -> bool + Send + 'static,
        answer: Result<Package, PortError>,
    ) {
        let external = ext(external);
        let key = create_once_key(&external);
        self.packages
            .expect_create_package()
            .withf(move |c, r| {
                c.account_id == Some(account)
                    && c.idempotency_key.as_ref() == Some(&key)
                    && r.external_id.as_ref() == Some(&external)
                    && check(r)
            })
            .times(1)
            .returning(move |_, _| answer.clone());
    }

    /// Query Sites on `account` for `site`.
    fn where_is(&mut self, account: AccountId, site: SiteId, answer: Result<SitesPage, PortError>) {
        self.sites
            .expect_query_sites()
            .withf(move |c, q| {
                c.account_id == Some(account) && *q == reseller_ports::SitesQuery::ids(&[site])
            })
            .times(1)
            .returning(move |_, _| answer.clone());
    }

    /// Transfer Site of `site` from `source` to `target`.
    fn transfer(
        &mut self,
        site: SiteId,
        source: AccountId,
        target: AccountId,
        answer: Result<(), PortError>,
    ) {
        self.transfers
            .expect_transfer_site()
            .withf(move |c, t| {
                c.account_id == Some(target) && t.site == site && t.source_account == source
            })
            .times(1)
            .returning(move |_, t| answer.clone().map(|()| *t));
    }
}

fn one_product(product: CatalogProductId, site: Option<SiteId>) -> impl Fn(&CreatePackage) -> bool {
    move |r| matches!(r.products.as_slice(), [p] if p.catalog_product_id == product && p.site == site)
}

// ----- F1 -------------------------------------------------------------------

fn f1_input() -> HandOver {
    HandOver {
        site: SITE,
        team_account: TEAM,
        customer_account: CUSTOMER,
        products: vec![Product::new(PLAN, br()).billed(Billing::yearly())],
        external_id: ext("f1"),
        enable_notifications: true,
    }
}

fn f1_package() -> Package {
    pkg(
        package_id(1),
        CUSTOMER,
        Some("f1"),
        vec![inst(
            instance_id(1),
            PLAN,
            Some(SITE),
            InstanceStatus::Pending,
            None,
            1,
        )],
    )
}

/// F1 up to the transfer: the site is in the team account, nothing on it.
fn f1_until_transfer(m: &mut Mocks) {
    m.where_is(CUSTOMER, SITE, Ok(sites_page(&[])));
    m.on_site(TEAM, SITE, Ok(vec![]));
}

#[tokio::test]
async fn f1_happy_path_calls_each_port_once_in_order() {
    let mut m = Mocks::default();
    let mut seq = Sequence::new();
    m.sites
        .expect_query_sites()
        .times(1)
        .in_sequence(&mut seq)
        .returning(|_, _| Ok(sites_page(&[])));
    m.packages
        .expect_query_packages()
        .times(1)
        .in_sequence(&mut seq)
        .returning(|_, _| Ok(page(vec![])));
    m.transfers
        .expect_transfer_site()
        .withf(|c, t| c.account_id == Some(CUSTOMER) && t.enable_notifications)
        .times(1)
        .in_sequence(&mut seq)
        .returning(|_, t| Ok(*t));
    m.packages
        .expect_query_packages()
        .times(1)
        .in_sequence(&mut seq)
        .returning(|_, _| Ok(page(vec![])));
    m.packages
        .expect_create_package()
        .times(1)
        .in_sequence(&mut seq)
        .returning(|_, _| Ok(f1_package()));
    let done = hand_over_site(&m, &f1_input(), once()).await.unwrap();
    assert_eq!(done.transfer, Outcome::Done);
    assert_eq!(done.package.origin, Origin::Created);
}

#[tokio::test]
async fn f1_locate_refused_or_unknown() {
    for (error, refused) in [(denied(), true), (unknown(), false)] {
        let mut m = Mocks::default();
        m.where_is(CUSTOMER, SITE, Err(error));
        let s = hand_over_site(&m, &f1_input(), once()).await.unwrap_err();
        assert_eq!(s.step, HandOverStep::LocateSite);
        assert!(
            if refused {
                is_refused(&s.cause, ErrorCode::PermissionDenied)
            } else {
                is_unresolved(&s.cause)
            },
            "{s}"
        );
        assert_eq!(s.left.site_at, SiteAt::Unknown);
        assert_eq!(s.left.package, PackageLeft::NotCreated);
    }
}

#[tokio::test]
async fn f1_check_refused_or_unknown() {
    for (error, refused) in [(denied(), true), (unknown(), false)] {
        let mut m = Mocks::default();
        m.where_is(CUSTOMER, SITE, Ok(sites_page(&[])));
        m.on_site(TEAM, SITE, Err(error));
        let s = hand_over_site(&m, &f1_input(), once()).await.unwrap_err();
        assert_eq!(s.step, HandOverStep::CheckPaidServices);
        assert!(refused == matches!(s.cause, SafeError::Refused(_)), "{s}");
        assert_eq!(s.left.site_at, SiteAt::Source);
    }
}

#[tokio::test]
async fn f1_a_live_instance_on_the_site_refuses_before_any_transfer() {
    let mut m = Mocks::default();
    m.where_is(CUSTOMER, SITE, Ok(sites_page(&[])));
    let live = pkg(
        package_id(9),
        TEAM,
        None,
        vec![
            inst(
                instance_id(9),
                PLAN,
                Some(SITE),
                InstanceStatus::Enabled,
                None,
                1,
            ),
            inst(
                instance_id(8),
                DOMAIN,
                Some(SITE),
                InstanceStatus::Canceled,
                None,
                1,
            ),
        ],
    );
    m.on_site(TEAM, SITE, Ok(vec![live]));
    let s = hand_over_site(&m, &f1_input(), once()).await.unwrap_err();
    assert_eq!(s.step, HandOverStep::CheckPaidServices);
    assert!(is_refused(&s.cause, ErrorCode::SiteTransferNotSupported));
    assert_eq!(s.cause.port_error().unwrap().status(), Some(428));
    assert_eq!(s.left.blocking, vec![instance_id(9)]);
}

#[tokio::test]
async fn f1_transfer_refused() {
    let mut m = Mocks::default();
    f1_until_transfer(&mut m);
    m.transfer(
        SITE,
        TEAM,
        CUSTOMER,
        Err(PortError::from(Violation::SiteTransferNotAllowed {
            source_account: TEAM,
            target: CUSTOMER,
        })),
    );
    let s = hand_over_site(&m, &f1_input(), once()).await.unwrap_err();
    assert_eq!(s.step, HandOverStep::Transfer);
    assert!(is_refused(&s.cause, ErrorCode::SiteTransferNotAllowed));
    assert_eq!(s.left.site_at, SiteAt::Source);
    assert_eq!(s.left.package, PackageLeft::NotCreated);
}

#[tokio::test]
async fn f1_transfer_unknown_is_read_back() {
    // Read back: not moved.
    let mut m = Mocks::default();
    f1_until_transfer(&mut m);
    m.transfer(SITE, TEAM, CUSTOMER, Err(unknown()));
    m.where_is(CUSTOMER, SITE, Ok(sites_page(&[])));
    let s = hand_over_site(&m, &f1_input(), once()).await.unwrap_err();
    assert_eq!(s.step, HandOverStep::Transfer);
    assert!(is_unresolved(&s.cause));
    assert_eq!(s.left.site_at, SiteAt::Source);

    // The read back fails too: where the site is stays unknown.
    let mut m = Mocks::default();
    f1_until_transfer(&mut m);
    m.transfer(SITE, TEAM, CUSTOMER, Err(unknown()));
    m.where_is(CUSTOMER, SITE, Err(unknown()));
    let s = hand_over_site(&m, &f1_input(), once()).await.unwrap_err();
    assert_eq!(s.left.site_at, SiteAt::Unknown);
}

#[tokio::test]
async fn f1_transfer_unknown_then_found_moved_goes_on() {
    let mut m = Mocks::default();
    f1_until_transfer(&mut m);
    m.transfer(SITE, TEAM, CUSTOMER, Err(unknown()));
    m.where_is(CUSTOMER, SITE, Ok(sites_page(&[(SITE, CUSTOMER)])));
    m.lookup(CUSTOMER, "f1", Ok(vec![]));
    m.create(
        CUSTOMER,
        "f1",
        one_product(PLAN, Some(SITE)),
        Ok(f1_package()),
    );
    let done = hand_over_site(&m, &f1_input(), Attempts::immediate(2))
        .await
        .unwrap();
    assert_eq!(done.transfer, Outcome::Done);
}

#[tokio::test]
async fn f1_create_refused_unknown_or_ambiguous() {
    let refusal = PortError::from(Violation::ProductNotSupportedOnSite {
        site: SITE,
        product: PLAN,
    });
    for (error, left) in [
        (refusal, PackageLeft::NotCreated),
        (unknown(), PackageLeft::Unknown),
    ] {
        let mut m = Mocks::default();
        f1_until_transfer(&mut m);
        m.transfer(SITE, TEAM, CUSTOMER, Ok(()));
        m.lookup(CUSTOMER, "f1", Ok(vec![]));
        m.create(CUSTOMER, "f1", one_product(PLAN, Some(SITE)), Err(error));
        let s = hand_over_site(&m, &f1_input(), once()).await.unwrap_err();
        assert_eq!(s.step, HandOverStep::CreatePackage);
        assert_eq!(s.left.site_at, SiteAt::Target);
        assert_eq!(s.left.package, left);
    }
    // Two packages already carry the external id: none is created.
    let mut m = Mocks::default();
    m.where_is(CUSTOMER, SITE, Ok(sites_page(&[(SITE, CUSTOMER)])));
    let mut twin = f1_package().into_parts();
    twin.id = package_id(2);
    m.lookup(
        CUSTOMER,
        "f1",
        Ok(vec![f1_package(), Package::from_parts(twin)]),
    );
    let s = hand_over_site(&m, &f1_input(), once()).await.unwrap_err();
    assert_eq!(s.step, HandOverStep::CreatePackage);
    assert!(matches!(s.cause, SafeError::Ambiguous { .. }));
    assert_eq!(
        s.left.package,
        PackageLeft::Several(vec![package_id(1), package_id(2)])
    );
}

#[tokio::test]
async fn f1_create_lookup_refused() {
    let mut m = Mocks::default();
    m.where_is(CUSTOMER, SITE, Ok(sites_page(&[(SITE, CUSTOMER)])));
    m.lookup(CUSTOMER, "f1", Err(denied()));
    let s = hand_over_site(&m, &f1_input(), once()).await.unwrap_err();
    assert_eq!(s.step, HandOverStep::CreatePackage);
    assert!(is_refused(&s.cause, ErrorCode::PermissionDenied));
    assert_eq!(s.left.package, PackageLeft::NotCreated);
}

#[tokio::test]
async fn f1_rerun_after_success_sends_no_mutation() {
    let mut m = Mocks::default();
    m.where_is(CUSTOMER, SITE, Ok(sites_page(&[(SITE, CUSTOMER)])));
    m.lookup(CUSTOMER, "f1", Ok(vec![f1_package()]));
    let done = hand_over_site(&m, &f1_input(), once()).await.unwrap();
    assert_eq!(done.transfer, Outcome::AlreadyDone);
    assert_eq!(done.package.origin, Origin::Found);
}

// ----- F2 -------------------------------------------------------------------

const P1: InstanceId = instance_id(0x21);

fn f2_input(unassign_first: bool) -> Reassign {
    Reassign {
        account: CUSTOMER,
        instance: P1,
        new_site: SITE2,
        unassign_first,
    }
}

fn plan_on(site: Option<SiteId>) -> Package {
    pkg(
        package_id(0x21),
        CUSTOMER,
        None,
        vec![inst(P1, PLAN, site, InstanceStatus::Enabled, None, 1)],
    )
}

#[tokio::test]
async fn f2_happy_path_unassigns_then_assigns() {
    let mut m = Mocks::default();
    let mut seq = Sequence::new();
    m.packages
        .expect_query_packages()
        .times(1)
        .in_sequence(&mut seq)
        .returning(|_, _| Ok(page(vec![plan_on(Some(SITE))])));
    m.packages
        .expect_unassign_instance()
        .withf(|c, i| c.account_id == Some(CUSTOMER) && *i == P1)
        .times(1)
        .in_sequence(&mut seq)
        .returning(|_, _| Ok(plan_on(None)));
    m.packages
        .expect_assign_instance()
        .withf(|c, i, s| c.account_id == Some(CUSTOMER) && *i == P1 && *s == SITE2)
        .times(1)
        .in_sequence(&mut seq)
        .returning(|_, _, _| Ok(plan_on(Some(SITE2))));
    let done = reassign_instance(&m, &f2_input(true), once())
        .await
        .unwrap();
    assert!(done.unassigned);
    assert_eq!(done.assigned, Outcome::Done);
}

#[tokio::test]
async fn f2_read_refused_unknown_or_missing() {
    for (answer, code) in [
        (Err(denied()), Some(ErrorCode::PermissionDenied)),
        (Err(unknown()), None),
        (Ok(vec![]), Some(ErrorCode::ProductInstanceNotFound)),
    ] {
        let mut m = Mocks::default();
        m.holding(CUSTOMER, P1, answer);
        let s = reassign_instance(&m, &f2_input(true), once())
            .await
            .unwrap_err();
        assert_eq!(s.step, ReassignStep::Read);
        match code {
            Some(c) => assert!(is_refused(&s.cause, c), "{s}"),
            None => assert!(is_unresolved(&s.cause)),
        }
        assert_eq!(s.left.assignment, None);
    }
}

#[tokio::test]
async fn f2_unassign_refused_leaves_the_instance_where_it_was() {
    let mut m = Mocks::default();
    m.holding(CUSTOMER, P1, Ok(vec![plan_on(Some(SITE))]));
    m.packages
        .expect_unassign_instance()
        .times(1)
        .returning(|_, _| {
            Err(PortError::from(Violation::ProductInstanceNotFound {
                instance: P1,
            }))
        });
    let s = reassign_instance(&m, &f2_input(true), once())
        .await
        .unwrap_err();
    assert_eq!(s.step, ReassignStep::Unassign);
    assert!(is_refused(&s.cause, ErrorCode::ProductInstanceNotFound));
    assert_eq!(s.left.assignment, Some(Assignment::Site(SITE)));
}

#[tokio::test]
async fn f2_unassign_unknown_is_read_back() {
    for (back, assignment) in [
        (Ok(vec![plan_on(None)]), Some(Assignment::Floating)),
        (Err(unknown()), None),
    ] {
        let mut m = Mocks::default();
        m.holding(CUSTOMER, P1, Ok(vec![plan_on(Some(SITE))]));
        m.packages
            .expect_unassign_instance()
            .times(1)
            .returning(|_, _| Err(unknown()));
        m.holding(CUSTOMER, P1, back);
        let s = reassign_instance(&m, &f2_input(true), once())
            .await
            .unwrap_err();
        assert_eq!(s.step, ReassignStep::Unassign);
        assert!(is_unresolved(&s.cause));
        assert_eq!(s.left.assignment, assignment);
    }
}

#[tokio::test]
async fn f2_assign_refused_reports_where_the_instance_is() {
    for (unassign_first, now) in [(true, None), (false, Some(SITE))] {
        let mut m = Mocks::default();
        m.holding(CUSTOMER, P1, Ok(vec![plan_on(Some(SITE))]));
        if unassign_first {
            m.packages
                .expect_unassign_instance()
                .times(1)
                .returning(|_, _| Ok(plan_on(None)));
        }
        m.packages
            .expect_assign_instance()
            .times(1)
            .returning(|_, _, _| {
                Err(PortError::from(Violation::ProductTypeAlreadyAssigned {
                    product_type: reseller_domain::ProductType::new("PREMIUM_PLAN").unwrap(),
                    site: SITE2,
                }))
            });
        m.holding(CUSTOMER, P1, Ok(vec![plan_on(now)]));
        let s = reassign_instance(&m, &f2_input(unassign_first), once())
            .await
            .unwrap_err();
        assert_eq!(s.step, ReassignStep::Assign);
        assert!(is_refused(&s.cause, ErrorCode::ProductTypeAlreadyAssigned));
        assert_eq!(
            s.left.assignment,
            Some(now.map_or(Assignment::Floating, Assignment::Site))
        );
    }
}

#[tokio::test]
async fn f2_assign_unknown_is_read_back() {
    // Read back on the new site: the answer was lost after the move.
    let mut m = Mocks::default();
    m.holding(CUSTOMER, P1, Ok(vec![plan_on(None)]));
    m.packages
        .expect_assign_instance()
        .times(1)
        .returning(|_, _, _| Err(unknown()));
    m.holding(CUSTOMER, P1, Ok(vec![plan_on(Some(SITE2))]));
    let done = reassign_instance(&m, &f2_input(true), once())
        .await
        .unwrap();
    assert!(
        !done.unassigned,
        "a floating instance is not unassigned again"
    );
    assert_eq!(done.assigned, Outcome::Done);

    // Read back still floating: stopped, and the left state says so.
    let mut m = Mocks::default();
    m.holding(CUSTOMER, P1, Ok(vec![plan_on(None)]));
    m.packages
        .expect_assign_instance()
        .times(1)
        .returning(|_, _, _| Err(unknown()));
    m.holding(CUSTOMER, P1, Ok(vec![plan_on(None)]));
    let s = reassign_instance(&m, &f2_input(true), once())
        .await
        .unwrap_err();
    assert_eq!(s.step, ReassignStep::Assign);
    assert!(is_unresolved(&s.cause));
    assert_eq!(s.left.assignment, Some(Assignment::Floating));
}

#[tokio::test]
async fn f2_rerun_after_success_sends_no_mutation() {
    let mut m = Mocks::default();
    m.holding(CUSTOMER, P1, Ok(vec![plan_on(Some(SITE2))]));
    let done = reassign_instance(&m, &f2_input(true), once())
        .await
        .unwrap();
    assert_eq!(done.assigned, Outcome::AlreadyDone);
    assert!(!done.unassigned);
}

// ----- F3 -------------------------------------------------------------------

const PLAN_I: InstanceId = instance_id(0x31);

fn f3_input() -> PlanWithVoucher {
    PlanWithVoucher {
        account: CUSTOMER,
        site: SITE,
        plan: Product::new(PLAN, br()).billed(Billing::yearly()),
        add_ons: vec![Product::new(DOMAIN, br()), Product::new(product(3), br())],
        plan_external_id: ext("f3-plan"),
        add_on_external_id: ext("f3-add-on"),
    }
}

fn f3_plan() -> Package {
    pkg(
        package_id(0x31),
        CUSTOMER,
        Some("f3-plan"),
        vec![inst(
            PLAN_I,
            PLAN,
            Some(SITE),
            InstanceStatus::Pending,
            None,
            1,
        )],
    )
}

fn f3_add_on() -> Package {
    pkg(
        package_id(0x32),
        CUSTOMER,
        Some("f3-add-on"),
        vec![inst(
            instance_id(0x32),
            DOMAIN,
            Some(SITE),
            InstanceStatus::Pending,
            Some(PLAN_I),
            2,
        )],
    )
}

/// The add-on request: the first product references the plan, the second not.
fn add_on_request(r: &CreatePackage) -> bool {
    matches!(r.products.as_slice(), [voucher, other]
        if voucher.catalog_product_id == DOMAIN
            && voucher.reference == Some(PLAN_I)
            && voucher.site == Some(SITE)
            && other.reference.is_none())
}

#[tokio::test]
async fn f3_happy_path_and_rerun() {
    let mut m = Mocks::default();
    m.lookup(CUSTOMER, "f3-plan", Ok(vec![]));
    m.create(
        CUSTOMER,
        "f3-plan",
        one_product(PLAN, Some(SITE)),
        Ok(f3_plan()),
    );
    m.lookup(CUSTOMER, "f3-add-on", Ok(vec![]));
    m.create(CUSTOMER, "f3-add-on", add_on_request, Ok(f3_add_on()));
    let done = plan_with_voucher(&m, &f3_input(), once()).await.unwrap();
    assert_eq!(done.plan_instance, PLAN_I);
    assert_eq!(done.add_on.origin, Origin::Created);

    let mut m = Mocks::default();
    m.lookup(CUSTOMER, "f3-plan", Ok(vec![f3_plan()]));
    m.lookup(CUSTOMER, "f3-add-on", Ok(vec![f3_add_on()]));
    let again = plan_with_voucher(&m, &f3_input(), once()).await.unwrap();
    assert_eq!(again.plan.origin, Origin::Found);
    assert_eq!(again.add_on.origin, Origin::Found);
}

#[tokio::test]
async fn f3_plan_step_fails() {
    // The lookup refused.
    let mut m = Mocks::default();
    m.lookup(CUSTOMER, "f3-plan", Err(denied()));
    let s = plan_with_voucher(&m, &f3_input(), once())
        .await
        .unwrap_err();
    assert_eq!(s.step, VoucherStep::Plan);
    assert_eq!(s.left.plan, PackageLeft::NotCreated);

    // The create refused, then unknown.
    let refusal = PortError::from(Violation::MissingBillingCycle { product: PLAN });
    for (error, left) in [
        (refusal, PackageLeft::NotCreated),
        (unknown(), PackageLeft::Unknown),
    ] {
        let mut m = Mocks::default();
        m.lookup(CUSTOMER, "f3-plan", Ok(vec![]));
        m.create(
            CUSTOMER,
            "f3-plan",
            one_product(PLAN, Some(SITE)),
            Err(error),
        );
        let s = plan_with_voucher(&m, &f3_input(), once())
            .await
            .unwrap_err();
        assert_eq!(s.step, VoucherStep::Plan);
        assert_eq!(s.left.plan, left);
        assert_eq!(s.left.plan_instance, None);
        assert_eq!(s.left.add_on, PackageLeft::NotCreated);
    }
}

#[tokio::test]
async fn f3_add_on_step_fails_and_the_plan_stays() {
    let used = PortError::from(Violation::InvalidReference {
        instance: PLAN_I,
        problem: reseller_domain::ReferenceProblem::AlreadyUsed,
    });
    for (error, left, code) in [
        (
            used,
            PackageLeft::NotCreated,
            Some(ErrorCode::InvalidReferenceProductInstanceId),
        ),
        (unknown(), PackageLeft::Unknown, None),
    ] {
        let mut m = Mocks::default();
        m.lookup(CUSTOMER, "f3-plan", Ok(vec![f3_plan()]));
        m.lookup(CUSTOMER, "f3-add-on", Ok(vec![]));
        m.create(CUSTOMER, "f3-add-on", add_on_request, Err(error));
        let s = plan_with_voucher(&m, &f3_input(), once())
            .await
            .unwrap_err();
        assert_eq!(s.step, VoucherStep::AddOn);
        match code {
            Some(c) => assert!(is_refused(&s.cause, c)),
            None => assert!(is_unresolved(&s.cause)),
        }
        assert_eq!(s.left.plan, PackageLeft::Exists(package_id(0x31)));
        assert_eq!(s.left.plan_instance, Some(PLAN_I));
        assert_eq!(s.left.add_on, left);
    }
}

// ----- F4 -------------------------------------------------------------------

fn f4_input(site: SiteChoice, polls: u32) -> Onboard {
    Onboard {
        main_account: MAIN,
        email: "ana@customer.example".to_owned(),
        customer_ref: "crm-77".to_owned(),
        known_account: None,
        products: vec![Product::new(PLAN, br()).billed(Billing::yearly())],
        external_id: ext("f4"),
        site,
        polls,
        poll_pause: Duration::ZERO,
    }
}

fn f4_package(status: InstanceStatus) -> Package {
    pkg(
        package_id(0x41),
        NEW,
        Some("f4"),
        vec![inst(instance_id(0x41), PLAN, Some(SITE), status, None, 1)],
    )
}

/// The expectations of F4 (onboarding).
trait ExpectOnboard {
    fn sub_account(&mut self, times: usize, answer: Result<AccountId, PortError>);
    fn first_site(&mut self, answer: Result<SitesPage, PortError>);
    fn poll(&mut self, answer: Result<Package, PortError>);
}

impl ExpectOnboard for Mocks {
    fn sub_account(&mut self, times: usize, answer: Result<AccountId, PortError>) {
        let key = sub_account_key("crm-77");
        self.accounts
            .expect_create_sub_account()
            .withf(move |c, r| {
                c.account_id == Some(MAIN)
                    && c.idempotency_key.as_ref() == Some(&key)
                    && r.email == "ana@customer.example"
            })
            .times(times)
            .returning(move |_, _| answer.clone());
    }

    fn first_site(&mut self, answer: Result<SitesPage, PortError>) {
        self.sites
            .expect_query_sites()
            .withf(|c, q| c.account_id == Some(NEW) && q.filter().is_none())
            .times(1)
            .returning(move |_, _| answer.clone());
    }

    fn poll(&mut self, answer: Result<Package, PortError>) {
        self.packages
            .expect_get_package()
            .withf(|c, id| c.account_id == Some(NEW) && *id == package_id(0x41))
            .times(1)
            .returning(move |_, _| answer.clone());
    }
}

#[tokio::test]
async fn f4_happy_path_polls_until_enabled() {
    let mut m = Mocks::default();
    m.sub_account(1, Ok(NEW));
    m.first_site(Ok(sites_page(&[(SITE, NEW), (SITE2, NEW)])));
    m.lookup(NEW, "f4", Ok(vec![]));
    m.create(
        NEW,
        "f4",
        one_product(PLAN, Some(SITE)),
        Ok(f4_package(InstanceStatus::Pending)),
    );
    m.poll(Ok(f4_package(InstanceStatus::Pending)));
    m.poll(Ok(f4_package(InstanceStatus::Enabled)));
    let done = onboard_customer(&m, &f4_input(SiteChoice::FirstOfAccount, 5), once())
        .await
        .unwrap();
    assert_eq!(done.account, NEW);
    assert_eq!(done.site, Some(SITE));
    assert_eq!(done.polls, 2);
    assert!(done.pending.is_empty());
}

#[tokio::test]
async fn f4_polls_end_with_pending_instances() {
    let mut m = Mocks::default();
    m.sub_account(1, Ok(NEW));
    m.lookup(NEW, "f4", Ok(vec![]));
    m.create(
        NEW,
        "f4",
        one_product(PLAN, Some(SITE)),
        Ok(f4_package(InstanceStatus::Pending)),
    );
    m.poll(Ok(f4_package(InstanceStatus::Pending)));
    m.poll(Ok(f4_package(InstanceStatus::Pending)));
    let done = onboard_customer(&m, &f4_input(SiteChoice::Site(SITE), 2), once())
        .await
        .unwrap();
    assert_eq!(done.polls, 2);
    assert_eq!(done.pending, vec![instance_id(0x41)]);
}

#[tokio::test]
async fn f4_create_account_refused_or_unknown() {
    let bad = PortError::from(Violation::field(
        "user.email.emailAddress",
        reseller_domain::RuleType::Format,
        "not an e-mail address",
    ));
    let mut m = Mocks::default();
    m.sub_account(1, Err(bad));
    let s = onboard_customer(&m, &f4_input(SiteChoice::Floating, 0), once())
        .await
        .unwrap_err();
    assert_eq!(s.step, OnboardStep::CreateAccount);
    assert!(is_refused(&s.cause, ErrorCode::InvalidArgument));
    assert_eq!(s.left.account, SubAccountLeft::NotCreated);

    // Two tries, both with the same derived key, both unknown.
    let mut m = Mocks::default();
    m.sub_account(2, Err(unknown()));
    let s = onboard_customer(
        &m,
        &f4_input(SiteChoice::Floating, 0),
        Attempts::immediate(2),
    )
    .await
    .unwrap_err();
    assert_eq!(s.step, OnboardStep::CreateAccount);
    assert!(matches!(s.cause, SafeError::Unresolved { attempts: 2, .. }));
    assert_eq!(s.left.account, SubAccountLeft::Unknown);
}

#[tokio::test]
async fn f4_find_site_refused_unknown_or_empty() {
    for (answer, code) in [
        (Err(denied()), Some(ErrorCode::PermissionDenied)),
        (Err(unknown()), None),
        (Ok(sites_page(&[])), Some(ErrorCode::SiteNotFound)),
    ] {
        let mut m = Mocks::default();
        m.sub_account(1, Ok(NEW));
        m.first_site(answer);
        let s = onboard_customer(&m, &f4_input(SiteChoice::FirstOfAccount, 0), once())
            .await
            .unwrap_err();
        assert_eq!(s.step, OnboardStep::FindSite);
        match code {
            Some(c) => assert!(is_refused(&s.cause, c), "{s}"),
            None => assert!(is_unresolved(&s.cause)),
        }
        assert_eq!(s.left.account, SubAccountLeft::Exists(NEW));
        assert_eq!(s.left.site, None);
        assert_eq!(s.left.package, PackageLeft::NotCreated);
    }
}

#[tokio::test]
async fn f4_create_package_refused_or_unknown() {
    let refusal = PortError::from(Violation::ProductNotFound { product: PLAN });
    for (error, left) in [
        (refusal, PackageLeft::NotCreated),
        (unknown(), PackageLeft::Unknown),
    ] {
        let mut m = Mocks::default();
        m.sub_account(1, Ok(NEW));
        m.lookup(NEW, "f4", Ok(vec![]));
        m.create(NEW, "f4", one_product(PLAN, None), Err(error));
        let s = onboard_customer(&m, &f4_input(SiteChoice::Floating, 3), once())
            .await
            .unwrap_err();
        assert_eq!(s.step, OnboardStep::CreatePackage);
        assert_eq!(s.left.account, SubAccountLeft::Exists(NEW));
        assert_eq!(s.left.package, left);
    }
}

#[tokio::test]
async fn f4_poll_refused_or_unknown() {
    let gone = PortError::from(Violation::PackageNotFound {
        package: package_id(0x41),
    });
    for (error, refused) in [(gone, true), (unknown(), false)] {
        let mut m = Mocks::default();
        let mut known = f4_input(SiteChoice::Site(SITE), 3);
        known.known_account = Some(NEW); // no Create Account expected
        m.lookup(NEW, "f4", Ok(vec![f4_package(InstanceStatus::Pending)]));
        m.poll(Err(error));
        let s = onboard_customer(&m, &known, once()).await.unwrap_err();
        assert_eq!(s.step, OnboardStep::Poll);
        assert!(refused == matches!(s.cause, SafeError::Refused(_)));
        assert_eq!(s.left.package, PackageLeft::Exists(package_id(0x41)));
        assert_eq!(s.left.site, Some(SITE));
    }
}

// ----- F5 -------------------------------------------------------------------

const SRC: AccountId = TEAM;
const TGT: AccountId = CUSTOMER;
const P: InstanceId = instance_id(0x51);
const D: InstanceId = instance_id(0x52);
const P2: InstanceId = instance_id(0x61);
const D2: InstanceId = instance_id(0x62);
const PR: InstanceId = instance_id(0x71);
const DR: InstanceId = instance_id(0x72);

fn f5_input() -> TransferPaidSite {
    TransferPaidSite {
        site: SITE,
        source_account: SRC,
        target_account: TGT,
        enable_notifications: false,
        external_id_prefix: "mv".to_owned(),
        services: None,
    }
}

/// The source's packages on the site: the plan P (created first) and the domain
/// D bought with P as voucher.
fn source_packages(status: InstanceStatus) -> Vec<Package> {
    vec![
        pkg(
            package_id(0x52),
            SRC,
            Some("order-2"),
            vec![inst(D, DOMAIN, Some(SITE), status.clone(), Some(P), 2)],
        ),
        pkg(
            package_id(0x51),
            SRC,
            Some("order-1"),
            vec![
                inst(P, PLAN, Some(SITE), status, None, 1),
                // Another site: never touched.
                inst(
                    instance_id(0x59),
                    PLAN,
                    Some(SITE2),
                    InstanceStatus::Enabled,
                    None,
                    1,
                ),
            ],
        ),
    ]
}

fn new_package(n: u128, account: AccountId, external: &str, instance: ProductInstance) -> Package {
    pkg(package_id(n), account, Some(external), vec![instance])
}

fn target_id(from: InstanceId) -> String {
    recreate_external_id("mv", from)
        .unwrap()
        .as_str()
        .to_owned()
}

fn restore_id(from: InstanceId) -> String {
    restore_external_id("mv", from).unwrap().as_str().to_owned()
}

fn again_request(
    product: CatalogProductId,
    reference: Option<InstanceId>,
) -> impl Fn(&CreatePackage) -> bool {
    move |r| {
        matches!(r.products.as_slice(), [p]
            if p.catalog_product_id == product
                && p.site == Some(SITE)
                && p.reference == reference
                && p.country_code == Some(br())
                && p.billing == Some(reseller_domain::ops::BillingRequest::of(Billing::yearly())))
    }
}

/// The expectations of F5 (moving paid services).
trait ExpectTransferPaid {
    fn cancel(&mut self, seq: &mut Sequence, instance: InstanceId, answer: Result<(), PortError>);
    /// create-once of the replacement of `from` in `account` (lookup, create).
    fn again(
        &mut self,
        account: AccountId,
        from: InstanceId,
        product: CatalogProductId,
        reference: Option<InstanceId>,
        answer: Result<InstanceId, PortError>,
    );
    /// F5 up to the cancels: the site in the source, P and D live on it.
    fn f5_inventory(&mut self);
    /// Both cancels succeed, D first.
    fn f5_cancels(&mut self);
}

impl ExpectTransferPaid for Mocks {
    fn cancel(&mut self, seq: &mut Sequence, instance: InstanceId, answer: Result<(), PortError>) {
        self.packages
            .expect_cancel_instance()
            .withf(move |c, i| c.account_id == Some(SRC) && *i == instance)
            .times(1)
            .in_sequence(seq)
            .returning(move |_, _| {
                answer
                    .clone()
                    .map(|()| source_packages(InstanceStatus::Canceled).remove(0))
            });
    }

    /// create-once of the replacement of `from` in `account` (lookup, create).
    fn again(
        &mut self,
        account: AccountId,
        from: InstanceId,
        product: CatalogProductId,
        reference: Option<InstanceId>,
        answer: Result<InstanceId, PortError>,
    ) {
        let external = if account == TGT {
            target_id(from)
        } else {
            restore_id(from)
        };
        self.lookup(account, &external, Ok(vec![]));
        let made = answer.map(|id| {
            new_package(
                0x100 + id.as_uuid().as_u128() % 0x100,
                account,
                &external,
                inst(
                    id,
                    product,
                    Some(SITE),
                    InstanceStatus::Pending,
                    reference,
                    9,
                ),
            )
        });
        self.create(account, &external, again_request(product, reference), made);
    }

    /// F5 up to the cancels: the site in the source, P and D live on it.
    fn f5_inventory(&mut self) {
        self.where_is(TGT, SITE, Ok(sites_page(&[])));
        self.on_site(SRC, SITE, Ok(source_packages(InstanceStatus::Enabled)));
    }

    /// Both cancels succeed, D first.
    fn f5_cancels(&mut self) {
        let mut seq = Sequence::new();
        self.cancel(&mut seq, D, Ok(()));
        self.cancel(&mut seq, P, Ok(()));
    }
}

#[tokio::test]
async fn f5_happy_path_cancels_transfers_and_recreates_in_order() {
    let mut m = Mocks::default();
    m.f5_inventory();
    m.f5_cancels();
    m.transfer(SITE, SRC, TGT, Ok(()));
    m.again(TGT, P, PLAN, None, Ok(P2));
    m.again(TGT, D, DOMAIN, Some(P2), Ok(D2));
    let done = transfer_paid_site(&m, &f5_input(), once()).await.unwrap();
    assert_eq!(done.transfer, Outcome::Done);
    let got: Vec<_> = done
        .services
        .iter()
        .map(|s| (s.from, s.instance, s.reference))
        .collect();
    assert_eq!(got, vec![(P, P2, None), (D, D2, Some(P2))]);
}

#[tokio::test]
async fn f5_locate_refused_or_unknown() {
    for error in [denied(), unknown()] {
        let mut m = Mocks::default();
        m.where_is(TGT, SITE, Err(error));
        let s = transfer_paid_site(&m, &f5_input(), once())
            .await
            .unwrap_err();
        assert_eq!(s.step, TransferPaidStep::Locate);
        assert_eq!(s.left.site_at, SiteAt::Unknown);
        assert!(s.left.services.is_empty());
    }
}

#[tokio::test]
async fn f5_inventory_refused_or_unknown() {
    for error in [denied(), unknown()] {
        let mut m = Mocks::default();
        m.where_is(TGT, SITE, Ok(sites_page(&[])));
        m.on_site(SRC, SITE, Err(error));
        let s = transfer_paid_site(&m, &f5_input(), once())
            .await
            .unwrap_err();
        assert_eq!(s.step, TransferPaidStep::Inventory);
        assert_eq!(s.left.site_at, SiteAt::Source);
    }
}

#[tokio::test]
async fn f5_first_cancel_refused_changes_nothing() {
    let mut m = Mocks::default();
    m.f5_inventory();
    let mut seq = Sequence::new();
    m.cancel(
        &mut seq,
        D,
        Err(PortError::from(Violation::ProductInstanceNotFound {
            instance: D,
        })),
    );
    let s = transfer_paid_site(&m, &f5_input(), once())
        .await
        .unwrap_err();
    assert_eq!(s.step, TransferPaidStep::Cancel);
    assert!(is_refused(&s.cause, ErrorCode::ProductInstanceNotFound));
    assert_eq!(s.left.services, vec![P, D]);
    assert!(s.left.canceled.is_empty());
    assert!(s.left.restored.is_empty() && s.left.unrestored.is_empty());
}

#[tokio::test]
async fn f5_second_cancel_refused_restores_the_first() {
    let mut m = Mocks::default();
    m.f5_inventory();
    let mut seq = Sequence::new();
    m.cancel(&mut seq, D, Ok(()));
    m.cancel(
        &mut seq,
        P,
        Err(PortError::from(Violation::ProductInstanceNotFound {
            instance: P,
        })),
    );
    // P is live: the restored domain cannot reuse it (used already), so no reference.
    m.again(SRC, D, DOMAIN, None, Ok(DR));
    let s = transfer_paid_site(&m, &f5_input(), once())
        .await
        .unwrap_err();
    assert_eq!(s.step, TransferPaidStep::Cancel);
    assert_eq!(s.left.canceled, vec![D]);
    assert_eq!(
        s.left.restored,
        vec![Recreated {
            from: D,
            package: package_id(0x100 + 0x72),
            instance: DR,
        }]
    );
    assert!(s.left.unrestored.is_empty());
}

#[tokio::test]
async fn f5_cancel_unknown_is_read_back_then_compensated() {
    // Read back: P was canceled after all; both are restored, P first.
    let mut m = Mocks::default();
    m.f5_inventory();
    let mut seq = Sequence::new();
    m.cancel(&mut seq, D, Ok(()));
    m.cancel(&mut seq, P, Err(unknown()));
    m.holding(
        SRC,
        P,
        Ok(vec![source_packages(InstanceStatus::Canceled).remove(1)]),
    );
    m.again(SRC, P, PLAN, None, Ok(PR));
    m.again(SRC, D, DOMAIN, Some(PR), Ok(DR));
    let s = transfer_paid_site(&m, &f5_input(), once())
        .await
        .unwrap_err();
    assert_eq!(s.step, TransferPaidStep::Cancel);
    assert!(is_unresolved(&s.cause));
    assert_eq!(s.left.canceled, vec![D, P]);
    let restored: Vec<_> = s
        .left
        .restored
        .iter()
        .map(|r| (r.from, r.instance))
        .collect();
    assert_eq!(restored, vec![(P, PR), (D, DR)]);

    // The read back fails: P is uncertain, D alone is restored.
    let mut m = Mocks::default();
    m.f5_inventory();
    let mut seq = Sequence::new();
    m.cancel(&mut seq, D, Ok(()));
    m.cancel(&mut seq, P, Err(unknown()));
    m.holding(SRC, P, Err(unknown()));
    m.again(SRC, D, DOMAIN, None, Ok(DR));
    let s = transfer_paid_site(&m, &f5_input(), once())
        .await
        .unwrap_err();
    assert_eq!(s.left.uncertain, vec![P]);
    assert_eq!(s.left.canceled, vec![D]);
    assert_eq!(s.left.restored.len(), 1);
}

#[tokio::test]
async fn f5_transfer_refused_restores_every_service_in_the_source() {
    let mut m = Mocks::default();
    m.f5_inventory();
    m.f5_cancels();
    m.transfer(
        SITE,
        SRC,
        TGT,
        Err(PortError::from(Violation::SiteTransferNotAllowed {
            source_account: SRC,
            target: TGT,
        })),
    );
    m.again(SRC, P, PLAN, None, Ok(PR));
    m.again(SRC, D, DOMAIN, Some(PR), Ok(DR));
    let s = transfer_paid_site(&m, &f5_input(), once())
        .await
        .unwrap_err();
    assert_eq!(s.step, TransferPaidStep::Transfer);
    assert!(is_refused(&s.cause, ErrorCode::SiteTransferNotAllowed));
    assert_eq!(s.left.site_at, SiteAt::Source);
    assert_eq!(s.left.canceled, vec![D, P]);
    let restored: Vec<_> = s
        .left
        .restored
        .iter()
        .map(|r| (r.from, r.instance))
        .collect();
    assert_eq!(restored, vec![(P, PR), (D, DR)]);
    assert!(s.left.unrestored.is_empty());
    assert!(s.to_string().contains("restored in the source account"));
}

#[tokio::test]
async fn f5_transfer_refused_and_restore_refused_names_the_lost_services() {
    let mut m = Mocks::default();
    m.f5_inventory();
    m.f5_cancels();
    m.transfer(
        SITE,
        SRC,
        TGT,
        Err(PortError::from(Violation::SiteTransferNotSupported {
            site: SITE,
            instances: vec![],
            external_services: vec!["Premium plan bought directly".to_owned()],
        })),
    );
    let limit = PortError::from(Violation::ProductLimitExceeded {
        product: PLAN,
        current: 1,
    });
    m.again(SRC, P, PLAN, None, Err(limit));
    let unsupported = PortError::from(Violation::ProductNotSupportedOnSite {
        site: SITE,
        product: DOMAIN,
    });
    m.again(SRC, D, DOMAIN, None, Err(unsupported));
    let s = transfer_paid_site(&m, &f5_input(), once())
        .await
        .unwrap_err();
    assert_eq!(s.step, TransferPaidStep::Transfer);
    assert!(s.left.restored.is_empty());
    assert_eq!(s.left.unrestored, vec![P, D]);
    assert!(s.to_string().contains("canceled and NOT restored"));
}

#[tokio::test]
async fn f5_transfer_unknown_read_back_fails_site_unknown_still_compensates() {
    let mut m = Mocks::default();
    m.f5_inventory();
    m.f5_cancels();
    m.transfer(SITE, SRC, TGT, Err(unknown()));
    m.where_is(TGT, SITE, Err(unknown()));
    m.again(SRC, P, PLAN, None, Ok(PR));
    m.again(SRC, D, DOMAIN, Some(PR), Ok(DR));
    let s = transfer_paid_site(&m, &f5_input(), once())
        .await
        .unwrap_err();
    assert_eq!(s.step, TransferPaidStep::Transfer);
    assert!(is_unresolved(&s.cause));
    assert_eq!(s.left.site_at, SiteAt::Unknown);
    assert_eq!(s.left.restored.len(), 2);
}

#[tokio::test]
async fn f5_transfer_unknown_then_found_moved_recreates() {
    let mut m = Mocks::default();
    m.f5_inventory();
    m.f5_cancels();
    m.transfer(SITE, SRC, TGT, Err(unknown()));
    m.where_is(TGT, SITE, Ok(sites_page(&[(SITE, TGT)])));
    m.again(TGT, P, PLAN, None, Ok(P2));
    m.again(TGT, D, DOMAIN, Some(P2), Ok(D2));
    let done = transfer_paid_site(&m, &f5_input(), Attempts::immediate(2))
        .await
        .unwrap();
    assert_eq!(done.transfer, Outcome::Done);
    assert_eq!(done.services.len(), 2);
}

#[tokio::test]
async fn f5_recreate_fails_after_the_transfer() {
    // The plan refused: nothing created in the target.
    let mut m = Mocks::default();
    m.f5_inventory();
    m.f5_cancels();
    m.transfer(SITE, SRC, TGT, Ok(()));
    let refusal = PortError::from(Violation::InvalidProducts {
        products: vec![PLAN],
    });
    m.again(TGT, P, PLAN, None, Err(refusal));
    let s = transfer_paid_site(&m, &f5_input(), once())
        .await
        .unwrap_err();
    assert_eq!(s.step, TransferPaidStep::Recreate);
    assert!(is_refused(&s.cause, ErrorCode::InvalidProducts));
    assert_eq!(s.left.site_at, SiteAt::Target);
    assert_eq!(s.left.canceled, vec![P, D]);
    assert!(s.left.recreated.is_empty());
    assert_eq!(s.left.not_recreated, vec![P, D]);
    assert!(
        s.left.restored.is_empty(),
        "no compensation after the transfer"
    );

    // The domain unknown: the plan is there.
    let mut m = Mocks::default();
    m.f5_inventory();
    m.f5_cancels();
    m.transfer(SITE, SRC, TGT, Ok(()));
    m.again(TGT, P, PLAN, None, Ok(P2));
    m.again(TGT, D, DOMAIN, Some(P2), Err(unknown()));
    let s = transfer_paid_site(&m, &f5_input(), once())
        .await
        .unwrap_err();
    assert_eq!(s.step, TransferPaidStep::Recreate);
    assert!(is_unresolved(&s.cause));
    let recreated: Vec<_> = s
        .left
        .recreated
        .iter()
        .map(|r| (r.from, r.instance))
        .collect();
    assert_eq!(recreated, vec![(P, P2)]);
    assert_eq!(s.left.not_recreated, vec![D]);
}

#[tokio::test]
async fn f5_rerun_after_the_transfer_finds_what_exists_and_creates_the_rest() {
    let mut m = Mocks::default();
    m.where_is(TGT, SITE, Ok(sites_page(&[(SITE, TGT)])));
    m.on_site(SRC, SITE, Ok(source_packages(InstanceStatus::Canceled)));
    let plan_again = new_package(
        0x161,
        TGT,
        &target_id(P),
        inst(P2, PLAN, Some(SITE), InstanceStatus::Enabled, None, 9),
    );
    m.lookup(TGT, &target_id(P), Ok(vec![plan_again]));
    m.again(TGT, D, DOMAIN, Some(P2), Ok(D2));
    let done = transfer_paid_site(&m, &f5_input(), once()).await.unwrap();
    assert_eq!(done.transfer, Outcome::AlreadyDone);
    let origins: Vec<_> = done
        .services
        .iter()
        .map(|s| (s.from, s.package.origin))
        .collect();
    assert_eq!(origins, vec![(P, Origin::Found), (D, Origin::Created)]);
}

#[tokio::test]
async fn f5_rerun_with_services_follows_the_restores() {
    // An earlier run canceled P and D and restored them as PR and DR; this run is
    // given the original services and moves the restored instances.
    let mut on_site = source_packages(InstanceStatus::Canceled);
    on_site.push(new_package(
        0x171,
        SRC,
        &restore_id(P),
        inst(PR, PLAN, Some(SITE), InstanceStatus::Enabled, None, 5),
    ));
    on_site.push(new_package(
        0x172,
        SRC,
        &restore_id(D),
        inst(DR, DOMAIN, Some(SITE), InstanceStatus::Enabled, Some(PR), 6),
    ));
    let mut m = Mocks::default();
    m.where_is(TGT, SITE, Ok(sites_page(&[])));
    m.on_site(SRC, SITE, Ok(on_site));
    let mut seq = Sequence::new();
    m.cancel(&mut seq, DR, Ok(()));
    m.cancel(&mut seq, PR, Ok(()));
    m.transfer(SITE, SRC, TGT, Ok(()));
    m.again(TGT, PR, PLAN, None, Ok(P2));
    m.again(TGT, DR, DOMAIN, Some(P2), Ok(D2));
    let input = TransferPaidSite {
        services: Some(vec![P, D]),
        ..f5_input()
    };
    let done = transfer_paid_site(&m, &input, once()).await.unwrap();
    let froms: Vec<_> = done.services.iter().map(|s| s.from).collect();
    assert_eq!(froms, vec![PR, DR]);
}

#[tokio::test]
async fn f5_a_site_already_empty_is_only_transferred() {
    let mut m = Mocks::default();
    m.where_is(TGT, SITE, Ok(sites_page(&[])));
    m.on_site(SRC, SITE, Ok(vec![]));
    m.transfer(SITE, SRC, TGT, Ok(()));
    let done = transfer_paid_site(&m, &f5_input(), once()).await.unwrap();
    assert_eq!(done.transfer, Outcome::Done);
    assert!(done.services.is_empty());
}
