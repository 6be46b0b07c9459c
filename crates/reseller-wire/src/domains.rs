//! Domain Search and Connected Domains (`wix-domains.md` 2 and 3): the query strings
//! (`tlds` as a repeated key: `tlds=com&tlds=net`), the `connectedDomain` object,
//! the Create body, the answers of Get, List and Setup Info, and their conversions
//! to and from the domain. The `wix-site-id` header carries Create's site.

use reseller_domain::SiteId;
use reseller_domain::domains::{
    AssignmentType, Availability, CnameRecord, ConnectRequest, ConnectionType, ConnectionsPage,
    DnsRecord, DnsStatus, DomainConnection, DomainName, Registrar, SetupInfo, SetupRecords,
    SiteAssignment, SuggestPage, SuggestRequest,
};
use reseller_domain::{FieldViolation, RuleType};
use serde::{Deserialize, Serialize};

use crate::convert::{guid, opt_date, required, unknown_enum};
use crate::error::{ConversionError, InvalidRequest};
use crate::json::null_as_default;
use crate::query::{Cursors, PagingMetadata};

/// The header naming Create Connected Domain's site.
pub const SITE_HEADER: &str = "wix-site-id";

fn name(path: &str, text: Option<&String>) -> Result<DomainName, ConversionError> {
    let text = required(path, text)?;
    DomainName::parse(text).map_err(|e| ConversionError::new(path, e))
}

// ---------------------------------------------------------------- Domain Search

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

fn cursor_metadata(count: usize, next: Option<&String>) -> PagingMetadata {
    PagingMetadata {
        count: Some(u64::try_from(count).unwrap_or(u64::MAX)),
        cursors: Some(Cursors {
            next: next.cloned(),
            prev: None,
        }),
        has_next: Some(next.is_some()),
        ..PagingMetadata::default()
    }
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
            paging_metadata: Some(cursor_metadata(
                page.suggestions.len(),
                page.next_cursor.as_ref(),
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
        text.trim().parse::<i64>().map_or_else(
            |_| {
                bad.push(FieldViolation::new(
                    field,
                    RuleType::Format,
                    "must be an integer",
                ));
                None
            },
            Some,
        )
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

/// List Connected Domains' query, each member only when set.
pub fn list_query_pairs(limit: Option<i64>, cursor: Option<&str>) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    if let Some(l) = limit {
        out.push(("paging.limit", l.to_string()));
    }
    if let Some(c) = cursor {
        out.push(("paging.cursor", c.to_owned()));
    }
    out
}

/// List Connected Domains' `paging.limit` and `paging.cursor` read back.
///
/// # Errors
/// A `FORMAT` violation for a limit that is not an integer.
pub fn list_query_from_pairs(
    pairs: &[(String, String)],
) -> Result<(Option<i64>, Option<String>), InvalidRequest> {
    let mut limit = None;
    let mut cursor = None;
    for (k, v) in pairs {
        match k.as_str() {
            "paging.limit" => {
                limit = Some(v.trim().parse::<i64>().map_err(|_| {
                    InvalidRequest::one(FieldViolation::new(
                        "paging.limit",
                        RuleType::Format,
                        "must be an integer",
                    ))
                })?);
            }
            "paging.cursor" => cursor = Some(v.clone()),
            _ => {}
        }
    }
    Ok((limit, cursor))
}

// ---------------------------------------------------------------- Connected Domains

/// `siteInfo`
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct SiteInfo {
    /// `id` (read-only: the site comes from `wix-site-id`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(extend("format" = "uuid")))]
    pub id: Option<String>,
    /// `assignmentType`: `PRIMARY` (default) or `REDIRECT`.
    #[serde(
        default,
        alias = "assignment_type",
        skip_serializing_if = "Option::is_none"
    )]
    pub assignment_type: Option<String>,
}

