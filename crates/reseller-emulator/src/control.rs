//! The control API (`/_emulator/`) of `spec/emulator.md`: health, reset, seeding
//! (accounts, sites, catalog, allowed transfers, API keys), instance status moves,
//! provisioning mode, the emulated clock, fault rules, the request log, state
//! export and import, and the OpenAPI document. JSON in and out; refusals have
//! Wix's error shape.

use axum::body::Body;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use reseller_domain::{AccountId, FieldViolation, InstanceId, RuleType, SiteId, Timestamp};
use reseller_ports::{NewSite, Provisioning};
use reseller_wire::control::{
    AccountDoc, AccountList, AllowedTransferDoc, ApiKeyDoc, CatalogList, CatalogProductDoc,
    ClockDoc, FaultRulesDoc, HealthDoc, NowDoc, ProvisioningDoc, RequestLogDoc, SiteDoc, SiteList,
    StateDocument, StatusChangeDoc,
};
use reseller_wire::{ConversionError, InvalidRequest};

use crate::Emulator;
use crate::log::CAPACITY;
use crate::reply;
use crate::wix::{path_guid, query_params, read_json};

fn conversion(e: &ConversionError) -> Response {
    reply::invalid(InvalidRequest::one(e.to_field_violation()))
}

fn one_violation(field: &str, rule: RuleType, description: impl Into<String>) -> Response {
    reply::invalid(InvalidRequest::one(FieldViolation::new(
        field,
        rule,
        description,
    )))
}

pub(crate) async fn health() -> Response {
    reply::ok(&HealthDoc {
        status: "ok".to_owned(),
    })
}

pub(crate) async fn reset(State(emu): State<Emulator>) -> Response {
    reply::either(
        async {
            emu.wix().reset().await.map_err(reply::port_error)?;
            emu.inner.faults.clear();
            emu.inner.log.clear();
            Ok(reply::empty(StatusCode::NO_CONTENT))
        }
        .await,
    )
}

pub(crate) async fn add_account(State(emu): State<Emulator>, body: Body) -> Response {
    reply::either(
        async {
            let doc: AccountDoc = read_json(body).await?;
            let account = doc
                .try_into_domain("", || AccountId::from_uuid(emu.wix().new_uuid()))
                .map_err(|e| conversion(&e))?;
            let account = emu
                .wix()
                .add_account(account)
                .await
                .map_err(reply::port_error)?;
            Ok(reply::json(
                StatusCode::CREATED,
                &AccountDoc::from_domain(&account),
            ))
        }
        .await,
    )
}

pub(crate) async fn accounts(State(emu): State<Emulator>) -> Response {
    let list = AccountList {
        accounts: emu
            .wix()
            .accounts()
            .iter()
            .map(AccountDoc::from_domain)
            .collect(),
    };
    durable(&emu, &list).await
}

/// `200` with `doc`, read from the world, once everything it may show is durable
/// (503 when the store failed: the world in memory may hold a failed write).
async fn durable<T: serde::Serialize>(emu: &Emulator, doc: &T) -> Response {
    match emu.wix().flush().await {
        Ok(()) => reply::ok(doc),
        Err(e) => reply::port_error(e),
    }
}

pub(crate) async fn add_site(State(emu): State<Emulator>, body: Body) -> Response {
    reply::either(
        async {
            let doc: SiteDoc = read_json(body).await?;
            let site = doc
                .try_into_domain(
                    "",
                    || SiteId::from_uuid(emu.wix().new_uuid()),
                    emu.wix().now(),
                )
                .map_err(|e| conversion(&e))?;
            let site = emu
                .wix()
                .add_site(&NewSite {
                    id: Some(site.id),
                    account: site.owner,
                    name: site.name,
                    external_paid_services: site.external_paid_services,
                    details: site.details,
                    created: doc.created_date.is_some().then_some(site.created),
                })
                .await
                .map_err(reply::port_error)?;
            Ok(reply::json(
                StatusCode::CREATED,
                &SiteDoc::from_domain(&site),
            ))
        }
        .await,
    )
}

pub(crate) async fn sites(State(emu): State<Emulator>, RawQuery(query): RawQuery) -> Response {
    reply::either(
        async {
            let params = query_params(query.as_deref());
            let owner = match params.get("accountId").filter(|a| !a.is_empty()) {
                None => None,
                Some(text) => Some(AccountId::parse(text).map_err(|_| {
                    one_violation(
                        "accountId",
                        RuleType::Format,
                        format!("not a GUID: {text:?}"),
                    )
                })?),
            };
            let list = SiteList {
                sites: emu
                    .wix()
                    .sites(owner)
                    .iter()
                    .map(SiteDoc::from_domain)
                    .collect(),
            };
            Ok(durable(&emu, &list).await)
        }
        .await,
    )
}

