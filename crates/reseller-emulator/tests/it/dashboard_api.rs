//! The dashboard's HTTP side, without a browser: its page and files (public, with
//! their content security policy), its reads under `/_emulator/ui/api/` (behind the
//! admin token, not written to the request log), the Packages view's search and
//! cursors, the account tree's holdings, the request log's filters and kept bodies
//! (capped, API keys redacted), and removing one fault rule.

use reqwest::{Method, StatusCode};
use reseller_emulator::{DEMO_API_KEY, DEMO_MAIN_ACCOUNT, DEMO_PREMIUM_PLAN, Emulator, Running};
use serde_json::{Value, json};

const SUB1: &str = "a1000000-0000-4000-8000-000000000002";
const SHOWCASE: &str = "51000000-0000-4000-8000-000000000001";
const BAKERY_BLOG: &str = "51000000-0000-4000-8000-000000000003";

struct Emu {
    emulator: Emulator,
    running: Running,
    http: reqwest::Client,
    token: Option<&'static str>,
}

impl Emu {
    async fn start(token: Option<&'static str>) -> Self {
        let emulator = Emulator::in_memory().with_admin_token(token.map(str::to_owned));
        emulator.load_demo_seed_if_empty().await.unwrap();
        let running = emulator
            .clone()
            .spawn("127.0.0.1:0".parse().unwrap())
            .await
            .unwrap();
        Self {
            emulator,
            running,
            http: reqwest::Client::new(),
            token,
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.running.base_url())
    }

