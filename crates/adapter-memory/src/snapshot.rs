//! Export and import of the whole world as the emulator's state document (the seed
//! shape plus packages, `spec/emulator.md`), and the one fact the wire shape does not
//! carry: which instances have served as a voucher reference.

use std::collections::HashSet;

use reseller_domain::instance::InstanceParts;
use reseller_domain::package::{Instances, PackageParts};
use reseller_domain::query::CursorKey;
use reseller_domain::world::WorldView;
use reseller_domain::{AccountId, InstanceId, Package, ProductInstance, SiteId, Timestamp};
use reseller_ports::PortError;
use reseller_wire::ConversionError;
use reseller_wire::control::{
    AccountDoc, AllowedTransferDoc, ApiKeyDoc, CatalogProductDoc, SiteDoc, StateDocument,
};

use crate::engine::MemoryWix;
use crate::state::State;

/// Marks every instance that another instance names as its
/// `referenceProductInstanceId`: the instance has served as a voucher reference
/// (a flag the wire shape does not carry, restored from the references).
pub(crate) fn restore_reference_flags(packages: Vec<Package>) -> Vec<Package> {
    let used: HashSet<InstanceId> = packages
        .iter()
        .flat_map(|p| p.instances())
        .filter_map(ProductInstance::reference)
        .collect();
    if used.is_empty() {
        return packages;
    }
    packages
        .into_iter()
        .map(|p| {
            if !p
                .instances()
                .iter()
                .any(|i| used.contains(&i.id()) && !i.used_as_reference())
            {
                return p;
            }
            // The list keeps the same ids and length, so rebuilding it cannot fail;
            // should it, the package is kept as it was.
            match mark_used(p.clone(), |id| used.contains(&id)) {
                Ok(marked) => marked,
                Err(_) => p,
            }
        })
        .collect()
}

/// `package` with every instance that `used` names marked as having served as a
/// voucher reference (`used_as_reference`, not on the wire).
///
/// # Errors
/// The instance list cannot be rebuilt (it always can: same ids, same length).
pub(crate) fn mark_used(
    package: Package,
    used: impl Fn(InstanceId) -> bool,
) -> Result<Package, reseller_domain::package::InstancesError> {
    let parts = package.into_parts();
    let list: Vec<ProductInstance> = parts
        .instances
        .as_slice()
        .iter()
        .map(|i| {
            if used(i.id()) {
                ProductInstance::from_parts(InstanceParts {
                    used_as_reference: true,
                    ..i.parts().clone()
                })
            } else {
                i.clone()
            }
        })
        .collect();
    let instances = Instances::new(list)?;
    Ok(Package::from_parts(PackageParts { instances, ..parts }))
}

fn invalid(e: &ConversionError) -> PortError {
    PortError::from(reseller_domain::Violation::InvalidFields(vec![
        e.to_field_violation(),
    ]))
}

