//! The API commands: every operation of the ports, against real Wix or an
//! emulator, through the HTTP client. Flags are turned into Wix's JSON request
//! shapes and read by reseller-wire, so the CLI refuses exactly what Wix would
//! (with the field's path) before sending anything.

use std::str::FromStr;

use adapter_wix_http::WixHttpClient;
use clap::{Args, Subcommand};
use futures_util::StreamExt;
use reseller_domain::ops::{NewSubAccount, SiteTransfer};
use reseller_domain::query::{Paging, QueryError, Value as QValue};
use reseller_domain::sites::{Namespace, SiteCount, SiteField, is_known_value};
use reseller_domain::{AccountId, ExternalId, IdempotencyKey, InstanceId, PackageId, SiteId};
use reseller_ports::{
    Accounts, ApiKey, Call, ChildAccountsPaging, ResellerPackages, SiteTransfers, Sites, SitesQuery,
};
use reseller_wire::{AdjustRequest, CreatePackageRequest, QueryPackagesRequest};
use serde_json::{Map, Value, json};

use crate::Failure;
use crate::output::{self, Format};

/// The local emulator's address (`reseller serve`'s default).
pub(crate) const LOCAL_EMULATOR: &str = "http://127.0.0.1:8686";

/// The demo seed's main account, used with its key against a local emulator when
/// no key is given.
const DEMO_MAIN_ACCOUNT: &str = reseller_emulator::DEMO_MAIN_ACCOUNT;

/// Where the API is and who calls it.
#[derive(Debug, Args)]
pub(crate) struct Connection {
    /// The API's base URL: the local emulator by default, `https://www.wixapis.com` for real Wix.
    #[arg(long, global = true, env = "WIX_BASE_URL", default_value = LOCAL_EMULATOR)]
    base_url: String,
    /// The API key (never printed). Against an emulator on this machine, the demo
    /// seed's key is used when none is given.
    #[arg(long, global = true, env = "WIX_API_KEY", hide_env_values = true)]
    api_key: Option<String>,
    /// The account the call acts on (`wix-account-id`).
    #[arg(long, global = true, env = "WIX_ACCOUNT_ID")]
    account_id: Option<String>,
}

/// Whether `url` names this machine (where the demo seed's key may be assumed).
fn is_loopback(url: &str) -> bool {
    let rest = url
        .strip_prefix("http://")
        .or_else(|| url.strip_prefix("https://"))
        .unwrap_or(url);
    let host = rest.split(['/', '?']).next().unwrap_or_default();
    let host = host.rsplit_once(':').map_or(host, |(h, _)| h);
    matches!(host, "127.0.0.1" | "localhost" | "[::1]")
}

impl Connection {
    /// Whether the API is on this machine (an emulator; the demo seed's key and
    /// catalog may be assumed).
    pub(crate) fn is_local(&self) -> bool {
        is_loopback(&self.base_url)
    }

    /// The HTTP client this connection describes.
    pub(crate) fn client(&self) -> Result<WixHttpClient, Failure> {
        let (key, demo) = match &self.api_key {
            Some(k) if !k.is_empty() => (k.clone(), false),
            _ if is_loopback(&self.base_url) => (reseller_emulator::DEMO_API_KEY.to_owned(), true),
            _ => {
                return Err(Failure::Usage(
                    "an API key is needed: --api-key or WIX_API_KEY".to_owned(),
                ));
            }
        };
        let account = match (&self.account_id, demo) {
            (Some(a), _) => Some(guid::<AccountId>("--account-id", a)?),
            (None, true) => Some(guid::<AccountId>("--account-id", DEMO_MAIN_ACCOUNT)?),
            (None, false) => None,
        };
        let mut builder = WixHttpClient::builder(ApiKey::new(key)).base_url(self.base_url.clone());
        if let Some(a) = account {
            builder = builder.account(a);
        }
        builder
            .build()
            .map_err(|e| Failure::Usage(crate::with_causes(&e)))
    }
}

/// A GUID given on the command line.
pub(crate) fn guid<T: FromStr>(what: &str, text: &str) -> Result<T, Failure> {
    text.trim()
        .parse::<T>()
        .map_err(|_| Failure::Usage(format!("{what} must be a GUID, got {text:?}")))
}

fn call_with_key(key: Option<&str>) -> Result<Call, Failure> {
    let mut call = Call::new();
    if let Some(k) = key {
        let k = IdempotencyKey::new(k)
            .map_err(|e| Failure::Usage(format!("--idempotency-key: {e}")))?;
        call = call.idempotency_key(k);
    }
    Ok(call)
}

