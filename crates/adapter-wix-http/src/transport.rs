//! One Wix call over HTTP, whatever the endpoint: the request as sent on every
//! attempt, the attempt loop with its retry decisions and time budget, the call's
//! tracing span, and the translation of what came back (an answer, a transport
//! failure) into an [`Answer`] or a [`PortError`]. The endpoints themselves are in
//! `endpoints`.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use reqwest::header::{AUTHORIZATION, CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue};
use reqwest::{Method, StatusCode, Url};
use reseller_domain::error::status_name;
use reseller_domain::{AccountId, ErrorCode, IdempotencyKey, SiteId};
use reseller_ports::{Call, ErrorKind, IdGenerator, PortError};
use reseller_wire::ErrorBody;
use serde::de::DeserializeOwned;
use tracing::Instrument;
use tracing::field::Empty;

use crate::builder::WixHttpClientBuilder;
use crate::retry::{RetryPolicy, full_jitter, parse_retry_after};

/// The answer headers that carry Wix's request id, in the order they are looked at.
pub const REQUEST_ID_HEADERS: [&str; 2] = ["x-wix-request-id", "x-request-id"];

/// The header naming the account a call acts on.
const ACCOUNT_HEADER: &str = "wix-account-id";
/// The header naming the site of Create Connected Domain.
const SITE_HEADER: &str = "wix-site-id";

/// The longest error text kept from a body that is not Wix's JSON, in characters.
const MAX_TEXT_CHARS: usize = 2_000;

/// The HTTP client of the real Wix API; implements every port of `reseller-ports`.
///
/// Cheap to clone (the connection pool is shared). Built with
/// [`WixHttpClient::builder`]. Its `Debug` output shows the base URL, default
/// account, timeouts and retry policy, never the API key.
#[derive(Clone)]
pub struct WixHttpClient {
    inner: Arc<Inner>,
}

/// What the builder hands over.
pub(crate) struct Parts {
    pub(crate) http: reqwest::Client,
    pub(crate) base_url: Url,
    pub(crate) authorization: HeaderValue,
    pub(crate) account: Option<AccountId>,
    pub(crate) request_timeout: Duration,
    pub(crate) pool_idle_timeout: Duration,
    pub(crate) retry: RetryPolicy,
    pub(crate) ids: Arc<dyn IdGenerator>,
}

struct Inner {
    http: reqwest::Client,
    base_url: Url,
    /// The raw API key, marked sensitive.
    authorization: HeaderValue,
    account: Option<AccountId>,
    request_timeout: Duration,
    pool_idle_timeout: Duration,
    retry: RetryPolicy,
    ids: Arc<dyn IdGenerator>,
}

impl fmt::Debug for WixHttpClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = &self.inner;
        f.debug_struct("WixHttpClient")
            .field("base_url", &inner.base_url.as_str())
            .field("api_key", &"<redacted>")
            .field("account", &inner.account)
            .field("request_timeout", &inner.request_timeout)
            .field("pool_idle_timeout", &inner.pool_idle_timeout)
            .field("retry", &inner.retry)
            .finish_non_exhaustive()
    }
}

/// Whether a request may be sent again, and with which idempotency key.
#[derive(Debug, Clone)]
pub(crate) enum Safety {
    /// A read: repeating it changes nothing.
    Read,
    /// A mutation carrying this `idempotencyKey`: repeating it with the same key
    /// applies it at most once.
    Keyed(IdempotencyKey),
    /// A mutation Wix lets carry no key: repeated only when it was never sent.
    Unkeyed,
}

/// A request, as sent on every attempt.
#[derive(Debug)]
pub(crate) struct Request {
    /// The port method, for spans and error messages (`get_package`).
    pub(crate) operation: &'static str,
    pub(crate) method: Method,
    pub(crate) url: Url,
    pub(crate) account: AccountId,
    /// The JSON body, serialized once.
    pub(crate) body: Option<Vec<u8>>,
    pub(crate) safety: Safety,
}

/// A 2xx answer.
#[derive(Debug)]
pub(crate) struct Answer {
    operation: &'static str,
    status: u16,
    request_id: Option<String>,
    body: Vec<u8>,
}

impl Answer {
    /// The body as `T`, or `UnreadableAnswer`.
    pub(crate) fn json<T: DeserializeOwned>(&self) -> Result<T, PortError> {
        serde_json::from_slice(&self.body).map_err(|e| {
            self.unreadable(format_args!(
                "not the expected JSON ({e}); the body begins: {}",
                excerpt(&self.body, 200)
            ))
        })
    }

