//! Shared helpers of the emulator's black-box tests (`control_api`, `choices`,
//! `fuzz`): a running emulator on a free port, a small JSON client over reqwest,
//! the demo seed's ids, and assertions on Wix's error shape (spec section 8.1).

#![allow(dead_code)]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use reqwest::Method;
use reseller_emulator::{DEMO_API_KEY, Emulator, Running, demo};
use serde_json::{Value, json};

/// The demo seed's main account (strategic partner).
pub(crate) const MAIN: &str = reseller_emulator::DEMO_MAIN_ACCOUNT;
/// The demo seed's first sub-account (Bakery Co).
pub(crate) const SUB1: &str = demo::BAKERY_CO_ID;
/// The demo seed's second sub-account (Florist Ltd).
pub(crate) const SUB2: &str = demo::FLORIST_LTD_ID;
/// A site of the main account.
pub(crate) const SITE_MAIN: &str = demo::ACME_SHOWCASE_ID;
/// A second site of the main account.
pub(crate) const SITE_MAIN_2: &str = demo::BAKERY_ID;
/// The site of SUB1.
pub(crate) const SITE_SUB1: &str = demo::BAKERY_BLOG_ID;
/// The site of SUB2.
pub(crate) const SITE_SUB2: &str = demo::FLORIST_ID;
/// The main account's site with a paid service bought outside the reseller flow.
pub(crate) const SITE_LEGACY: &str = demo::LEGACY_SHOP_ID;
/// Premium plan "Business Unlimited" (monthly or yearly).
pub(crate) const PLAN_BUSINESS: &str = reseller_emulator::DEMO_PREMIUM_PLAN;
/// Premium plan "Core" (monthly or yearly).
pub(crate) const PLAN_CORE: &str = demo::CORE_ID;
/// A domain (yearly; needs a premium plan on the site).
pub(crate) const DOMAIN: &str = demo::DOMAIN_ID;
/// The voucher domain (yearly; needs a premium plan on the site).
pub(crate) const VOUCHER_DOMAIN: &str = demo::DOMAIN_VOUCHER_ID;
/// Ascend (monthly or yearly).
pub(crate) const ASCEND: &str = demo::ASCEND_BUSINESS_ID;
/// Business mailbox (monthly only, at most 5 subscriptions).
pub(crate) const MAILBOX: &str = demo::MAILBOX_ID;
/// The demo key (every scope, on MAIN).
pub(crate) const KEY: &str = DEMO_API_KEY;
/// A GUID that names nothing in the demo seed.
pub(crate) const NOBODY: &str = "00000000-0000-4000-8000-00000000dead";

/// The four Wix permission ids of the control API's keys.
pub(crate) const ALL_SCOPES: [&str; 5] = [
    "premium.reseller-package.read",
    "premium.reseller-package.manage",
    "b2b-site-management.manage",
    "accounts.manage",
    "domains.manage",
];

/// A yearly recurring cycle.
pub(crate) fn yearly() -> Value {
    json!({"type": "RECURRING", "cycleDuration": {"unit": "YEAR", "count": 1}})
}

/// A monthly recurring cycle.
pub(crate) fn monthly() -> Value {
    json!({"type": "RECURRING", "cycleDuration": {"unit": "MONTH", "count": 1}})
}

/// An answer: status, headers and the body read as JSON (`Null` when empty or not JSON).
#[derive(Debug)]
pub(crate) struct Answer {
    pub(crate) status: u16,
    pub(crate) headers: reqwest::header::HeaderMap,
    pub(crate) text: String,
    pub(crate) body: Value,
}

impl Answer {
    /// `details.applicationError.code`, when present.
    pub(crate) fn code(&self) -> Option<&str> {
        self.body["details"]["applicationError"]["code"].as_str()
    }

