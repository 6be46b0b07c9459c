//! Domain Search and Connected Domains (`wix-domains.md` 2 and 3): the query strings
//! (`tlds` as a repeated key: `tlds=com&tlds=net`), the `connectedDomain` object,
//! the Create body, the answers of Get, List and Setup Info, and their conversions
//! to and from the domain. The `wix-site-id` header carries Create's site.
//!
//! One module a concern, re-exported here: Domain Search, Connected Domains, and
//! Setup Info.

mod connected;
mod search;
mod setup_info;

use reseller_domain::domains::DomainName;
use reseller_domain::{FieldViolation, RuleType};

use crate::convert::required;
use crate::error::ConversionError;

pub use connected::{
    ConnectedDomain, ConnectedDomainResponse, CreateConnectedDomainRequest,
    ListConnectedDomainsResponse, SITE_HEADER, SiteInfo, list_query_from_pairs, list_query_pairs,
};
pub use search::{
    CheckDomainAvailabilityResponse, DomainAvailability, DomainSuggestion, SuggestDomainsResponse,
    check_domain_from_pairs, check_query_pairs, suggest_query_pairs, suggest_request_from_pairs,
};
pub use setup_info::{
    ConnectedDomainSetupInfo, NameserverRecord, PointingRecords, SetupInfoResponse,
    SubdomainRecords, WireCnameRecord, WireDnsRecord, WireRegistrar,
};

/// A required domain name field.
fn name(path: &str, text: Option<&String>) -> Result<DomainName, ConversionError> {
    let text = required(path, text)?;
    DomainName::parse(text).map_err(|e| ConversionError::new(path, e))
}

/// A query-string integer, or a `FORMAT` violation on `field`.
fn integer(field: &str, text: &str) -> Result<i64, FieldViolation> {
    text.trim()
        .parse::<i64>()
        .map_err(|_| FieldViolation::new(field, RuleType::Format, "must be an integer"))
}
