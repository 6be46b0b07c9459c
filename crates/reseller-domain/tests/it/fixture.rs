//! A small world: a strategic-partner main account with two sub-accounts, an
//! unrelated main account, sites, and a catalog covering every product rule.

use reseller_domain::auth::Caller;
use reseller_domain::ops::{BillingRequest, CreatePackage, Done, NewInstance};
use reseller_domain::*;
use uuid::Uuid;

pub(crate) fn id(n: u128) -> Uuid {
    Uuid::from_u128(n)
}
pub(crate) fn acc(n: u128) -> AccountId {
    AccountId::from_uuid(id(0xA000 + n))
}
pub(crate) fn site(n: u128) -> SiteId {
    SiteId::from_uuid(id(0x5000 + n))
}
pub(crate) fn prod(n: u128) -> CatalogProductId {
    CatalogProductId::from_uuid(id(0xC000 + n))
}

pub(crate) const MAIN: u128 = 1;
pub(crate) const SUB1: u128 = 2;
pub(crate) const SUB2: u128 = 3;
pub(crate) const OTHER: u128 = 4;

pub(crate) const PLAN_UNLIMITED: u128 = 1; // PREMIUM_PLAN, monthly + yearly
pub(crate) const PLAN_VIP: u128 = 2; // PREMIUM_PLAN, monthly + yearly
pub(crate) const PLAN_WEBSITE: u128 = 3; // PREMIUM_PLAN, yearly only
pub(crate) const DOMAIN: u128 = 4; // DOMAIN, requires PREMIUM_PLAN, yearly, expires
pub(crate) const ASCEND: u128 = 5; // ASCEND, one-time, limit 2
pub(crate) const NOT_RESELLABLE: u128 = 6;
pub(crate) const NO_SETTINGS: u128 = 7;
pub(crate) const MAILBOX: u128 = 8; // MAILBOX, every 3 months
pub(crate) const LOGO: u128 = 9; // LOGO, one-time, not adjustable
pub(crate) const SSL: u128 = 10; // SSL, requires DOMAIN, yearly (a chain of dependents)

pub(crate) fn now() -> Timestamp {
    Timestamp::parse_rfc3339("2026-01-01T00:00:00.000Z").unwrap()
}

pub(crate) fn later(ms: i64) -> Timestamp {
    now().plus_millis(ms)
}

fn product(n: u128, ty: &str, cycles: Vec<Billing>) -> CatalogProduct {
    CatalogProduct::new(
        prod(n),
        ProductType::new(ty).unwrap(),
        format!("product {n}"),
        cycles,
    )
}

