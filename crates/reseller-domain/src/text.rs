//! Validated strings: external id, discount code, country code, idempotency key and
//! product type. Each type can only hold a value that Wix's documented limits allow.

use std::fmt;

use crate::ids::truncate_for_message;

/// Why a bounded string was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TextError {
    /// Longer than the documented maximum (counted in characters).
    #[error("{what} is {len} characters long; at most {max} are allowed")]
    TooLong {
        /// Which value (for example "externalId").
        what: &'static str,
        /// Its length in characters.
        len: usize,
        /// The maximum.
        max: usize,
    },
    /// Empty where a value is required.
    #[error("{what} must not be empty")]
    Empty {
        /// Which value.
        what: &'static str,
    },
    /// Contains a control character.
    #[error("{what} must not contain control characters")]
    ControlCharacter {
        /// Which value.
        what: &'static str,
    },
    /// Not an officially assigned ISO 3166-1 alpha-2 code.
    #[error("`{0}` is not an officially assigned ISO 3166-1 alpha-2 country code")]
    UnknownCountry(String),
}

impl TextError {
    /// The Wix `RuleType` this violation is reported with in a `fieldViolations` entry.
    pub fn rule(&self) -> crate::error::RuleType {
        use crate::error::RuleType;
        match self {
            Self::TooLong { .. } => RuleType::MaxLength,
            Self::Empty { .. } => RuleType::MinLength,
            Self::ControlCharacter { .. } | Self::UnknownCountry(_) => RuleType::Format,
        }
    }
}

fn bounded(
    what: &'static str,
    text: &str,
    min: usize,
    max: usize,
    allow_control: bool,
) -> Result<(), TextError> {
    let len = text.chars().count();
    if len > max {
        return Err(TextError::TooLong { what, len, max });
    }
    if len < min {
        return Err(TextError::Empty { what });
    }
    if !allow_control && text.chars().any(char::is_control) {
        return Err(TextError::ControlCharacter { what });
    }
    Ok(())
}

macro_rules! string_newtype {
    ($(#[$doc:meta])* $name:ident, $what:literal, min = $min:expr, max = $max:expr, control = $ctl:expr) => {
        $(#[$doc])*
        #[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(String);

        impl $name {
            /// Longest accepted value, in characters.
            pub const MAX_CHARS: usize = $max;

            /// Validates and wraps the text.
            ///
            /// # Errors
            /// A [`TextError`] naming the limit that was broken.
            pub fn new(text: impl Into<String>) -> Result<Self, TextError> {
                let text = text.into();
                bounded($what, &text, $min, $max, $ctl)?;
                Ok(Self(text))
            }

            /// The text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({:?})", stringify!($name), self.0)
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }
    };
}

string_newtype!(
    /// The reseller's own reference for a package (`externalId`): free text that Wix
    /// does not interpret, at most 100 characters. Empty is allowed (Wix does not
    /// validate the content).
    ExternalId, "externalId", min = 0, max = 100, control = true
);

string_newtype!(
    /// A sale marker on an instance (`discountCode`): at most 25 characters. Wix
    /// accepts unknown codes silently, so any text within the limit is valid.
    DiscountCode, "discountCode", min = 0, max = 25, control = true
);

string_newtype!(
    /// The `idempotencyKey` of a mutation: 1 to 100 characters without control
    /// characters (Wix states `maxLength 100` on Adjust; the toolkit applies it to
    /// every keyed call, see `docs/rules.md`).
    IdempotencyKey, "idempotencyKey", min = 1, max = 100, control = false
);

impl IdempotencyKey {
    /// The longest prefix [`IdempotencyKey::derived`] keeps: 100 characters less the
    /// dash and the 32 hex digits of the hash.
    pub const MAX_DERIVED_PREFIX: usize = Self::MAX_CHARS - 33;

    /// A key derived from the caller's own data: `prefix`, a dash and `hash` as 32
    /// hex digits. Always valid: control characters are dropped from `prefix` and
    /// it is cut to [`IdempotencyKey::MAX_DERIVED_PREFIX`] characters, so the key
    /// fits Wix's 100 (an empty prefix gives `key`).
    ///
    /// ```
    /// use reseller_domain::IdempotencyKey;
    /// use reseller_domain::idempotency::fnv1a_128;
    ///
    /// let key = IdempotencyKey::derived("order", fnv1a_128(b"4711"));
    /// assert!(key.as_str().starts_with("order-"));
    /// assert_eq!(key.as_str().len(), "order-".len() + 32);
    /// ```
    pub fn derived(prefix: &str, hash: u128) -> Self {
        let mut text: String = prefix
            .chars()
            .filter(|c| !c.is_control())
            .take(Self::MAX_DERIVED_PREFIX)
            .collect();
        if text.is_empty() {
            text.push_str("key");
        }
        Self(format!("{text}-{hash:032x}"))
    }
}

string_newtype!(
    /// A catalog product type (for example `PREMIUM_PLAN`): products of one type can
    /// replace each other on Adjust, and a site holds at most one live instance of a
    /// type. 1 to 100 characters without control characters.
    ProductType, "productType", min = 1, max = 100, control = false
);

/// An officially assigned ISO 3166-1 alpha-2 country code (`countryCode`), stored in
/// upper case. Reserved and user-assigned codes (`XK`, `EU`, `AA`) are refused.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CountryCode([u8; 2]);

impl CountryCode {
    /// Validates the code. Wix writes codes in upper case; lower case is refused so
    /// that what is stored is exactly what is answered.
    ///
    /// # Errors
    /// [`TextError::UnknownCountry`] when the code is not officially assigned.
    pub fn new(text: &str) -> Result<Self, TextError> {
        match text.as_bytes() {
            [a, b] if a.is_ascii_uppercase() && b.is_ascii_uppercase() => {
                let code = [*a, *b];
                if crate::country::is_assigned(code) {
                    Ok(Self(code))
                } else {
                    Err(TextError::UnknownCountry(text.to_owned()))
                }
            }
            _ => Err(TextError::UnknownCountry(truncate_for_message(text))),
        }
    }

    /// The two letters.
    pub fn as_str(&self) -> &str {
        // Both bytes are ASCII upper-case letters by construction.
        std::str::from_utf8(&self.0).unwrap_or("??")
    }

    /// Every officially assigned code, in alphabetical order.
    pub fn all() -> impl Iterator<Item = CountryCode> {
        crate::country::ASSIGNED.iter().map(|c| CountryCode(*c))
    }
}

impl fmt::Display for CountryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for CountryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CountryCode({})", self.as_str())
    }
}