/// A billing cycle flag: `monthly`, `yearly`, `one-time`, or `N-month` / `N-year`.
fn cycle(text: &str) -> Result<Value, Failure> {
    let recurring = |unit: &str, count: u32| json!({"type": "RECURRING", "cycleDuration": {"unit": unit, "count": count}});
    match text.trim().to_ascii_lowercase().as_str() {
        "monthly" => Ok(recurring("MONTH", 1)),
        "yearly" => Ok(recurring("YEAR", 1)),
        "one-time" | "one_time" | "onetime" => Ok(json!({"type": "ONE_TIME"})),
        other => {
            let parsed = other.split_once('-').and_then(|(n, unit)| {
                let n = n.parse::<u32>().ok()?;
                let unit = match unit.trim_end_matches('s') {
                    "month" => "MONTH",
                    "year" => "YEAR",
                    _ => return None,
                };
                Some(recurring(unit, n))
            });
            parsed.ok_or_else(|| {
                Failure::Usage(format!(
                    "--billing takes monthly, yearly, one-time, N-month or N-year; got {text:?}"
                ))
            })
        }
    }
}

fn usage_of(e: impl std::fmt::Display) -> Failure {
    Failure::Usage(e.to_string())
}

/// The package commands.
#[derive(Debug, Subcommand)]
pub(crate) enum PackagesCommand {
    /// Create a package (one product from flags, a whole request with --body, or
    /// many packages from a JSONL file with --from).
    Create(CreateArgs),
    /// Get a package.
    Get {
        /// The package id.
        id: String,
    },
    /// Cancel a package and every instance in it.
    Cancel {
        /// The package id.
        id: String,
        /// The idempotency key (generated when absent).
        #[arg(long)]
        idempotency_key: Option<String>,
    },
    /// Query packages (Wix query language).
    Query(QueryArgs),
    /// Set a package's external id.
    SetExternalId {
        /// The package id.
        id: String,
        /// The new external id (at most 100 characters).
        external_id: String,
    },
}

/// `packages create`.
#[derive(Debug, Args)]
pub(crate) struct CreateArgs {
    /// The catalog product id of the one product to create.
    #[arg(long, conflicts_with_all = ["body", "from"])]
    product: Option<String>,
    /// The product's country code (ISO 3166-1 alpha-2, required by the V2 endpoint).
    #[arg(long)]
    country: Option<String>,
    /// The site to assign the product to (floating when absent).
    #[arg(long)]
    site: Option<String>,
    /// The billing cycle: monthly, yearly, one-time, N-month or N-year.
    #[arg(long)]
    billing: Option<String>,
    /// A discount code (at most 25 characters).
    #[arg(long)]
    discount_code: Option<String>,
    /// The reference product instance of a voucher product.
    #[arg(long)]
    reference: Option<String>,
    /// The package's external id (at most 100 characters).
    #[arg(long)]
    external_id: Option<String>,
    /// The idempotency key (generated when absent).
    #[arg(long)]
    idempotency_key: Option<String>,
    /// The whole Create Package request, as Wix's JSON.
    #[arg(long, conflicts_with = "from")]
    body: Option<String>,
    /// A JSONL file: one Create Package request per line; each line's idempotency
    /// key is its own `idempotencyKey` or one derived from the line, so a rerun
    /// creates nothing twice.
    #[arg(long, value_name = "FILE.jsonl")]
    from: Option<std::path::PathBuf>,
    /// Requests in flight at once with --from.
    #[arg(long, default_value_t = 8)]
    concurrency: usize,
}

/// `packages query`.
#[derive(Debug, Args)]
pub(crate) struct QueryArgs {
    /// The filter, as Wix query-language JSON (`{"productInstances.status": "ENABLED"}`).
    #[arg(long)]
    filter: Option<String>,
    /// A sort: `createdDate` or `updatedDate`, with `:asc` or `:desc` (repeatable).
    #[arg(long)]
    sort: Vec<String>,
    /// The page size.
    #[arg(long)]
    limit: Option<i64>,
    /// The cursor of a page (`next page: --cursor ...` of an earlier answer).
    #[arg(long, conflicts_with = "offset")]
    cursor: Option<String>,
    /// Offset paging: the first match to answer.
    #[arg(long)]
    offset: Option<i64>,
    /// Walk every page and print every match.
    #[arg(long, conflicts_with_all = ["cursor", "offset"])]
    all: bool,
}

