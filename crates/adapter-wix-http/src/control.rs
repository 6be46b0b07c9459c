//! A typed client of the emulator's control API (`/_emulator/`, feature
//! `control`): seed and reset, the emulated clock, provisioning, status moves,
//! fault rules as builders and the request log, so tests never post hand-written
//! JSON. It speaks only the control documents of reseller-wire; it knows nothing
//! of the emulator's code. A refusal is read as the Wix calls' refusals are (the
//! reader of `transport`): the emulator's code (`ILLEGAL_STATUS_TRANSITION`),
//! message, field violations and request id.
//!
//! ```no_run
//! use std::time::Duration;
//!
//! use adapter_wix_http::control::{EmulatorControl, Fault};
//!
//! # async fn run(base_url: String) -> Result<(), reseller_ports::PortError> {
//! let control = EmulatorControl::new(base_url)?;
//! control.add_faults([Fault::on("POST", "/resellers/v2/packages").status(503).times(2)]).await?;
//! control.advance_clock(Duration::from_secs(60)).await?;
//! control.clear_faults().await?;
//! # Ok(())
//! # }
//! ```

use std::collections::BTreeSet;
use std::time::Duration;

use reqwest::Method;
use reseller_domain::auth::Scope;
use reseller_domain::{AccountId, InstanceId, InstanceStatus, Timestamp};
use reseller_ports::{ApiKey, ErrorKind, PortError, Provisioning};
use reseller_wire::control::{
    ApiKeyDoc, ClockDoc, ExtendDoc, FaultRuleDoc, FaultRulesDoc, NowDoc, ProvisioningDoc,
    RequestLogDoc, RequestLogEntryDoc, StateDocument, StatusChangeDoc,
};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::builder::DEFAULT_POOL_IDLE_TIMEOUT;
use crate::transport::refusal;

/// A fault rule: which requests it hits and what they get instead of the
/// answer (`POST /_emulator/faults`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Fault(FaultRuleDoc);

impl Fault {
    /// Every request.
    pub fn any() -> Self {
        Self::default()
    }

    /// Requests with `method` whose path starts with `path_prefix`.
    pub fn on(method: &str, path_prefix: &str) -> Self {
        Self(FaultRuleDoc {
            method: Some(method.to_owned()),
            path_prefix: Some(path_prefix.to_owned()),
            ..FaultRuleDoc::default()
        })
    }

    /// Requests whose path starts with `path_prefix`, any method.
    pub fn path(path_prefix: &str) -> Self {
        Self(FaultRuleDoc {
            path_prefix: Some(path_prefix.to_owned()),
            ..FaultRuleDoc::default()
        })
    }

    /// Answers `status` (default 500).
    pub fn status(mut self, status: u16) -> Self {
        self.0.status = Some(i64::from(status));
        self
    }

    /// With `code` as `applicationError.code` of an injected 4xx.
    pub fn error_code(mut self, code: &str) -> Self {
        self.0.error_code = Some(code.to_owned());
        self
    }

    /// Hits only the next `n` matching requests.
    pub fn times(mut self, n: u32) -> Self {
        self.0.times = Some(i64::from(n));
        self
    }

    /// Hits a matching request with chance `p` (0..=1).
    pub fn probability(mut self, p: f64) -> Self {
        self.0.probability = Some(p);
        self
    }

    /// Sends `Retry-After` of `wait` (whole seconds).
    pub fn retry_after(mut self, wait: Duration) -> Self {
        self.0.retry_after_seconds = Some(i64::try_from(wait.as_secs()).unwrap_or(i64::MAX));
        self
    }

    /// Waits `delay` (wall clock) before handling the request.
    pub fn delay(mut self, delay: Duration) -> Self {
        self.0.delay_ms = Some(i64::try_from(delay.as_millis()).unwrap_or(i64::MAX));
        self
    }

    /// Closes the connection instead of answering.
    pub fn drop_connection(mut self) -> Self {
        self.0.drop_connection = Some(true);
        self
    }

    /// Applies the request, then fails its answer (the outcome a client must
    /// read back).
    pub fn after_commit(mut self) -> Self {
        self.0.after_commit = Some(true);
        self
    }

    /// On an Assign that moves an instance between sites: fail the call and leave
    /// the instance floating (the second outcome Wix documents for a failed move).
    pub fn leave_floating(mut self) -> Self {
        self.0.leave_floating = Some(true);
        self
    }

    /// The rule's document.
    pub fn to_doc(&self) -> FaultRuleDoc {
        self.0.clone()
    }
}

/// A client of one emulator's control API.
#[derive(Debug, Clone)]
pub struct EmulatorControl {
    http: reqwest::Client,
    base_url: String,
    admin_token: Option<String>,
}

