//! Suggest Domains (D4-D7): the request as sent ([`SuggestRequest`]), its
//! validation into a [`Suggest`], the deterministic list of suggestions (the query's
//! words joined with and without hyphens, then with common prefixes and suffixes,
//! on every requested TLD in the order asked, only available names whose name part
//! fits `maxLength`, at most 100), and its cursor paging.

use crate::error::{Refusal, RuleType, Violation};
use crate::ids::truncate_for_message;
use crate::query::{CursorKey, QueryError};

use super::error::DomainViolation;
use super::name::{DEFAULT_SUGGEST_TLDS, DomainName, MAX_DOMAIN_CHARS, Tld, TldSet};

/// Shortest `query`.
pub const MIN_QUERY_CHARS: usize = 3;
/// Longest `query`.
pub const MAX_QUERY_CHARS: usize = 100;
/// Most `tlds` per call.
pub const MAX_TLDS: usize = 10;
/// `maxLength` bounds and default (the name part, TLD excluded).
pub const MIN_NAME_LENGTH: i64 = 3;
/// Largest `maxLength`, and its default.
pub const MAX_NAME_LENGTH: i64 = 63;
/// Most suggestions per page (`paging.limit` and the deprecated `limit`).
pub const MAX_PAGE: i64 = 20;
/// Page size when neither limit is sent.
pub const DEFAULT_PAGE: i64 = 10;
/// Longest `paging.cursor`.
pub const MAX_CURSOR_CHARS: usize = 10_000;
/// Most suggestions reachable through the pages of one query.
pub const MAX_SUGGESTIONS: usize = 100;

/// Prefixes tried before the query's words, in this order.
const PREFIXES: [&str; 5] = ["my", "get", "the", "try", "go"];
/// Suffixes tried after the query's words, in this order.
const SUFFIXES: [&str; 8] = ["online", "hq", "shop", "site", "app", "hub", "now", "web"];

/// Suggest Domains' query parameters, as sent (unvalidated: the rules are checked
/// by [`SuggestRequest::validate`], so a caller can send anything through a port).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SuggestRequest {
    /// `query` (required).
    pub query: Option<String>,
    /// `tlds`, repeated query key; empty means `com`, `net`, `org`.
    pub tlds: Vec<String>,
    /// `limit` (deprecated; read when `paging.limit` is absent).
    pub limit: Option<i64>,
    /// `paging.limit`
    pub paging_limit: Option<i64>,
    /// `paging.cursor`
    pub cursor: Option<String>,
    /// `maxLength`
    pub max_length: Option<i64>,
}

impl SuggestRequest {
    /// A first-page request for `query`.
    pub fn new(query: impl Into<String>) -> Self {
        Self {
            query: Some(query.into()),
            ..Self::default()
        }
    }