    /// `details.validationError.fieldViolations`.
    pub(crate) fn violations(&self) -> Vec<Value> {
        self.body["details"]["validationError"]["fieldViolations"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    }

    /// `package.productInstances[0].instanceId` of a mutation's answer.
    pub(crate) fn first_instance(&self) -> String {
        self.body["package"]["productInstances"][0]["instanceId"]
            .as_str()
            .unwrap_or_else(|| panic!("no instance in {}", self.text))
            .to_owned()
    }

    /// `package.id` of a mutation's answer.
    pub(crate) fn package_id(&self) -> String {
        self.body["package"]["id"]
            .as_str()
            .unwrap_or_else(|| panic!("no package in {}", self.text))
            .to_owned()
    }

    /// Panics unless the status is `status`.
    #[track_caller]
    pub(crate) fn expect_status(&self, status: u16) -> &Self {
        assert_eq!(self.status, status, "unexpected answer: {}", self.text);
        self
    }

    /// Panics unless this is `status` with `details.applicationError.code` `code`.
    #[track_caller]
    pub(crate) fn expect_app(&self, status: u16, code: &str) -> &Self {
        assert_eq!(self.status, status, "unexpected answer: {}", self.text);
        assert_wix_error(&self.body);
        assert_eq!(self.code(), Some(code), "unexpected body: {}", self.text);
        self
    }

    /// Panics unless this is 400 with a field violation on `field` with `rule`.
    #[track_caller]
    pub(crate) fn expect_violation(&self, field: &str, rule: &str) -> &Self {
        assert_eq!(self.status, 400, "unexpected answer: {}", self.text);
        assert_wix_error(&self.body);
        let found = self.violations().iter().any(|v| {
            v["field"].as_str() == Some(field) && v["violatedRule"].as_str() == Some(rule)
        });
        assert!(found, "no {rule} violation on {field} in {}", self.text);
        self
    }
}

/// Panics unless `body` has Wix's error shape: `message` a string, `details` an
/// object holding at most one of `applicationError` and `validationError`.
#[track_caller]
pub(crate) fn assert_wix_error(body: &Value) {
    assert!(body["message"].is_string(), "no message string in {body}");
    let details = body["details"]
        .as_object()
        .unwrap_or_else(|| panic!("no details object in {body}"));
    let kinds = usize::from(details.contains_key("applicationError"))
        + usize::from(details.contains_key("validationError"));
    assert!(kinds <= 1, "both error kinds in {body}");
    if let Some(app) = details.get("applicationError") {
        assert!(
            app["code"].is_string(),
            "applicationError without code: {body}"
        );
    }
    if let Some(v) = details.get("validationError") {
        let list = v["fieldViolations"]
            .as_array()
            .unwrap_or_else(|| panic!("validationError without fieldViolations: {body}"));
        assert!(!list.is_empty(), "empty fieldViolations: {body}");
        for f in list {
            assert!(f["field"].is_string(), "violation without field: {body}");
            assert!(
                f["violatedRule"].is_string(),
                "violation without rule: {body}"
            );
        }
    }
}

/// A running emulator and a client to talk to it.
pub(crate) struct Emu {
    pub(crate) emulator: Emulator,
    pub(crate) running: Running,
    pub(crate) base: String,
    pub(crate) http: reqwest::Client,
    /// Sent as `Authorization: Bearer` on control calls, when set.
    pub(crate) admin: Option<String>,
}

impl Emu {
    /// An empty in-memory emulator on a free port.
    pub(crate) async fn empty() -> Self {
        Self::start(Emulator::in_memory()).await
    }

    /// An in-memory emulator with the demo seed, on a free port.
    pub(crate) async fn demo() -> Self {
        let emulator = Emulator::in_memory();
        assert!(emulator.load_demo_seed_if_empty().await.unwrap());
        Self::start(emulator).await
    }

    /// Serves `emulator` on a free port.
    pub(crate) async fn start(emulator: Emulator) -> Self {
        let running = emulator
            .clone()
            .spawn("127.0.0.1:0".parse().unwrap())
            .await
            .unwrap();
        let base = running.base_url();
        let http = reqwest::Client::builder()
            .timeout(std::time::Duration::from_secs(30))
            .build()
            .unwrap();
        Self {
            emulator,
            running,
            base,
            http,
            admin: None,
        }
    }

