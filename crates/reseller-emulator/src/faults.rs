//! Fault injection and the request middleware: every request passes through
//! [`layer`], which checks the admin token of the control API, applies the first
//! fault rule that hits a Wix-surface request, and writes the request log.
//!
//! A rule hits a request when its `method` and `pathPrefix` match, its `times` are
//! not used up, and a draw falls under its `probability`. Then, in order: `delayMs`
//! waits; `afterCommit` lets the request apply and throws its answer away;
//! `leaveFloating` makes an Assign that moves an instance between sites leave it
//! floating (when the header account owns it) and fails the call;
//! `dropConnection` closes the connection without an answer; else the rule's
//! status is answered (`{"message": "", "details": {}}` for a 5xx, a Wix error
//! whose code is `errorCode` or the status name for a 4xx), with `Retry-After` when
//! `retryAfterSeconds` is set. A rule that sets only `delayMs` slows the request
//! down and lets it through. Control calls (`/_emulator/`) are never faulted, so a
//! test can always clear its faults.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;
use reseller_domain::{AccountId, ErrorCode, FieldViolation, InstanceId, RuleType, SiteId};
use reseller_wire::control::FaultRuleDoc;
use reseller_wire::{ErrorBody, InvalidRequest};

use crate::Emulator;
use crate::header::ACCOUNT_HEADER;
use crate::log::{Bodies, Entry, MAX_PATH_BYTES, clip};
use crate::reply::{self, LoggedKey};

/// The prefix of the control API.
pub(crate) const CONTROL_PREFIX: &str = "/_emulator/";

/// The most fault rules kept at once; adding more is 400.
pub(crate) const MAX_RULES: usize = 1000;

/// The longest delay a rule may ask for (ten minutes).
pub(crate) const MAX_DELAY_MS: i64 = 600_000;

/// Marks an answer whose connection must be closed without sending it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct DropConnection;

/// A validated fault rule.
#[derive(Debug, Clone)]
struct Rule {
    doc: FaultRuleDoc,
    method: Option<Method>,
    path_prefix: Option<String>,
    probability: f64,
    remaining: Option<u64>,
    fails: bool,
    status: StatusCode,
    error_code: Option<String>,
    retry_after: Option<u64>,
    delay: Option<Duration>,
    drop_connection: bool,
    after_commit: bool,
    leave_floating: bool,
}

/// What a hit rule does to its request.
#[derive(Debug, Clone)]
struct Hit {
    fails: bool,
    status: StatusCode,
    error_code: Option<String>,
    retry_after: Option<u64>,
    delay: Option<Duration>,
    drop_connection: bool,
    after_commit: bool,
    leave_floating: bool,
}

/// The fault rules, shared by every clone of the emulator.
#[derive(Debug, Clone, Default)]
pub(crate) struct Faults {
    inner: Arc<FaultsInner>,
}

#[derive(Debug, Default)]
struct FaultsInner {
    /// Whether any rule is armed (read without the lock on every request).
    armed: AtomicBool,
    next_id: AtomicU64,
    rules: Mutex<Vec<Rule>>,
}

impl Faults {
    fn lock(&self) -> MutexGuard<'_, Vec<Rule>> {
        self.inner
            .rules
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Validates and adds `docs`; answers them with their ids. Nothing is added
    /// when one is invalid.
    pub(crate) fn add(&self, docs: &[FaultRuleDoc]) -> Result<Vec<FaultRuleDoc>, InvalidRequest> {
        let armed_now = self.lock().len();
        if armed_now.saturating_add(docs.len()) > MAX_RULES {
            return Err(InvalidRequest::one(FieldViolation::new(
                "rules",
                RuleType::MaxSize,
                format!(
                    "at most {MAX_RULES} fault rules are kept; {armed_now} are armed and {} more were sent",
                    docs.len()
                ),
            )));
        }
        let mut violations = Vec::new();
        let mut rules = Vec::with_capacity(docs.len());
        for (i, doc) in docs.iter().enumerate() {
            if let Some(rule) = validate(&format!("rules[{i}]"), doc, &mut violations) {
                rules.push(rule);
            }
        }
        if let Some(e) = InvalidRequest::from_vec(violations) {
            return Err(e);
        }
        let mut answer = Vec::with_capacity(rules.len());
        let mut armed = self.lock();
        if armed.len().saturating_add(rules.len()) > MAX_RULES {
            return Err(InvalidRequest::one(FieldViolation::new(
                "rules",
                RuleType::MaxSize,
                format!("at most {MAX_RULES} fault rules are kept"),
            )));
        }
        for mut rule in rules {
            let id = self.inner.next_id.fetch_add(1, Ordering::Relaxed) + 1;
            rule.doc.id = Some(format!("fault-{id}"));
            answer.push(rule.doc.clone());
            armed.push(rule);
        }
        self.inner.armed.store(!armed.is_empty(), Ordering::Release);
        Ok(answer)
    }