    /// Checks every rule (D4, D5, D6) in the emulator's order: `query`
    /// (`INVALID_QUERY`), the number of `tlds` (`MAX_SIZE`), their format
    /// (`INVALID_TLD_FORMAT`) and support (`TLD_NOT_SUPPORTED`), `maxLength`,
    /// `paging.limit` and `limit` (`MIN`/`MAX`), the cursor (`MAX_LENGTH`, then
    /// `INVALID_CURSOR`). With a cursor, the cursor's query, TLDs and `maxLength`
    /// apply (the values sent beside it are still validated).
    ///
    /// # Errors
    /// The first broken rule.
    pub fn validate(&self, supported: &TldSet, key: &CursorKey) -> Result<Suggest, Refusal> {
        let query = self.query.as_deref().unwrap_or_default();
        let query_ok = (MIN_QUERY_CHARS..=MAX_QUERY_CHARS).contains(&query.chars().count())
            && query
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, ' ' | '.' | '-'));
        if !query_ok {
            return Err(DomainViolation::InvalidQuery {
                query: truncate_for_message(query),
            }
            .into());
        }
        if self.tlds.len() > MAX_TLDS {
            return Err(Violation::field(
                "tlds",
                RuleType::MaxSize,
                format!("at most {MAX_TLDS} TLDs are allowed"),
            )
            .into());
        }
        let mut tlds = Vec::with_capacity(self.tlds.len());
        for text in &self.tlds {
            match Tld::parse(text) {
                Ok(t) => tlds.push(t),
                Err(_) => {
                    return Err(DomainViolation::InvalidTldFormat {
                        tld: truncate_for_message(text),
                    }
                    .into());
                }
            }
        }
        let unsupported: Vec<String> = tlds
            .iter()
            .filter(|t| !supported.contains(t))
            .map(|t| t.as_str().to_owned())
            .collect();
        if !unsupported.is_empty() {
            return Err(DomainViolation::TldNotSupported { tlds: unsupported }.into());
        }
        let max_length = bounded(
            "maxLength",
            self.max_length,
            MIN_NAME_LENGTH,
            MAX_NAME_LENGTH,
        )?;
        let paging_limit = bounded("paging.limit", self.paging_limit, 1, MAX_PAGE)?;
        let limit = bounded("limit", self.limit, 1, MAX_PAGE)?;
        let page = paging_limit.or(limit).unwrap_or(DEFAULT_PAGE);
        let page = usize::try_from(page).unwrap_or(1);
        if tlds.is_empty() {
            tlds = DEFAULT_SUGGEST_TLDS
                .iter()
                .filter_map(|t| Tld::parse(t).ok())
                .collect();
        }
        dedupe(&mut tlds);
        let fresh = Suggest {
            query: query.to_owned(),
            tlds,
            max_length: usize::try_from(max_length.unwrap_or(MAX_NAME_LENGTH)).unwrap_or(63),
            page,
            offset: 0,
        };
        match self.cursor.as_deref() {
            None => Ok(fresh),
            Some(text) if text.chars().count() > MAX_CURSOR_CHARS => Err(Violation::field(
                "paging.cursor",
                RuleType::MaxLength,
                format!("at most {MAX_CURSOR_CHARS} characters are allowed"),
            )
            .into()),
            Some(text) => {
                let mut from_cursor = SuggestCursor::open(text, key)?;
                from_cursor.page = page;
                Ok(from_cursor)
            }
        }
    }
}

fn dedupe(tlds: &mut Vec<Tld>) {
    let mut seen = std::collections::BTreeSet::new();
    tlds.retain(|t| seen.insert(t.clone()));
}

/// An optional integer within `min..=max`, else a `MIN`/`MAX` field violation.
fn bounded(field: &str, value: Option<i64>, min: i64, max: i64) -> Result<Option<i64>, Refusal> {
    match value {
        Some(v) if v < min => {
            Err(Violation::field(field, RuleType::Min, format!("must be at least {min}")).into())
        }
        Some(v) if v > max => {
            Err(Violation::field(field, RuleType::Max, format!("must be at most {max}")).into())
        }
        other => Ok(other),
    }
}

/// A validated Suggest Domains call: what to suggest and which page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suggest {
    /// The query the suggestions come from.
    pub query: String,
    /// The TLDs, in the order asked, without repeats.
    pub tlds: Vec<Tld>,
    /// The longest name part (TLD excluded).
    pub max_length: usize,
    /// Suggestions per page.
    pub page: usize,
    /// Suggestions before this page.
    pub offset: usize,
}

/// One page of suggestions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SuggestPage {
    /// The suggested domains.
    pub suggestions: Vec<DomainName>,
    /// The cursor of the next page, when there is one.
    pub next_cursor: Option<String>,
}

