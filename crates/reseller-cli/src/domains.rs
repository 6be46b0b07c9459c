//! `reseller domains`: Domain Search (check, suggest) and Connected Domains
//! (connect, list, get, setup), printed as tables or as Wix's JSON.

use clap::Subcommand;
use reseller_app::Attempts;
use reseller_app::expiring::expiring_domains;
use reseller_domain::domains::Expiring;
use reseller_domain::domains::expiry::parse_window;
use reseller_domain::domains::{
    ConnectRequest, ConnectionType, ConnectionsPage, DomainConnection, SetupInfo, SetupRecords,
    SuggestRequest,
};
use reseller_domain::{SiteId, Timestamp};
use reseller_ports::{
    Call, Clock, ConnectedDomains, ConnectedDomainsPaging, DomainSearch, SystemClock,
};
use reseller_wire::domains::{
    CheckDomainAvailabilityResponse, ConnectedDomainResponse, ListConnectedDomainsResponse,
    SetupInfoResponse, SuggestDomainsResponse,
};

use crate::Failure;
use crate::ops::{Connection, guid};
use crate::output::{Format, json};

/// How a domain is connected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum ConnectionKind {
    /// Wix's name servers replace the registrar's (Wix manages DNS).
    Nameservers,
    /// A and CNAME records at the registrar point to Wix.
    Pointing,
}

/// The domain commands.
#[derive(Debug, Subcommand)]
pub(crate) enum DomainsCommand {
    /// Check Domain Availability of one name (with its TLD).
    Check {
        /// The domain, e.g. `my-bakery.com`.
        domain: String,
    },
    /// Suggest available domains for some words.
    Suggest {
        /// The words (3 to 100 letters, digits, spaces, dots, hyphens).
        query: String,
        /// A TLD without its dot (repeatable; default com, net, org).
        #[arg(long = "tld")]
        tlds: Vec<String>,
        /// Suggestions per page (1 to 20).
        #[arg(long)]
        limit: Option<i64>,
        /// The longest name before the TLD (3 to 63).
        #[arg(long)]
        max_length: Option<i64>,
        /// The cursor of the next page.
        #[arg(long)]
        cursor: Option<String>,
    },
    /// Connect a domain the customer owns to a Premium site.
    Connect {
        /// The domain (a subdomain takes no --type).
        domain: String,
        /// The site.
        #[arg(long)]
        site: String,
        /// How it is connected (root domains only).
        #[arg(long = "type", value_enum)]
        connection: Option<ConnectionKind>,
        /// Redirect to the site's primary domain instead of becoming it.
        #[arg(long)]
        redirect: bool,
        /// Send the site's owner no emails about it.
        #[arg(long)]
        quiet: bool,
    },
    /// List the account's connected domains, newest first.
    List {
        /// The page size (0 to 100).
        #[arg(long)]
        limit: Option<i64>,
        /// The cursor of the next page.
        #[arg(long)]
        cursor: Option<String>,
    },
    /// Get one connected domain.
    Get {
        /// The domain.
        domain: String,
    },
    /// The DNS records the domain's owner must set at the registrar.
    Setup {
        /// The domain.
        domain: String,
    },
    /// The account family's domains (and other expiring instances) that expire
    /// within a window, soonest first: extend them in Wix's dashboard (Wix offers
    /// no API). Exit code 0 when none, 1 when some (for cron).
    Expiring {
        /// The window: `30d`, `12h`, `2w`, `90m`.
        #[arg(long, default_value = "30d")]
        within: String,
    },
}

/// Runs a domain command.
pub(crate) async fn domains(
    connection: &Connection,
    command: DomainsCommand,
    format: Format,
) -> Result<(), Failure> {
    let client = connection.client()?;
    let call = Call::new();
    match command {
        DomainsCommand::Check { domain } => {
            let a = client.check_availability(&call, &domain).await?;
            match format {
                Format::Json => json(&CheckDomainAvailabilityResponse::from_domain(&a)),
                Format::Table => out!(
                    "{} {}",
                    a.domain,
                    if a.available {
                        "is available"
                    } else {
                        "is taken"
                    }
                ),
            }
        }
        DomainsCommand::Suggest {
            query,
            tlds,
            limit,
            max_length,
            cursor,
        } => {
            let request = SuggestRequest {
                query: Some(query),
                tlds,
                paging_limit: limit,
                max_length,
                cursor,
                limit: None,
            };
            let page = client.suggest_domains(&call, &request).await?;
            match format {
                Format::Json => json(&SuggestDomainsResponse::from_domain(&page)),
                Format::Table => {
                    for d in &page.suggestions {
                        out!("{d}");
                    }
                    out!("{} suggestion(s)", page.suggestions.len());
                    if let Some(next) = &page.next_cursor {
                        out!("next page: --cursor {next}");
                    }
                }
            }
        }
        DomainsCommand::Connect {
            domain,
            site,
            connection: kind,
            redirect,
            quiet,
        } => {
            let site: SiteId = guid("--site", &site)?;
            let request = ConnectRequest {
                assignment_type: redirect.then(|| "REDIRECT".to_owned()),
                suppress_notifications: quiet.then_some(true),
                ..ConnectRequest::new(
                    domain,
                    kind.map(|k| match k {
                        ConnectionKind::Nameservers => ConnectionType::Nameservers,
                        ConnectionKind::Pointing => ConnectionType::Pointing,
                    }),
                )
            };
            let c = client
                .create_connected_domain(&call, Some(site), &request)
                .await?;
            connected(format, &c);
        }
        DomainsCommand::List { limit, cursor } => {
            let page = client
                .list_connected_domains(&call, &ConnectedDomainsPaging { limit, cursor })
                .await?;
            list(format, &page);
        }
        DomainsCommand::Get { domain } => {
            let c = client.get_connected_domain(&call, &domain).await?;
            connected(format, &c);
        }
        DomainsCommand::Setup { domain } => {
            let info = client.connected_domain_setup_info(&call, &domain).await?;
            setup(format, &info);
        }
        DomainsCommand::Expiring { within } => {
            let window = parse_window(&within).map_err(Failure::Usage)?;
            let now = SystemClock.now();
            let found = expiring_domains(&client, &call, now, window, Attempts::default())
                .await
                .map_err(|e| match e.port_error() {
                    Some(p) => Failure::from(p.clone()),
                    None => Failure::Refused(e.to_string()),
                })?;
            expiring(format, &found, now);
            if !found.is_empty() {
                return Err(Failure::Refused(format!(
                    "{} instance(s) expire within {within}: extend them in Wix's dashboard",
                    found.len()
                )));
            }
        }
    }
    Ok(())
}