    /// The armed rules in the order they are tried, with their ids and the
    /// `times` they have left.
    pub(crate) fn list(&self) -> Vec<FaultRuleDoc> {
        self.lock()
            .iter()
            .map(|rule| FaultRuleDoc {
                times: rule.remaining.map(|n| i64::try_from(n).unwrap_or(i64::MAX)),
                ..rule.doc.clone()
            })
            .collect()
    }

    /// Removes the rule with `id`; whether there was one.
    pub(crate) fn remove(&self, id: &str) -> bool {
        let mut rules = self.lock();
        let before = rules.len();
        rules.retain(|rule| rule.doc.id.as_deref() != Some(id));
        self.inner.armed.store(!rules.is_empty(), Ordering::Release);
        rules.len() < before
    }

    /// Removes every rule.
    pub(crate) fn clear(&self) {
        let mut rules = self.lock();
        rules.clear();
        self.inner.armed.store(false, Ordering::Release);
    }

    /// The first rule that hits `method path`, its use counted.
    fn hit(&self, method: &Method, path: &str) -> Option<Hit> {
        if !self.inner.armed.load(Ordering::Acquire) {
            return None;
        }
        let mut rules = self.lock();
        let mut hit = None;
        for (i, rule) in rules.iter_mut().enumerate() {
            if rule.method.as_ref().is_some_and(|m| m != method)
                || rule
                    .path_prefix
                    .as_ref()
                    .is_some_and(|p| !path.starts_with(p.as_str()))
                || rule.remaining == Some(0)
            {
                continue;
            }
            if rule.probability < 1.0 && fastrand::f64() >= rule.probability {
                continue;
            }
            if let Some(n) = rule.remaining.as_mut() {
                *n -= 1;
            }
            hit = Some((
                i,
                Hit {
                    fails: rule.fails,
                    status: rule.status,
                    error_code: rule.error_code.clone(),
                    retry_after: rule.retry_after,
                    delay: rule.delay,
                    drop_connection: rule.drop_connection,
                    after_commit: rule.after_commit,
                    leave_floating: rule.leave_floating,
                },
            ));
            break;
        }
        let (i, hit) = hit?;
        if rules.get(i).is_some_and(|r| r.remaining == Some(0)) {
            rules.remove(i);
            self.inner.armed.store(!rules.is_empty(), Ordering::Release);
        }
        Some(hit)
    }
}

fn non_negative(
    path: &str,
    field: &str,
    value: Option<i64>,
    max: i64,
    violations: &mut Vec<FieldViolation>,
) -> Option<u64> {
    let v = value?;
    let at = format!("{path}.{field}");
    if v < 0 {
        violations.push(FieldViolation::new(
            at,
            RuleType::Min,
            format!("at least 0, got {v}"),
        ));
        return None;
    }
    if v > max {
        violations.push(FieldViolation::new(
            at,
            RuleType::Max,
            format!("at most {max}, got {v}"),
        ));
        return None;
    }
    u64::try_from(v).ok()
}