    /// `UnreadableAnswer` for this answer, saying `what` is wrong with it.
    pub(crate) fn unreadable(&self, what: impl fmt::Display) -> PortError {
        let error = PortError::new(
            ErrorKind::UnreadableAnswer,
            ErrorCode::Other {
                code: "UNREADABLE_ANSWER".to_owned(),
                status: self.status,
            },
            Some(self.status),
            format!("the answer to {} cannot be read: {what}", self.operation),
        );
        match &self.request_id {
            Some(id) => error.with_request_id(id.clone()),
            None => error,
        }
    }
}

/// How one attempt ended.
enum Attempt {
    /// The service answered with this status.
    Answered {
        status: StatusCode,
        request_id: Option<String>,
        retry_after: Option<Duration>,
        body: Vec<u8>,
    },
    /// The request never left this process (connect failure).
    NotSent(reqwest::Error),
    /// The request was sent (or may have been) and no complete answer came back.
    Lost {
        error: reqwest::Error,
        /// The attempt's timeout was cut to the rest of the time budget.
        budget_bound: bool,
    },
}

impl WixHttpClient {
    /// A builder, with the API key every call sends.
    pub fn builder(api_key: reseller_ports::ApiKey) -> WixHttpClientBuilder {
        WixHttpClientBuilder::new(api_key)
    }

    pub(crate) fn from_parts(parts: Parts) -> Self {
        Self {
            inner: Arc::new(Inner {
                http: parts.http,
                base_url: parts.base_url,
                authorization: parts.authorization,
                account: parts.account,
                request_timeout: parts.request_timeout,
                pool_idle_timeout: parts.pool_idle_timeout,
                retry: parts.retry,
                ids: parts.ids,
            }),
        }
    }

    /// The base URL every endpoint path is appended to.
    pub fn base_url(&self) -> &str {
        self.inner.base_url.as_str()
    }

    /// The account of calls whose [`Call`] names none.
    pub fn default_account(&self) -> Option<AccountId> {
        self.inner.account
    }

    /// How long a connection may stay idle in the pool before it is closed
    /// ([`WixHttpClientBuilder::pool_idle_timeout`]).
    pub fn pool_idle_timeout(&self) -> Duration {
        self.inner.pool_idle_timeout
    }

    /// The retry policy.
    pub fn retry_policy(&self) -> RetryPolicy {
        self.inner.retry
    }

    /// The account `call` acts on: its own, else the client's default.
    pub(crate) fn account_for(&self, call: &Call) -> Result<AccountId, PortError> {
        call.account_id.or(self.inner.account).ok_or_else(|| {
            PortError::new(
                ErrorKind::InvalidInput,
                ErrorCode::InvalidArgument,
                None,
                "no account to act on: the call names none and the client has no default \
                 (wix-account-id is required by every Wix call)",
            )
        })
    }

    /// The idempotency key of a mutation: the caller's, else a fresh one.
    pub(crate) fn key_for(&self, call: &Call) -> Result<IdempotencyKey, PortError> {
        match &call.idempotency_key {
            Some(key) => Ok(key.clone()),
            None => IdempotencyKey::new(self.inner.ids.new_id().to_string()).map_err(|e| {
                PortError::new(
                    ErrorKind::InvalidInput,
                    ErrorCode::InvalidArgument,
                    None,
                    format!("the generated idempotency key is not valid: {e}"),
                )
            }),
        }
    }

    /// The URL of an endpoint: the base URL's path followed by `segments`, each
    /// percent-encoded as one path segment.
    pub(crate) fn url(&self, segments: &[&str]) -> Url {
        let mut url = self.inner.base_url.clone();
        if let Ok(mut path) = url.path_segments_mut() {
            path.pop_if_empty().extend(segments);
        }
        url
    }

    /// Sends `request` (retrying what the policy and its safety allow) and decodes
    /// the 2xx answer with `decode`. Every error of a keyed mutation carries its
    /// idempotency key, so the caller can repeat it safely.
    pub(crate) async fn call<T>(
        &self,
        request: Request,
        decode: impl FnOnce(&Answer) -> Result<T, PortError>,
    ) -> Result<T, PortError> {
        self.call_on_site(request, None, decode).await
    }