/// `connectedDomain`
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct ConnectedDomain {
    /// `id`: the domain name (read-only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// `domain`
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain: Option<String>,
    /// `connectionType`: `POINTING`, `NAMESERVERS`, `UNKNOWN_CONNECTION_TYPE`, `HIDDEN`.
    #[serde(
        default,
        alias = "connection_type",
        skip_serializing_if = "Option::is_none"
    )]
    pub connection_type: Option<String>,
    /// `siteInfo`
    #[serde(default, alias = "site_info", skip_serializing_if = "Option::is_none")]
    pub site_info: Option<SiteInfo>,
    /// `suppressNotifications` (default `false`).
    #[serde(
        default,
        alias = "suppress_notifications",
        skip_serializing_if = "Option::is_none"
    )]
    pub suppress_notifications: Option<bool>,
    /// `dnsPropagationStatus` (read-only).
    #[serde(
        default,
        alias = "dns_propagation_status",
        skip_serializing_if = "Option::is_none"
    )]
    pub dns_propagation_status: Option<String>,
    /// `createdDate`
    #[serde(
        default,
        alias = "created_date",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "schema", schemars(extend("format" = "date-time")))]
    pub created_date: Option<String>,
    /// `updatedDate`
    #[serde(
        default,
        alias = "updated_date",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "schema", schemars(extend("format" = "date-time")))]
    pub updated_date: Option<String>,
}

impl ConnectedDomain {
    /// The object Wix answers for `c`.
    pub fn from_domain(c: &DomainConnection) -> Self {
        Self {
            id: Some(c.domain.to_string()),
            domain: Some(c.domain.to_string()),
            connection_type: Some(c.connection_type.as_str().to_owned()),
            site_info: c.site.map(|s| SiteInfo {
                id: Some(s.site.to_string()),
                assignment_type: Some(s.assignment.as_str().to_owned()),
            }),
            suppress_notifications: Some(c.suppress_notifications),
            dns_propagation_status: Some(c.dns.as_str().to_owned()),
            created_date: c.created.map(|t| t.to_rfc3339()),
            updated_date: c.updated.map(|t| t.to_rfc3339()),
        }
    }

    /// The domain object (strict: every enum documented, the site a GUID).
    ///
    /// # Errors
    /// The first member the domain cannot hold, with its path under `at`.
    pub fn try_into_domain(&self, at: &str) -> Result<DomainConnection, ConversionError> {
        let path = |m: &str| format!("{at}.{m}");
        let domain = name(&path("domain"), self.domain.as_ref().or(self.id.as_ref()))?;
        let ct_path = path("connectionType");
        let connection_type = match self.connection_type.as_deref() {
            None => ConnectionType::Unknown,
            Some(t) => ConnectionType::parse(t).ok_or_else(|| {
                unknown_enum(
                    &ct_path,
                    t,
                    ConnectionType::ALL.iter().map(|c| c.as_str()).collect(),
                )
            })?,
        };
        let site = match &self.site_info {
            Some(SiteInfo {
                id: Some(id),
                assignment_type,
            }) => {
                let at_path = path("siteInfo.assignmentType");
                let assignment = match assignment_type.as_deref() {
                    None => AssignmentType::Unknown,
                    Some(t) => AssignmentType::parse(t).ok_or_else(|| {
                        unknown_enum(
                            &at_path,
                            t,
                            AssignmentType::ALL.iter().map(|c| c.as_str()).collect(),
                        )
                    })?,
                };
                Some(SiteAssignment {
                    site: guid::<SiteId>(&path("siteInfo.id"), id)?,
                    assignment,
                })
            }
            _ => None,
        };
        let dns_path = path("dnsPropagationStatus");
        let dns = match self.dns_propagation_status.as_deref() {
            None => DnsStatus::Unknown,
            Some(t) => DnsStatus::parse(t).ok_or_else(|| {
                unknown_enum(
                    &dns_path,
                    t,
                    DnsStatus::ALL.iter().map(|c| c.as_str()).collect(),
                )
            })?,
        };
        Ok(DomainConnection {
            domain,
            connection_type,
            site,
            suppress_notifications: self.suppress_notifications.unwrap_or(false),
            dns,
            created: opt_date(&path("createdDate"), self.created_date.as_ref())?,
            updated: opt_date(&path("updatedDate"), self.updated_date.as_ref())?,
        })
    }
}

/// Body of `POST /domains/v1/connected-domains`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct CreateConnectedDomainRequest {
    /// `connectedDomain` (required, with its `domain`).
    #[serde(
        default,
        alias = "connected_domain",
        skip_serializing_if = "Option::is_none"
    )]
    pub connected_domain: Option<ConnectedDomain>,
}

