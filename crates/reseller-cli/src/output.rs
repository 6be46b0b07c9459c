//! How answers are printed: a readable table (the default) or JSON for scripts,
//! in Wix's own wire shapes (so `--output json` prints what the API answered).

use reseller_domain::AccountId;
use reseller_domain::Package;
use reseller_domain::ops::{AccountInfo, ChildAccounts, SiteTransfer};
use reseller_ports::{PackagesPage, SitesPage};
use serde::Serialize;

/// The output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Format {
    /// A readable table.
    Table,
    /// JSON (Wix's wire shapes), one document per command.
    Json,
}

/// Prints `value` as pretty JSON.
pub(crate) fn json<T: Serialize>(value: &T) {
    match serde_json::to_string_pretty(value) {
        Ok(text) => out!("{text}"),
        Err(e) => eprintln!("error: the answer cannot be written as JSON: {e}"),
    }
}

/// Pads `text` to `width` characters.
fn cell(text: &str, width: usize) -> String {
    format!("{text:<width$}")
}

/// The rows of a package's instances, with a header.
fn instance_rows(package: &Package) -> Vec<String> {
    let wire = reseller_wire::Package::from_domain(package);
    let mut rows = vec![format!(
        "  {} {} {} {} BILLING",
        cell("INSTANCE", 36),
        cell("PRODUCT", 36),
        cell("SITE", 36),
        cell("STATUS", 15)
    )];
    for i in &wire.product_instances {
        let billing = match &i.billing_info {
            None => "-".to_owned(),
            Some(c) => match &c.cycle_duration {
                Some(d) => format!(
                    "{} {} {}",
                    c.kind.as_ref().map(|k| k.as_str()).unwrap_or("?"),
                    d.count.unwrap_or(1),
                    d.unit.as_ref().map(|u| u.as_str()).unwrap_or("?")
                ),
                None => c
                    .kind
                    .as_ref()
                    .map(|k| k.as_str().to_owned())
                    .unwrap_or_default(),
            },
        };
        let mut status = i
            .status
            .as_ref()
            .map(|s| s.as_str().to_owned())
            .unwrap_or_default();
        if let Some(f) = &i.failure {
            status = format!(
                "{status} ({})",
                f.code.as_ref().map(|c| c.as_str()).unwrap_or("?")
            );
        }
        rows.push(format!(
            "  {} {} {} {} {}",
            cell(i.instance_id.as_deref().unwrap_or("-"), 36),
            cell(i.catalog_product_id.as_deref().unwrap_or("-"), 36),
            cell(i.site_id.as_deref().unwrap_or("(floating)"), 36),
            cell(&status, 15),
            billing
        ));
    }
    rows
}

/// One package.
pub(crate) fn package(format: Format, package: &Package) {
    match format {
        Format::Json => json(&reseller_wire::Package::from_domain(package)),
        Format::Table => {
            let external = package
                .external_id()
                .map(|e| format!("  external id {}", e.as_str()))
                .unwrap_or_default();
            out!(
                "package {}  account {}{external}",
                package.id(),
                package.account_id()
            );
            out!(
                "  created {}  updated {}",
                package.created().to_rfc3339(),
                package.updated().to_rfc3339()
            );
            for row in instance_rows(package) {
                out!("{row}");
            }
        }
    }
}

/// A page (or all pages) of Query Packages.
pub(crate) fn packages(format: Format, packages: &[Package], page: Option<&PackagesPage>) {
    match format {
        Format::Json => {
            let list: Vec<_> = packages
                .iter()
                .map(reseller_wire::Package::from_domain)
                .collect();
            let mut doc = serde_json::Map::new();
            doc.insert("packages".to_owned(), serde_json::json!(list));
            if let Some(p) = page {
                doc.insert(
                    "metadata".to_owned(),
                    serde_json::json!({
                        "count": packages.len(),
                        "cursors": {"next": p.next_cursor, "prev": p.prev_cursor},
                        "total": p.total,
                        "offset": p.offset,
                    }),
                );
            }
            json(&doc);
        }
        Format::Table => {
            for p in packages {
                package(Format::Table, p);
                out!("");
            }
            out!("{} package(s)", packages.len());
            if let Some(p) = page {
                if let Some(total) = p.total {
                    out!("total {total}, offset {}", p.offset.unwrap_or(0));
                }
                if let Some(next) = &p.next_cursor {
                    out!("next page: --cursor {next}");
                }
            }
        }
    }
}

