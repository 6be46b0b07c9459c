//! Validated identifiers: the GUIDs that name packages, instances, accounts, sites
//! and catalog products. Parsing only; no generation (ids come from an injected source).

use std::fmt;
use std::str::FromStr;

use uuid::Uuid;

/// Why a string is not a Wix GUID.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum GuidError {
    /// The text is not 36 characters of the form `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`.
    #[error("`{0}` is not a GUID of the form xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx")]
    Malformed(String),
}

/// Parses the hyphenated 8-4-4-4-12 form, the only one Wix uses on the wire.
///
/// Hex digits may be upper or lower case; any version nibble is accepted, because
/// Wix account ids are not always RFC 4122 GUIDs (`2250b761-b31c-853b-...`).
pub fn parse_guid(text: &str) -> Result<Uuid, GuidError> {
    let bytes = text.as_bytes();
    let shape_ok = bytes.len() == 36
        && bytes.iter().enumerate().all(|(i, b)| match i {
            8 | 13 | 18 | 23 => *b == b'-',
            _ => b.is_ascii_hexdigit(),
        });
    if !shape_ok {
        return Err(GuidError::Malformed(truncate_for_message(text)));
    }
    Uuid::try_parse(text).map_err(|_| GuidError::Malformed(truncate_for_message(text)))
}

/// Keeps error messages bounded whatever the input size.
pub(crate) fn truncate_for_message(text: &str) -> String {
    const MAX: usize = 64;
    if text.chars().count() <= MAX {
        text.to_owned()
    } else {
        let mut s: String = text.chars().take(MAX).collect();
        s.push('…');
        s
    }
}

macro_rules! guid_newtype {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(Uuid);

        impl $name {
            /// Parses the hyphenated GUID form Wix uses.
            ///
            /// # Errors
            /// [`GuidError::Malformed`] when the text is not a GUID.
            pub fn parse(text: &str) -> Result<Self, GuidError> {
                parse_guid(text).map(Self)
            }

            /// Wraps an already generated or decoded UUID.
            pub const fn from_uuid(uuid: Uuid) -> Self {
                Self(uuid)
            }

            /// The underlying UUID.
            pub const fn as_uuid(&self) -> &Uuid {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(&self.0.hyphenated(), f)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({})", stringify!($name), self.0.hyphenated())
            }
        }

        impl FromStr for $name {
            type Err = GuidError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::parse(s)
            }
        }
    };
}

guid_newtype!(
    /// Id of a package (`package.id`).
    PackageId
);
guid_newtype!(
    /// Id of one product instance (`productInstances[].instanceId`).
    InstanceId
);
guid_newtype!(
    /// Id of a Wix account (`accountId`, the `wix-account-id` header).
    AccountId
);
guid_newtype!(
    /// Id of a Wix site (the meta-site id, `siteId`).
    SiteId
);
guid_newtype!(
    /// Id of a product in Wix's Premium catalog (`catalogProductId`).
    CatalogProductId
);
