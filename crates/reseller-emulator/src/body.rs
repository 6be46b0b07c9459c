//! Request bodies read strictly: the whole body must be UTF-8 without a lone
//! surrogate escape anywhere (ignored members included), and JSON whose top level
//! is an object where an endpoint takes one. `[]`, `"text"`, `42` or `null` is a
//! Wix-shaped 400 on both surfaces, never read as an empty object.
//!
//! The control API's state document is read stricter still: no empty body, no
//! member it would ignore at any depth, no number out of range.

use axum::body::Body;
use axum::response::Response;
use serde::de::DeserializeOwned;

use crate::reply;

/// Why a body is not a JSON object this emulator reads (before serde looks at it).
pub(crate) fn not_an_object(bytes: &[u8]) -> Option<String> {
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            return Some(format!(
                "it is not UTF-8 (invalid byte at offset {})",
                e.valid_up_to()
            ));
        }
    };
    if let Some(at) = lone_surrogate(text.as_bytes()) {
        return Some(format!(
            "it holds a lone UTF-16 surrogate escape at offset {at}"
        ));
    }
    match text.trim_start().as_bytes().first() {
        Some(b'{') => None,
        Some(b'[') => Some("it is a JSON array, not an object".to_owned()),
        Some(b'"') => Some("it is a JSON string, not an object".to_owned()),
        Some(b't' | b'f') => Some("it is a JSON boolean, not an object".to_owned()),
        Some(b'n') => Some("it is JSON null, not an object".to_owned()),
        Some(_) => Some("it is not a JSON object".to_owned()),
        None => Some("it is empty".to_owned()),
    }
}

/// The offset of the first `\uD800`-`\uDFFF` escape inside a JSON string that is
/// not a high surrogate followed at once by a low one.
fn lone_surrogate(bytes: &[u8]) -> Option<usize> {
    let hex4 = |at: usize| -> Option<u16> {
        let digits = bytes.get(at..at + 4)?;
        let text = std::str::from_utf8(digits).ok()?;
        u16::from_str_radix(text, 16).ok()
    };
    let mut in_string = false;
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if !in_string {
            if b == b'"' {
                in_string = true;
            }
            i += 1;
            continue;
        }
        match b {
            b'"' => {
                in_string = false;
                i += 1;
            }
            b'\\' => {
                if bytes.get(i + 1) != Some(&b'u') {
                    i += 2;
                    continue;
                }
                let Some(unit) = hex4(i + 2) else {
                    // Not an escape serde accepts either; it will say so.
                    i += 2;
                    continue;
                };
                match unit {
                    0xD800..=0xDBFF => {
                        let low = (bytes.get(i + 6) == Some(&b'\\')
                            && bytes.get(i + 7) == Some(&b'u'))
                        .then(|| hex4(i + 8))
                        .flatten();
                        if !matches!(low, Some(0xDC00..=0xDFFF)) {
                            return Some(i);
                        }
                        i += 12;
                    }
                    0xDC00..=0xDFFF => return Some(i),
                    _ => i += 6,
                }
            }
            _ => i += 1,
        }
    }
    None
}

/// The body's bytes, at most [`crate::MAX_BODY_BYTES`]; a larger or cut-off body
/// is 400.
pub(crate) async fn bytes(body: Body) -> Result<bytes::Bytes, Response> {
    axum::body::to_bytes(body, crate::MAX_BODY_BYTES)
        .await
        .map_err(|_| {
            reply::unreadable_body(format_args!(
                "it is larger than {} bytes or was cut off",
                crate::MAX_BODY_BYTES
            ))
        })
}

/// The body read as `T`; an empty body is `T::default()` (a call without a body);
/// anything else must be a JSON object.
pub(crate) async fn read_json<T: DeserializeOwned + Default>(body: Body) -> Result<T, Response> {
    let bytes = bytes(body).await?;
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(T::default());
    }
    if let Some(why) = not_an_object(&bytes) {
        return Err(reply::unreadable_body(why));
    }
    serde_json::from_slice(&bytes).map_err(reply::unreadable_body)
}

/// The body read as `T` with nothing left out: it must be a JSON object (an empty
/// body is refused), every number in range, and no member, at any depth, one that
/// `T` does not read. For documents that replace state wholesale.
pub(crate) async fn read_whole<T: DeserializeOwned>(body: Body) -> Result<T, Response> {
    let bytes = bytes(body).await?;
    parse_whole(&bytes).map_err(reply::unreadable_body)
}

/// `bytes` read as `T` as [`read_whole`] reads a body; the error says why not.
pub(crate) fn parse_whole<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, String> {
    if let Some(why) = not_an_object(bytes) {
        return Err(why);
    }
    // Through `Value` first: it refuses numbers out of range (`1e400`) even in
    // members `T` would skip.
    let value: serde_json::Value = serde_json::from_slice(bytes).map_err(|e| e.to_string())?;
    let mut unknown = Vec::new();
    let doc = serde_ignored::deserialize(&value, |path| unknown.push(path.to_string()))
        .map_err(|e| e.to_string())?;
    if let Some(first) = unknown.first() {
        let more = match unknown.len() {
            1 => String::new(),
            n => format!(" (and {} more)", n - 1),
        };
        return Err(format!(
            "it has a member this document does not have: `{first}`{more}"
        ));
    }
    Ok(doc)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_an_object_of_well_formed_text_passes() {
        assert_eq!(not_an_object(b" {\"a\": 1}"), None);
        assert_eq!(
            not_an_object(br#"{"a": "\ud83d\ude00 \u00e9 \\ud800"}"#),
            None
        );
        for bad in [
            &b"[]"[..],
            b"\"text\"",
            b"42",
            b"null",
            b"true",
            b"",
            b"{\"a\": \"\xff\"}",
            br#"{"ignored": "\ud800"}"#,
            br#"{"ignored": "\udc00\ud800"}"#,
            br#"{"x": "\ud800\u0041"}"#,
        ] {
            assert!(
                not_an_object(bad).is_some(),
                "{:?}",
                String::from_utf8_lossy(bad)
            );
        }
    }
}
