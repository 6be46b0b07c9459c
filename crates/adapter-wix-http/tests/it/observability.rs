//! What the client shows of itself: one `wix_call` span per call with operation,
//! method, path, account, attempt, status and duration; and never the API key, in
//! logs, `Debug` output or errors.

use std::fmt::{self, Write as _};
use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use adapter_wix_http::{BuildError, RetryPolicy, WixHttpClient};
use reseller_domain::PackageId;
use reseller_ports::{ApiKey, Call, ResellerPackages};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};

use crate::support::{KEY, Reply, Stub, client_of, closed_port, docs_answer, hang_up_server};

/// A subscriber that writes every span, field record and event as a line of text.
#[derive(Clone, Default)]
struct Capture {
    lines: Arc<Mutex<Vec<String>>>,
    ids: Arc<AtomicU64>,
}

impl Capture {
    fn text(&self) -> String {
        self.lines.lock().unwrap().join("\n")
    }

    /// Forgets every line and restarts span ids at 1.
    fn clear(&self) {
        self.lines.lock().unwrap().clear();
        self.ids.store(0, Ordering::Relaxed);
    }

    fn push(&self, line: String) {
        self.lines.lock().unwrap().push(line);
    }
}

/// Writes fields as ` name=value` (values in their `Debug` form).
struct Fields<'a>(&'a mut String);

impl Visit for Fields<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        let _ = write!(self.0, " {}={value:?}", field.name());
    }
}

impl Subscriber for Capture {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }

    fn new_span(&self, span: &Attributes<'_>) -> Id {
        let id = self.ids.fetch_add(1, Ordering::Relaxed) + 1;
        let mut line = format!("span {id} {}:", span.metadata().name());
        span.record(&mut Fields(&mut line));
        self.push(line);
        Id::from_u64(id)
    }

    fn record(&self, span: &Id, values: &Record<'_>) {
        let mut line = format!("record {}:", span.into_u64());
        values.record(&mut Fields(&mut line));
        self.push(line);
    }

    fn record_follows_from(&self, _: &Id, _: &Id) {}

    fn event(&self, event: &Event<'_>) {
        let mut line = format!("event {}:", event.metadata().level());
        event.record(&mut Fields(&mut line));
        self.push(line);
    }

    fn enter(&self, _: &Id) {}

    fn exit(&self, _: &Id) {}
}

fn package_id() -> PackageId {
    PackageId::parse("828b98fb-7114-4b3c-90fd-8d0db76aa72b").unwrap()
}

/// Runs `scenario` twice under a capturing subscriber and answers what the second
/// run logged. Callsite interest is cached process-wide: a test thread without a
/// subscriber may register a callsite first and cache it as uninteresting, so the
/// first run registers every callsite the scenario reaches, the cache is rebuilt for
/// this thread's subscriber, and only the second run is kept.
async fn logged<F: Future<Output = ()>>(mut scenario: impl FnMut() -> F) -> String {
    let capture = Capture::default();
    let _guard = tracing::subscriber::set_default(capture.clone());
    scenario().await;
    tracing::callsite::rebuild_interest_cache();
    capture.clear();
    scenario().await;
    capture.text()
}