    /// A control or dashboard call, with the admin token when there is one.
    async fn control(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let mut request = self.http.request(method, self.url(path));
        if let Some(token) = self.token {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.unwrap();
        let status = response.status();
        (status, response.json().await.unwrap_or(Value::Null))
    }

    async fn get(&self, path: &str) -> Value {
        let (status, body) = self.control(Method::GET, path, None).await;
        assert_eq!(status, StatusCode::OK, "{path}: {body}");
        body
    }

    /// A Wix call with the demo key on `account`.
    async fn wix(
        &self,
        method: Method,
        path: &str,
        account: &str,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let mut request = self
            .http
            .request(method, self.url(path))
            .header("Authorization", DEMO_API_KEY)
            .header("wix-account-id", account);
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.unwrap();
        let status = response.status();
        (status, response.json().await.unwrap_or(Value::Null))
    }

    async fn create(&self, account: &str, external: &str, site: &str) -> Value {
        let (status, body) = self
            .wix(
                Method::POST,
                "/resellers/v2/packages",
                account,
                Some(json!({
                    "externalId": external,
                    "products": [{
                        "catalogProductId": DEMO_PREMIUM_PLAN,
                        "countryCode": "US",
                        "billingInfo": {"type": "RECURRING", "cycleDuration": {"unit": "YEAR", "count": 1}},
                        "siteId": site,
                    }],
                })),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        body["package"].clone()
    }
}

#[tokio::test]
async fn the_page_and_its_files_are_public_and_the_data_needs_the_token() {
    let emu = Emu::start(Some("t0ken")).await;
    let page = emu
        .http
        .get(emu.url("/_emulator/ui/"))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let policy = page.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        policy.contains("default-src 'none'") && policy.contains("script-src 'self'"),
        "{policy}"
    );
    let html = page.text().await.unwrap();
    for link in [
        "#/accounts",
        "#/packages",
        "#/requests",
        "#/faults",
        "#/clock",
        "#/seed",
    ] {
        assert!(html.contains(link), "{link}");
    }
    for text in [
        ">Accounts<",
        ">Packages<",
        ">Requests<",
        ">Faults<",
        ">Clock<",
        ">Seed and state<",
    ] {
        assert!(html.contains(text), "the navigation has {text}");
    }
    let script = emu
        .http
        .get(emu.url("/_emulator/ui/assets/app.js"))
        .send()
        .await
        .unwrap();
    assert_eq!(script.status(), StatusCode::OK);
    assert!(
        script.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/javascript")
    );
    let missing = emu
        .http
        .get(emu.url("/_emulator/ui/assets/nope.js"))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    let bare = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .get(emu.url("/_emulator/ui"))
        .send()
        .await
        .unwrap();
    assert_eq!(bare.status(), StatusCode::PERMANENT_REDIRECT);
    assert_eq!(bare.headers()["location"], "/_emulator/ui/");

    let anonymous = emu
        .http
        .get(emu.url("/_emulator/ui/api/packages"))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
    let wrong = emu
        .http
        .get(emu.url("/_emulator/ui/api/overview"))
        .bearer_auth("guess")
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    let overview = emu.get("/_emulator/ui/api/overview").await;
    assert_eq!(overview["accounts"], 3);
    assert_eq!(overview["adminToken"], true);
    assert!(!overview.to_string().contains("t0ken"));
}

#[tokio::test]
async fn the_dashboards_reads_are_not_logged() {
    let emu = Emu::start(None).await;
    for path in [
        "/_emulator/ui/",
        "/_emulator/ui/assets/style.css",
        "/_emulator/ui/api/overview",
        "/_emulator/ui/api/accounts",
        "/_emulator/ui/api/packages",
        "/_emulator/ui/api/requests",
        "/_emulator/ui/api/faults",
    ] {
        let (status, _) = emu.control(Method::GET, path, None).await;
        assert_eq!(status, StatusCode::OK, "{path}");
    }
    assert!(
        emu.emulator.requests(100).is_empty(),
        "{:?}",
        emu.emulator.requests(100)
    );
}

#[tokio::test]
async fn packages_are_listed_newest_first_across_accounts_paged_and_searchable() {
    let emu = Emu::start(None).await;
    let mut made = Vec::new();
    for i in 0..5 {
        // The showcase site takes one plan at a time: cancel each before the next.
        let p = emu
            .create(DEMO_MAIN_ACCOUNT, &format!("order-{i}"), SHOWCASE)
            .await;
        let (status, _) = emu
            .wix(
                Method::DELETE,
                &format!("/resellers/v1/packages/{}", p["id"].as_str().unwrap()),
                DEMO_MAIN_ACCOUNT,
                Some(json!({})),
            )
            .await;
        assert_eq!(status, StatusCode::OK);
        made.push(p);
    }
    let sub = emu.create(SUB1, "sub-order", BAKERY_BLOG).await;
    made.push(sub.clone());

    let first = emu.get("/_emulator/ui/api/packages?limit=4").await;
    let ids: Vec<&str> = first["packages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap())
        .collect();
    let mut newest: Vec<&str> = made
        .iter()
        .rev()
        .map(|p| p["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, newest[..4], "newest first, every account");
    assert_eq!(first["total"], 6);
    assert_eq!(first["accountNames"][SUB1], "Customer 1: Bakery Co");
    assert_eq!(first["siteNames"][BAKERY_BLOG], "bakery-blog");
    assert_eq!(
        first["productNames"][DEMO_PREMIUM_PLAN],
        "Business Unlimited"
    );
    let cursor = first["nextCursor"].as_str().unwrap();
    let second = emu
        .get(&format!("/_emulator/ui/api/packages?cursor={cursor}"))
        .await;
    let rest: Vec<&str> = second["packages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap())
        .collect();
    assert_eq!(rest, newest.split_off(4));
    assert!(second["nextCursor"].is_null());

    let one = |v: &Value| -> Vec<String> {
        v["packages"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["id"].as_str().unwrap().to_owned())
            .collect()
    };
    let sub_id = sub["id"].as_str().unwrap().to_owned();
    let instance = sub["productInstances"][0]["instanceId"].as_str().unwrap();
    for search in [
        "sub-order".to_owned(),
        sub_id.clone(),
        sub_id.to_uppercase(),
        instance.to_owned(),
        BAKERY_BLOG.to_owned(),
        "bakery-blog".to_owned(),
        SUB1.to_owned(),
    ] {
        let found = emu
            .get(&format!("/_emulator/ui/api/packages?search={search}"))
            .await;
        assert_eq!(
            one(&found),
            std::slice::from_ref(&sub_id),
            "search {search}"
        );
    }
    let none = emu
        .get("/_emulator/ui/api/packages?search=no-such-order")
        .await;
    assert!(one(&none).is_empty());
    let (status, body) = emu
        .control(Method::GET, "/_emulator/ui/api/packages?limit=101", None)
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    let (status, body) = emu
        .control(
            Method::GET,
            "/_emulator/ui/api/packages?cursor=garbage",
            None,
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");

    let detail = emu
        .get(&format!("/_emulator/ui/api/packages/{sub_id}"))
        .await;
    assert_eq!(detail["answer"]["package"]["id"], sub_id.as_str());
    let (_, got) = emu
        .wix(
            Method::GET,
            &format!("/resellers/v1/packages/{sub_id}"),
            SUB1,
            None,
        )
        .await;
    assert_eq!(detail["answer"], got, "the detail is Get Package's answer");
    let (status, _) = emu
        .control(Method::GET, "/_emulator/ui/api/packages/not-a-guid", None)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_account_tree_shows_every_account_with_its_holdings() {
    let emu = Emu::start(None).await;
    let (status, _) = emu
        .control(
            Method::PUT,
            "/_emulator/provisioning",
            Some(json!({"mode": "manual"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let p = emu.create(SUB1, "tree-order", BAKERY_BLOG).await;
    let instance = p["productInstances"][0]["instanceId"].as_str().unwrap();
    let id = p["id"].as_str().unwrap();
    let detail = emu.get(&format!("/_emulator/ui/api/packages/{id}")).await;
    assert_eq!(
        detail["moves"][instance],
        json!(["AWAITING_ACTION", "ENABLED", "FAILED", "CANCELED"]),
        "a pending instance's moves"
    );
    let (status, body) = emu
        .control(
            Method::POST,
            &format!("/_emulator/instances/{instance}/status"),
            Some(json!({"status": "FAILED", "failure": {"code": "UNKNOWN", "message": "no"}})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let detail = emu.get(&format!("/_emulator/ui/api/packages/{id}")).await;
    assert_eq!(
        detail["moves"][instance],
        json!([]),
        "FAILED never changes again"
    );
    let tree = emu.get("/_emulator/ui/api/accounts").await;
    assert_eq!(tree["total"], 3);
    let rows = tree["accounts"].as_array().unwrap();
    assert_eq!(
        rows[0]["account"]["id"], DEMO_MAIN_ACCOUNT,
        "the main account first"
    );
    assert!(
        rows[1..]
            .iter()
            .all(|r| r["account"]["parentAccountId"] == DEMO_MAIN_ACCOUNT)
    );
    let sub = rows.iter().find(|r| r["account"]["id"] == SUB1).unwrap();
    assert_eq!(sub["packages"], 1);
    assert_eq!(sub["instances"], json!({"FAILED": 1}));
    assert_eq!(sub["siteCount"], 1);
    assert_eq!(sub["sites"][0]["name"], "bakery-blog");
    let page = emu.get("/_emulator/ui/api/accounts?offset=1&limit=1").await;
    assert_eq!(page["accounts"].as_array().unwrap().len(), 1);
    assert_eq!(page["total"], 3);
}

#[tokio::test]
async fn the_request_log_keeps_bodies_capped_and_without_keys() {
    let emu = Emu::start(None).await;
    // A key created through the control API: its answer holds the key.
    let (status, created) = emu
        .control(
            Method::POST,
            "/_emulator/api-keys",
            Some(json!({"accountId": SUB1, "key": "custom-secret-key-text"})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    // A Wix error, with a long body.
    let long = "x".repeat(10_000);
    let (status, _) = emu
        .wix(
            Method::POST,
            "/resellers/v2/packages",
            DEMO_MAIN_ACCOUNT,
            Some(json!({"externalId": long, "products": []})),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    emu.create(DEMO_MAIN_ACCOUNT, "logged-order", SHOWCASE)
        .await;

    let page = emu.get("/_emulator/ui/api/requests").await;
    let entries = page["requests"].as_array().unwrap();
    assert_eq!(entries.len(), 3);
    let seqs: Vec<u64> = entries.iter().map(|e| e["seq"].as_u64().unwrap()).collect();
    assert!(
        seqs.windows(2).all(|w| w[0] > w[1]),
        "newest first: {seqs:?}"
    );

    let emu = &emu;
    let detail =
        |seq: u64| async move { emu.get(&format!("/_emulator/ui/api/requests/{seq}")).await };
    let key = detail(seqs[2]).await;
    let text = key.to_string();
    assert!(!text.contains("custom-secret-key-text"), "{text}");
    assert!(
        key["requestBody"]["text"]
            .as_str()
            .unwrap()
            .contains("[redacted]")
    );
    assert!(key["responseBody"]["text"].as_str().unwrap().contains(SUB1));

    let refused = detail(seqs[1]).await;
    assert_eq!(refused["request"]["status"], 400);
    assert_eq!(refused["request"]["errorCode"], "INVALID_ARGUMENT");
    assert_eq!(refused["requestBody"]["truncated"], true);
    assert!(refused["requestBody"]["bytes"].as_u64().unwrap() > 10_000);
    assert!(refused["requestBody"]["text"].as_str().unwrap().len() <= 4096);
    assert!(
        refused["responseBody"]["text"]
            .as_str()
            .unwrap()
            .contains("externalId")
    );

    let created = detail(seqs[0]).await;
    assert!(
        created["responseBody"]["text"]
            .as_str()
            .unwrap()
            .contains("logged-order")
    );
    assert!(created["request"]["errorCode"].is_null());
    for seq in seqs {
        let all = detail(seq).await.to_string();
        assert!(
            !all.contains(DEMO_API_KEY) && !all.contains("emk_demo"),
            "{all}"
        );
    }

    // Filters: status class, account, path; paging by entry number.
    let only = |q: &'static str| async move {
        emu.get(&format!("/_emulator/ui/api/requests?{q}")).await["requests"]
            .as_array()
            .unwrap()
            .len()
    };
    assert_eq!(only("status=4xx").await, 1);
    assert_eq!(only("status=2xx").await, 2);
    assert_eq!(only("status=5xx").await, 0);
    assert_eq!(only("path=API-KEYS").await, 1);
    assert_eq!(
        only("account=a1000000-0000-4000-8000-000000000001").await,
        2
    );
    let first = emu.get("/_emulator/ui/api/requests?limit=2").await;
    let before = first["before"].as_u64().unwrap();
    let older = emu
        .get(&format!(
            "/_emulator/ui/api/requests?limit=2&before={before}"
        ))
        .await;
    assert_eq!(older["requests"].as_array().unwrap().len(), 1);
    assert!(older["before"].is_null());
    let (status, _) = emu
        .control(Method::GET, "/_emulator/ui/api/requests?status=6xx", None)
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, _) = emu
        .control(Method::GET, "/_emulator/ui/api/requests/999999", None)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn one_fault_rule_can_be_listed_and_removed() {
    let emu = Emu::start(None).await;
    let (status, added) = emu
        .control(
            Method::POST,
            "/_emulator/faults",
            Some(json!({"rules": [{"pathPrefix": "/resellers/", "status": 503, "times": 3}, {"method": "GET", "status": 429}]})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{added}");
    let listed = emu.get("/_emulator/ui/api/faults").await;
    let rules = listed["rules"].as_array().unwrap();
    assert_eq!(rules.len(), 2);
    assert_eq!(rules[0]["times"], 3);
    let first = rules[0]["id"].as_str().unwrap().to_owned();
    let (status, _) = emu
        .control(
            Method::DELETE,
            &format!("/_emulator/ui/api/faults/{first}"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = emu
        .control(
            Method::DELETE,
            &format!("/_emulator/ui/api/faults/{first}"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let listed = emu.get("/_emulator/ui/api/faults").await;
    assert_eq!(listed["rules"].as_array().unwrap().len(), 1);
    assert_eq!(listed["rules"][0]["status"], 429);
    // The remaining rule still applies; a used-up count shows.
    let (status, _) = emu
        .wix(
            Method::GET,
            "/resellers/v1/packages/x",
            DEMO_MAIN_ACCOUNT,
            None,
        )
        .await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
}