impl Suggest {
    /// Every suggestion, in order (D7): at most [`MAX_SUGGESTIONS`] names that
    /// `available` accepts, each a valid name whose part before the TLD has at most
    /// `max_length` characters.
    pub fn all(&self, available: impl Fn(&DomainName) -> bool) -> Vec<DomainName> {
        let mut out = Vec::new();
        for stem in stems(&self.query) {
            if stem.len() > self.max_length {
                continue;
            }
            for tld in &self.tlds {
                let Ok(name) = DomainName::parse(&format!("{stem}.{tld}")) else {
                    continue;
                };
                if name.as_str().len() <= MAX_DOMAIN_CHARS && available(&name) {
                    out.push(name);
                    if out.len() == MAX_SUGGESTIONS {
                        return out;
                    }
                }
            }
        }
        out
    }

    /// This call's page of [`Suggest::all`], with the next page's cursor sealed
    /// under `key`.
    pub fn page(&self, available: impl Fn(&DomainName) -> bool, key: &CursorKey) -> SuggestPage {
        let all = self.all(available);
        let start = self.offset.min(all.len());
        let end = start.saturating_add(self.page).min(all.len());
        let next_cursor = (end < all.len()).then(|| {
            SuggestCursor::seal(
                &Suggest {
                    offset: end,
                    ..self.clone()
                },
                key,
            )
        });
        SuggestPage {
            suggestions: all.get(start..end).unwrap_or_default().to_vec(),
            next_cursor,
        }
    }
}

/// The name parts tried for `query`, in order, without repeats: its words joined,
/// joined with hyphens, with each prefix, with each suffix, then the hyphenated
/// prefix and suffix forms. Words are runs of ASCII letters and digits, lower case.
pub fn stems(query: &str) -> Vec<String> {
    let words: Vec<String> = query
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
        .collect();
    if words.is_empty() {
        return Vec::new();
    }
    let joined = words.concat();
    let hyphenated = words.join("-");
    let mut out = vec![joined.clone(), hyphenated.clone()];
    out.extend(PREFIXES.iter().map(|p| format!("{p}{joined}")));
    out.extend(SUFFIXES.iter().map(|s| format!("{joined}{s}")));
    out.extend(PREFIXES.iter().map(|p| format!("{p}-{hyphenated}")));
    out.extend(SUFFIXES.iter().map(|s| format!("{hyphenated}-{s}")));
    let mut seen = std::collections::BTreeSet::new();
    out.retain(|s| seen.insert(s.clone()));
    out
}

/// First byte of a Suggest Domains cursor.
const MAGIC: u8 = b'D';
const VERSION: u8 = 1;

/// The sealed cursor of Suggest Domains: query, TLDs, `maxLength` and offset.
struct SuggestCursor;

impl SuggestCursor {
    fn seal(s: &Suggest, key: &CursorKey) -> String {
        let mut w = vec![MAGIC, VERSION];
        w.extend_from_slice(&u32::try_from(s.offset).unwrap_or(u32::MAX).to_le_bytes());
        w.push(u8::try_from(s.max_length).unwrap_or(u8::MAX));
        w.push(u8::try_from(s.tlds.len()).unwrap_or(u8::MAX));
        for t in &s.tlds {
            w.push(u8::try_from(t.as_str().len()).unwrap_or(u8::MAX));
            w.extend_from_slice(t.as_str().as_bytes());
        }
        w.extend_from_slice(s.query.as_bytes());
        key.seal(&w)
    }

