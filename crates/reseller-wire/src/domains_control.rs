//! The emulator's domain control documents (`spec/emulator.md`): taken names
//! (`POST /_emulator/domains/taken`), the TLDs sold (`PUT /_emulator/tlds`), DNS
//! propagation (`PUT /_emulator/dns`, `POST /_emulator/connected-domains/{domain}/dns-status`),
//! and a connected domain as the seed and the state document store it (the Wix
//! object plus the owning account and the propagation timer).

use reseller_domain::AccountId;
use reseller_domain::domains::{ConnectedDomain as Connected, DnsStatus, Propagation};
use serde::{Deserialize, Serialize};

use crate::convert::{opt_date, req_guid};
use crate::domains::ConnectedDomain;
use crate::error::ConversionError;
use crate::json::null_as_default;

/// `POST /_emulator/domains/taken`: `{"domains": [...]}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct TakenDomainsDoc {
    /// `domains`: names that answer `available: false`.
    #[serde(default, deserialize_with = "null_as_default")]
    #[cfg_attr(
        feature = "schema",
        schemars(schema_with = "crate::schema::null_as_default::<Vec<String>>")
    )]
    pub domains: Vec<String>,
}

/// `PUT /_emulator/tlds`: `{"tlds": [...]}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct TldsDoc {
    /// `tlds`, without the dot.
    #[serde(default, deserialize_with = "null_as_default")]
    #[cfg_attr(
        feature = "schema",
        schemars(schema_with = "crate::schema::null_as_default::<Vec<String>>")
    )]
    pub tlds: Vec<String>,
}

/// `PUT /_emulator/dns`: `{"mode": "auto"|"manual", "delayMs"?}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct DnsModeDoc {
    /// `mode`: `auto` or `manual` (required).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode: Option<String>,
    /// `delayMs` (auto mode; default 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delay_ms: Option<i64>,
}

impl DnsModeDoc {
    /// The document of `p`.
    pub fn from_domain(p: Propagation) -> Self {
        match p {
            Propagation::Auto { delay_millis } => Self {
                mode: Some("auto".to_owned()),
                delay_ms: Some(i64::try_from(delay_millis).unwrap_or(i64::MAX)),
            },
            Propagation::Manual => Self {
                mode: Some("manual".to_owned()),
                delay_ms: None,
            },
        }
    }

    /// The propagation mode, or why not (a sentence naming the member).
    ///
    /// # Errors
    /// `mode` missing or unknown, `delayMs` negative.
    pub fn to_domain(&self) -> Result<Propagation, String> {
        match (self.mode.as_deref(), self.delay_ms) {
            (Some("manual"), _) => Ok(Propagation::Manual),
            (Some("auto"), None) => Ok(Propagation::Auto { delay_millis: 0 }),
            (Some("auto"), Some(ms)) => u64::try_from(ms)
                .map(|delay_millis| Propagation::Auto { delay_millis })
                .map_err(|_| "delayMs must not be negative".to_owned()),
            _ => Err("mode must be `auto` or `manual`".to_owned()),
        }
    }
}

/// `POST /_emulator/connected-domains/{domain}/dns-status`: `{"status"}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct DnsStatusDoc {
    /// `status`: `IN_PROGRESS`, `COMPLETED` or `FAILED`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
}

impl DnsStatusDoc {
    /// The status, or why not.
    ///
    /// # Errors
    /// Missing, unknown, or `UNKNOWN_DNS_PROPAGATION_STATUS`.
    pub fn to_domain(&self) -> Result<DnsStatus, String> {
        match self.status.as_deref().and_then(DnsStatus::parse) {
            Some(s) if s != DnsStatus::Unknown => Ok(s),
            _ => Err("status must be IN_PROGRESS, COMPLETED or FAILED".to_owned()),
        }
    }
}

/// A connected domain in the seed and the state document.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct ConnectedDomainDoc {
    /// The account that connected it (required).
    #[serde(default, alias = "account_id", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(extend("format" = "uuid")))]
    pub account_id: Option<String>,
    /// When automatic propagation completes (absent: only the control call moves it).
    #[serde(
        default,
        alias = "propagates_at",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "schema", schemars(extend("format" = "date-time")))]
    pub propagates_at: Option<String>,
    /// The `connectedDomain` object.
    #[serde(flatten)]
    pub domain: ConnectedDomain,
}

impl ConnectedDomainDoc {
    /// The document of `c`.
    pub fn from_domain(c: &Connected) -> Self {
        Self {
            account_id: Some(c.account.to_string()),
            propagates_at: c.propagates_at.map(|t| t.to_rfc3339()),
            domain: ConnectedDomain::from_domain(&c.connection()),
        }
    }

    /// The aggregate; absent dates are `now`.
    ///
    /// # Errors
    /// The first member the domain cannot hold, under `path`.
    pub fn try_into_domain(
        &self,
        path: &str,
        now: reseller_domain::Timestamp,
    ) -> Result<Connected, ConversionError> {
        let c = self.domain.try_into_domain(path)?;
        let account: AccountId = req_guid(&format!("{path}.accountId"), self.account_id.as_ref())?;
        let created = c.created.unwrap_or(now);
        Ok(Connected {
            domain: c.domain,
            account,
            connection_type: c.connection_type,
            site: c.site,
            suppress_notifications: c.suppress_notifications,
            dns: c.dns,
            propagates_at: opt_date(&format!("{path}.propagatesAt"), self.propagates_at.as_ref())?,
            created,
            updated: c.updated.unwrap_or(created).max(created),
        })
    }
}
