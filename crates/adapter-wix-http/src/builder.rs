//! The client's builder: base URL, API key, default account, timeouts (the pooled
//! connections' idle timeout among them), retry policy, user agent and id source,
//! checked once in [`WixHttpClientBuilder::build`].

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::Url;
use reqwest::header::HeaderValue;
use reseller_domain::AccountId;
use reseller_ports::{ApiKey, IdGenerator, RandomIds};

use crate::retry::RetryPolicy;
use crate::transport::WixHttpClient;

/// Wix's API host, the default base URL.
pub const DEFAULT_BASE_URL: &str = "https://www.wixapis.com";

/// The `User-Agent` sent unless [`WixHttpClientBuilder::user_agent`] says otherwise.
pub const DEFAULT_USER_AGENT: &str = concat!(
    "wix-reseller-toolkit/",
    env!("CARGO_PKG_VERSION"),
    " (adapter-wix-http)"
);

/// How long a connection may stay idle in the pool before it is closed, unless
/// [`WixHttpClientBuilder::pool_idle_timeout`] says otherwise: 5 s.
///
/// Below the idle close of the server the client talks to (the emulator closes a
/// keep-alive connection idle for its header timeout, 10 s by default), so that
/// the client drops an idle connection before the server does. A request sent
/// on a connection the server is closing at that moment breaks off after it was
/// sent: `OutcomeUnknown` instead of an answer, and a mutation without an
/// idempotency key is then not repeated.
pub const DEFAULT_POOL_IDLE_TIMEOUT: Duration = Duration::from_secs(5);

/// Why a client could not be built. Never contains the API key.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BuildError {
    /// The base URL is not an absolute `http` or `https` URL without credentials,
    /// query or fragment.
    #[error("invalid base URL `{url}`: {reason}")]
    InvalidBaseUrl {
        /// The URL given.
        url: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The API key cannot travel in an HTTP header (control or non-ASCII
    /// characters, or empty).
    #[error("the API key cannot be sent as an HTTP header value")]
    InvalidApiKey,
    /// The user agent cannot travel in an HTTP header.
    #[error("invalid user agent: {0:?}")]
    InvalidUserAgent(String),
    /// The HTTP client itself could not be set up (TLS back end).
    #[error("the HTTP client could not be set up")]
    Client(#[source] reqwest::Error),
}

/// Builds a [`WixHttpClient`].
///
/// Defaults: base URL [`DEFAULT_BASE_URL`], no default account (then every call
/// must name one in [`Call::account_id`](reseller_ports::Call)), connect timeout
/// 10 s, request timeout 30 s per attempt, idle pooled connections closed after
/// [`DEFAULT_POOL_IDLE_TIMEOUT`] (5 s), [`RetryPolicy::default`], user agent
/// [`DEFAULT_USER_AGENT`], random (v4 UUID) idempotency keys.
///
/// Why the pool's idle timeout is short (the HTTP library keeps idle connections
/// 90 s unless told): a server closes a keep-alive connection that stays idle past
/// its own idle timeout (the emulator after its header timeout, 10 s by default).
/// A request sent on a pooled connection at the moment the server closes it is
/// lost after sending, an `OutcomeUnknown` instead of an answer, which an unkeyed
/// mutation (Transfer Site, Create Account, Update Package External Id) does not
/// survive. Dropping idle connections first avoids the race; keep the timeout
/// below the idle close of whatever server or proxy the client talks to.
///
/// ```
/// use std::time::Duration;
/// use adapter_wix_http::WixHttpClient;
/// use reseller_ports::ApiKey;
///
/// let client = WixHttpClient::builder(ApiKey::new("IST.secret"))
///     .base_url("http://127.0.0.1:8686")
///     .connect_timeout(Duration::from_secs(2))
///     .build()?;
/// assert!(!format!("{client:?}").contains("IST.secret"));
/// # Ok::<(), adapter_wix_http::BuildError>(())
/// ```
#[must_use = "a builder does nothing until `build` is called"]
pub struct WixHttpClientBuilder {
    base_url: String,
    api_key: ApiKey,
    account: Option<AccountId>,
    connect_timeout: Duration,
    request_timeout: Duration,
    pool_idle_timeout: Duration,
    retry: RetryPolicy,
    user_agent: String,
    ids: Arc<dyn IdGenerator>,
}

impl fmt::Debug for WixHttpClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WixHttpClientBuilder")
            .field("base_url", &self.base_url)
            .field("api_key", &self.api_key)
            .field("account", &self.account)
            .field("connect_timeout", &self.connect_timeout)
            .field("request_timeout", &self.request_timeout)
            .field("pool_idle_timeout", &self.pool_idle_timeout)
            .field("retry", &self.retry)
            .field("user_agent", &self.user_agent)
            .finish_non_exhaustive()
    }
}