impl EmulatorControl {
    /// A client of the emulator at `base_url` (`http://127.0.0.1:8686`).
    ///
    /// # Errors
    /// `NotSent` when the HTTP client cannot be built.
    pub fn new(base_url: impl Into<String>) -> Result<Self, PortError> {
        // Idle connections are dropped before the emulator closes them (see
        // `DEFAULT_POOL_IDLE_TIMEOUT`).
        let http = reqwest::Client::builder()
            .pool_idle_timeout(DEFAULT_POOL_IDLE_TIMEOUT)
            .build()
            .map_err(|e| PortError::transport(ErrorKind::NotSent, e.to_string()))?;
        Ok(Self {
            http,
            base_url: base_url.into().trim_end_matches('/').to_owned(),
            admin_token: None,
        })
    }

    /// Sends `Authorization: Bearer token` (an emulator started with an admin
    /// token).
    pub fn admin_token(mut self, token: impl Into<String>) -> Self {
        self.admin_token = Some(token.into());
        self
    }

    /// `POST /_emulator/reset`: everything, keys and faults included, is gone.
    ///
    /// # Errors
    /// The transport kinds, or the emulator's refusal.
    pub async fn reset(&self) -> Result<(), PortError> {
        self.send::<()>(Method::POST, "reset", None).await.map(drop)
    }

    /// `PUT /_emulator/state`: replaces the whole state with `state`.
    ///
    /// # Errors
    /// The transport kinds, or the emulator's refusal (a document it cannot read).
    pub async fn put_state(&self, state: &StateDocument) -> Result<(), PortError> {
        self.send::<_>(Method::PUT, "state", Some(state))
            .await
            .map(drop)
    }

    /// `GET /_emulator/state`: the whole state.
    ///
    /// # Errors
    /// The transport kinds.
    pub async fn state(&self) -> Result<StateDocument, PortError> {
        self.read(Method::GET, "state", None::<&()>).await
    }

    /// `POST /_emulator/api-keys`: a new API key of `account`, with `scopes` (every
    /// scope when `None`).
    ///
    /// # Errors
    /// The emulator's refusal (an unknown account, an unknown scope);
    /// `UnreadableAnswer` when the answer holds no key; the transport kinds.
    pub async fn add_api_key(
        &self,
        account: AccountId,
        scopes: Option<BTreeSet<Scope>>,
    ) -> Result<ApiKey, PortError> {
        let doc = ApiKeyDoc {
            key: None,
            account_id: Some(account.to_string()),
            scopes: scopes.map(|s| s.iter().map(|s| s.as_str().to_owned()).collect()),
        };
        let answer: ApiKeyDoc = self.read(Method::POST, "api-keys", Some(&doc)).await?;
        answer.key.map(ApiKey::new).ok_or_else(|| {
            PortError::transport(ErrorKind::UnreadableAnswer, "the answer has no key")
        })
    }

    /// `POST /_emulator/clock` `{"advanceMs"}`: the emulated time after.
    ///
    /// # Errors
    /// The transport kinds.
    pub async fn advance_clock(&self, by: Duration) -> Result<Timestamp, PortError> {
        let doc = ClockDoc {
            advance_ms: Some(i64::try_from(by.as_millis()).unwrap_or(i64::MAX)),
            ..ClockDoc::default()
        };
        self.clock(&doc).await
    }

    /// `POST /_emulator/clock` `{"set"}`: moves the clock to `at` (only forward).
    ///
    /// # Errors
    /// The transport kinds, or the emulator's refusal of a move backwards.
    pub async fn set_clock(&self, at: Timestamp) -> Result<Timestamp, PortError> {
        let doc = ClockDoc {
            set: Some(at.to_rfc3339()),
            ..ClockDoc::default()
        };
        self.clock(&doc).await
    }

    /// `PUT /_emulator/provisioning`.
    ///
    /// # Errors
    /// The transport kinds.
    pub async fn provisioning(&self, mode: Provisioning) -> Result<(), PortError> {
        let doc = match mode {
            Provisioning::Auto { delay_millis } => ProvisioningDoc::auto(delay_millis),
            Provisioning::Manual => ProvisioningDoc::manual(),
        };
        self.send::<_>(Method::PUT, "provisioning", Some(&doc))
            .await
            .map(drop)
    }

    /// `POST /_emulator/instances/{id}/status`: moves an instance as Wix's
    /// provisioning would.
    ///
    /// # Errors
    /// 409 `ILLEGAL_STATUS_TRANSITION` for an illegal transition; 404 for an
    /// unknown instance; the transport kinds.
    pub async fn set_status(
        &self,
        instance: InstanceId,
        status: &InstanceStatus,
    ) -> Result<(), PortError> {
        let doc = StatusChangeDoc::from_domain(status);
        self.send::<_>(
            Method::POST,
            &format!("instances/{instance}/status"),
            Some(&doc),
        )
        .await
        .map(drop)
    }

