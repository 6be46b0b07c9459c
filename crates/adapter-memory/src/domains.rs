//! The domain part of the world: the TLDs sold, the taken names, the connected
//! domains with their site and account indexes, and how new connections propagate.
//! [`State`] implements the domain's `DomainsView` over it; the engine settles
//! propagation before every call and disconnects the domains of a site that stops
//! being premium in the same change (D23).

use std::collections::{BTreeMap, BTreeSet};

use reseller_domain::domains::ops::{PREMIUM_PLAN_TYPE, disconnect_site};
use reseller_domain::domains::{
    AssignmentType, ConnectedDomain, DnsStatus, DomainName, DomainsView, Propagation, TldSet,
    is_premium,
};
use reseller_domain::ops::Changes;
use reseller_domain::{AccountId, RuleType, SiteId, Timestamp, Violation};
use reseller_ports::PortError;
use reseller_wire::control::StateDocument;

use reseller_wire::domains_control::{ConnectedDomainDoc, DnsModeDoc};

use crate::engine::Tx;
use crate::journal::Op;
use crate::state::State;
use crate::tables::HashMap;

/// TLDs, taken names, connected domains and the propagation mode.
#[derive(Debug, Default)]
pub(crate) struct DomainStore {
    pub(crate) tlds: TldSet,
    pub(crate) taken: BTreeSet<DomainName>,
    pub(crate) connected: BTreeMap<DomainName, ConnectedDomain>,
    by_site: HashMap<SiteId, BTreeSet<DomainName>>,
    by_account: HashMap<AccountId, BTreeSet<DomainName>>,
    /// Domains whose propagation the clock may still move.
    unsettled: BTreeSet<DomainName>,
    pub(crate) propagation: Propagation,
}

impl DomainStore {
    /// Inserts or replaces a connected domain, keeping the indexes in step.
    pub(crate) fn put(&mut self, d: ConnectedDomain) {
        if let Some(old) = self.connected.remove(&d.domain) {
            if let Some(s) = old.site {
                if let Some(set) = self.by_site.get_mut(&s.site) {
                    set.remove(&old.domain);
                    if set.is_empty() {
                        self.by_site.remove(&s.site);
                    }
                }
            }
            if let Some(set) = self.by_account.get_mut(&old.account) {
                set.remove(&old.domain);
            }
        }
        if let Some(s) = d.site {
            self.by_site
                .entry(s.site)
                .or_default()
                .insert(d.domain.clone());
        }
        self.by_account
            .entry(d.account)
            .or_default()
            .insert(d.domain.clone());
        if d.dns == DnsStatus::Unknown
            || (d.dns == DnsStatus::InProgress && d.propagates_at.is_some())
        {
            self.unsettled.insert(d.domain.clone());
        } else {
            self.unsettled.remove(&d.domain);
        }
        self.connected.insert(d.domain.clone(), d);
    }

    /// Whether the clock moves some domain at `now`.
    pub(crate) fn has_unsettled(&self, now: Timestamp) -> bool {
        self.unsettled
            .iter()
            .filter_map(|n| self.connected.get(n))
            .any(|d| d.settle(now).is_some())
    }

    /// The names of the domains serving `site` (`domainConnected` of Query Sites).
    pub(crate) fn names_on_site(&self, site: SiteId) -> Vec<&str> {
        self.by_site
            .get(&site)
            .map(|set| set.iter().map(DomainName::as_str).collect())
            .unwrap_or_default()
    }

    /// Sites with at least one connected domain.
    fn has_domains(&self, site: SiteId) -> bool {
        self.by_site.contains_key(&site)
    }
}

impl DomainsView for State {
    fn tlds(&self) -> &TldSet {
        &self.domains.tlds
    }
    fn is_taken(&self, name: &DomainName) -> bool {
        self.domains.taken.contains(name)
    }
    fn connected(&self, name: &DomainName) -> Option<&ConnectedDomain> {
        self.domains.connected.get(name)
    }
    fn connected_of_account(&self, account: AccountId) -> Vec<&ConnectedDomain> {
        self.domains
            .by_account
            .get(&account)
            .into_iter()
            .flatten()
            .filter_map(|n| self.domains.connected.get(n))
            .collect()
    }
    fn connected_of_site(&self, site: SiteId) -> Vec<&ConnectedDomain> {
        self.domains
            .by_site
            .get(&site)
            .into_iter()
            .flatten()
            .filter_map(|n| self.domains.connected.get(n))
            .collect()
    }
}