pub(crate) async fn add_product(State(emu): State<Emulator>, body: Body) -> Response {
    reply::either(
        async {
            let doc: CatalogProductDoc = read_json(body).await?;
            let product = doc.try_into_domain("").map_err(|e| conversion(&e))?;
            let product = emu
                .wix()
                .add_product(product)
                .await
                .map_err(reply::port_error)?;
            Ok(reply::json(
                StatusCode::CREATED,
                &CatalogProductDoc::from_domain(&product),
            ))
        }
        .await,
    )
}

pub(crate) async fn catalog(State(emu): State<Emulator>) -> Response {
    let list = CatalogList {
        products: emu
            .wix()
            .catalog()
            .iter()
            .map(CatalogProductDoc::from_domain)
            .collect(),
    };
    durable(&emu, &list).await
}

pub(crate) async fn allow_transfer(State(emu): State<Emulator>, body: Body) -> Response {
    reply::either(
        async {
            let doc: AllowedTransferDoc = read_json(body).await?;
            let (source, target) = doc.pair("").map_err(|e| conversion(&e))?;
            emu.wix()
                .allow_transfer(source, target)
                .await
                .map_err(reply::port_error)?;
            Ok(reply::json(
                StatusCode::CREATED,
                &AllowedTransferDoc::new(source, target),
            ))
        }
        .await,
    )
}

pub(crate) async fn add_api_key(State(emu): State<Emulator>, body: Body) -> Response {
    reply::either(
        async {
            let doc: ApiKeyDoc = read_json(body).await?;
            let (account, scopes) = doc.grant("").map_err(|e| conversion(&e))?;
            let key = emu
                .wix()
                .add_api_key(account, Some(scopes.clone()), doc.key.as_deref())
                .await
                .map_err(reply::port_error)?;
            Ok(reply::json(
                StatusCode::CREATED,
                &ApiKeyDoc::new(key.expose(), account, &scopes),
            ))
        }
        .await,
    )
}

pub(crate) async fn move_instance(
    State(emu): State<Emulator>,
    instance: Result<Path<String>, PathRejection>,
    body: Body,
) -> Response {
    reply::either(
        async {
            let Path(instance) = instance.map_err(reply::unreadable_body)?;
            let instance: InstanceId = path_guid("instanceId", &instance)?;
            let doc: StatusChangeDoc = read_json(body).await?;
            let status = doc.try_into_domain().map_err(|e| conversion(&e))?;
            let package = emu
                .wix()
                .set_instance_status(instance, status)
                .await
                .map_err(reply::port_error)?;
            Ok(reply::ok(&reseller_wire::Package::from_domain(&package)))
        }
        .await,
    )
}

/// The mode of a provisioning document.
fn provisioning_mode(doc: &ProvisioningDoc) -> Result<Provisioning, Response> {
    let delay = match doc.delay_ms {
        None => 0,
        Some(ms) => u64::try_from(ms).map_err(|_| {
            one_violation("delayMs", RuleType::Min, format!("at least 0, got {ms}"))
        })?,
    };
    match doc.mode.as_deref() {
        Some("auto") => Ok(Provisioning::Auto {
            delay_millis: delay,
        }),
        Some("manual") => Ok(Provisioning::Manual),
        Some(other) => Err(one_violation(
            "mode",
            RuleType::InvalidEnumValue,
            format!("one of auto, manual; got {other:?}"),
        )),
        None => Err(one_violation(
            "mode",
            RuleType::RequiredField,
            "mode is required (auto or manual)",
        )),
    }
}

/// The document of a provisioning mode.
fn provisioning_doc(mode: Provisioning) -> ProvisioningDoc {
    match mode {
        Provisioning::Auto { delay_millis } => ProvisioningDoc::auto(delay_millis),
        Provisioning::Manual => ProvisioningDoc::manual(),
    }
}

pub(crate) async fn provisioning(State(emu): State<Emulator>, body: Body) -> Response {
    reply::either(
        async {
            let doc: ProvisioningDoc = read_json(body).await?;
            let mode = provisioning_mode(&doc)?;
            emu.wix()
                .set_provisioning(mode)
                .await
                .map_err(reply::port_error)?;
            Ok(reply::ok(&provisioning_doc(emu.wix().provisioning())))
        }
        .await,
    )
}

