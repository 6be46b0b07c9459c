//! `reseller sites`: transfer a site, list the account's sites with filters and
//! sort, and count them.

use clap::{Args, Subcommand};
use reseller_domain::AccountId;
use reseller_domain::SiteId;
use reseller_domain::ops::SiteTransfer;
use reseller_domain::query::{Paging, QueryError, Value as QValue};
use reseller_domain::sites::{Namespace, SiteCount, SiteField, is_known_value};
use reseller_ports::{Call, SiteTransfers, Sites, SitesQuery};

use super::{Connection, guid};
use crate::Failure;
use crate::output::{self, Format};

/// The site commands.
#[derive(Debug, Subcommand)]
pub(crate) enum SitesCommand {
    /// Transfer a site from another account to the target account (Wix's B2B
    /// transfer: the target is the call's account).
    Transfer {
        /// The site id.
        site: String,
        /// The account the site is in now.
        #[arg(long = "from")]
        source: String,
        /// The account to move it to (default: --account-id).
        #[arg(long = "to")]
        target: Option<String>,
        /// Let Wix notify the site's owner.
        #[arg(long)]
        notify: bool,
    },
    /// List the account's sites (Query Sites): active `WIX` sites unless
    /// `--namespace` says otherwise, newest first unless `--sort` says otherwise.
    List {
        #[command(flatten)]
        filter: SiteFilterArgs,
        /// Only premium (`true`) or only free (`false`) sites.
        #[arg(long)]
        premium: Option<bool>,
        /// Order: displayName, createdDate, updatedDate or trashedDate, with
        /// `:asc` (default) or `:desc`.
        #[arg(long)]
        sort: Option<String>,
        /// The page size (at most 100).
        #[arg(long)]
        limit: Option<u32>,
        /// The cursor of the next page (alone: it carries the filter and sort).
        #[arg(long)]
        cursor: Option<String>,
    },
    /// Count the account's sites (Count Sites), with the filters of `list`.
    Count {
        #[command(flatten)]
        filter: SiteFilterArgs,
    },
}

/// The site filters `sites list` and `sites count` share.
#[derive(Debug, Args)]
pub(crate) struct SiteFilterArgs {
    /// Only these sites (repeatable).
    #[arg(long = "id")]
    ids: Vec<String>,
    /// Only sites of these namespaces (repeatable; `WIX`, `HEADLESS`, ...);
    /// without it only `WIX` sites are answered.
    #[arg(long)]
    namespace: Vec<String>,
    /// Only published (`true`) or unpublished (`false`) sites.
    #[arg(long)]
    published: Option<bool>,
    /// Sites with a word of the name, display name or a connected domain starting
    /// with this phrase (any case).
    #[arg(long)]
    search: Option<String>,
}

impl SiteFilterArgs {
    /// The filter in the Wix query language (`None` when no flag is set).
    fn to_filter(&self) -> Result<Option<QValue>, Failure> {
        let mut members: Vec<(&str, QValue)> = Vec::new();
        if !self.ids.is_empty() {
            let ids = self
                .ids
                .iter()
                .map(|i| guid::<SiteId>("--id", i).map(|id| QValue::from(id.to_string())))
                .collect::<Result<Vec<_>, _>>()?;
            members.push(("id", QValue::object([("$in", QValue::array(ids))])));
        }
        if !self.namespace.is_empty() {
            let mut list = Vec::new();
            for n in &self.namespace {
                if !is_known_value(SiteField::Namespace, n) {
                    let known: Vec<&str> = Namespace::ALL.iter().map(|v| v.as_str()).collect();
                    return Err(Failure::Usage(format!(
                        "--namespace: {n:?} is not one of {}",
                        known.join(", ")
                    )));
                }
                list.push(QValue::from(n.to_ascii_uppercase()));
            }
            members.push(("namespace", QValue::object([("$in", QValue::array(list))])));
        }
        if let Some(p) = self.published {
            members.push(("published", QValue::Bool(p)));
        }
        if let Some(phrase) = &self.search {
            members.push(("searchPhrase", QValue::from(phrase.as_str())));
        }
        Ok((!members.is_empty()).then(|| QValue::object(members)))
    }
}

/// `--sort FIELD[:asc|desc]` as a `query.sort` entry.
fn site_sort(text: &str) -> Vec<(String, Option<String>)> {
    let (field, order) = match text.split_once(':') {
        Some((f, o)) => (f, Some(o.trim().to_ascii_uppercase())),
        None => (text, None),
    };
    vec![(field.trim().to_owned(), order)]
}

/// A query the domain refuses, as a usage error naming the flag's meaning.
fn site_query_error(e: QueryError) -> Failure {
    Failure::Usage(format!("the sites query: {e}"))
}

/// Runs a site command.
pub(crate) async fn sites(
    connection: &Connection,
    command: SitesCommand,
    format: Format,
) -> Result<(), Failure> {
    match command {
        SitesCommand::Transfer {
            site,
            source,
            target,
            notify,
        } => {
            let transfer = SiteTransfer {
                site: guid("the site id", &site)?,
                source_account: guid("--from", &source)?,
                enable_notifications: notify,
            };
            let mut call = Call::new();
            let target = match target {
                Some(t) => Some(guid::<AccountId>("--to", &t)?),
                None => None,
            };
            if let Some(t) = target {
                call = call.account(t);
            }
            let done = connection.client()?.transfer_site(&call, &transfer).await?;
            output::transfer(format, &done, target);
        }
        SitesCommand::List {
            filter,
            premium,
            sort,
            limit,
            cursor,
        } => {
            let mut filter = filter.to_filter()?;
            if let Some(p) = premium {
                let mut members = filter
                    .and_then(|f| f.as_object().cloned())
                    .unwrap_or_default();
                members.insert("premium".to_owned(), QValue::Bool(p));
                filter = Some(QValue::Object(members));
            }
            let sort = sort.as_deref().map(site_sort).unwrap_or_default();
            let paging = vec![Paging::Cursor { limit, cursor }];
            let query = SitesQuery::new(filter, sort, paging).map_err(site_query_error)?;
            let page = connection
                .client()?
                .query_sites(&Call::new(), &query)
                .await?;
            output::sites(format, &page);
        }
        SitesCommand::Count { filter } => {
            let count = SiteCount::new(filter.to_filter()?).map_err(site_query_error)?;
            let n = connection
                .client()?
                .count_sites(&Call::new(), &count)
                .await?;
            output::site_count(format, n);
        }
    }
    Ok(())
}