/// Builds a world from a state document. Ids the document leaves out are made by
/// `new_id`; dates it leaves out are `now`.
///
/// # Errors
/// A field violation naming the first member the world cannot hold.
pub(crate) fn state_from_document(
    doc: &StateDocument,
    now: Timestamp,
    cursor_key: CursorKey,
    new_id: &mut dyn FnMut() -> uuid::Uuid,
) -> Result<State, PortError> {
    let mut st = State::new(cursor_key, now);
    let mut accounts = Vec::with_capacity(doc.accounts.len());
    for (i, a) in doc.accounts.iter().enumerate() {
        let path = format!("accounts[{i}]");
        accounts.push(
            a.try_into_domain(&path, || AccountId::from_uuid(new_id()))
                .map_err(|e| invalid(&e))?,
        );
    }
    for a in &accounts {
        st.put_account(a.clone());
    }
    for (i, a) in accounts.iter().enumerate() {
        if let Some(parent) = a.parent {
            let ok = st.account(parent).is_some_and(|p| p.parent.is_none());
            if !ok {
                return Err(crate::engine::seed_violation(
                    &format!("accounts[{i}].parentAccountId"),
                    format!("`{parent}` is not a main account of this state"),
                ));
            }
        }
    }
    for (i, s) in doc.sites.iter().enumerate() {
        let path = format!("sites[{i}]");
        let site = s
            .try_into_domain(&path, || SiteId::from_uuid(new_id()), now)
            .map_err(|e| invalid(&e))?;
        if st.account(site.owner).is_none() {
            return Err(crate::engine::seed_violation(
                &format!("{path}.accountId"),
                format!("no account `{}` in this state", site.owner),
            ));
        }
        st.put_site(site);
    }
    for (i, p) in doc.catalog.iter().enumerate() {
        let product = p
            .try_into_domain(&format!("catalog[{i}]"))
            .map_err(|e| invalid(&e))?;
        st.catalog.insert(product.id, product);
    }
    for (i, k) in doc.api_keys.iter().enumerate() {
        let path = format!("apiKeys[{i}]");
        let (account, scopes) = k.grant(&path).map_err(|e| invalid(&e))?;
        if st.account(account).is_none() {
            return Err(crate::engine::seed_violation(
                &format!("{path}.accountId"),
                format!("no account `{account}` in this state"),
            ));
        }
        let text = match k.key.as_deref() {
            Some(t) if !t.is_empty() => t.to_owned(),
            _ => format!("emk_{}", new_id().simple()),
        };
        st.keys
            .insert(text, reseller_domain::auth::Grant { account, scopes });
    }
    for (i, t) in doc.allowed_transfers.iter().enumerate() {
        let pair = t
            .pair(&format!("allowedTransfers[{i}]"))
            .map_err(|e| invalid(&e))?;
        for (field, a) in [("sourceAccountId", pair.0), ("targetAccountId", pair.1)] {
            if st.account(a).is_none() {
                return Err(crate::engine::seed_violation(
                    &format!("allowedTransfers[{i}].{field}"),
                    format!("no account `{a}` in this state"),
                ));
            }
        }
        st.allowed.insert(pair);
    }
    let mut packages = Vec::with_capacity(doc.packages.len());
    for (i, p) in doc.packages.iter().enumerate() {
        packages.push(
            p.try_into_domain_at(&format!("packages[{i}]"))
                .map_err(|e| invalid(&e))?,
        );
    }
    let packages = restore_reference_flags(packages);
    for p in &packages {
        st.put_package(p.clone());
    }
    crate::import_check::check(&st, &packages)?;
    crate::domains::from_document(&mut st, doc, now)?;
    Ok(st)
}

/// The whole world as a state document: accounts (main accounts first), sites,
/// catalog, keys and allowed transfers in id order, packages by creation.
pub(crate) fn document_of(st: &State) -> StateDocument {
    let mut sites: Vec<_> = st.sites.values().collect();
    sites.sort_by_key(|s| s.id);
    let mut catalog: Vec<_> = st.catalog.values().collect();
    catalog.sort_by_key(|p| p.id);
    let mut keys: Vec<_> = st.keys.iter().collect();
    keys.sort_by(|a, b| (a.1.account, a.0).cmp(&(b.1.account, b.0)));
    let mut transfers: Vec<_> = st.allowed.iter().collect();
    transfers.sort();
    let mut packages: Vec<&Package> = st.packages.values().collect();
    packages.sort_by_key(|p| (p.created(), p.id()));
    StateDocument {
        accounts: st
            .accounts_in_order()
            .into_iter()
            .map(AccountDoc::from_domain)
            .collect(),
        sites: sites.into_iter().map(SiteDoc::from_domain).collect(),
        catalog: catalog
            .into_iter()
            .map(CatalogProductDoc::from_domain)
            .collect(),
        api_keys: keys
            .into_iter()
            .map(|(text, g)| ApiKeyDoc::new(text, g.account, &g.scopes))
            .collect(),
        allowed_transfers: transfers
            .into_iter()
            .map(|(s, t)| AllowedTransferDoc::new(*s, *t))
            .collect(),
        packages: packages
            .into_iter()
            .map(reseller_wire::Package::from_domain)
            .collect(),
        taken_domains: st.domains.taken.iter().map(ToString::to_string).collect(),
        tlds: Some(crate::domains::tld_list(&st.domains.tlds)),
        connected_domains: crate::domains::documents(st),
    }
}

impl MemoryWix {
    /// The whole world as the emulator's state document (`GET /_emulator/state`).
    /// It holds the API keys: treat it as a secret.
    pub fn export(&self) -> StateDocument {
        self.with_state(document_of)
    }

    /// Replaces the whole world with a state document (`PUT /_emulator/state`).
    /// Idempotency records are forgotten; the clock keeps its time; provisioning
    /// keeps its mode and schedules the document's `PENDING` instances.
    ///
    /// # Errors
    /// A 400 field violation naming the first member the world cannot hold; the
    /// world is then unchanged.
    pub async fn import(&self, doc: &StateDocument) -> Result<(), PortError> {
        let wix = self.clone();
        let mode = self.provisioning();
        let dns = self.with_state(|st| st.domains.propagation);
        self.replace_state(move |now, key| {
            let mut new_id = || wix.new_uuid();
            let mut st = state_from_document(doc, now, key, &mut new_id)?;
            st.provisioning = mode;
            st.domains.propagation = dns;
            Ok(st)
        })
        .await
    }
}