/// A page of Query Sites.
pub(crate) fn sites(format: Format, page: &SitesPage) {
    match format {
        Format::Json => {
            let sites: Vec<_> = page
                .sites
                .iter()
                .map(|s| {
                    let mut site = serde_json::Map::new();
                    let full = serde_json::json!({
                        "id": s.id.to_string(),
                        "name": s.name,
                        "displayName": s.display_name,
                        "ownerAccountId": s.owner_account_id.to_string(),
                        "contributorAccountIds": s.contributor_account_ids,
                        "namespace": s.namespace,
                        "editorType": s.editor_type,
                        "published": s.published,
                        "premium": s.premium,
                        "domainConnected": s.domain_connected,
                        "blocked": s.blocked,
                        "viewUrl": s.view_url,
                        "editUrl": s.edit_url,
                        "thumbnail": s.thumbnail,
                        "createdDate": s.created.to_rfc3339(),
                        "updatedDate": s.updated.to_rfc3339(),
                    });
                    if let serde_json::Value::Object(members) = full {
                        site.extend(members);
                    }
                    if let Some(f) = &s.folder_id {
                        site.insert("folderId".to_owned(), serde_json::json!(f));
                    }
                    if let Some(t) = s.trashed {
                        site.insert("trashedDate".to_owned(), serde_json::json!(t.to_rfc3339()));
                    }
                    serde_json::Value::Object(site)
                })
                .collect();
            let mut doc = serde_json::Map::new();
            doc.insert("sites".to_owned(), serde_json::json!(sites));
            if let Some(next) = &page.next_cursor {
                doc.insert("nextCursor".to_owned(), serde_json::json!(next));
            }
            json(&doc);
        }
        Format::Table => {
            out!(
                "{} {} {} {} PREMIUM",
                cell("SITE", 36),
                cell("NAME", 24),
                cell("NAMESPACE", 10),
                cell("PUBLISHED", 9)
            );
            let yes = |b: bool| if b { "yes" } else { "no" };
            for s in &page.sites {
                out!(
                    "{} {} {} {} {}",
                    cell(&s.id.to_string(), 36),
                    cell(&s.name, 24),
                    cell(&s.namespace, 10),
                    cell(yes(s.published), 9),
                    yes(s.premium)
                );
            }
            out!("{} site(s)", page.sites.len());
            if let Some(next) = &page.next_cursor {
                out!("next page: --cursor {next}");
            }
        }
    }
}

/// The answer of Count Sites.
pub(crate) fn site_count(format: Format, count: u64) {
    match format {
        Format::Json => json(&reseller_wire::CountSitesResponse { count }),
        Format::Table => out!("{count} site(s)"),
    }
}

/// The answer of Get Account.
pub(crate) fn account(format: Format, info: &AccountInfo) {
    match format {
        Format::Json => json(&reseller_wire::GetAccountResponse::from_domain(info)),
        Format::Table => {
            out!("account {}", info.id);
            out!("  slug  {}", info.slug);
            out!("  name  {}", info.name);
        }
    }
}

/// A transfer that was made.
pub(crate) fn transfer(format: Format, transfer: &SiteTransfer, target: Option<AccountId>) {
    match format {
        Format::Json => json(&reseller_wire::TransferSiteResponse::from_domain(transfer)),
        Format::Table => out!(
            "site {} transferred from account {} to {}",
            transfer.site,
            transfer.source_account,
            target.map_or_else(|| "the header account".to_owned(), |t| t.to_string())
        ),
    }
}

/// A created sub-account.
pub(crate) fn account_created(format: Format, id: AccountId) {
    match format {
        Format::Json => json(&reseller_wire::CreateAccountResponse::from_domain(id)),
        Format::Table => out!("sub-account {id} created"),
    }
}

/// A page of List Child Accounts.
pub(crate) fn accounts(format: Format, page: &ChildAccounts) {
    match format {
        Format::Json => json(&reseller_wire::ListChildAccountsResponse::from_domain(page)),
        Format::Table => {
            for a in &page.accounts {
                out!("{a}");
            }
            out!(
                "{} of {} sub-account(s), from offset {}",
                page.accounts.len(),
                page.total,
                page.offset
            );
        }
    }
}
