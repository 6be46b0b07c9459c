//! `reseller packages`: create (from flags, a whole request, or a JSONL file),
//! get, cancel, query and set-external-id.

use clap::{Args, Subcommand};
use futures_util::StreamExt;
use reseller_domain::{ExternalId, PackageId};
use reseller_ports::{Call, ResellerPackages};
use reseller_wire::{CreatePackageRequest, QueryPackagesRequest};
use serde_json::{Map, Value, json};

use super::{Connection, call_with_key, cycle, guid, usage_of};
use crate::Failure;
use crate::output::{self, Format};

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