pub(crate) fn world() -> World {
    let mut w = World::new();
    let account = |n: u128, parent: Option<u128>, partner: bool| Account {
        id: acc(n),
        parent: parent.map(acc),
        name: format!("account {n}"),
        strategic_partner: partner,
    };
    for a in [
        account(MAIN, None, true),
        account(SUB1, Some(MAIN), false),
        account(SUB2, Some(MAIN), false),
        account(OTHER, None, false),
    ] {
        w.accounts.insert(a.id, a);
    }
    // Sites 1-3 in MAIN, 11-13 in SUB1, 21 in SUB2, 31 in OTHER; 3 has an external paid service.
    for (n, owner) in [
        (1, MAIN),
        (2, MAIN),
        (3, MAIN),
        (11, SUB1),
        (12, SUB1),
        (13, SUB1),
        (21, SUB2),
        (31, OTHER),
    ] {
        w.sites.insert(
            site(n),
            Site {
                id: site(n),
                owner: acc(owner),
                name: format!("site-{n}"),
                external_paid_services: if n == 3 {
                    vec!["Wix Premium (bought directly)".into()]
                } else {
                    vec![]
                },
                created: now(),
                updated: now(),
                details: Default::default(),
            },
        );
    }
    let quarterly = Billing::Recurring(Cycle::new(
        CycleUnit::Month,
        std::num::NonZeroU32::new(3).unwrap(),
    ));
    let mut products = vec![
        product(
            PLAN_UNLIMITED,
            "PREMIUM_PLAN",
            vec![Billing::monthly(), Billing::yearly()],
        ),
        product(
            PLAN_VIP,
            "PREMIUM_PLAN",
            vec![Billing::monthly(), Billing::yearly()],
        ),
        product(PLAN_WEBSITE, "PREMIUM_PLAN", vec![Billing::yearly()]),
        product(DOMAIN, "DOMAIN", vec![Billing::yearly()]),
        product(ASCEND, "ASCEND", vec![Billing::OneTime]),
        product(NOT_RESELLABLE, "PREMIUM_PLAN", vec![Billing::yearly()]),
        product(NO_SETTINGS, "PREMIUM_PLAN", vec![Billing::yearly()]),
        product(MAILBOX, "MAILBOX", vec![quarterly]),
        product(LOGO, "LOGO", vec![Billing::OneTime]),
        product(SSL, "SSL", vec![Billing::yearly()]),
    ];
    // Unlimited and VIP grant a domain voucher; Website grants none.
    products[0].grants_voucher_for = vec![ProductType::new("DOMAIN").unwrap()];
    products[1].grants_voucher_for = vec![ProductType::new("DOMAIN").unwrap()];
    products[8].adjustable = false;
    products[9].requires_product_type = Some(ProductType::new("DOMAIN").unwrap());
    products[3].requires_product_type = Some(ProductType::new("PREMIUM_PLAN").unwrap());
    products[4].subscription_limit = Some(2);
    products[5].resellable = false;
    products[6].has_settings = false;
    for p in products {
        w.catalog.insert(p.id, p);
    }
    w.allowed_transfers.insert((acc(MAIN), acc(SUB1)));
    w.allowed_transfers.insert((acc(SUB1), acc(SUB2)));
    w
}

pub(crate) fn caller(n: u128) -> Caller {
    Caller {
        key_account: acc(MAIN),
        account: acc(n),
    }
}

pub(crate) fn product_on(p: u128, s: Option<u128>) -> NewInstance {
    NewInstance {
        catalog_product_id: prod(p),
        country_code: Some(CountryCode::new("BR").unwrap()),
        site: s.map(site),
        billing: Some(BillingRequest::of(Billing::yearly()))
            .filter(|_| p != ASCEND && p != MAILBOX && p != LOGO),
        discount_code: None,
        reference: None,
    }
}

pub(crate) fn create(products: Vec<NewInstance>) -> CreatePackage {
    CreatePackage {
        external_id: None,
        products,
    }
}

/// A sequential id source starting at `0xF000_0000`.
pub(crate) struct Ids(u128);
impl Ids {
    pub(crate) fn new() -> Self {
        Ids(0xF000_0000)
    }
    pub(crate) fn next(&mut self) -> Uuid {
        self.0 += 1;
        Uuid::from_u128(self.0)
    }
}

/// Applies a successful operation to the world and returns its answer.
pub(crate) fn apply<T>(w: &mut World, done: Result<Done<T>, Refusal>) -> T {
    let done = done.unwrap_or_else(|r| panic!("refused: {r}"));
    w.apply(&done.changes);
    done.answer
}

/// Creates a package for `account` and stores it.
pub(crate) fn buy(
    w: &mut World,
    ids: &mut Ids,
    account: u128,
    products: Vec<NewInstance>,
) -> Package {
    let r = reseller_domain::ops::create_package(
        &*w,
        &caller(account),
        &create(products),
        now(),
        &mut || ids.next(),
    );
    apply(w, r)
}

/// The codes of a refusal, in order.
pub(crate) fn codes(r: &Refusal) -> Vec<&'static str> {
    r.all().map(|v| leak(v.code().as_str())).collect()
}

fn leak(s: &str) -> &'static str {
    Box::leak(s.to_owned().into_boxed_str())
}
