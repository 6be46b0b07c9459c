//! The request and response bodies of the request log: the first [`BODY_CAP`]
//! bytes of each, redacted before anything is kept, so an API key never reaches
//! the log (the dashboard's request detail shows them).
//!
//! A request body is copied as the handler reads it (a tap on the body's frames:
//! what the handler never read is not kept, and nothing waits for it). A response
//! body is kept when it is a whole in-memory body (every answer of the emulator
//! is). Redaction works on the kept prefix, even a cut one: the value of every
//! JSON member whose name may hold a secret (`key`, `apiKey`, `token`, `secret`,
//! `password`, `authorization`; not `idempotencyKey`) becomes `"[redacted]"`,
//! arrays and objects under such a member included, and any `emk_` key text left
//! anywhere is masked. Headers are never kept.

use std::sync::{Arc, Mutex, PoisonError};

use axum::body::{Body, HttpBody};
use axum::http::StatusCode;
use axum::response::Response;
use bytes::Bytes;
use http_body_util::BodyExt;
use reseller_wire::ErrorBody;

/// The most bytes of one body the log keeps (the rest is counted, not kept).
pub(crate) const BODY_CAP: usize = 4 * 1024;

/// What replaces a secret.
const REDACTED: &str = "[redacted]";

/// The prefix of the emulator's generated API keys (`emk_...`).
const KEY_PREFIX: &str = "emk_";

/// One kept body: its redacted first bytes, and its whole length.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Kept {
    /// The first bytes (at most [`BODY_CAP`] before redaction), as text.
    pub(crate) text: String,
    /// The length of the whole body, in bytes (what was read of it, for a request).
    pub(crate) len: usize,
}

impl Kept {
    /// Keeps `bytes` of a body `len` bytes long, redacted.
    fn of(bytes: &[u8], len: usize) -> Self {
        Self {
            text: redact(bytes.get(..BODY_CAP).unwrap_or(bytes)),
            len,
        }
    }

    /// Whether the body was longer than what is kept.
    pub(crate) fn truncated(&self) -> bool {
        self.len > BODY_CAP
    }

    /// The bytes it holds on the heap (for the log's byte budget).
    pub(crate) fn heap_bytes(&self) -> usize {
        self.text.len()
    }
}

/// The copy of a request body's first bytes, filled as the handler reads it.
#[derive(Debug, Clone, Default)]
pub(crate) struct Tap {
    seen: Arc<Mutex<(Vec<u8>, usize)>>,
}

impl Tap {
    /// The request body, copied into the tap as it is read (an empty body is
    /// left as it is).
    pub(crate) fn wrap(&self, body: Body) -> Body {
        if HttpBody::size_hint(&body).exact() == Some(0) {
            return body;
        }
        let seen = Arc::clone(&self.seen);
        Body::new(body.map_frame(move |frame| {
            if let Some(data) = frame.data_ref() {
                let mut seen = seen.lock().unwrap_or_else(PoisonError::into_inner);
                let room = BODY_CAP.saturating_sub(seen.0.len());
                seen.0
                    .extend_from_slice(data.get(..room.min(data.len())).unwrap_or_default());
                seen.1 = seen.1.saturating_add(data.len());
            }
            frame
        }))
    }

    /// What was read of the body, redacted (`None` when nothing was read).
    pub(crate) fn kept(&self) -> Option<Kept> {
        let seen = self.seen.lock().unwrap_or_else(PoisonError::into_inner);
        (seen.1 > 0).then(|| Kept::of(&seen.0, seen.1))
    }
}

/// The answer's body kept for the log (when it is a whole in-memory body), with
/// the Wix error code of an error answer; the answer itself is unchanged.
pub(crate) async fn response(response: Response) -> (Response, Option<Kept>, Option<String>) {
    let (parts, body) = response.into_parts();
    if HttpBody::size_hint(&body).exact().is_none() {
        return (Response::from_parts(parts, body), None, None);
    }
    let bytes: Bytes = match whole(body).await {
        Ok(bytes) => bytes,
        // An in-memory body cannot fail; if one did, its answer is a system error.
        Err(_) => Bytes::from_static(b"{\"message\":\"\",\"details\":{}}"),
    };
    let code = error_code(parts.status, &bytes);
    let kept = (!bytes.is_empty()).then(|| Kept::of(&bytes, bytes.len()));
    (Response::from_parts(parts, Body::from(bytes)), kept, code)
}