/// `9999-01-01T00:00:00.000Z`: the emulated clock is never moved past it, so every
/// date the emulator writes keeps RFC 3339's four-digit year (the clock goes on
/// running in real time after a move, hence the year of margin).
const CLOCK_LIMIT_MILLIS: i64 = 253_370_764_800_000;

/// Serializes the clock moves, so two moves cannot pass the limit together.
static CLOCK_MOVES: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

fn beyond_clock_limit(field: &str, now: Timestamp) -> Response {
    let limit = Timestamp::from_unix_millis(CLOCK_LIMIT_MILLIS).unwrap_or(now);
    one_violation(
        field,
        RuleType::Max,
        format!(
            "the emulated clock stays before {limit} (dates keep four-digit years): \
             at most {} ms from {now}",
            CLOCK_LIMIT_MILLIS.saturating_sub(now.unix_millis()).max(0)
        ),
    )
}

pub(crate) async fn clock(State(emu): State<Emulator>, body: Body) -> Response {
    reply::either(
        async {
            let doc: ClockDoc = read_json(body).await?;
            let _moving = CLOCK_MOVES.lock().await;
            let before = emu.wix().now();
            let now = match (doc.advance_ms, doc.set.as_deref()) {
                (Some(ms), None) => {
                    let ms = u64::try_from(ms).map_err(|_| {
                        one_violation(
                            "advanceMs",
                            RuleType::Min,
                            format!("the clock moves only forward; got {ms}"),
                        )
                    })?;
                    let target = i64::try_from(ms)
                        .map_or(i64::MAX, |ms| before.unix_millis().saturating_add(ms));
                    if target > CLOCK_LIMIT_MILLIS {
                        return Err(beyond_clock_limit("advanceMs", before));
                    }
                    emu.wix()
                        .advance_clock(ms)
                        .await
                        .map_err(reply::port_error)?
                }
                (None, Some(text)) => {
                    let at = Timestamp::parse_rfc3339(text).map_err(|_| {
                        one_violation(
                            "set",
                            RuleType::Format,
                            format!("not an RFC 3339 date: {text:?}"),
                        )
                    })?;
                    if at.unix_millis() > CLOCK_LIMIT_MILLIS {
                        return Err(beyond_clock_limit("set", before));
                    }
                    emu.wix().set_clock(at).await.map_err(reply::port_error)?
                }
                _ => {
                    return Err(one_violation(
                        "advanceMs",
                        RuleType::RequiredField,
                        "exactly one of advanceMs and set is required",
                    ));
                }
            };
            Ok(reply::ok(&NowDoc {
                now: now.to_rfc3339(),
            }))
        }
        .await,
    )
}

pub(crate) async fn add_faults(State(emu): State<Emulator>, body: Body) -> Response {
    reply::either(
        async {
            let doc: FaultRulesDoc = read_json(body).await?;
            let rules = emu.inner.faults.add(&doc.rules).map_err(reply::invalid)?;
            Ok(reply::json(StatusCode::CREATED, &FaultRulesDoc { rules }))
        }
        .await,
    )
}

pub(crate) async fn clear_faults(State(emu): State<Emulator>) -> Response {
    emu.inner.faults.clear();
    reply::empty(StatusCode::NO_CONTENT)
}

pub(crate) async fn requests(State(emu): State<Emulator>, RawQuery(query): RawQuery) -> Response {
    reply::either(
        async {
            let params = query_params(query.as_deref());
            let limit = match params.get("limit").filter(|l| !l.is_empty()) {
                None => CAPACITY,
                Some(text) => text.trim().parse::<usize>().map_err(|_| {
                    one_violation(
                        "limit",
                        RuleType::Format,
                        format!("a non-negative integer, got {text:?}"),
                    )
                })?,
            };
            Ok(reply::ok(&RequestLogDoc {
                requests: emu.inner.log.newest(limit),
            }))
        }
        .await,
    )
}

pub(crate) async fn export(State(emu): State<Emulator>) -> Response {
    let doc = emu.wix().export();
    durable(&emu, &doc).await
}

pub(crate) async fn import(State(emu): State<Emulator>, body: Body) -> Response {
    reply::either(
        async {
            let doc: StateDocument = crate::body::read_whole(body).await?;
            emu.wix().import(&doc).await.map_err(reply::port_error)?;
            Ok(reply::empty(StatusCode::NO_CONTENT))
        }
        .await,
    )
}

pub(crate) async fn openapi() -> Response {
    reply::ok(crate::openapi::document())
}
