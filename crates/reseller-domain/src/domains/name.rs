//! Domain names and TLDs: [`DomainName`] (D1, D2: 3..63 characters of letters,
//! digits, hyphens and dots, with a TLD, in hostname form), [`Tld`] (D5: one label,
//! no leading dot) and the set of TLDs a Wix sells and connects ([`TldSet`]).
//! Names are stored in lower case: DNS names do not distinguish case.

use std::collections::BTreeSet;
use std::fmt;

use crate::ids::truncate_for_message;

use super::error::DomainViolation;

/// Shortest domain name Check Domain Availability accepts (TLD included).
pub const MIN_DOMAIN_CHARS: usize = 3;
/// Longest domain name Check Domain Availability accepts (TLD included).
pub const MAX_DOMAIN_CHARS: usize = 63;
/// Longest DNS label.
pub const MAX_LABEL_CHARS: usize = 63;

/// The TLDs a fresh emulator sells and connects (`spec/emulator.md`, `PUT /_emulator/tlds`).
pub const DEFAULT_TLDS: [&str; 10] = [
    "com", "net", "org", "co", "info", "store", "online", "site", "shop", "blog",
];

/// The TLDs Suggest Domains uses when none are asked for.
pub const DEFAULT_SUGGEST_TLDS: [&str; 3] = ["com", "net", "org"];

/// Why a text is not a domain name or a TLD.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum NameError {
    /// Empty.
    #[error("the name is empty")]
    Empty,
    /// Shorter than 3 or longer than 63 characters.
    #[error("the name must have 3 to 63 characters")]
    Length,
    /// A character other than a letter, a digit, a hyphen or a dot.
    #[error("only letters, digits, hyphens and dots are allowed")]
    Character,
    /// No dot, so no TLD.
    #[error("the TLD is missing")]
    NoTld,
    /// An empty label (two dots in a row, or a leading or trailing dot), a label
    /// that starts or ends with a hyphen, or a label over 63 characters.
    #[error("not a hostname: every label must be 1 to 63 letters, digits or inner hyphens")]
    Label,
    /// A TLD written with its dot (`.com`).
    #[error("a TLD is written without its dot")]
    LeadingDot,
    /// A TLD made only of digits.
    #[error("a TLD cannot be all digits")]
    NumericTld,
}

/// Checks one DNS label: 1..63 ASCII letters, digits and hyphens, not starting or
/// ending with a hyphen.
fn label_ok(label: &str) -> bool {
    !label.is_empty()
        && label.len() <= MAX_LABEL_CHARS
        && label
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        && !label.starts_with('-')
        && !label.ends_with('-')
}

/// A TLD without its dot (`com`), lower case: one DNS label, not all digits.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Tld(String);

impl Tld {
    /// Validates a TLD as Suggest Domains' `tlds` elements and the emulator's TLD
    /// list take it.
    ///
    /// # Errors
    /// [`NameError::LeadingDot`] for `.com`; [`NameError::Empty`],
    /// [`NameError::Label`] or [`NameError::NumericTld`] otherwise.
    pub fn parse(text: &str) -> Result<Self, NameError> {
        if text.is_empty() {
            return Err(NameError::Empty);
        }
        if text.starts_with('.') {
            return Err(NameError::LeadingDot);
        }
        if !label_ok(text) {
            return Err(NameError::Label);
        }
        if text.bytes().all(|b| b.is_ascii_digit()) {
            return Err(NameError::NumericTld);
        }
        Ok(Self(text.to_ascii_lowercase()))
    }

    /// The TLD text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Tld {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for Tld {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Tld({})", self.0)
    }
}

/// A domain name with its TLD, in hostname form and lower case (`shop.bakery.com`).
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DomainName(String);

