//! Connected Domains (`wix-domains.md` 3): the `connectedDomain` object, the
//! Create body, the answers of Create, Get and List, List's query string, and
//! their conversions to and from the domain. The `wix-site-id` header carries
//! Create's site.

use reseller_domain::SiteId;
use reseller_domain::domains::{
    AssignmentType, ConnectRequest, ConnectionType, ConnectionsPage, DnsStatus, DomainConnection,
    SiteAssignment,
};
use reseller_domain::{FieldViolation, RuleType};
use serde::{Deserialize, Serialize};

use super::{integer, name};
use crate::convert::{guid, opt_date, required, unknown_enum};
use crate::error::{ConversionError, InvalidRequest};
use crate::json::null_as_default;
use crate::query::PagingMetadata;

/// The header naming Create Connected Domain's site.
pub const SITE_HEADER: &str = "wix-site-id";

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
                limit = Some(integer("paging.limit", v).map_err(InvalidRequest::one)?);
            }
            "paging.cursor" => cursor = Some(v.clone()),
            _ => {}
        }
    }
    Ok((limit, cursor))
}

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
            paging_metadata: Some(PagingMetadata::next_page(
                page.connections.len(),
                page.next_cursor.clone(),
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