#[tokio::test]
async fn every_call_has_a_span_with_what_happened_and_no_key() {
    let stub = Stub::start().await;
    let client = stub.client().build().unwrap();

    let text = logged(|| async {
        stub.then(Reply::system(503).header("x-wix-request-id", "r-503"))
            .then(
                Reply::ok(&docs_answer("resellers/get-package.json"))
                    .header("x-wix-request-id", "r-ok"),
            )
            .then(Reply::wix_error(404, "PACKAGE_NOT_FOUND", "gone"));
        client
            .get_package(&Call::new(), package_id())
            .await
            .unwrap();
        client
            .cancel_package(&Call::new(), package_id())
            .await
            .unwrap_err();
    })
    .await;

    for expected in [
        "span 1 wix_call: operation=\"get_package\" method=GET",
        "path=\"/resellers/v1/packages/828b98fb-7114-4b3c-90fd-8d0db76aa72b\"",
        "account_id=2250b761-b31c-853b-485b-76e9fc04bdc6",
        "record 1: attempt=2",
        "record 1: status=503",
        "record 1: status=200",
        "record 1: request_id=\"r-ok\"",
        "record 1: duration_ms=",
        "record 1: outcome=\"ok\"",
        "retrying",
        "span 2 wix_call: operation=\"cancel_package\" method=DELETE",
        "idempotency_key=\"00000000-0000-0007-0000-000000000002\"",
        "record 2: status=404",
        "record 2: outcome=NotFound",
    ] {
        assert!(text.contains(expected), "{expected:?} not in\n{text}");
    }
    assert!(!text.contains(KEY), "the key is in the logs:\n{text}");
}

#[tokio::test]
async fn transport_failures_log_no_key_either() {
    let refused = client_of(&closed_port().await).build().unwrap();
    let hung_up = client_of(&hang_up_server().await)
        .retry(RetryPolicy::never())
        .build()
        .unwrap();
    let errors = Mutex::new(String::new());

    let text = logged(|| async {
        let not_sent = refused
            .get_package(&Call::new(), package_id())
            .await
            .unwrap_err();
        let unknown = hung_up
            .cancel_package(&Call::new(), package_id())
            .await
            .unwrap_err();
        *errors.lock().unwrap() = format!("{not_sent} {not_sent:?} {unknown} {unknown:?}");
    })
    .await;

    let errors = errors.into_inner().unwrap();
    for shown in [&text, &errors] {
        assert!(!shown.contains(KEY), "{shown}");
    }
    assert!(text.contains("outcome=NotSent"), "{text}");
    assert!(text.contains("outcome=OutcomeUnknown"), "{text}");
}

#[tokio::test]
async fn debug_of_the_client_builder_and_errors_never_shows_the_key() {
    let stub = Stub::start().await;
    stub.then(Reply::wix_error(401, "UNAUTHENTICATED", "unknown API key"));
    let builder = stub.client();
    let builder_shown = format!("{builder:?} {builder:#?}");
    let client = builder.build().unwrap();

    let e = client
        .get_package(&Call::new(), package_id())
        .await
        .unwrap_err();

    let shown = format!("{builder_shown} {client:?} {client:#?} {e} {e:?}");
    assert!(!shown.contains(KEY), "{shown}");
    assert!(shown.contains("<redacted>"));
    assert!(shown.contains(stub.base()), "the base URL is shown");
}

#[test]
fn build_errors_never_show_the_key_or_url_credentials() {
    let bad_key = WixHttpClient::builder(ApiKey::new("line\nbreak-secret")).build();
    let Err(e) = bad_key else {
        panic!("a key with a line break cannot be a header")
    };
    assert!(matches!(e, BuildError::InvalidApiKey));
    assert!(!format!("{e} {e:?}").contains("break-secret"));

    let with_credentials = WixHttpClient::builder(ApiKey::new(KEY))
        .base_url("https://user:hunter2@example.invalid")
        .build();
    let Err(e) = with_credentials else {
        panic!("credentials in the base URL are refused")
    };
    assert!(!format!("{e} {e:?}").contains("hunter2"));

    for url in [
        "not a url",
        "ftp://example.invalid",
        "https://example.invalid/?q=1",
        "mailto:ops@example.invalid",
    ] {
        let built = WixHttpClient::builder(ApiKey::new(KEY))
            .base_url(url)
            .build();
        assert!(
            matches!(built, Err(BuildError::InvalidBaseUrl { .. })),
            "{url}"
        );
    }
    let fine = WixHttpClient::builder(ApiKey::new(KEY)).build().unwrap();
    assert_eq!(fine.base_url(), "https://www.wixapis.com/");
    assert_eq!(fine.default_account(), None);
}
