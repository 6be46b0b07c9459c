//! The API key: a secret that never shows in `Debug`, `Display`, logs or errors.

use std::fmt;

/// A Wix API key (sent raw in the `Authorization` header).
///
/// Its `Debug` output is redacted and it has no `Display`: the only way to the text
/// is [`ApiKey::expose`], which callers use where the key must travel (the header).
///
/// ```
/// use reseller_ports::ApiKey;
///
/// let key = ApiKey::new("IST.secret-text");
/// assert_eq!(format!("{key:?}"), "ApiKey(<redacted>)");
/// assert_eq!(key.expose(), "IST.secret-text");
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct ApiKey(String);

impl ApiKey {
    /// Wraps the key text.
    pub fn new(text: impl Into<String>) -> Self {
        Self(text.into())
    }

    /// The key text, for the `Authorization` header and nowhere else.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ApiKey(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::ApiKey;

    #[test]
    fn debug_never_shows_the_key() {
        let key = ApiKey::new("very-secret-123");
        let shown = format!("{key:?} {key:#?}");
        assert!(!shown.contains("very-secret-123"), "{shown}");
    }
}
