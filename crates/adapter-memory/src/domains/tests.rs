//! The domain invariants of `State::violations` (what `invariant_violations`
//! reports): each breach the live store never makes is named, on a world built by
//! hand, since no call and no import can build it.

use reseller_domain::domains::{
    AssignmentType, ConnectedDomain, ConnectionType, DomainName, Propagation, SiteAssignment,
};
use reseller_domain::query::CursorKey;
use reseller_domain::sites::SiteDetails;
use reseller_domain::world::{Account, Site};
use reseller_domain::{AccountId, SiteId, Timestamp};
use uuid::Uuid;

use crate::state::State;

fn now() -> Timestamp {
    Timestamp::from_unix_millis(1_700_000_000_000).unwrap_or_else(|| unreachable!())
}

fn account(n: u128) -> AccountId {
    AccountId::from_uuid(Uuid::from_u128(0xa000 + n))
}

fn site(n: u128) -> SiteId {
    SiteId::from_uuid(Uuid::from_u128(0x5000 + n))
}

/// Two accounts, each with one site; no instance, so no site is premium.
fn world() -> State {
    let mut st = State::new(CursorKey::new([7; 16]), now());
    for n in [1, 2] {
        st.put_account(Account {
            id: account(n),
            parent: None,
            name: format!("account {n}"),
            strategic_partner: false,
        });
        st.put_site(Site {
            id: site(n),
            owner: account(n),
            name: format!("site-{n}"),
            external_paid_services: Vec::new(),
            created: now(),
            updated: now(),
            details: SiteDetails::default(),
        });
    }
    st
}

fn connect(st: &mut State, name: &str, on: u128, assignment: AssignmentType) {
    let domain = DomainName::parse(name).unwrap_or_else(|_| unreachable!());
    st.domains.put(ConnectedDomain::new(
        domain,
        account(1),
        ConnectionType::Nameservers,
        Some(SiteAssignment {
            site: site(on),
            assignment,
        }),
        false,
        Propagation::default(),
        now(),
    ));
}

#[test]
fn a_domain_on_a_site_that_is_not_premium_is_a_violation() {
    let mut st = world();
    assert!(st.violations().is_empty());
    connect(&mut st, "bakery.com", 1, AssignmentType::Primary);
    let broken = st.violations();
    assert_eq!(broken.len(), 1, "{broken:?}");
    assert!(broken[0].contains("not premium"), "{broken:?}");
}

#[test]
fn a_domain_on_another_accounts_site_and_two_primaries_are_violations() {
    let mut st = world();
    connect(&mut st, "bakery.com", 2, AssignmentType::Redirect);
    connect(&mut st, "florist.com", 1, AssignmentType::Primary);
    connect(&mut st, "shop.florist.com", 1, AssignmentType::Primary);
    let broken = st.violations();
    assert!(
        broken.iter().any(|v| v.contains("of another account")),
        "{broken:?}"
    );
    assert!(
        broken.iter().any(|v| v.contains("two PRIMARY domains")),
        "{broken:?}"
    );
}