/// The Create Package request the flags describe.
fn create_request(args: &CreateArgs) -> Result<CreatePackageRequest, Failure> {
    if let Some(body) = &args.body {
        return serde_json::from_str(body)
            .map_err(|e| Failure::Usage(format!("--body is not a Create Package request: {e}")));
    }
    let Some(product) = &args.product else {
        return Err(Failure::Usage(
            "packages create needs --product, --body or --from".to_owned(),
        ));
    };
    let mut item = Map::new();
    item.insert("catalogProductId".to_owned(), json!(product));
    if let Some(c) = &args.country {
        item.insert("countryCode".to_owned(), json!(c));
    }
    if let Some(s) = &args.site {
        item.insert("siteId".to_owned(), json!(s));
    }
    if let Some(b) = &args.billing {
        item.insert("billingInfo".to_owned(), cycle(b)?);
    }
    if let Some(d) = &args.discount_code {
        item.insert("discountCode".to_owned(), json!(d));
    }
    if let Some(r) = &args.reference {
        item.insert("referenceProductInstanceId".to_owned(), json!(r));
    }
    let mut body = Map::new();
    body.insert("products".to_owned(), json!([item]));
    if let Some(e) = &args.external_id {
        body.insert("externalId".to_owned(), json!(e));
    }
    serde_json::from_value(Value::Object(body)).map_err(usage_of)
}

/// The Query Packages request the flags describe.
fn query_request(args: &QueryArgs) -> Result<QueryPackagesRequest, Failure> {
    let mut query = Map::new();
    if let Some(f) = &args.filter {
        let filter = serde_json::from_str(f)
            .map_err(|e| Failure::Usage(format!("--filter is not JSON: {e}")))?;
        query.insert("filter".to_owned(), filter);
    }
    if !args.sort.is_empty() {
        let sort: Vec<Value> = args
            .sort
            .iter()
            .map(|s| {
                let (field, order) = s.split_once(':').unwrap_or((s, "desc"));
                json!({"fieldName": field, "order": order.to_ascii_uppercase()})
            })
            .collect();
        query.insert("sort".to_owned(), json!(sort));
    }
    if args.offset.is_some() {
        query.insert(
            "paging".to_owned(),
            json!({"limit": args.limit, "offset": args.offset}),
        );
    } else if args.limit.is_some() || args.cursor.is_some() {
        query.insert(
            "cursorPaging".to_owned(),
            json!({"limit": args.limit, "cursor": args.cursor}),
        );
    }
    serde_json::from_value(json!({ "query": query })).map_err(usage_of)
}

/// Runs a package command.
pub(crate) async fn packages(
    connection: &Connection,
    command: PackagesCommand,
    format: Format,
) -> Result<(), Failure> {
    match command {
        PackagesCommand::Create(args) => {
            if let Some(path) = &args.from {
                let client = connection.client()?;
                return crate::bulk::create_from(&client, path, args.concurrency, format).await;
            }
            let request = create_request(&args)?;
            let command = request.try_into_domain().map_err(usage_of)?;
            let key = args
                .idempotency_key
                .clone()
                .or(request.idempotency_key.clone());
            let client = connection.client()?;
            let package = client
                .create_package(&call_with_key(key.as_deref())?, &command)
                .await?;
            output::package(format, &package);
        }
        PackagesCommand::Get { id } => {
            let id: PackageId = guid("the package id", &id)?;
            let package = connection.client()?.get_package(&Call::new(), id).await?;
            output::package(format, &package);
        }
        PackagesCommand::Cancel {
            id,
            idempotency_key,
        } => {
            let id: PackageId = guid("the package id", &id)?;
            let call = call_with_key(idempotency_key.as_deref())?;
            let package = connection.client()?.cancel_package(&call, id).await?;
            output::package(format, &package);
        }
        PackagesCommand::Query(args) => {
            let query = query_request(&args)?.try_into_domain().map_err(usage_of)?;
            let client = connection.client()?;
            if args.all {
                let progress = indicatif::ProgressBar::new_spinner();
                progress.set_message("reading packages");
                let mut stream = std::pin::pin!(client.query_all(&Call::new(), &query));
                let mut all = Vec::new();
                while let Some(package) = stream.next().await {
                    all.push(package.inspect_err(|_| progress.finish_and_clear())?);
                    progress.set_message(format!("{} package(s)", all.len()));
                    progress.tick();
                }
                progress.finish_and_clear();
                output::packages(format, &all, None);
            } else {
                let page = client.query_packages(&Call::new(), &query).await?;
                output::packages(format, &page.packages, Some(&page));
            }
        }
        PackagesCommand::SetExternalId { id, external_id } => {
            let id: PackageId = guid("the package id", &id)?;
            let external = ExternalId::new(external_id).map_err(usage_of)?;
            let package = connection
                .client()?
                .update_external_id(&Call::new(), id, &external)
                .await?;
            output::package(format, &package);
        }
    }
    Ok(())
}