    fn open(text: &str, key: &CursorKey) -> Result<Suggest, Refusal> {
        let invalid = |reason: &str| {
            Refusal::one(Violation::InvalidCursor {
                reason: reason.to_owned(),
            })
        };
        let payload = key.open(text).map_err(|e| match e {
            QueryError::InvalidCursor(reason) => invalid(&reason),
            other => invalid(&other.to_string()),
        })?;
        let malformed = || invalid("not a Suggest Domains cursor");
        let mut r = payload.as_slice();
        let mut take = |n: usize| -> Option<&[u8]> {
            let (head, tail) = (r.get(..n)?, r.get(n..)?);
            r = tail;
            Some(head)
        };
        if take(2) != Some(&[MAGIC, VERSION][..]) {
            return Err(malformed());
        }
        let offset = take(4)
            .and_then(|b| <[u8; 4]>::try_from(b).ok())
            .map(u32::from_le_bytes)
            .ok_or_else(malformed)?;
        let max_length = take(1)
            .and_then(|b| b.first().copied())
            .ok_or_else(malformed)?;
        let n = take(1)
            .and_then(|b| b.first().copied())
            .ok_or_else(malformed)?;
        let mut tlds = Vec::with_capacity(usize::from(n));
        for _ in 0..n {
            let len = take(1)
                .and_then(|b| b.first().copied())
                .ok_or_else(malformed)?;
            let bytes = take(usize::from(len)).ok_or_else(malformed)?;
            let tld = std::str::from_utf8(bytes)
                .ok()
                .and_then(|t| Tld::parse(t).ok())
                .ok_or_else(malformed)?;
            tlds.push(tld);
        }
        let query = std::str::from_utf8(r).map_err(|_| malformed())?.to_owned();
        Ok(Suggest {
            query,
            tlds,
            max_length: usize::from(max_length),
            page: usize::try_from(DEFAULT_PAGE).unwrap_or(10),
            offset: usize::try_from(offset).unwrap_or(usize::MAX),
        })
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use proptest::prelude::*;

    use super::*;
    use crate::ErrorCode;

    fn key() -> CursorKey {
        CursorKey::new([7; 16])
    }

    fn code(r: &Refusal) -> String {
        r.code().as_str().to_owned()
    }

    fn validate(r: &SuggestRequest) -> Result<Suggest, Refusal> {
        r.validate(&TldSet::default(), &key())
    }

    #[test]
    fn d4_query_needs_3_to_100_allowed_characters() {
        for bad in [None, Some("ab"), Some("my_bakery"), Some("bäckerei")] {
            let r = SuggestRequest {
                query: bad.map(str::to_owned),
                ..SuggestRequest::default()
            };
            let e = validate(&r).unwrap_err();
            assert_eq!(e.code(), ErrorCode::InvalidQuery, "{bad:?}");
        }
        assert!(validate(&SuggestRequest::new("a".repeat(101))).is_err());
        assert!(validate(&SuggestRequest::new("my stunning-domain.2")).is_ok());
    }

    #[test]
    fn d5_tlds_count_format_and_support() {
        let with = |tlds: &[&str]| SuggestRequest {
            tlds: tlds.iter().map(|t| (*t).to_owned()).collect(),
            ..SuggestRequest::new("bakery")
        };
        let eleven: Vec<&str> = ["com"; 11].to_vec();
        let e = validate(&with(&eleven)).unwrap_err();
        assert_eq!(code(&e), "INVALID_ARGUMENT");
        assert_eq!(
            code(&validate(&with(&[".com"])).unwrap_err()),
            "INVALID_TLD_FORMAT"
        );
        let e = validate(&with(&["com", "love", "xyz"])).unwrap_err();
        assert_eq!(code(&e), "TLD_NOT_SUPPORTED");
        assert_eq!(
            e.primary().to_string(),
            "Unsupported TLDs `love, xyz` found."
        );
        let ok = validate(&with(&["net", "com", "net"])).unwrap();
        assert_eq!(
            ok.tlds.iter().map(Tld::as_str).collect::<Vec<_>>(),
            ["net", "com"]
        );
    }

    #[test]
    fn d6_page_limits_and_default() {
        let with = |paging: Option<i64>, limit: Option<i64>| SuggestRequest {
            paging_limit: paging,
            limit,
            ..SuggestRequest::new("bakery")
        };
        assert_eq!(validate(&with(None, None)).unwrap().page, 10);
        assert_eq!(validate(&with(None, Some(4))).unwrap().page, 4);
        assert_eq!(validate(&with(Some(20), Some(4))).unwrap().page, 20);
        for (p, l) in [
            (Some(0), None),
            (Some(21), None),
            (None, Some(0)),
            (None, Some(21)),
        ] {
            assert_eq!(
                code(&validate(&with(p, l)).unwrap_err()),
                "INVALID_ARGUMENT"
            );
        }
        let long = SuggestRequest {
            cursor: Some("a".repeat(10_001)),
            ..SuggestRequest::new("bakery")
        };
        assert_eq!(code(&validate(&long).unwrap_err()), "INVALID_ARGUMENT");
        let forged = SuggestRequest {
            cursor: Some("abc".to_owned()),
            ..SuggestRequest::new("bakery")
        };
        assert_eq!(code(&validate(&forged).unwrap_err()), "INVALID_CURSOR");
    }

    #[test]
    fn suggestions_follow_the_documented_order_and_skip_taken_names() {
        let s = validate(&SuggestRequest {
            tlds: vec!["com".to_owned(), "net".to_owned()],
            ..SuggestRequest::new("my stunning domain")
        })
        .unwrap();
        let all = s.all(|d| d.as_str() != "mystunningdomain.com");
        let names: Vec<&str> = all.iter().take(4).map(DomainName::as_str).collect();
        assert_eq!(
            names,
            [
                "mystunningdomain.net",
                "my-stunning-domain.com",
                "my-stunning-domain.net",
                "mymystunningdomain.com"
            ]
        );
    }

    #[test]
    fn cursor_pages_carry_the_first_query() {
        let first = validate(&SuggestRequest {
            paging_limit: Some(7),
            ..SuggestRequest::new("bakery")
        })
        .unwrap();
        let page = first.page(|_| true, &key());
        assert_eq!(page.suggestions.len(), 7);
        let next = validate(&SuggestRequest {
            paging_limit: Some(7),
            cursor: page.next_cursor.clone(),
            ..SuggestRequest::new("something else")
        })
        .unwrap();
        assert_eq!(next.query, "bakery");
        assert_eq!(next.offset, 7);
    }

    proptest! {
        /// D6, D7: pages are at most `page` long, every suggestion is available, on
        /// a requested TLD, with a name part within `maxLength`; walking the cursor
        /// gives every suggestion once, in order, at most 100.
        #[test]
        fn pages_walk_every_available_suggestion_once(
            words in proptest::collection::vec("[a-z0-9]{3,12}", 1..4),
            max_length in 3i64..=63,
            page in 1i64..=20,
            taken_mod in 2usize..7,
        ) {
            let request = SuggestRequest {
                max_length: Some(max_length),
                paging_limit: Some(page),
                tlds: vec!["com".to_owned(), "shop".to_owned()],
                ..SuggestRequest::new(words.join(" "))
            };
            let taken = |d: &DomainName| d.as_str().len() % taken_mod == 0;
            let available = |d: &DomainName| !taken(d);
            let first = validate(&request).unwrap();
            let all = first.all(available);
            prop_assert!(all.len() <= MAX_SUGGESTIONS);
            let mut walked = Vec::new();
            let mut current = first;
            loop {
                let p = current.page(available, &key());
                prop_assert!(p.suggestions.len() <= usize::try_from(page).unwrap());
                walked.extend(p.suggestions);
                let Some(cursor) = p.next_cursor else { break };
                current = validate(&SuggestRequest { cursor: Some(cursor), ..request.clone() }).unwrap();
            }
            prop_assert_eq!(&walked, &all);
            let unique: BTreeSet<_> = walked.iter().collect();
            prop_assert_eq!(unique.len(), walked.len());
            for d in &walked {
                prop_assert!(!taken(d));
                prop_assert!(["com", "shop"].contains(&d.tld().as_str()));
                prop_assert!(d.without_tld().len() <= usize::try_from(max_length).unwrap());
            }
        }
    }
}
