//! The two headers every Wix call carries, read once for both surfaces that need
//! them (`wix`, `sites` and `domains`): the API key in `Authorization` and the
//! acting account in `wix-account-id`.

use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use reseller_domain::ErrorCode;
use reseller_ports::ApiKey;

use crate::reply;

/// The header naming the account a call acts on.
pub(crate) const ACCOUNT_HEADER: &str = "wix-account-id";

/// A header's text, trimmed; a value that is not UTF-8 reads as U+FFFD, so it is
/// present (and refused as malformed) rather than taken for absent.
pub(crate) fn text<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers
        .get(name)
        .map(|v| v.to_str().unwrap_or("\u{fffd}").trim())
}

/// The API key of `Authorization`, or 401 `UNAUTHENTICATED` when it is absent or
/// empty (whether the key is known is the in-memory Wix's question).
pub(crate) fn api_key(headers: &HeaderMap) -> Result<ApiKey, Response> {
    text(headers, "authorization")
        .filter(|k| !k.is_empty())
        .map(ApiKey::new)
        .ok_or_else(|| {
            reply::application(
                StatusCode::UNAUTHORIZED,
                ErrorCode::Unauthenticated.as_str(),
                "The API key is missing or unknown.",
            )
        })
}

/// The `wix-account-id` text, or 403 `PERMISSION_DENIED` saying `missing` when the
/// header is absent (Wix lists the header among the causes of 403).
pub(crate) fn account_text<'h>(headers: &'h HeaderMap, missing: &str) -> Result<&'h str, Response> {
    text(headers, ACCOUNT_HEADER).ok_or_else(|| {
        reply::application(
            StatusCode::FORBIDDEN,
            ErrorCode::PermissionDenied.as_str(),
            missing,
        )
    })
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    #[test]
    fn a_key_is_read_trimmed_and_an_empty_or_absent_one_is_401() {
        let mut headers = HeaderMap::new();
        assert_eq!(api_key(&headers).map(|_| ()).unwrap_err().status(), 401);
        headers.insert("authorization", HeaderValue::from_static("  "));
        assert_eq!(api_key(&headers).map(|_| ()).unwrap_err().status(), 401);
        headers.insert("authorization", HeaderValue::from_static(" KEY "));
        assert_eq!(
            api_key(&headers)
                .map(|k| k.expose().to_owned())
                .ok()
                .as_deref(),
            Some("KEY")
        );
    }

    #[test]
    fn an_absent_account_is_403_and_a_non_utf8_one_is_present() {
        let mut headers = HeaderMap::new();
        assert_eq!(account_text(&headers, "missing").unwrap_err().status(), 403);
        headers.insert(
            ACCOUNT_HEADER,
            HeaderValue::from_bytes(b"\xff").expect("a header value"),
        );
        assert_eq!(account_text(&headers, "missing").ok(), Some("\u{fffd}"));
    }
}