impl CreateConnectedDomainRequest {
    /// The body for `r`: only the members set (no `siteInfo` without an
    /// assignment type, no read-only member).
    pub fn from_domain(r: &ConnectRequest) -> Self {
        Self {
            connected_domain: Some(ConnectedDomain {
                domain: r.domain.clone(),
                connection_type: r.connection_type.clone(),
                site_info: r.assignment_type.as_ref().map(|a| SiteInfo {
                    id: None,
                    assignment_type: Some(a.clone()),
                }),
                suppress_notifications: r.suppress_notifications,
                ..ConnectedDomain::default()
            }),
        }
    }

    /// The request as the domain takes it (validated by the domain's rules, not
    /// here: `siteInfo.id` and the read-only members are ignored).
    ///
    /// # Errors
    /// A `REQUIRED_FIELD` violation when `connectedDomain` is absent.
    pub fn to_domain(&self) -> Result<ConnectRequest, InvalidRequest> {
        let c = self.connected_domain.as_ref().ok_or_else(|| {
            InvalidRequest::one(FieldViolation::new(
                "connectedDomain",
                RuleType::RequiredField,
                "the connected domain is required",
            ))
        })?;
        Ok(ConnectRequest {
            domain: c.domain.clone(),
            connection_type: c.connection_type.clone(),
            assignment_type: c.site_info.as_ref().and_then(|s| s.assignment_type.clone()),
            suppress_notifications: c.suppress_notifications,
        })
    }
}

/// Answer of Create and Get Connected Domain: `{"connectedDomain": {...}}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct ConnectedDomainResponse {
    /// `connectedDomain`
    #[serde(
        default,
        alias = "connected_domain",
        skip_serializing_if = "Option::is_none"
    )]
    pub connected_domain: Option<ConnectedDomain>,
}

impl ConnectedDomainResponse {
    /// The answer for `c`.
    pub fn from_domain(c: &DomainConnection) -> Self {
        Self {
            connected_domain: Some(ConnectedDomain::from_domain(c)),
        }
    }

    /// The domain object.
    ///
    /// # Errors
    /// A missing `connectedDomain` or a member the domain cannot hold.
    pub fn try_into_domain(&self) -> Result<DomainConnection, ConversionError> {
        required("connectedDomain", self.connected_domain.as_ref())?
            .try_into_domain("connectedDomain")
    }
}

/// Answer of `GET /domains/v1/connected-domains`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct ListConnectedDomainsResponse {
    /// `pagingMetadata` `{count, cursors {next, prev}, hasNext}`
    #[serde(
        default,
        alias = "paging_metadata",
        skip_serializing_if = "Option::is_none"
    )]
    pub paging_metadata: Option<PagingMetadata>,
    /// `connectedDomains`
    #[serde(
        default,
        alias = "connected_domains",
        deserialize_with = "null_as_default"
    )]
    #[cfg_attr(
        feature = "schema",
        schemars(schema_with = "crate::schema::null_as_default::<Vec<ConnectedDomain>>")
    )]
    pub connected_domains: Vec<ConnectedDomain>,
}

impl ListConnectedDomainsResponse {
    /// The answer for `page`.
    pub fn from_domain(page: &ConnectionsPage) -> Self {
        Self {
            paging_metadata: Some(cursor_metadata(
                page.connections.len(),
                page.next_cursor.as_ref(),
            )),
            connected_domains: page
                .connections
                .iter()
                .map(ConnectedDomain::from_domain)
                .collect(),
        }
    }

    /// The domain page.
    ///
    /// # Errors
    /// The first member the domain cannot hold.
    pub fn try_into_domain(&self) -> Result<ConnectionsPage, ConversionError> {
        let connections = self
            .connected_domains
            .iter()
            .enumerate()
            .map(|(i, c)| c.try_into_domain(&format!("connectedDomains[{i}]")))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(ConnectionsPage {
            connections,
            next_cursor: self
                .paging_metadata
                .as_ref()
                .and_then(PagingMetadata::next_cursor)
                .map(str::to_owned),
        })
    }
}