    /// [`WixHttpClient::call`] with a `wix-site-id` header naming `site` (Create
    /// Connected Domain).
    pub(crate) async fn call_on_site<T>(
        &self,
        request: Request,
        site: Option<SiteId>,
        decode: impl FnOnce(&Answer) -> Result<T, PortError>,
    ) -> Result<T, PortError> {
        let key = match &request.safety {
            Safety::Keyed(key) => Some(key.clone()),
            Safety::Read | Safety::Unkeyed => None,
        };
        let span = tracing::info_span!(
            "wix_call",
            operation = request.operation,
            method = %request.method,
            path = request.url.path(),
            account_id = %request.account,
            idempotency_key = key.as_ref().map(IdempotencyKey::as_str),
            attempt = Empty,
            status = Empty,
            request_id = Empty,
            duration_ms = Empty,
            outcome = Empty,
        );
        let result = self
            .execute(&request, site, &span)
            .instrument(span.clone())
            .await
            .and_then(|answer| decode(&answer));
        match &result {
            Ok(_) => span.record("outcome", "ok"),
            Err(e) => span.record("outcome", tracing::field::debug(e.kind())),
        };
        result.map_err(|e| match key {
            Some(key) if e.idempotency_key().is_none() => e.with_idempotency_key(key),
            _ => e,
        })
    }

    /// The attempt loop, recording what happens on the call's `span`.
    async fn execute(
        &self,
        request: &Request,
        site: Option<SiteId>,
        span: &tracing::Span,
    ) -> Result<Answer, PortError> {
        // A request whose headers cannot be built is never sent, now or later.
        let mut headers = self
            .headers(request)
            .map_err(|e| e.with_attempts(0, Duration::ZERO))?;
        if let Some(site) = site {
            let value = HeaderValue::from_str(&site.to_string()).map_err(|e| {
                PortError::new(
                    ErrorKind::InvalidInput,
                    ErrorCode::InvalidArgument,
                    None,
                    format!("the site id cannot be sent as a header: {e}"),
                )
                .with_attempts(0, Duration::ZERO)
            })?;
            headers.insert(HeaderName::from_static(SITE_HEADER), value);
        }
        let policy = self.inner.retry;
        let started = Instant::now();
        let mut attempt: u32 = 0;
        loop {
            attempt += 1;
            span.record("attempt", attempt);
            let remaining = policy.budget().saturating_sub(started.elapsed());
            let budget_bound = remaining < self.inner.request_timeout;
            let timeout = remaining.min(self.inner.request_timeout);
            let outcome = self
                .attempt(request, headers.clone(), timeout, budget_bound)
                .await;
            span.record("duration_ms", millis(started.elapsed()));
            let (error, retryable) = match outcome {
                Attempt::Answered {
                    status,
                    request_id,
                    retry_after,
                    body,
                } => {
                    span.record("status", status.as_u16());
                    if let Some(id) = &request_id {
                        span.record("request_id", id.as_str());
                    }
                    if status.is_success() {
                        tracing::debug!(attempt, status = status.as_u16(), "answered");
                        return Ok(Answer {
                            operation: request.operation,
                            status: status.as_u16(),
                            request_id,
                            body,
                        });
                    }
                    let retryable =
                        is_retryable_status(status) && !matches!(request.safety, Safety::Unkeyed);
                    let error = answer_error(status, request_id, retry_after, &body);
                    (error, retryable)
                }
                Attempt::NotSent(e) => {
                    let message = transport_message(request, attempt, &describe(&e));
                    (PortError::transport(ErrorKind::NotSent, message), true)
                }
                Attempt::Lost {
                    error,
                    budget_bound,
                } => {
                    let what = if budget_bound && error.is_timeout() {
                        format!(
                            "no complete answer within the time budget of {:?} (the request \
                             may have been applied)",
                            policy.budget()
                        )
                    } else {
                        format!("{} (the request may have been applied)", describe(&error))
                    };
                    let message = transport_message(request, attempt, &what);
                    let retryable = !matches!(request.safety, Safety::Unkeyed);
                    (
                        PortError::transport(ErrorKind::OutcomeUnknown, message),
                        retryable,
                    )
                }
            };
            let wait = if retryable {
                policy.wait_before(attempt, started.elapsed(), error.retry_after(), full_jitter)
            } else {
                None
            };
            let Some(wait) = wait else {
                tracing::debug!(attempt, error = %error, "giving up");
                // The policy has decided: the caller sees how many requests it
                // made and how long they took, and must not retry on top.
                return Err(error.with_attempts(attempt, started.elapsed()));
            };
            tracing::warn!(
                attempt,
                wait_ms = millis(wait),
                error = %error,
                "retrying"
            );
            tokio::time::sleep(wait).await;
        }
    }

    /// The headers of every attempt: the raw key (sensitive), the account, JSON.
    fn headers(&self, request: &Request) -> Result<HeaderMap, PortError> {
        let account = HeaderValue::from_str(&request.account.to_string()).map_err(|e| {
            PortError::new(
                ErrorKind::InvalidInput,
                ErrorCode::InvalidArgument,
                None,
                format!("the account id cannot be sent as a header: {e}"),
            )
        })?;
        let mut headers = HeaderMap::with_capacity(3);
        headers.insert(AUTHORIZATION, self.inner.authorization.clone());
        headers.insert(HeaderName::from_static(ACCOUNT_HEADER), account);
        headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        Ok(headers)
    }

