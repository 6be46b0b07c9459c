//! The stub Wix: a small axum app on port 0 that records every request (method,
//! path, query, headers, body) and answers from a script of replies; plus servers
//! that misbehave on purpose, the docs fixtures, and a client pointed at a stub.

use std::collections::VecDeque;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use adapter_wix_http::{RetryPolicy, WixHttpClient, WixHttpClientBuilder};
use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use reseller_domain::AccountId;
use reseller_ports::{ApiKey, SequentialIds};
use tokio::io::AsyncReadExt;
use tokio::net::TcpListener;

/// The API key every test client sends.
pub(crate) const KEY: &str = "IST.eyJ0ZXN0LWtleSI6InRvcC1zZWNyZXQifQ";
/// The default account of every test client (substituted for `<ACCOUNT_ID>`).
pub(crate) const ACCOUNT: &str = "2250b761-b31c-853b-485b-76e9fc04bdc6";
/// Another account, for per-call overrides (substituted for `<SUB_ACCOUNT_ID>`).
pub(crate) const OTHER_ACCOUNT: &str = "0c87cd5d-4059-4e86-8f6e-d185b1e4a1bd";

pub(crate) fn account() -> AccountId {
    AccountId::parse(ACCOUNT).unwrap()
}

pub(crate) fn other_account() -> AccountId {
    AccountId::parse(OTHER_ACCOUNT).unwrap()
}

/// One request as the stub received it.
#[derive(Debug, Clone)]
pub(crate) struct Recorded {
    pub(crate) method: String,
    pub(crate) path: String,
    pub(crate) query: Option<String>,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Vec<u8>,
}

impl Recorded {
    /// A header's value, when present exactly once.
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        let mut values = self.headers.get_all(name).iter();
        let first = values.next()?;
        assert!(values.next().is_none(), "header {name} sent twice");
        Some(first.to_str().unwrap())
    }

    /// The body as JSON (`Null` when empty).
    pub(crate) fn json(&self) -> serde_json::Value {
        if self.body.is_empty() {
            serde_json::Value::Null
        } else {
            serde_json::from_slice(&self.body).unwrap()
        }
    }

    /// The `idempotencyKey` of the body.
    pub(crate) fn idempotency_key(&self) -> String {
        self.json()["idempotencyKey"]
            .as_str()
            .unwrap_or_else(|| panic!("no idempotencyKey in {}", self.json()))
            .to_owned()
    }

    /// Asserts the headers every Wix call carries: the raw key, the account, JSON.
    pub(crate) fn assert_wix_headers(&self, account: &str) {
        assert_eq!(
            self.header("authorization"),
            Some(KEY),
            "raw key, no scheme"
        );
        assert_eq!(self.header("wix-account-id"), Some(account));
        assert_eq!(self.header("content-type"), Some("application/json"));
        assert!(self.header("wix-site-id").is_none());
        assert!(self.header("user-agent").is_some());
    }
}

/// One scripted answer.
#[derive(Debug, Clone)]
pub(crate) struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
    delay: Duration,
}

impl Reply {
    /// `status` with a JSON body.
    pub(crate) fn json(status: u16, body: &serde_json::Value) -> Self {
        Self {
            status,
            headers: vec![("content-type".to_owned(), "application/json".to_owned())],
            body: body.to_string(),
            delay: Duration::ZERO,
        }
    }

    /// 200 with a JSON body.
    pub(crate) fn ok(body: &serde_json::Value) -> Self {
        Self::json(200, body)
    }

    /// `status` with a Wix application error.
    pub(crate) fn wix_error(status: u16, code: &str, message: &str) -> Self {
        Self::json(
            status,
            &serde_json::json!({"message": message,
                "details": {"applicationError": {"code": code, "description": message}}}),
        )
    }

    /// `status` with Wix's system-error body.
    pub(crate) fn system(status: u16) -> Self {
        Self::json(status, &serde_json::json!({"message": "", "details": {}}))
    }

    /// `status` with a body of another kind.
    pub(crate) fn text(status: u16, content_type: &str, body: &str) -> Self {
        Self {
            status,
            headers: vec![("content-type".to_owned(), content_type.to_owned())],
            body: body.to_owned(),
            delay: Duration::ZERO,
        }
    }

    /// Adds a header.
    pub(crate) fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    /// Answers only after `delay` (the request is recorded at once).
    pub(crate) fn after(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }
}

#[derive(Default)]
struct Script {
    replies: VecDeque<Reply>,
    otherwise: Option<Reply>,
    requests: Vec<Recorded>,
}