/// The bytes of a whole in-memory body: its one data frame taken as is (every
/// answer of the emulator is one), more frames joined.
async fn whole(mut body: Body) -> Result<Bytes, axum::Error> {
    let mut first: Option<Bytes> = None;
    let mut rest: Vec<u8> = Vec::new();
    while let Some(frame) = body.frame().await {
        let Ok(data) = frame?.into_data() else {
            continue;
        };
        match &first {
            None => first = Some(data),
            Some(head) => {
                if rest.is_empty() {
                    rest.extend_from_slice(head);
                }
                rest.extend_from_slice(&data);
            }
        }
    }
    Ok(if rest.is_empty() {
        first.unwrap_or_default()
    } else {
        Bytes::from(rest)
    })
}

/// The Wix error code of an error answer (`details.applicationError.code`,
/// `INVALID_ARGUMENT` for a validation error, else the status name).
fn error_code(status: StatusCode, body: &[u8]) -> Option<String> {
    if status.as_u16() < 400 {
        return None;
    }
    let parsed: ErrorBody = serde_json::from_slice(body).unwrap_or_default();
    Some(parsed.error_code(status.as_u16()).as_str().to_owned())
}

/// Whether a JSON member of this name may hold a secret.
fn sensitive(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    if name == "idempotencykey" {
        return false;
    }
    name == "key"
        || name.contains("apikey")
        || name.contains("api_key")
        || ["token", "secret", "password", "authorization"]
            .iter()
            .any(|word| name.contains(word))
}

/// A JSON string token read from `chars` after its opening quote: its raw text
/// (escapes kept as sent) and whether it was closed.
fn string_token(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) -> (String, bool) {
    let mut raw = String::new();
    while let Some(c) = chars.next() {
        match c {
            '"' => return (raw, true),
            '\\' => {
                raw.push(c);
                if let Some(next) = chars.next() {
                    raw.push(next);
                }
            }
            _ => raw.push(c),
        }
    }
    (raw, false)
}

/// Whether `text` may hold something to redact: a member name with one of the
/// words of [`sensitive`], or a generated key. Most bodies (every package) hold
/// none, and are kept as they are.
fn may_hold_secrets(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    [
        "key",
        "token",
        "secret",
        "password",
        "authorization",
        KEY_PREFIX,
    ]
    .iter()
    .any(|word| lower.contains(word))
}

/// `bytes` as text with every secret replaced (see the module's documentation).
/// Works on cut JSON and on text that is not JSON at all.
pub(crate) fn redact(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    if !may_hold_secrets(&text) {
        return text.into_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    // The nesting depth, the depth of a container under a secret member, and
    // whether the next value belongs to a secret member.
    let mut depth = 0usize;
    let mut secret_depth: Option<usize> = None;
    let mut next_is_secret = false;
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                let (raw, closed) = string_token(&mut chars);
                let mut space = String::new();
                while let Some(ws) = chars.next_if(|c| c.is_whitespace()) {
                    space.push(ws);
                }
                let is_name = closed && chars.peek() == Some(&':');
                out.push('"');
                if is_name {
                    if secret_depth.is_none() {
                        next_is_secret = sensitive(&raw);
                    }
                    out.push_str(&raw);
                } else if next_is_secret || secret_depth.is_some() {
                    out.push_str(REDACTED);
                    next_is_secret = false;
                } else {
                    out.push_str(&raw);
                }
                if closed {
                    out.push('"');
                }
                out.push_str(&space);
            }
            '{' | '[' => {
                depth += 1;
                if next_is_secret && secret_depth.is_none() {
                    secret_depth = Some(depth);
                }
                next_is_secret = false;
                out.push(c);
            }
            '}' | ']' => {
                if secret_depth == Some(depth) {
                    secret_depth = None;
                }
                depth = depth.saturating_sub(1);
                next_is_secret = false;
                out.push(c);
            }
            ':' => out.push(c),
            ',' => {
                next_is_secret = false;
                out.push(c);
            }
            other if next_is_secret && !other.is_whitespace() => {
                // A number or literal under a secret member: drop it whole.
                while chars
                    .peek()
                    .is_some_and(|c| !matches!(c, ',' | '}' | ']') && !c.is_whitespace())
                {
                    chars.next();
                }
                out.push('"');
                out.push_str(REDACTED);
                out.push('"');
                next_is_secret = false;
            }
            other => out.push(other),
        }
    }
    mask_keys(&out)
}