impl DomainName {
    /// Validates a name (D1, D2): 3..63 characters, only letters, digits, hyphens
    /// and dots, at least two labels, every label 1..63 characters not starting or
    /// ending with a hyphen, the last one (the TLD) not all digits.
    ///
    /// # Errors
    /// The [`NameError`] of the first broken rule.
    pub fn parse(text: &str) -> Result<Self, NameError> {
        if text.is_empty() {
            return Err(NameError::Empty);
        }
        if !text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
        {
            return Err(NameError::Character);
        }
        let len = text.len();
        if !(MIN_DOMAIN_CHARS..=MAX_DOMAIN_CHARS).contains(&len) {
            return Err(NameError::Length);
        }
        if !text.contains('.') {
            return Err(NameError::NoTld);
        }
        if !text.split('.').all(label_ok) {
            return Err(NameError::Label);
        }
        let tld = text.rsplit('.').next().unwrap_or_default();
        if tld.bytes().all(|b| b.is_ascii_digit()) {
            return Err(NameError::NumericTld);
        }
        Ok(Self(text.to_ascii_lowercase()))
    }

    /// The whole name.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The TLD (the last label).
    pub fn tld(&self) -> Tld {
        Tld(self.0.rsplit('.').next().unwrap_or_default().to_owned())
    }

    /// The name without its TLD (`shop.bakery` for `shop.bakery.com`).
    pub fn without_tld(&self) -> &str {
        self.0.rsplit_once('.').map_or("", |(rest, _)| rest)
    }

    /// Whether this is a subdomain: more than two labels (`shop.bakery.com`).
    pub fn is_subdomain(&self) -> bool {
        self.0.matches('.').count() > 1
    }

    /// The root domain: the last two labels (itself for a root domain).
    pub fn root(&self) -> DomainName {
        let mut dots = self.0.rmatch_indices('.');
        dots.next();
        match dots.next() {
            Some((at, _)) => DomainName(self.0.get(at + 1..).unwrap_or_default().to_owned()),
            None => self.clone(),
        }
    }
}

impl fmt::Display for DomainName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for DomainName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DomainName({})", self.0)
    }
}

/// The TLDs a Wix sells and connects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TldSet(BTreeSet<Tld>);

impl Default for TldSet {
    /// [`DEFAULT_TLDS`].
    fn default() -> Self {
        Self(DEFAULT_TLDS.iter().map(|t| Tld((*t).to_owned())).collect())
    }
}

impl TldSet {
    /// A set of these TLDs.
    pub fn new(tlds: impl IntoIterator<Item = Tld>) -> Self {
        Self(tlds.into_iter().collect())
    }

    /// Parses a list as `PUT /_emulator/tlds` takes it.
    ///
    /// # Errors
    /// The first element that is not a TLD, with its error.
    pub fn parse(list: &[String]) -> Result<Self, (String, NameError)> {
        list.iter()
            .map(|t| Tld::parse(t).map_err(|e| (truncate_for_message(t), e)))
            .collect::<Result<BTreeSet<_>, _>>()
            .map(Self)
    }

    /// Whether `tld` is in the set.
    pub fn contains(&self, tld: &Tld) -> bool {
        self.0.contains(tld)
    }

    /// The TLDs in alphabetical order.
    pub fn iter(&self) -> impl Iterator<Item = &Tld> {
        self.0.iter()
    }

    /// How many.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether the set is empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// Check Domain Availability's answer (D3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Availability {
    /// `availability.domain`
    pub domain: DomainName,
    /// `availability.available`: `false` means taken.
    pub available: bool,
}