fn validate(path: &str, doc: &FaultRuleDoc, violations: &mut Vec<FieldViolation>) -> Option<Rule> {
    let before = violations.len();
    let method = match doc.method.as_deref() {
        None => None,
        Some(m) => match Method::from_bytes(m.trim().to_ascii_uppercase().as_bytes()) {
            Ok(m) => Some(m),
            Err(_) => {
                violations.push(FieldViolation::new(
                    format!("{path}.method"),
                    RuleType::Format,
                    format!("not an HTTP method: {m:?}"),
                ));
                None
            }
        },
    };
    let probability = doc.probability.unwrap_or(1.0);
    if !(0.0..=1.0).contains(&probability) {
        violations.push(FieldViolation::new(
            format!("{path}.probability"),
            RuleType::Max,
            format!("between 0 and 1, got {probability}"),
        ));
    }
    let remaining = non_negative(path, "times", doc.times, i64::MAX, violations);
    let status = match doc.status {
        None => StatusCode::INTERNAL_SERVER_ERROR,
        Some(s) => match u16::try_from(s)
            .ok()
            .and_then(|s| StatusCode::from_u16(s).ok())
        {
            Some(code) if (400..=599).contains(&code.as_u16()) => code,
            _ => {
                violations.push(FieldViolation::new(
                    format!("{path}.status"),
                    RuleType::Format,
                    format!("an HTTP error status (400 to 599), got {s}"),
                ));
                StatusCode::INTERNAL_SERVER_ERROR
            }
        },
    };
    let retry_after = non_negative(
        path,
        "retryAfterSeconds",
        doc.retry_after_seconds,
        86_400,
        violations,
    );
    let delay = non_negative(path, "delayMs", doc.delay_ms, MAX_DELAY_MS, violations)
        .map(Duration::from_millis);
    if violations.len() > before {
        return None;
    }
    let drop_connection = doc.drop_connection.unwrap_or(false);
    let after_commit = doc.after_commit.unwrap_or(false);
    let leave_floating = doc.leave_floating.unwrap_or(false);
    let fails = doc.status.is_some()
        || leave_floating
        || doc.error_code.is_some()
        || doc.retry_after_seconds.is_some()
        || drop_connection
        || after_commit
        || doc.delay_ms.is_none();
    Some(Rule {
        doc: FaultRuleDoc {
            id: None,
            method: method.as_ref().map(ToString::to_string),
            path_prefix: doc.path_prefix.clone(),
            probability: Some(probability),
            times: doc.times,
            status: Some(i64::from(status.as_u16())),
            error_code: doc.error_code.clone(),
            retry_after_seconds: doc.retry_after_seconds,
            delay_ms: doc.delay_ms,
            drop_connection: Some(drop_connection),
            after_commit: Some(after_commit),
            leave_floating: Some(leave_floating),
        },
        method,
        path_prefix: doc.path_prefix.clone().filter(|p| !p.is_empty()),
        probability,
        remaining,
        fails,
        status,
        error_code: doc.error_code.clone().filter(|c| !c.is_empty()),
        retry_after,
        delay,
        drop_connection,
        after_commit,
        leave_floating,
    })
}

/// The answer of a hit rule that fails its request.
fn fault_answer(hit: &Hit) -> Response {
    let body = if hit.status.is_server_error() {
        ErrorBody::system()
    } else {
        let code = hit
            .error_code
            .clone()
            .unwrap_or_else(|| reseller_domain::error::status_name(hit.status.as_u16()).to_owned());
        ErrorBody::application(code, "Injected fault.")
    };
    let mut response = reply::error(hit.status, &body);
    if let Some(seconds) = hit.retry_after {
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
    }
    response
}

/// Compares without an early exit, so the token cannot be guessed byte by byte.
fn same_secret(given: &[u8], expected: &[u8]) -> bool {
    given.len() == expected.len()
        && given
            .iter()
            .zip(expected)
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0
}

fn admin_allowed(emu: &Emulator, request: &Request) -> bool {
    let Some(token) = emu.inner.admin_token.as_deref() else {
        return true;
    };
    let expected = format!("Bearer {token}");
    request
        .headers()
        .get(header::AUTHORIZATION)
        .is_some_and(|v| same_secret(v.as_bytes(), expected.as_bytes()))
}

/// Whether a request is written to the log: everything but reading the log, the
/// health probe and the dashboard's reads.
fn logged(method: &Method, path: &str) -> bool {
    !(method == Method::GET
        && (matches!(path, "/_emulator/requests" | "/_emulator/health")
            || crate::dashboard::is_dashboard(path)))
}