/// `text` with the rest of every `emk_...` key masked.
fn mask_keys(text: &str) -> String {
    if !text.contains(KEY_PREFIX) {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(KEY_PREFIX) {
        let (before, from) = rest.split_at(at);
        out.push_str(before);
        out.push_str(KEY_PREFIX);
        out.push_str(REDACTED);
        let tail = from.get(KEY_PREFIX.len()..).unwrap_or_default();
        let end = tail
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
            .unwrap_or(tail.len());
        rest = tail.get(end..).unwrap_or_default();
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_members_are_redacted_and_the_rest_kept() {
        let body =
            br#"{"key": "abc-123", "accountId": "a1", "scopes": ["x"], "idempotencyKey": "k1"}"#;
        assert_eq!(
            redact(body),
            r#"{"key": "[redacted]", "accountId": "a1", "scopes": ["x"], "idempotencyKey": "k1"}"#
        );
    }

    #[test]
    fn containers_and_literals_under_a_secret_member_are_redacted() {
        let body = br#"{"apiKeys":[{"key":"s1","accountId":"a"}],"token":42,"n":1}"#;
        let out = redact(body);
        assert!(!out.contains("s1"), "{out}");
        assert!(!out.contains("42"), "{out}");
        assert!(out.contains(r#""n":1"#), "{out}");
    }

    #[test]
    fn a_cut_body_still_hides_its_secret() {
        let body = br#"{"packages":[],"apiKeys":[{"key":"very-secret-key-text"#;
        let out = redact(body);
        assert!(!out.contains("very-secret"), "{out}");
    }

    #[test]
    fn generated_keys_are_masked_anywhere() {
        let out = redact(b"Authorization: emk_demo_acme_hosting_0001 and \"emk_1f2e\"");
        assert!(!out.contains("demo_acme"), "{out}");
        assert!(!out.contains("1f2e"), "{out}");
        assert!(out.contains("emk_[redacted]"), "{out}");
    }

    #[test]
    fn a_body_without_secret_words_is_kept_as_is() {
        let body = br#"{"package": {"id": "p1", "productInstances": [{"status": "ENABLED"}]}}"#;
        assert!(!may_hold_secrets(std::str::from_utf8(body).unwrap()));
        assert_eq!(redact(body), std::str::from_utf8(body).unwrap());
        assert!(may_hold_secrets(r#"{"API_KEY": 1}"#));
        assert!(redact(br#"{"API_KEY": "x1"}"#).contains("[redacted]"));
    }

    #[tokio::test]
    async fn a_many_framed_body_is_kept_whole() {
        let stream = futures_util::stream::iter([
            Ok::<_, std::io::Error>(Bytes::from_static(b"{\"a\":")),
            Ok(Bytes::from_static(b"1}")),
        ]);
        let mut answer = Response::new(Body::from_stream(stream));
        *answer.status_mut() = StatusCode::OK;
        // A streamed body has no exact size: it is passed on, not kept.
        let (answer, kept, _) = response(answer).await;
        assert!(kept.is_none());
        let bytes = whole(answer.into_body()).await.unwrap();
        assert_eq!(&bytes[..], b"{\"a\":1}");
    }

    #[test]
    fn text_that_is_not_json_is_kept_as_text() {
        assert_eq!(redact(b"not json, 42"), "not json, 42");
        assert_eq!(redact(&[0xff, b'a']), "\u{fffd}a");
    }

    #[test]
    fn kept_bodies_are_capped() {
        let long = vec![b'a'; BODY_CAP * 3];
        let kept = Kept::of(&long, long.len());
        assert_eq!(kept.text.len(), BODY_CAP);
        assert!(kept.truncated());
        assert_eq!(kept.len, BODY_CAP * 3);
    }

    #[tokio::test]
    async fn a_tapped_body_keeps_what_the_handler_read() {
        let tap = Tap::default();
        let body = tap.wrap(Body::from(r#"{"key":"s3cr3t","name":"n"}"#));
        let read = body
            .collect()
            .await
            .map(|c| c.to_bytes())
            .unwrap_or_default();
        assert_eq!(read.len(), 27);
        let kept = tap.kept().unwrap_or_default();
        assert_eq!(kept.len, 27);
        assert_eq!(kept.text, r#"{"key":"[redacted]","name":"n"}"#);
    }
}