/// The domain invariants the live store keeps, one line per breach (empty when
/// sound): a connected domain's site is one of its account's and premium (D12,
/// D23), a site has at most one `PRIMARY` domain, and the site index agrees with
/// the domains.
pub(crate) fn violations(st: &State) -> Vec<String> {
    let mut out = Vec::new();
    let mut primary: BTreeMap<SiteId, &DomainName> = BTreeMap::new();
    let mut on_site: BTreeMap<SiteId, BTreeSet<DomainName>> = BTreeMap::new();
    for d in st.domains.connected.values() {
        let Some(s) = d.site else { continue };
        on_site.entry(s.site).or_default().insert(d.domain.clone());
        if st
            .sites
            .get(&s.site)
            .is_none_or(|site| site.owner != d.account)
        {
            out.push(format!(
                "domain {} serves site {} of another account",
                d.domain, s.site
            ));
        }
        if !is_premium(st, s.site) {
            out.push(format!(
                "domain {} serves site {}, which is not premium",
                d.domain, s.site
            ));
        }
        if s.assignment == AssignmentType::Primary {
            if let Some(first) = primary.insert(s.site, &d.domain) {
                out.push(format!(
                    "site {} has two PRIMARY domains, {first} and {}",
                    s.site, d.domain
                ));
            }
        }
    }
    let indexed: BTreeMap<SiteId, BTreeSet<DomainName>> = st
        .domains
        .by_site
        .iter()
        .map(|(s, names)| (*s, names.clone()))
        .collect();
    if indexed != on_site {
        out.push("the domains-per-site index drifted from the connected domains".to_owned());
    }
    out
}

/// The sites a change may take a Premium plan from, that serve some domain and are
/// premium before it.
pub(crate) fn premium_sites_touched(st: &State, changes: &Changes) -> Vec<SiteId> {
    let mut sites = BTreeSet::new();
    for p in &changes.packages {
        for i in p.instances() {
            sites.extend(i.site());
            sites.extend(st.instance(i.id()).and_then(|old| old.site()));
        }
    }
    sites
        .into_iter()
        .filter(|s| st.domains.has_domains(*s) && is_premium(st, *s))
        .collect()
}

impl Tx<'_> {
    /// Stores connected domains and journals them.
    pub(crate) fn put_domains(&mut self, list: Vec<ConnectedDomain>) {
        for d in list {
            self.log(|| Op::Domain(DomainOp::Connected(d.clone())));
            self.st.domains.put(d);
        }
    }

    /// D23: every site of `premium_before` that is no longer premium loses its
    /// connected domains (`siteInfo` cleared), in the change that took the plan.
    pub(crate) fn disconnect_lost(&mut self, premium_before: Vec<SiteId>) {
        let now = self.now;
        let mut gone = Vec::new();
        for site in premium_before {
            if !is_premium(&*self.st, site) {
                gone.extend(disconnect_site(&*self.st, site, now));
            }
        }
        self.put_domains(gone);
    }

    /// Moves propagation as the clock says (before every call).
    pub(crate) fn settle_domains(&mut self) {
        let now = self.now;
        let moved: Vec<ConnectedDomain> = self
            .st
            .domains
            .unsettled
            .iter()
            .filter_map(|n| self.st.domains.connected.get(n))
            .filter_map(|d| d.settle(now))
            .collect();
        self.put_domains(moved);
    }
}

/// A journaled change to the domain part of the world.
#[derive(Debug, Clone)]
pub(crate) enum DomainOp {
    /// A connected domain, in full.
    Connected(ConnectedDomain),
    /// A name marked taken.
    Taken(DomainName),
    /// The TLDs sold.
    Tlds(TldSet),
    /// The propagation mode.
    Dns(Propagation),
}

/// Entity kind of connected domains in the store.
pub(crate) const CONNECTED: &str = "connected_domain";
/// Entity kind of taken names.
pub(crate) const TAKEN: &str = "taken_domain";
/// Meta row of the TLDs.
pub(crate) const TLDS: &str = "tlds";
/// Meta row of the propagation mode.
pub(crate) const DNS: &str = "dns";