    /// One attempt, bounded by `timeout` from connecting to the end of the body.
    async fn attempt(
        &self,
        request: &Request,
        headers: HeaderMap,
        timeout: Duration,
        budget_bound: bool,
    ) -> Attempt {
        let mut builder = self
            .inner
            .http
            .request(request.method.clone(), request.url.clone())
            .headers(headers)
            .timeout(timeout);
        if let Some(body) = &request.body {
            builder = builder.body(body.clone());
        }
        let response = match builder.send().await {
            Ok(response) => response,
            Err(error) if error.is_connect() || error.is_builder() => {
                return Attempt::NotSent(error);
            }
            Err(error) => {
                return Attempt::Lost {
                    error,
                    budget_bound,
                };
            }
        };
        let status = response.status();
        let request_id = request_id(response.headers());
        let retry_after = retry_after(response.headers());
        match response.bytes().await {
            Ok(body) => Attempt::Answered {
                status,
                request_id,
                retry_after,
                body: Vec::from(body),
            },
            // A refusal whose body broke off is still a refusal.
            Err(_) if !status.is_success() => Attempt::Answered {
                status,
                request_id,
                retry_after,
                body: Vec::new(),
            },
            Err(error) => Attempt::Lost {
                error,
                budget_bound,
            },
        }
    }
}

/// Statuses worth another attempt (of a request that is safe to repeat).
fn is_retryable_status(status: StatusCode) -> bool {
    matches!(status.as_u16(), 429 | 500 | 502 | 503 | 504)
}

/// The request id of an answer, from the first of [`REQUEST_ID_HEADERS`] present.
fn request_id(headers: &HeaderMap) -> Option<String> {
    REQUEST_ID_HEADERS.iter().find_map(|name| {
        headers
            .get(*name)
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
    })
}

/// The wait an answer's `Retry-After` asks for, if it has a readable one.
fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    headers
        .get(reqwest::header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| parse_retry_after(v, SystemTime::now()))
}

/// The error for a non-2xx answer read whole from its `headers` and `body`: what
/// [`answer_error`] makes of it, with the request id and `Retry-After` of the
/// headers. The emulator's control client reads its refusals with it, so they
/// carry the emulator's code and message like the Wix calls' refusals.
#[cfg(feature = "control")]
pub(crate) fn refusal(status: StatusCode, headers: &HeaderMap, body: &[u8]) -> PortError {
    answer_error(status, request_id(headers), retry_after(headers), body)
}

/// The error for a non-2xx answer: Wix's code, message and field violations when
/// the body is Wix's error JSON, else the status name as code and the body as text.
fn answer_error(
    status: StatusCode,
    request_id: Option<String>,
    retry_after: Option<Duration>,
    body: &[u8],
) -> PortError {
    let code = status.as_u16();
    let mut error = match serde_json::from_slice::<ErrorBody>(body) {
        Ok(wix) => {
            let message = if wix.message.is_empty() {
                wix.details
                    .application_error
                    .as_ref()
                    .and_then(|a| a.description.clone())
                    .unwrap_or_default()
            } else {
                wix.message.clone()
            };
            PortError::from_answer(code, wix.error_code(code), message)
                .with_field_violations(wix.field_violations())
        }
        Err(_) => PortError::from_answer(
            code,
            ErrorCode::from_wire(status_name(code), code),
            excerpt(body, MAX_TEXT_CHARS),
        ),
    };
    if let Some(id) = request_id {
        error = error.with_request_id(id);
    }
    if let Some(wait) = retry_after {
        error = error.with_retry_after(wait);
    }
    error
}

/// A body as text: lossy UTF-8, trimmed, at most `max` characters (then `…`).
fn excerpt(body: &[u8], max: usize) -> String {
    let text = String::from_utf8_lossy(body);
    let text = text.trim();
    match text.char_indices().nth(max) {
        Some((cut, _)) => {
            let mut kept = text.get(..cut).unwrap_or(text).to_owned();
            kept.push('…');
            kept
        }
        None => text.to_owned(),
    }
}

/// A transport failure, with every cause in its chain.
fn describe(error: &reqwest::Error) -> String {
    let mut text = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.contains(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    text
}

/// The message of a transport error: which call, which attempt, what happened.
fn transport_message(request: &Request, attempt: u32, what: &str) -> String {
    format!(
        "{} ({} {}), attempt {attempt}: {what}",
        request.operation,
        request.method,
        request.url.path()
    )
}

/// Milliseconds, for spans and events.
fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests;