/// Check Domain Availability's input rule (D1, D2 and the emulator's TLD rule):
/// `domain` present, a valid name, on a TLD of `tlds`.
///
/// # Errors
/// `INVALID_DOMAIN` for every broken rule (Wix: "TLD is missing or invalid").
pub fn check_domain(domain: Option<&str>, tlds: &TldSet) -> Result<DomainName, DomainViolation> {
    let text = domain.unwrap_or_default();
    let invalid = || DomainViolation::InvalidDomain {
        domain: truncate_for_message(text),
    };
    let name = DomainName::parse(text).map_err(|_| invalid())?;
    if !tlds.contains(&name.tld()) {
        return Err(invalid());
    }
    Ok(name)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn names_keep_the_hostname_rules() {
        for good in ["my-new-domain.com", "a.co", "shop.bakery.com", "X1.NET"] {
            assert!(DomainName::parse(good).is_ok(), "{good}");
        }
        let cases = [
            ("", NameError::Empty),
            ("ab", NameError::Length),
            ("bakery", NameError::NoTld),
            ("bakery..com", NameError::Label),
            (".bakery.com", NameError::Label),
            ("-bakery.com", NameError::Label),
            ("bakery-.com", NameError::Label),
            ("bakery.123", NameError::NumericTld),
            ("bäkery.com", NameError::Character),
            ("my domain.com", NameError::Character),
        ];
        for (text, error) in cases {
            assert_eq!(DomainName::parse(text), Err(error), "{text}");
        }
        let long = format!("{}.com", "a".repeat(60));
        assert_eq!(DomainName::parse(&long), Err(NameError::Length));
        assert!(DomainName::parse(&format!("{}.com", "a".repeat(59))).is_ok());
    }

    #[test]
    fn parts_of_a_name() {
        let name = DomainName::parse("Shop.Bakery.COM").unwrap();
        assert_eq!(name.as_str(), "shop.bakery.com");
        assert_eq!(name.tld().as_str(), "com");
        assert_eq!(name.without_tld(), "shop.bakery");
        assert!(name.is_subdomain());
        assert_eq!(name.root().as_str(), "bakery.com");
        let root = DomainName::parse("bakery.com").unwrap();
        assert!(!root.is_subdomain());
        assert_eq!(root.root(), root);
    }

    #[test]
    fn tlds_are_one_label_without_a_dot() {
        assert_eq!(Tld::parse(".com"), Err(NameError::LeadingDot));
        assert_eq!(Tld::parse(""), Err(NameError::Empty));
        assert_eq!(Tld::parse("co.uk"), Err(NameError::Label));
        assert_eq!(Tld::parse("42"), Err(NameError::NumericTld));
        assert_eq!(Tld::parse("LOVE").unwrap().as_str(), "love");
        assert_eq!(TldSet::default().len(), 10);
    }

    #[test]
    fn check_domain_answers_invalid_domain_for_every_broken_rule() {
        let tlds = TldSet::default();
        assert!(check_domain(Some("mydomain.com"), &tlds).is_ok());
        for bad in [
            None,
            Some(""),
            Some("mydomain"),
            Some("mydomain.love"),
            Some("a."),
        ] {
            let e = check_domain(bad, &tlds).unwrap_err();
            assert_eq!(e.code().as_str(), "INVALID_DOMAIN", "{bad:?}");
            assert_eq!(e.code().http_status(), 400);
        }
    }

    proptest! {
        /// D2: whatever parses is 3..63 characters of the allowed alphabet, with a
        /// TLD, and survives a second parse unchanged.
        #[test]
        fn parsed_names_obey_d2(text in "[a-zA-Z0-9.\\-]{0,70}") {
            if let Ok(name) = DomainName::parse(&text) {
                let s = name.as_str();
                prop_assert!((MIN_DOMAIN_CHARS..=MAX_DOMAIN_CHARS).contains(&s.len()));
                prop_assert!(s.contains('.'));
                prop_assert_eq!(DomainName::parse(s), Ok(name.clone()));
                prop_assert_eq!(format!("{}.{}", name.without_tld(), name.tld()), s);
            } else {
                let ok_shape = text.len() >= 3 && text.len() <= 63 && text.contains('.')
                    && text.split('.').all(label_ok)
                    && !text.rsplit('.').next().unwrap_or_default().bytes().all(|b| b.is_ascii_digit());
                prop_assert!(!ok_shape);
            }
        }

        /// Never panics, on any input.
        #[test]
        fn any_text_is_answered(text in any::<String>()) {
            let _ = DomainName::parse(&text);
            let _ = Tld::parse(&text);
        }
    }
}
