//! Domain Search (`wix-domains.md` 2): Check Domain Availability and Suggest
//! Domains, their query strings (`tlds` as a repeated key: `tlds=com&tlds=net`),
//! their answers and the conversions to and from the domain.

use reseller_domain::domains::{Availability, SuggestPage, SuggestRequest};
use serde::{Deserialize, Serialize};

use super::{integer, name};
use crate::convert::required;
use crate::error::{ConversionError, InvalidRequest};
use crate::json::null_as_default;
use crate::query::PagingMetadata;

/// `availability`
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct DomainAvailability {
    /// `domain`: the name, TLD included.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain: Option<String>,
    /// `available`: `false` means taken.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub available: Option<bool>,
}

/// Answer of `GET /domain-search/v2/check-domain-availability`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct CheckDomainAvailabilityResponse {
    /// `availability`
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub availability: Option<DomainAvailability>,
}

impl CheckDomainAvailabilityResponse {
    /// The answer for `a`.
    pub fn from_domain(a: &Availability) -> Self {
        Self {
            availability: Some(DomainAvailability {
                domain: Some(a.domain.to_string()),
                available: Some(a.available),
            }),
        }
    }

    /// The domain answer.
    ///
    /// # Errors
    /// A missing member or a domain that is not a domain name.
    pub fn try_into_domain(&self) -> Result<Availability, ConversionError> {
        let a = required("availability", self.availability.as_ref())?;
        Ok(Availability {
            domain: name("availability.domain", a.domain.as_ref())?,
            available: *required("availability.available", a.available.as_ref())?,
        })
    }
}

/// `suggestions[]`
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct DomainSuggestion {
    /// `domain`: a suggested name, TLD included.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain: Option<String>,
}

/// Answer of `GET /domain-search/v2/suggest-domains`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct SuggestDomainsResponse {
    /// `suggestions`
    #[serde(default, deserialize_with = "null_as_default")]
    #[cfg_attr(
        feature = "schema",
        schemars(schema_with = "crate::schema::null_as_default::<Vec<DomainSuggestion>>")
    )]
    pub suggestions: Vec<DomainSuggestion>,
    /// `pagingMetadata` `{count, cursors {next}, hasNext}`
    #[serde(
        default,
        alias = "paging_metadata",
        skip_serializing_if = "Option::is_none"
    )]
    pub paging_metadata: Option<PagingMetadata>,
}

impl SuggestDomainsResponse {
    /// The answer for `page`.
    pub fn from_domain(page: &SuggestPage) -> Self {
        Self {
            suggestions: page
                .suggestions
                .iter()
                .map(|d| DomainSuggestion {
                    domain: Some(d.to_string()),
                })
                .collect(),
            paging_metadata: Some(PagingMetadata::next_page(
                page.suggestions.len(),
                page.next_cursor.clone(),
            )),
        }
    }

    /// The domain page.
    ///
    /// # Errors
    /// A suggestion that is not a domain name.
    pub fn try_into_domain(&self) -> Result<SuggestPage, ConversionError> {
        let suggestions = self
            .suggestions
            .iter()
            .enumerate()
            .map(|(i, s)| name(&format!("suggestions[{i}].domain"), s.domain.as_ref()))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(SuggestPage {
            suggestions,
            next_cursor: self
                .paging_metadata
                .as_ref()
                .and_then(PagingMetadata::next_cursor)
                .map(str::to_owned),
        })
    }
}

/// Check Domain Availability's query: `domain=`.
pub fn check_query_pairs(domain: &str) -> Vec<(&'static str, String)> {
    vec![("domain", domain.to_owned())]
}

/// `domain` from Check Domain Availability's query (the last one when repeated).
pub fn check_domain_from_pairs(pairs: &[(String, String)]) -> Option<String> {
    pairs
        .iter()
        .rev()
        .find(|(k, _)| k == "domain")
        .map(|(_, v)| v.clone())
}

/// Suggest Domains' query, each member only when set, `tlds` repeated.
pub fn suggest_query_pairs(r: &SuggestRequest) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    if let Some(q) = &r.query {
        out.push(("query", q.clone()));
    }
    out.extend(r.tlds.iter().map(|t| ("tlds", t.clone())));
    if let Some(l) = r.limit {
        out.push(("limit", l.to_string()));
    }
    if let Some(l) = r.paging_limit {
        out.push(("paging.limit", l.to_string()));
    }
    if let Some(c) = &r.cursor {
        out.push(("paging.cursor", c.clone()));
    }
    if let Some(m) = r.max_length {
        out.push(("maxLength", m.to_string()));
    }
    out
}

/// Suggest Domains' query read back: `tlds` in the order sent (also accepted as
/// `tlds[]`), the numbers as integers; the snake_case `max_length` is accepted.
///
/// # Errors
/// A `FORMAT` violation for a number that is not an integer.
pub fn suggest_request_from_pairs(
    pairs: &[(String, String)],
) -> Result<SuggestRequest, InvalidRequest> {
    let mut r = SuggestRequest::default();
    let mut bad = Vec::new();
    let mut int = |field: &str, text: &str| -> Option<i64> {
        integer(field, text).map_err(|v| bad.push(v)).ok()
    };
    for (k, v) in pairs {
        match k.as_str() {
            "query" => r.query = Some(v.clone()),
            "tlds" | "tlds[]" => r.tlds.push(v.clone()),
            "limit" => r.limit = int("limit", v),
            "paging.limit" => r.paging_limit = int("paging.limit", v),
            "paging.cursor" => r.cursor = Some(v.clone()),
            "maxLength" | "max_length" => r.max_length = int("maxLength", v),
            _ => {}
        }
    }
    InvalidRequest::from_vec(bad).map_or(Ok(r), Err)
}
