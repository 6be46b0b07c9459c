//! `reseller watch`: the change feed of reseller-app on the command line. Polls
//! Query Packages, prints each change as it is seen (a line, or one JSON object per
//! line with `--output json`), and commits the checkpoint after printing, so a
//! restart goes on where the last run stopped (at least once: a change printed just
//! before a kill may be printed again, with the same event id).

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use adapter_memory::SqliteCheckpoints;
use clap::Args;
use reseller_app::feed::{ChangeEvent, ChangeFeed, ChangeKind, FeedError, FeedOptions};
use reseller_ports::{Call, Checkpoints, FeedId, MemoryCheckpoints};
use serde_json::{Map, Value, json};

use crate::Failure;
use crate::ops::Connection;
use crate::output::Format;

/// `reseller watch` flags.
#[derive(Debug, Args)]
pub(crate) struct Watch {
    /// The feed's name: its checkpoint is stored under it.
    #[arg(long, default_value = "watch")]
    feed: String,
    /// The checkpoint file (SQLite). Without it, the checkpoint lives in memory and
    /// a new run starts from the beginning.
    #[arg(long, env = "RESELLER_WATCH_CHECKPOINT")]
    checkpoint: Option<PathBuf>,
    /// Seconds between two polls.
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u64).range(1..=86_400))]
    interval: u64,
    /// How far before the watermark each poll reads again, in milliseconds.
    #[arg(long, default_value_t = 5_000)]
    lookback_ms: u64,
    /// Poll until caught up, print what changed, commit, and exit.
    #[arg(long)]
    once: bool,
}

/// Runs `reseller watch` until interrupted (or once).
pub(crate) async fn watch(
    connection: &Connection,
    args: Watch,
    format: Format,
) -> Result<(), Failure> {
    let id = FeedId::new(args.feed.clone()).map_err(|e| Failure::Usage(format!("--feed: {e}")))?;
    let store: Arc<dyn Checkpoints> = match &args.checkpoint {
        Some(path) => Arc::new(SqliteCheckpoints::open(path).map_err(|e| {
            let e = crate::with_causes(&e);
            Failure::Usage(format!("--checkpoint {}: {e}", path.display()))
        })?),
        None => Arc::new(MemoryCheckpoints::new()),
    };
    let client = connection.client()?;
    let options = FeedOptions {
        call: Call::new(),
        lookback: Duration::from_millis(args.lookback_ms),
        ..FeedOptions::default()
    };
    let mut feed = ChangeFeed::open(client, store, id, options)
        .await
        .map_err(feed_failure)?;
    loop {
        let more = match poll_once(&mut feed, format).await {
            Ok(more) => more,
            Err(e) if args.once || !retryable(&e) => return Err(feed_failure(e)),
            Err(e) => {
                eprintln!("warning: {e}; polling again in {}s", args.interval);
                false
            }
        };
        // Behind (the poll stopped early): catch up before waiting or exiting.
        if more {
            continue;
        }
        if args.once {
            return Ok(());
        }
        tokio::select! {
            () = tokio::time::sleep(Duration::from_secs(args.interval)) => {}
            _ = tokio::signal::ctrl_c() => return Ok(()),
        }
    }
}

/// One poll: prints its events, commits; answers whether more is waiting.
async fn poll_once<W, C>(feed: &mut ChangeFeed<W, C>, format: Format) -> Result<bool, FeedError>
where
    W: reseller_ports::ResellerPackages,
    C: Checkpoints,
{
    let poll = feed.poll().await?;
    for e in poll.events() {
        print_event(format, e);
    }
    feed.commit(&poll).await?;
    Ok(poll.has_more())
}

fn retryable(e: &FeedError) -> bool {
    match e {
        FeedError::Wix(e) | FeedError::Store(e) => e.is_retryable(),
        // A stale poll, or a failure this version does not know: poll again.
        _ => true,
    }
}

fn feed_failure(e: FeedError) -> Failure {
    match e {
        FeedError::Wix(e) => Failure::from(e),
        FeedError::Store(e) => Failure::Transport(format!("the checkpoint store: {e}")),
        e => Failure::Transport(e.to_string()),
    }
}

fn print_event(format: Format, e: &ChangeEvent) {
    match format {
        Format::Table => out!("{e}"),
        Format::Json => match serde_json::to_string(&event_json(e)) {
            Ok(line) => out!("{line}"),
            Err(err) => eprintln!("error: an event cannot be written as JSON: {err}"),
        },
    }
}

/// An event as one JSON object: `id`, `type`, `packageId`, `accountId`, `at`, and
/// the change's own fields in Wix's wire shapes.
pub(crate) fn event_json(e: &ChangeEvent) -> Value {
    let mut m = Map::new();
    m.insert("id".into(), json!(e.id.to_string()));
    m.insert("sequence".into(), json!(e.id.sequence));
    m.insert("type".into(), json!(e.kind.name()));
    m.insert("packageId".into(), json!(e.package.to_string()));
    m.insert("accountId".into(), json!(e.account.to_string()));
    m.insert("at".into(), json!(e.at.to_rfc3339()));
    if let Some(i) = e.kind.instance() {
        m.insert("instanceId".into(), json!(i.to_string()));
    }
    let extra = match &e.kind {
        ChangeKind::PackageCreated { package } => {
            json!({"package": reseller_wire::Package::from(package)})
        }
        ChangeKind::ExternalIdChanged { from, to } => json!({
            "from": from.as_ref().map(|x| x.as_str()),
            "externalId": to.as_ref().map(|x| x.as_str()),
        }),
        ChangeKind::InstanceFailed { failure, .. } => {
            json!({"failure": reseller_wire::Failure::from(failure)})
        }
        ChangeKind::InstanceAssigned { site, from, .. } => json!({
            "siteId": site.to_string(),
            "from": from.map(|s| s.to_string()),
        }),
        ChangeKind::InstanceUnassigned { from, .. } => json!({"from": from.to_string()}),
        ChangeKind::InstanceAdjusted {
            catalog_product_id,
            billing,
            discount_code,
            ..
        } => json!({
            "catalogProductId": catalog_product_id.to_string(),
            "billingInfo": billing.map(reseller_wire::Cycle::from),
            "discountCode": discount_code.as_ref().map(|d| d.as_str()),
        }),
        ChangeKind::InstanceAdded { instance } => {
            json!({"productInstance": reseller_wire::ProductInstance::from(instance)})
        }
        _ => Value::Null,
    };
    if let Value::Object(extra) = extra {
        m.extend(extra);
    }
    Value::Object(m)
}
