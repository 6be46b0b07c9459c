//! The Requests view's reads: `GET /_emulator/ui/api/requests?status=&account=&path=&before=&limit=`
//! (the request log, newest first, filtered by status class, account and path,
//! paged by entry number) and `GET /_emulator/ui/api/requests/{seq}` (one
//! request with its kept bodies).
//!
//! `status` is a class (`2xx`, `3xx`, `4xx`, `5xx`) or `dropped` (a connection
//! closed without an answer); `account` matches the `wix-account-id` sent, exactly;
//! `path` is a part of the path, case-insensitive.

use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use reseller_domain::{FieldViolation, RuleType};
use reseller_wire::InvalidRequest;
use serde_json::{Value, json};

use super::count_param;
use crate::capture::Kept;
use crate::log::{CAPACITY, Entry};
use crate::wix::query_params;
use crate::{Emulator, reply};

/// Entries on one page, by default.
const PAGE: usize = 50;

/// Which answers a status filter keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum StatusClass {
    /// `Nxx`: statuses from N00 to N99.
    Class(u16),
    /// `dropped`: no answer.
    Dropped,
}

impl StatusClass {
    fn parse(text: &str) -> Result<Option<Self>, Response> {
        let class = match text.trim().to_ascii_lowercase().as_str() {
            "" | "all" => return Ok(None),
            "2xx" => Self::Class(2),
            "3xx" => Self::Class(3),
            "4xx" => Self::Class(4),
            "5xx" => Self::Class(5),
            "dropped" => Self::Dropped,
            _ => {
                return Err(reply::invalid(InvalidRequest::one(FieldViolation::new(
                    "status",
                    RuleType::InvalidEnumValue,
                    format!("one of 2xx, 3xx, 4xx, 5xx, dropped; got {text:?}"),
                ))));
            }
        };
        Ok(Some(class))
    }

    fn admits(self, status: u16) -> bool {
        match self {
            Self::Class(n) => status / 100 == n,
            Self::Dropped => status == 0,
        }
    }
}

/// An entry as the view shows it: the control API's document and its number.
fn entry_json(entry: &Entry) -> Value {
    let mut doc = serde_json::to_value(entry.to_doc()).unwrap_or_else(|_| json!({}));
    if let Some(object) = doc.as_object_mut() {
        object.insert("seq".to_owned(), json!(entry.seq));
    }
    doc
}

/// A kept body as the view shows it.
fn body_json(kept: Option<&Kept>) -> Value {
    match kept {
        None => Value::Null,
        Some(kept) => json!({
            "text": kept.text,
            "bytes": kept.len,
            "truncated": kept.truncated(),
        }),
    }
}

/// One page of the log.
pub(super) async fn page(State(emu): State<Emulator>, RawQuery(query): RawQuery) -> Response {
    reply::either(
        async {
            let params = query_params(query.as_deref());
            let limit = count_param(&params, "limit", PAGE, CAPACITY)?.max(1);
            let before = params
                .get("before")
                .filter(|b| !b.is_empty())
                .map(|b| {
                    b.trim().parse::<u64>().map_err(|_| {
                        reply::invalid(InvalidRequest::one(FieldViolation::new(
                            "before",
                            RuleType::Format,
                            format!("an entry number, got {b:?}"),
                        )))
                    })
                })
                .transpose()?;
            let class = StatusClass::parse(params.get("status").map_or("", String::as_str))?;
            let account = params
                .get("account")
                .map(|a| a.trim().to_ascii_lowercase())
                .filter(|a| !a.is_empty());
            let path = params
                .get("path")
                .map(|p| p.trim().to_ascii_lowercase())
                .filter(|p| !p.is_empty());
            let (entries, more) = emu.inner.log.page(before, limit, |e| {
                class.is_none_or(|c| c.admits(e.status))
                    && account.as_ref().is_none_or(|a| {
                        e.account_id
                            .as_ref()
                            .is_some_and(|x| x.eq_ignore_ascii_case(a))
                    })
                    && path
                        .as_ref()
                        .is_none_or(|p| e.path.to_ascii_lowercase().contains(p.as_str()))
            });
            let (held, _) = emu.inner.log.size();
            Ok(reply::ok(&json!({
                "requests": entries.iter().map(entry_json).collect::<Vec<_>>(),
                "before": if more { entries.last().map(|e| e.seq) } else { None },
                "held": held,
                "capacity": CAPACITY,
            })))
        }
        .await,
    )
}

/// One request with its bodies.
pub(super) async fn detail(State(emu): State<Emulator>, Path(seq): Path<String>) -> Response {
    let found = seq
        .trim()
        .parse::<u64>()
        .ok()
        .and_then(|n| emu.inner.log.entry(n));
    match found {
        None => reply::application(
            StatusCode::NOT_FOUND,
            "REQUEST_NOT_FOUND",
            format!("The request log no longer holds request {seq:?}."),
        ),
        Some((entry, bodies)) => reply::ok(&json!({
            "request": entry_json(&entry),
            "requestBody": body_json(bodies.request.as_ref()),
            "responseBody": body_json(bodies.response.as_ref()),
        })),
    }
}