/// Where a [`DomainOp`] is stored.
pub(crate) enum Row {
    /// `entity (kind, id, body)`
    Entity(&'static str, String, String),
    /// `meta (name, value)`
    Meta(&'static str, String),
}

fn json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

/// The row of `op`.
pub(crate) fn row(op: &DomainOp) -> Row {
    match op {
        DomainOp::Connected(d) => Row::Entity(
            CONNECTED,
            d.domain.to_string(),
            json(&ConnectedDomainDoc::from_domain(d)),
        ),
        DomainOp::Taken(n) => Row::Entity(TAKEN, n.to_string(), "{}".to_owned()),
        DomainOp::Tlds(t) => Row::Meta(TLDS, json(&tld_list(t))),
        DomainOp::Dns(p) => Row::Meta(DNS, json(&DnsModeDoc::from_domain(*p))),
    }
}

/// The TLDs as text, in order.
pub(crate) fn tld_list(t: &TldSet) -> Vec<String> {
    t.iter().map(|t| t.as_str().to_owned()).collect()
}

/// Every domain row of `st` (for an import in durable mode).
pub(crate) fn image(st: &State) -> Vec<DomainOp> {
    let d = &st.domains;
    let mut ops = vec![DomainOp::Tlds(d.tlds.clone()), DomainOp::Dns(d.propagation)];
    ops.extend(d.taken.iter().cloned().map(DomainOp::Taken));
    ops.extend(d.connected.values().cloned().map(DomainOp::Connected));
    ops
}

/// Restores the domain part of `st` from the store's rows.
///
/// # Errors
/// `(kind, id, problem)` of the first row that cannot be read.
pub(crate) fn load(
    st: &mut State,
    connected: Vec<(String, String)>,
    taken: Vec<(String, String)>,
    tlds: Option<String>,
    dns: Option<String>,
) -> Result<(), (&'static str, String, String)> {
    if let Some(text) = tlds {
        let list: Vec<String> =
            serde_json::from_str(&text).map_err(|e| (TLDS, String::new(), e.to_string()))?;
        st.domains.tlds = TldSet::parse(&list).map_err(|(t, e)| (TLDS, t, e.to_string()))?;
    }
    if let Some(text) = dns {
        let doc: DnsModeDoc =
            serde_json::from_str(&text).map_err(|e| (DNS, String::new(), e.to_string()))?;
        st.domains.propagation = doc.to_domain().map_err(|e| (DNS, String::new(), e))?;
    }
    for (id, _) in taken {
        let name = DomainName::parse(&id).map_err(|e| (TAKEN, id.clone(), e.to_string()))?;
        st.domains.taken.insert(name);
    }
    let now = st.now_floor;
    for (id, body) in connected {
        let doc: ConnectedDomainDoc =
            serde_json::from_str(&body).map_err(|e| (CONNECTED, id.clone(), e.to_string()))?;
        let d = doc
            .try_into_domain("connectedDomain", now)
            .map_err(|e| (CONNECTED, id.clone(), e.to_string()))?;
        st.domains.put(d);
    }
    Ok(())
}

/// The connected domains as the state document writes them, by name.
pub(crate) fn documents(st: &State) -> Vec<ConnectedDomainDoc> {
    st.domains
        .connected
        .values()
        .map(ConnectedDomainDoc::from_domain)
        .collect()
}

/// Reads the domain members of a seed or state document into `st` (whose accounts,
/// sites and packages are already in place): a connected domain's account must
/// exist and its site, when set, belong to that account, be premium (D12, D23) and
/// have at most one `PRIMARY` domain, as the live store keeps them.
///
/// # Errors
/// A 400 field violation naming the first member that cannot be held.
pub(crate) fn from_document(
    st: &mut State,
    doc: &StateDocument,
    now: Timestamp,
) -> Result<(), PortError> {
    let bad = |field: String, description: String| {
        PortError::from(Violation::field(field, RuleType::Format, description))
    };
    let invariant = |field: String, description: String| {
        PortError::from(Violation::field(field, RuleType::Validation, description))
    };
    let mut primary: BTreeMap<SiteId, usize> = BTreeMap::new();
    if let Some(list) = &doc.tlds {
        st.domains.tlds =
            TldSet::parse(list).map_err(|(t, e)| bad("tlds".into(), format!("`{t}`: {e}")))?;
    }
    for (i, n) in doc.taken_domains.iter().enumerate() {
        let name =
            DomainName::parse(n).map_err(|e| bad(format!("takenDomains[{i}]"), e.to_string()))?;
        st.domains.taken.insert(name);
    }
    for (i, d) in doc.connected_domains.iter().enumerate() {
        let path = format!("connectedDomains[{i}]");
        let c = d
            .try_into_domain(&path, now)
            .map_err(|e| PortError::from(Violation::InvalidFields(vec![e.to_field_violation()])))?;
        if !st.accounts.contains_key(&c.account) {
            return Err(bad(
                format!("{path}.accountId"),
                format!("no account `{}` in this state", c.account),
            ));
        }
        if let Some(s) = c.site {
            if st
                .sites
                .get(&s.site)
                .is_none_or(|site| site.owner != c.account)
            {
                return Err(bad(
                    format!("{path}.siteInfo.id"),
                    format!("`{}` is not a site of the domain's account", s.site),
                ));
            }
        }
        if st.domains.connected.contains_key(&c.domain) {
            return Err(bad(
                format!("{path}.domain"),
                format!("`{}` is connected twice", c.domain),
            ));
        }
        if let Some(s) = c.site {
            if !is_premium(&*st, s.site) {
                // D12, D23: only a premium site takes a domain, and a site that
                // stops being premium loses its domains in the same change.
                return Err(invariant(
                    format!("{path}.siteInfo.id"),
                    format!(
                        "site `{}` holds no PENDING or ENABLED {PREMIUM_PLAN_TYPE} instance, \
                         so `{}` cannot be connected to it",
                        s.site, c.domain
                    ),
                ));
            }
            if s.assignment == AssignmentType::Primary {
                if let Some(first) = primary.insert(s.site, i) {
                    // A new PRIMARY unassigns the site's previous primary domain.
                    return Err(invariant(
                        format!("{path}.siteInfo.assignmentType"),
                        format!(
                            "site `{}` already has connectedDomains[{first}] as its \
                             PRIMARY domain",
                            s.site
                        ),
                    ));
                }
            }
        }
        st.domains.put(c);
    }
    Ok(())
}

#[cfg(test)]
mod tests;