/// A record with several values (`nsRecord`, `aRecord`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct WireDnsRecord {
    /// `hostName`
    #[serde(default, alias = "host_name", skip_serializing_if = "Option::is_none")]
    pub host_name: Option<String>,
    /// `ttl`
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ttl: Option<u32>,
    /// `values`
    #[serde(default, deserialize_with = "null_as_default")]
    #[cfg_attr(
        feature = "schema",
        schemars(schema_with = "crate::schema::null_as_default::<Vec<String>>")
    )]
    pub values: Vec<String>,
}

/// A CNAME record (`cnameRecord`, `cnameRecords[]`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct WireCnameRecord {
    /// `hostName`
    #[serde(default, alias = "host_name", skip_serializing_if = "Option::is_none")]
    pub host_name: Option<String>,
    /// `ttl`
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ttl: Option<u32>,
    /// `value`
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
}

/// `nameserverRecord`
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct NameserverRecord {
    /// `nsRecord`
    #[serde(default, alias = "ns_record", skip_serializing_if = "Option::is_none")]
    pub ns_record: Option<WireDnsRecord>,
}

/// `pointingRecords`
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct PointingRecords {
    /// `aRecord`
    #[serde(default, alias = "a_record", skip_serializing_if = "Option::is_none")]
    pub a_record: Option<WireDnsRecord>,
    /// `cnameRecord`
    #[serde(
        default,
        alias = "cname_record",
        skip_serializing_if = "Option::is_none"
    )]
    pub cname_record: Option<WireCnameRecord>,
}

/// `subdomainRecords`
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct SubdomainRecords {
    /// `cnameRecords`
    #[serde(default, alias = "cname_records", deserialize_with = "null_as_default")]
    #[cfg_attr(
        feature = "schema",
        schemars(schema_with = "crate::schema::null_as_default::<Vec<WireCnameRecord>>")
    )]
    pub cname_records: Vec<WireCnameRecord>,
}

/// `registrar`
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct WireRegistrar {
    /// `name`
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// `nameServers`
    #[serde(default, alias = "name_servers", deserialize_with = "null_as_default")]
    #[cfg_attr(
        feature = "schema",
        schemars(schema_with = "crate::schema::null_as_default::<Vec<String>>")
    )]
    pub name_servers: Vec<String>,
}

/// `connectedDomainSetupInfo`
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct ConnectedDomainSetupInfo {
    /// `connectedDomainId`
    #[serde(
        default,
        alias = "connected_domain_id",
        skip_serializing_if = "Option::is_none"
    )]
    pub connected_domain_id: Option<String>,
    /// `registrar`
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registrar: Option<WireRegistrar>,
    /// `registrarName`: only in Wix's example (read as `registrar.name`, never written).
    #[serde(default, alias = "registrar_name", skip_serializing)]
    pub registrar_name: Option<String>,
    /// `nameserverRecord` (`NAMESERVERS`)
    #[serde(
        default,
        alias = "nameserver_record",
        skip_serializing_if = "Option::is_none"
    )]
    pub nameserver_record: Option<NameserverRecord>,
    /// `pointingRecords` (`POINTING`)
    #[serde(
        default,
        alias = "pointing_records",
        skip_serializing_if = "Option::is_none"
    )]
    pub pointing_records: Option<PointingRecords>,
    /// `subdomainRecords` (subdomains)
    #[serde(
        default,
        alias = "subdomain_records",
        skip_serializing_if = "Option::is_none"
    )]
    pub subdomain_records: Option<SubdomainRecords>,
}

/// Answer of `GET /domains/v1/connected-domain-setup-info/{domain}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct SetupInfoResponse {
    /// `connectedDomainSetupInfo`
    #[serde(
        default,
        alias = "connected_domain_setup_info",
        skip_serializing_if = "Option::is_none"
    )]
    pub connected_domain_setup_info: Option<ConnectedDomainSetupInfo>,
}

fn record_to_wire(r: &DnsRecord) -> WireDnsRecord {
    WireDnsRecord {
        host_name: Some(r.host_name.clone()),
        ttl: Some(r.ttl),
        values: r.values.clone(),
    }
}

fn cname_to_wire(r: &CnameRecord) -> WireCnameRecord {
    WireCnameRecord {
        host_name: Some(r.host_name.clone()),
        ttl: Some(r.ttl),
        value: Some(r.value.clone()),
    }
}

