//! Get Connected Domain Setup Info (`wix-domains.md` 3): the registrar and the
//! DNS records a connection needs, and their conversion to and from the domain.

use reseller_domain::domains::{CnameRecord, DnsRecord, Registrar, SetupInfo, SetupRecords};
use serde::{Deserialize, Serialize};

use super::name;
use crate::convert::required;
use crate::error::ConversionError;
use crate::json::null_as_default;

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