    /// Sends `method path` with `headers` and `body` (JSON) and reads the answer.
    pub(crate) async fn send(
        &self,
        method: Method,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<&Value>,
    ) -> Answer {
        self.try_send(method, path, headers, body)
            .await
            .unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    /// As [`Emu::send`], with the transport error instead of a panic.
    pub(crate) async fn try_send(
        &self,
        method: Method,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<&Value>,
    ) -> Result<Answer, reqwest::Error> {
        let mut request = self.http.request(method, format!("{}{path}", self.base));
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        if let Some(body) = body {
            request = request
                .header("content-type", "application/json")
                .body(serde_json::to_vec(body).unwrap());
        }
        let response = request.send().await?;
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let text = response.text().await?;
        let body = serde_json::from_str(&text).unwrap_or(Value::Null);
        Ok(Answer {
            status,
            headers,
            text,
            body,
        })
    }

    /// A control call (`/_emulator/...`), with the admin token when set.
    pub(crate) async fn control(&self, method: Method, path: &str, body: Option<Value>) -> Answer {
        let auth = self.admin.as_ref().map(|t| format!("Bearer {t}"));
        let headers: Vec<(&str, &str)> = auth
            .as_deref()
            .map(|a| vec![("authorization", a)])
            .unwrap_or_default();
        self.send(
            method,
            &format!("/_emulator{path}"),
            &headers,
            body.as_ref(),
        )
        .await
    }

    /// A Wix call with `key` (raw, in `Authorization`) for `account`.
    pub(crate) async fn wix_as(
        &self,
        key: &str,
        account: &str,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> Answer {
        self.send(
            method,
            path,
            &[("authorization", key), ("wix-account-id", account)],
            body.as_ref(),
        )
        .await
    }

    /// A Wix call with the demo key for `account`.
    pub(crate) async fn wix(
        &self,
        account: &str,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> Answer {
        self.wix_as(KEY, account, method, path, body).await
    }

    /// Creates a package of one product with the demo key; panics unless 200.
    pub(crate) async fn create(&self, account: &str, product: Value) -> Answer {
        let a = self
            .wix(
                account,
                Method::POST,
                "/resellers/v2/packages",
                Some(json!({"products": [product]})),
            )
            .await;
        a.expect_status(200);
        a
    }

    /// Creates a floating yearly Business Unlimited package; answers `(package, instance)`.
    pub(crate) async fn create_plan(&self, account: &str) -> (String, String) {
        let a = self
            .create(
                account,
                json!({"catalogProductId": PLAN_BUSINESS, "countryCode": "US", "billingInfo": yearly()}),
            )
            .await;
        (a.package_id(), a.first_instance())
    }

    /// Get Package with the demo key.
    pub(crate) async fn get_package(&self, account: &str, id: &str) -> Answer {
        self.wix(
            account,
            Method::GET,
            &format!("/resellers/v1/packages/{id}"),
            None,
        )
        .await
    }

    /// Adds an API key through the control API; answers its text.
    pub(crate) async fn add_key(&self, account: &str, scopes: Option<&[&str]>) -> String {
        let body = match scopes {
            None => json!({"accountId": account}),
            Some(s) => json!({"accountId": account, "scopes": s}),
        };
        let a = self.control(Method::POST, "/api-keys", Some(body)).await;
        a.expect_status(201);
        a.body["key"].as_str().unwrap().to_owned()
    }

    /// Adds an account through the control API; answers its id.
    pub(crate) async fn add_account(&self, parent: Option<&str>) -> String {
        let body = match parent {
            None => json!({"strategicPartner": true}),
            Some(p) => json!({"parentAccountId": p}),
        };
        let a = self.control(Method::POST, "/accounts", Some(body)).await;
        a.expect_status(201);
        a.body["id"].as_str().unwrap().to_owned()
    }

    /// Adds a site of `account` through the control API; answers its id.
    pub(crate) async fn add_site(&self, account: &str) -> String {
        let a = self
            .control(Method::POST, "/sites", Some(json!({"accountId": account})))
            .await;
        a.expect_status(201);
        a.body["id"].as_str().unwrap().to_owned()
    }

    /// Moves the emulated clock forward by `ms`; answers `now`.
    pub(crate) async fn advance(&self, ms: i64) -> String {
        let a = self
            .control(Method::POST, "/clock", Some(json!({"advanceMs": ms})))
            .await;
        a.expect_status(200);
        a.body["now"].as_str().unwrap().to_owned()
    }

    /// Puts the provisioning in manual mode (instances stay `PENDING`).
    pub(crate) async fn manual(&self) {
        self.control(
            Method::PUT,
            "/provisioning",
            Some(json!({"mode": "manual"})),
        )
        .await
        .expect_status(200);
    }

    /// Moves an instance's status through the control API.
    pub(crate) async fn move_to(&self, instance: &str, status: &str) -> Answer {
        self.control(
            Method::POST,
            &format!("/instances/{instance}/status"),
            Some(json!({"status": status})),
        )
        .await
    }

    /// The state document.
    pub(crate) async fn state(&self) -> Value {
        let a = self.control(Method::GET, "/state", None).await;
        a.expect_status(200);
        a.body
    }
}

/// Whether `text` is a GUID in the 8-4-4-4-12 form.
pub(crate) fn is_guid(text: &str) -> bool {
    let parts: Vec<&str> = text.split('-').collect();
    parts.len() == 5
        && parts
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(p, n)| p.len() == n && p.chars().all(|c| c.is_ascii_hexdigit()))
}