fn expiring(format: Format, found: &[Expiring], now: Timestamp) {
    match format {
        Format::Json => {
            let list: Vec<_> = found
                .iter()
                .map(|e| {
                    serde_json::json!({
                        "instanceId": e.instance.to_string(),
                        "packageId": e.package.to_string(),
                        "accountId": e.account.to_string(),
                        "catalogProductId": e.product.to_string(),
                        "siteId": e.site.map(|s| s.to_string()),
                        "expirationDate": e.expires.to_rfc3339(),
                        "daysLeft": e.days_left(now),
                    })
                })
                .collect();
            json(&serde_json::json!({ "expiring": list }));
        }
        Format::Table => {
            out!(
                "{:<26} {:<6} {:<36} {:<36} SITE",
                "EXPIRES",
                "DAYS",
                "INSTANCE",
                "ACCOUNT"
            );
            for e in found {
                out!(
                    "{:<26} {:<6} {:<36} {:<36} {}",
                    e.expires.to_rfc3339(),
                    e.days_left(now),
                    e.instance.to_string(),
                    e.account.to_string(),
                    e.site.map_or_else(|| "-".to_owned(), |s| s.to_string())
                );
            }
            out!("{} expiring", found.len());
        }
    }
}

fn row(c: &DomainConnection) -> String {
    format!(
        "{:<32} {:<24} {:<30} {:<36} {}",
        c.domain.as_str(),
        c.connection_type.as_str(),
        c.dns.as_str(),
        c.site
            .map_or_else(|| "-".to_owned(), |s| s.site.to_string()),
        c.site.map_or("-", |s| s.assignment.as_str()),
    )
}

fn header() -> String {
    format!(
        "{:<32} {:<24} {:<30} {:<36} ASSIGNMENT",
        "DOMAIN", "CONNECTION", "DNS", "SITE"
    )
}

fn connected(format: Format, c: &DomainConnection) {
    match format {
        Format::Json => json(&ConnectedDomainResponse::from_domain(c)),
        Format::Table => {
            out!("{}", header());
            out!("{}", row(c));
        }
    }
}

fn list(format: Format, page: &ConnectionsPage) {
    match format {
        Format::Json => json(&ListConnectedDomainsResponse::from_domain(page)),
        Format::Table => {
            out!("{}", header());
            for c in &page.connections {
                out!("{}", row(c));
            }
            out!("{} domain(s)", page.connections.len());
            if let Some(next) = &page.next_cursor {
                out!("next page: --cursor {next}");
            }
        }
    }
}

fn setup(format: Format, info: &SetupInfo) {
    match format {
        Format::Json => json(&SetupInfoResponse::from_domain(info)),
        Format::Table => {
            out!(
                "registrar: {} (name servers now: {})",
                info.registrar.name,
                info.registrar.name_servers.join(", ")
            );
            out!("{:<8} {:<36} {:<8} VALUE", "TYPE", "HOST", "TTL");
            let line = |kind: &str, host: &str, ttl: u32, value: &str| {
                out!("{kind:<8} {host:<36} {ttl:<8} {value}");
            };
            match &info.records {
                SetupRecords::Nameservers { ns } => {
                    for v in &ns.values {
                        line("NS", &ns.host_name, ns.ttl, v);
                    }
                }
                SetupRecords::Pointing { a, cname } => {
                    for v in &a.values {
                        line("A", &a.host_name, a.ttl, v);
                    }
                    line("CNAME", &cname.host_name, cname.ttl, &cname.value);
                }
                SetupRecords::Subdomain { cnames } => {
                    for c in cnames {
                        line("CNAME", &c.host_name, c.ttl, &c.value);
                    }
                }
            }
        }
    }
}
