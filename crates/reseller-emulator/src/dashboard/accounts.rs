//! `GET /_emulator/ui/api/accounts?offset=&limit=`: every account as a tree (each
//! main account followed by its sub-accounts), paged, each with its sites and
//! what it holds (packages, instances by status). No account is hidden: the view
//! has no "current account".

use std::collections::HashMap;

use axum::extract::{RawQuery, State};
use axum::response::Response;
use reseller_domain::AccountId;
use reseller_domain::world::Account;
use reseller_wire::control::{AccountDoc, SiteDoc};
use serde_json::{Value, json};

use super::count_param;
use crate::wix::query_params;
use crate::{Emulator, reply};

/// Accounts on one page, by default and at most.
const PAGE: usize = 50;
const MAX_PAGE: usize = 200;

/// The sites listed with an account (the count says how many there are).
const SITES_SHOWN: usize = 25;

/// Every account in tree order: each main account, then its sub-accounts.
fn tree(accounts: Vec<Account>) -> Vec<Account> {
    let mut subs: HashMap<AccountId, Vec<Account>> = HashMap::new();
    let mut mains = Vec::new();
    for account in accounts {
        match account.parent {
            Some(parent) => subs.entry(parent).or_default().push(account),
            None => mains.push(account),
        }
    }
    let mut out = Vec::new();
    for main in mains {
        let children = subs.remove(&main.id).unwrap_or_default();
        out.push(main);
        out.extend(children);
    }
    // Sub-accounts whose parent is missing (never in a valid state) still show.
    out.extend(subs.into_values().flatten());
    out
}

/// One page of the account tree.
pub(super) async fn accounts(State(emu): State<Emulator>, RawQuery(query): RawQuery) -> Response {
    reply::either(
        async {
            let params = query_params(query.as_deref());
            let offset = count_param(&params, "offset", 0, usize::MAX)?;
            let limit = count_param(&params, "limit", PAGE, MAX_PAGE)?;
            let all = tree(emu.wix().accounts());
            let total = all.len();
            let page: Vec<Account> = all.into_iter().skip(offset).take(limit).collect();
            let ids: Vec<AccountId> = page.iter().map(|a| a.id).collect();
            let held = emu.wix().holdings(&ids);
            let rows: Vec<Value> = page
                .iter()
                .zip(held)
                .map(|(account, (_, held))| {
                    let sites = emu.wix().sites(Some(account.id));
                    let instances: serde_json::Map<String, Value> = held
                        .instances
                        .iter()
                        .map(|(status, n)| (status.as_str().to_owned(), json!(n)))
                        .collect();
                    json!({
                        "account": AccountDoc::from_domain(account),
                        "siteCount": sites.len(),
                        "sites": sites.iter().take(SITES_SHOWN).map(SiteDoc::from_domain).collect::<Vec<_>>(),
                        "packages": held.packages,
                        "instances": instances,
                    })
                })
                .collect();
            Ok(reply::ok(&json!({
                "total": total,
                "offset": offset,
                "limit": limit,
                "accounts": rows,
            })))
        }
        .await,
    )
}