fn record_from_wire(path: &str, r: &WireDnsRecord) -> Result<DnsRecord, ConversionError> {
    Ok(DnsRecord {
        host_name: required(&format!("{path}.hostName"), r.host_name.as_ref())?.clone(),
        ttl: r.ttl.unwrap_or(0),
        values: r.values.clone(),
    })
}

fn cname_from_wire(path: &str, r: &WireCnameRecord) -> Result<CnameRecord, ConversionError> {
    Ok(CnameRecord {
        host_name: required(&format!("{path}.hostName"), r.host_name.as_ref())?.clone(),
        ttl: r.ttl.unwrap_or(0),
        value: required(&format!("{path}.value"), r.value.as_ref())?.clone(),
    })
}

impl SetupInfoResponse {
    /// The answer for `info`: exactly one record set (D21).
    pub fn from_domain(info: &SetupInfo) -> Self {
        let mut out = ConnectedDomainSetupInfo {
            connected_domain_id: Some(info.domain.to_string()),
            registrar: Some(WireRegistrar {
                name: Some(info.registrar.name.clone()),
                name_servers: info.registrar.name_servers.clone(),
            }),
            ..ConnectedDomainSetupInfo::default()
        };
        match &info.records {
            SetupRecords::Nameservers { ns } => {
                out.nameserver_record = Some(NameserverRecord {
                    ns_record: Some(record_to_wire(ns)),
                });
            }
            SetupRecords::Pointing { a, cname } => {
                out.pointing_records = Some(PointingRecords {
                    a_record: Some(record_to_wire(a)),
                    cname_record: Some(cname_to_wire(cname)),
                });
            }
            SetupRecords::Subdomain { cnames } => {
                out.subdomain_records = Some(SubdomainRecords {
                    cname_records: cnames.iter().map(cname_to_wire).collect(),
                });
            }
        }
        Self {
            connected_domain_setup_info: Some(out),
        }
    }

    /// The domain setup info. `registrarName` (Wix's example) is read as
    /// `registrar.name`; the first record set present is taken, in the order
    /// name servers, pointing, subdomain.
    ///
    /// # Errors
    /// A missing member, or no record set at all.
    pub fn try_into_domain(&self) -> Result<SetupInfo, ConversionError> {
        let root = "connectedDomainSetupInfo";
        let s = required(root, self.connected_domain_setup_info.as_ref())?;
        let domain = name(
            &format!("{root}.connectedDomainId"),
            s.connected_domain_id.as_ref(),
        )?;
        let registrar = Registrar {
            name: s
                .registrar
                .as_ref()
                .and_then(|r| r.name.clone())
                .or_else(|| s.registrar_name.clone())
                .unwrap_or_default(),
            name_servers: s
                .registrar
                .as_ref()
                .map(|r| r.name_servers.clone())
                .unwrap_or_default(),
        };
        let records = if let Some(n) = &s.nameserver_record {
            let path = format!("{root}.nameserverRecord.nsRecord");
            SetupRecords::Nameservers {
                ns: record_from_wire(&path, required(&path, n.ns_record.as_ref())?)?,
            }
        } else if let Some(p) = &s.pointing_records {
            let a = format!("{root}.pointingRecords.aRecord");
            let c = format!("{root}.pointingRecords.cnameRecord");
            SetupRecords::Pointing {
                a: record_from_wire(&a, required(&a, p.a_record.as_ref())?)?,
                cname: cname_from_wire(&c, required(&c, p.cname_record.as_ref())?)?,
            }
        } else if let Some(sub) = &s.subdomain_records {
            SetupRecords::Subdomain {
                cnames: sub
                    .cname_records
                    .iter()
                    .enumerate()
                    .map(|(i, c)| {
                        cname_from_wire(&format!("{root}.subdomainRecords.cnameRecords[{i}]"), c)
                    })
                    .collect::<Result<_, _>>()?,
            }
        } else {
            return Err(ConversionError::new(
                format!("{root}.nameserverRecord"),
                crate::error::Problem::Missing,
            ));
        };
        Ok(SetupInfo {
            domain,
            registrar,
            records,
        })
    }
}