/// The middleware of every request: admin token, faults, request log.
pub(crate) async fn layer(State(emu): State<Emulator>, request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    // Only a GUID is kept: a client that swapped its headers must not put its
    // API key in the log.
    let account = request
        .headers()
        .get(ACCOUNT_HEADER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| reseller_domain::AccountId::parse(v.trim()).ok())
        .map(|a| a.to_string());
    let at = emu.wix().now();
    let control = path.starts_with(CONTROL_PREFIX);
    let logged = logged(&method, &path);
    let tap = crate::capture::Tap::default();
    let request = if logged {
        request.map(|body| tap.wrap(body))
    } else {
        request
    };
    let response = if control {
        if crate::dashboard::is_public(&path) || admin_allowed(&emu, &request) {
            next.run(request).await
        } else {
            reply::application(
                StatusCode::UNAUTHORIZED,
                ErrorCode::Unauthenticated.as_str(),
                "The control API needs the admin token: Authorization: Bearer TOKEN.",
            )
        }
    } else {
        match emu.inner.faults.hit(&method, &path) {
            None => next.run(request).await,
            Some(hit) => {
                if hit.leave_floating {
                    leave_floating(&emu, &method, &path, account.as_deref()).await;
                }
                apply(hit, request, next).await
            }
        }
    };
    let dropped = response.extensions().get::<DropConnection>().is_some();
    let status = if dropped {
        0
    } else {
        response.status().as_u16()
    };
    let duration = started.elapsed();
    let path = clip(&path, MAX_PATH_BYTES);
    tracing::info!(
        target: "reseller_emulator::request",
        method = %method,
        path = %path,
        status,
        duration_ms = duration.as_secs_f64() * 1000.0,
        account_id = account.as_deref().unwrap_or("-"),
        "request"
    );
    if logged {
        let (response, kept, error_code) = crate::capture::response(response).await;
        let bodies = Bodies {
            request: tap.kept(),
            response: kept.filter(|_| !dropped),
        };
        let entry = Entry {
            seq: 0,
            at,
            method,
            path,
            status,
            duration,
            account_id: account,
            idempotency_key: response
                .extensions()
                .get::<LoggedKey>()
                .map(|k| k.0.clone()),
            error_code: error_code.filter(|_| !dropped),
        };
        emu.inner.log.push(entry, bodies);
        return response;
    }
    response
}

/// The instance and target site of an Assign (`PATCH
/// /resellers/v1/packages/product-instances/{instanceId}/{siteId}`).
fn assign_target(method: &Method, path: &str) -> Option<(InstanceId, SiteId)> {
    if method != Method::PATCH {
        return None;
    }
    let rest = path.strip_prefix("/resellers/v1/packages/product-instances/")?;
    let (instance, site) = rest.split_once('/')?;
    Some((instance.parse().ok()?, site.parse().ok()?))
}

/// `leaveFloating`: when the request is an Assign that moves an instance of the
/// header account to another site, the instance is left floating (as Wix's own
/// failed move may leave it); anything else is left as it is.
async fn leave_floating(emu: &Emulator, method: &Method, path: &str, account: Option<&str>) {
    let Some((instance, site)) = assign_target(method, path) else {
        return;
    };
    let Some(account) = account.and_then(|a| AccountId::parse(a.trim()).ok()) else {
        return;
    };
    // A refusal (not a move, not the header account's) changes nothing: the rule
    // still fails the call.
    let _ = emu.wix().leave_floating(account, instance, site).await;
}

async fn apply(hit: Hit, request: Request, next: Next) -> Response {
    if let Some(delay) = hit.delay {
        tokio::time::sleep(delay).await;
    }
    if !hit.fails {
        return next.run(request).await;
    }
    let mut key = None;
    if hit.after_commit {
        let applied = next.run(request).await;
        key = applied.extensions().get::<LoggedKey>().cloned();
    }
    let mut response = if hit.drop_connection {
        let mut r = reply::empty(StatusCode::OK);
        r.extensions_mut().insert(DropConnection);
        r
    } else {
        fault_answer(&hit)
    };
    if let Some(k) = key {
        response.extensions_mut().insert(k);
    }
    response
}