    /// `POST /_emulator/instances/{id}/extend`: moves an expiring instance's
    /// `expirationDate` on by `cycles` billing cycles (the dashboard's extension).
    ///
    /// # Errors
    /// 409 for an instance without `expirationDate` or not `PENDING`/`ENABLED`;
    /// 400 for `cycles` below 1; 428 for an unknown instance; the transport kinds.
    pub async fn extend(&self, instance: InstanceId, cycles: u32) -> Result<(), PortError> {
        let doc = ExtendDoc {
            cycles: Some(i64::from(cycles)),
        };
        self.send::<_>(
            Method::POST,
            &format!("instances/{instance}/extend"),
            Some(&doc),
        )
        .await
        .map(drop)
    }

    /// `POST /_emulator/faults`: adds `faults`; answers their ids.
    ///
    /// # Errors
    /// 400 for a rule the emulator refuses; the transport kinds.
    pub async fn add_faults(
        &self,
        faults: impl IntoIterator<Item = Fault>,
    ) -> Result<Vec<String>, PortError> {
        let doc = FaultRulesDoc {
            rules: faults.into_iter().map(|f| f.0).collect(),
        };
        let added: FaultRulesDoc = self.read(Method::POST, "faults", Some(&doc)).await?;
        Ok(added.rules.into_iter().filter_map(|r| r.id).collect())
    }

    /// `DELETE /_emulator/faults`: every rule is gone.
    ///
    /// # Errors
    /// The transport kinds.
    pub async fn clear_faults(&self) -> Result<(), PortError> {
        self.send::<()>(Method::DELETE, "faults", None)
            .await
            .map(drop)
    }

    /// `GET /_emulator/requests?limit=`: the request log, newest first.
    ///
    /// # Errors
    /// The transport kinds.
    pub async fn requests(&self, limit: usize) -> Result<Vec<RequestLogEntryDoc>, PortError> {
        let log: RequestLogDoc = self
            .read(Method::GET, &format!("requests?limit={limit}"), None::<&()>)
            .await?;
        Ok(log.requests)
    }

    async fn clock(&self, doc: &ClockDoc) -> Result<Timestamp, PortError> {
        let now: NowDoc = self.read(Method::POST, "clock", Some(doc)).await?;
        Timestamp::parse_rfc3339(&now.now)
            .map_err(|e| PortError::transport(ErrorKind::UnreadableAnswer, e.to_string()))
    }

    /// Sends a control call and reads its JSON answer.
    async fn read<B: Serialize, T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        body: Option<&B>,
    ) -> Result<T, PortError> {
        let text = self.send(method, path, body).await?;
        serde_json::from_str(&text)
            .map_err(|e| PortError::transport(ErrorKind::UnreadableAnswer, e.to_string()))
    }

    /// Sends a control call; a 2xx answers its body as text.
    async fn send<B: Serialize>(
        &self,
        method: Method,
        path: &str,
        body: Option<&B>,
    ) -> Result<String, PortError> {
        let url = format!("{}/_emulator/{path}", self.base_url);
        let mut request = self.http.request(method, url);
        if let Some(token) = &self.admin_token {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            let bytes = serde_json::to_vec(body)
                .map_err(|e| PortError::transport(ErrorKind::NotSent, e.to_string()))?;
            request = request
                .header(reqwest::header::CONTENT_TYPE, "application/json")
                .body(bytes);
        }
        let answer = request.send().await.map_err(|e| {
            let kind = if e.is_connect() {
                ErrorKind::NotSent
            } else {
                ErrorKind::OutcomeUnknown
            };
            PortError::transport(kind, e.to_string())
        })?;
        let status = answer.status();
        let headers = answer.headers().clone();
        let body = answer.bytes().await;
        if !status.is_success() {
            // Read as the Wix calls' refusals are: the emulator's code, message and
            // field violations (a body that broke off is still a refusal).
            let body = body.map(Vec::from).unwrap_or_default();
            return Err(refusal(status, &headers, &body));
        }
        let body =
            body.map_err(|e| PortError::transport(ErrorKind::OutcomeUnknown, e.to_string()))?;
        Ok(String::from_utf8_lossy(&body).into_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fault_builds_the_rule_document() {
        let rule = Fault::on("POST", "/resellers/")
            .status(503)
            .times(2)
            .retry_after(Duration::from_secs(3))
            .after_commit()
            .to_doc();
        let json = serde_json::to_value(&rule).unwrap_or_default();
        assert_eq!(
            json,
            serde_json::json!({"method": "POST", "pathPrefix": "/resellers/", "status": 503,
                "times": 2, "retryAfterSeconds": 3, "afterCommit": true})
        );
        assert_eq!(
            serde_json::to_value(Fault::any().drop_connection().to_doc()).unwrap_or_default(),
            serde_json::json!({"dropConnection": true})
        );
    }
}