/// The product instance commands.
#[derive(Debug, Subcommand)]
pub(crate) enum InstancesCommand {
    /// Assign an instance to a site.
    Assign {
        /// The product instance id.
        instance: String,
        /// The site id.
        site: String,
        /// The idempotency key (generated when absent).
        #[arg(long)]
        idempotency_key: Option<String>,
    },
    /// Unassign an instance from its site (it floats).
    Unassign {
        /// The product instance id.
        instance: String,
        /// The idempotency key (generated when absent).
        #[arg(long)]
        idempotency_key: Option<String>,
    },
    /// Cancel an instance.
    Cancel {
        /// The product instance id.
        instance: String,
        /// The idempotency key (generated when absent).
        #[arg(long)]
        idempotency_key: Option<String>,
    },
    /// Adjust an instance: another product of the same type, another billing cycle.
    Adjust {
        /// The product instance id.
        instance: String,
        /// The new catalog product id.
        #[arg(long)]
        product: Option<String>,
        /// The new billing cycle: monthly, yearly, one-time, N-month or N-year.
        #[arg(long)]
        billing: Option<String>,
        /// A discount code (at most 25 characters).
        #[arg(long)]
        discount_code: Option<String>,
        /// The idempotency key (generated when absent).
        #[arg(long)]
        idempotency_key: Option<String>,
    },
}

/// Runs an instance command.
pub(crate) async fn instances(
    connection: &Connection,
    command: InstancesCommand,
    format: Format,
) -> Result<(), Failure> {
    let package = match command {
        InstancesCommand::Assign {
            instance,
            site,
            idempotency_key,
        } => {
            let instance: InstanceId = guid("the instance id", &instance)?;
            let site: SiteId = guid("the site id", &site)?;
            let call = call_with_key(idempotency_key.as_deref())?;
            connection
                .client()?
                .assign_instance(&call, instance, site)
                .await?
        }
        InstancesCommand::Unassign {
            instance,
            idempotency_key,
        } => {
            let instance: InstanceId = guid("the instance id", &instance)?;
            let call = call_with_key(idempotency_key.as_deref())?;
            connection
                .client()?
                .unassign_instance(&call, instance)
                .await?
        }
        InstancesCommand::Cancel {
            instance,
            idempotency_key,
        } => {
            let instance: InstanceId = guid("the instance id", &instance)?;
            let call = call_with_key(idempotency_key.as_deref())?;
            connection
                .client()?
                .cancel_instance(&call, instance)
                .await?
        }
        InstancesCommand::Adjust {
            instance,
            product,
            billing,
            discount_code,
            idempotency_key,
        } => {
            let instance: InstanceId = guid("the instance id", &instance)?;
            let mut body = Map::new();
            if let Some(p) = product {
                body.insert("catalogProductId".to_owned(), json!(p));
            }
            if let Some(b) = billing {
                body.insert("billingInfo".to_owned(), cycle(&b)?);
            }
            if let Some(d) = discount_code {
                body.insert("discountCode".to_owned(), json!(d));
            }
            let request: AdjustRequest =
                serde_json::from_value(Value::Object(body)).map_err(usage_of)?;
            let adjust = request.try_into_domain().map_err(usage_of)?;
            let call = call_with_key(idempotency_key.as_deref())?;
            connection
                .client()?
                .adjust_instance(&call, instance, &adjust)
                .await?
        }
    };
    output::package(format, &package);
    Ok(())
}

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

/// The account commands.
#[derive(Debug, Subcommand)]
pub(crate) enum AccountsCommand {
    /// Create a sub-account of the call's account.
    CreateSub {
        /// The sub-account owner's email.
        #[arg(long)]
        email: String,
    },
    /// Read one account (Get Account): the key's own account or one of its
    /// sub-accounts.
    Get {
        /// The account id.
        account: String,
    },
    /// List the call's account's sub-accounts.
    List {
        /// The page size (at most 50).
        #[arg(long)]
        limit: Option<u32>,
        /// The first sub-account to answer.
        #[arg(long)]
        offset: Option<u32>,
    },
}

/// Runs an account command.
pub(crate) async fn accounts(
    connection: &Connection,
    command: AccountsCommand,
    format: Format,
) -> Result<(), Failure> {
    match command {
        AccountsCommand::CreateSub { email } => {
            let request =
                reseller_wire::CreateAccountRequest::from_domain(&NewSubAccount { email });
            let command = request.try_into_domain().map_err(usage_of)?;
            let id = connection
                .client()?
                .create_sub_account(&Call::new(), &command)
                .await?;
            output::account_created(format, id);
        }
        AccountsCommand::Get { account } => {
            let id = guid::<AccountId>("the account id", &account)?;
            let info = connection.client()?.get_account(&Call::new(), id).await?;
            output::account(format, &info);
        }
        AccountsCommand::List { limit, offset } => {
            let page = connection
                .client()?
                .list_child_accounts(&Call::new(), ChildAccountsPaging { offset, limit })
                .await?;
            output::accounts(format, &page);
        }
    }
    Ok(())
}