/// A running stub.
#[derive(Clone)]
pub(crate) struct Stub {
    base: String,
    script: Arc<Mutex<Script>>,
}

impl Stub {
    /// Starts a stub on a free port of the loopback interface.
    pub(crate) async fn start() -> Self {
        let script = Arc::new(Mutex::new(Script::default()));
        let app = Router::new()
            .fallback(answer)
            .with_state(Arc::clone(&script));
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        Self { base, script }
    }

    /// The base URL.
    pub(crate) fn base(&self) -> &str {
        &self.base
    }

    /// Queues `reply` as the answer to the next unanswered request.
    pub(crate) fn then(&self, reply: Reply) -> &Self {
        self.script.lock().unwrap().replies.push_back(reply);
        self
    }

    /// The answer once the queue is empty (else 599 "unscripted").
    pub(crate) fn otherwise(&self, reply: Reply) -> &Self {
        self.script.lock().unwrap().otherwise = Some(reply);
        self
    }

    /// Every request received so far, in order.
    pub(crate) fn requests(&self) -> Vec<Recorded> {
        self.script.lock().unwrap().requests.clone()
    }

    /// The only request received.
    pub(crate) fn only_request(&self) -> Recorded {
        let requests = self.requests();
        assert_eq!(requests.len(), 1, "{requests:#?}");
        requests.into_iter().next().unwrap()
    }

    /// A client of this stub: key [`KEY`], default account [`ACCOUNT`], sequential
    /// idempotency keys, short timeouts, and a quick retry policy.
    pub(crate) fn client(&self) -> WixHttpClientBuilder {
        client_of(&self.base)
    }
}

/// The test client for `base`.
pub(crate) fn client_of(base: &str) -> WixHttpClientBuilder {
    WixHttpClient::builder(ApiKey::new(KEY))
        .base_url(base)
        .account(account())
        .ids(Arc::new(SequentialIds::new(7)))
        .connect_timeout(Duration::from_secs(2))
        .request_timeout(Duration::from_secs(5))
        .retry(quick_retries())
}

/// 4 attempts, 1 to 20 ms backoff, 10 s budget.
pub(crate) fn quick_retries() -> RetryPolicy {
    RetryPolicy::default()
        .with_max_attempts(4)
        .with_backoff(Duration::from_millis(1), Duration::from_millis(20))
        .with_budget(Duration::from_secs(10))
}

async fn answer(State(script): State<Arc<Mutex<Script>>>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let body = axum::body::to_bytes(body, usize::MAX)
        .await
        .unwrap()
        .to_vec();
    let reply = {
        let mut script = script.lock().unwrap();
        script.requests.push(Recorded {
            method: parts.method.to_string(),
            path: parts.uri.path().to_owned(),
            query: parts.uri.query().map(str::to_owned),
            headers: parts.headers,
            body,
        });
        script
            .replies
            .pop_front()
            .or_else(|| script.otherwise.clone())
            .unwrap_or_else(|| Reply::text(599, "text/plain", "unscripted"))
    };
    tokio::time::sleep(reply.delay).await;
    let mut response = Response::builder().status(StatusCode::from_u16(reply.status).unwrap());
    for (name, value) in &reply.headers {
        response = response.header(name, value);
    }
    response.body(Body::from(reply.body)).unwrap()
}

/// A server that reads each request and hangs up without answering; answers its
/// base URL.
pub(crate) async fn hang_up_server() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else {
                return;
            };
            let mut buffer = [0_u8; 4096];
            let _ = socket.read(&mut buffer).await;
            drop(socket);
        }
    });
    base
}

/// A base URL where nothing listens (connections are refused).
pub(crate) async fn closed_port() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    base
}

/// The docs fixtures folder of the workspace.
pub(crate) fn fixtures_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/wix-docs")
}

/// One docs fixture, placeholders replaced by real ids.
pub(crate) fn fixture(relative: &str) -> serde_json::Value {
    let path = fixtures_dir().join(relative);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    let text = text
        .replace("<ACCOUNT_ID>", ACCOUNT)
        .replace("<SUB_ACCOUNT_ID>", OTHER_ACCOUNT);
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path:?}: {e}"))
}

/// `response.body` of a docs fixture.
pub(crate) fn docs_answer(relative: &str) -> serde_json::Value {
    let body = fixture(relative)["response"]["body"].clone();
    assert!(!body.is_null(), "{relative} has no response body");
    body
}

/// `request.body` of a docs fixture.
pub(crate) fn docs_request(relative: &str) -> serde_json::Value {
    let body = fixture(relative)["request"]["body"].clone();
    assert!(!body.is_null(), "{relative} has no request body");
    body
}