impl WixHttpClientBuilder {
    pub(crate) fn new(api_key: ApiKey) -> Self {
        Self {
            base_url: DEFAULT_BASE_URL.to_owned(),
            api_key,
            account: None,
            connect_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(30),
            pool_idle_timeout: DEFAULT_POOL_IDLE_TIMEOUT,
            retry: RetryPolicy::default(),
            user_agent: DEFAULT_USER_AGENT.to_owned(),
            ids: Arc::new(RandomIds),
        }
    }

    /// Where the API lives: Wix, or an emulator (`http://127.0.0.1:8686`). A path
    /// is kept as a prefix of every endpoint path.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into();
        self
    }

    /// The `wix-account-id` of calls whose [`Call`](reseller_ports::Call) names none.
    pub fn account(mut self, account: AccountId) -> Self {
        self.account = Some(account);
        self
    }

    /// How long establishing a connection may take.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// How long one attempt may take, from connecting to the end of the answer's
    /// body (cut further by what is left of the retry policy's budget).
    pub fn request_timeout(mut self, timeout: Duration) -> Self {
        self.request_timeout = timeout;
        self
    }

    /// How long a connection may stay idle in the pool before it is closed
    /// (default [`DEFAULT_POOL_IDLE_TIMEOUT`]). Keep it below the idle close of
    /// the server (or proxy) the client talks to, so the client never sends on a
    /// connection the server is closing; `Duration::ZERO` reuses no connection.
    pub fn pool_idle_timeout(mut self, timeout: Duration) -> Self {
        self.pool_idle_timeout = timeout;
        self
    }

    /// The retry policy.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// The `User-Agent` header.
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// Where generated idempotency keys come from (a deterministic source in tests).
    pub fn ids(mut self, ids: Arc<dyn IdGenerator>) -> Self {
        self.ids = ids;
        self
    }

    /// The client.
    ///
    /// # Errors
    /// [`BuildError`] for a base URL that is not absolute `http`/`https`, or carries
    /// credentials, a query or a fragment; an API key or user agent that cannot be
    /// a header value; a TLS set-up failure.
    pub fn build(self) -> Result<WixHttpClient, BuildError> {
        let base_url = parse_base_url(&self.base_url)?;
        let mut authorization =
            HeaderValue::from_str(self.api_key.expose()).map_err(|_| BuildError::InvalidApiKey)?;
        if authorization.is_empty() {
            return Err(BuildError::InvalidApiKey);
        }
        authorization.set_sensitive(true);
        let user_agent = HeaderValue::from_str(&self.user_agent)
            .map_err(|_| BuildError::InvalidUserAgent(self.user_agent.clone()))?;
        let http = reqwest::Client::builder()
            .connect_timeout(self.connect_timeout)
            .pool_idle_timeout(self.pool_idle_timeout)
            .user_agent(user_agent)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(BuildError::Client)?;
        Ok(WixHttpClient::from_parts(crate::transport::Parts {
            http,
            base_url,
            authorization,
            account: self.account,
            request_timeout: self.request_timeout,
            pool_idle_timeout: self.pool_idle_timeout,
            retry: self.retry,
            ids: self.ids,
        }))
    }
}

/// Checks a base URL: absolute `http`/`https`, a host, no credentials (they would
/// show in errors and logs), no query, no fragment.
fn parse_base_url(text: &str) -> Result<Url, BuildError> {
    let invalid = |reason: &str| BuildError::InvalidBaseUrl {
        url: text.to_owned(),
        reason: reason.to_owned(),
    };
    let url = Url::parse(text).map_err(|e| BuildError::InvalidBaseUrl {
        url: text.to_owned(),
        reason: e.to_string(),
    })?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(invalid("the scheme must be http or https"));
    }
    if url.cannot_be_a_base() || url.host_str().is_none() {
        return Err(invalid("it must name a host"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(BuildError::InvalidBaseUrl {
            url: "<redacted: it carries credentials>".to_owned(),
            reason: "credentials do not belong in the base URL".to_owned(),
        });
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(invalid("it must have no query and no fragment"));
    }
    Ok(url)
}
