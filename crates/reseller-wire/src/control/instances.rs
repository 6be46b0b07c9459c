//! The control API's moves of product instances: a status change, an extension,
//! and the provisioning mode that moves new instances out of `PENDING`.

use reseller_domain::InstanceStatus;
use serde::{Deserialize, Serialize};

use crate::convert::{required, unknown_enum};
use crate::enums::WireStatus;
use crate::error::ConversionError;
use crate::package::Failure;

/// `POST /_emulator/instances/{instanceId}/extend`: the dashboard's extension of
/// an expiring instance.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct ExtendDoc {
    /// `cycles`: whole billing cycles to add (default 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cycles: Option<i64>,
}

/// `POST /_emulator/instances/{instanceId}/status`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct StatusChangeDoc {
    /// `status` (required).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<WireStatus>,
    /// `failure`: the reason, for `FAILED`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failure: Option<Failure>,
}

impl StatusChangeDoc {
    /// The document of a status.
    pub fn from_domain(status: &InstanceStatus) -> Self {
        Self {
            status: Some(status.name().into()),
            failure: match status {
                InstanceStatus::Failed(f) => Some(Failure::from(f)),
                _ => None,
            },
        }
    }

    /// The domain status (a `FAILED` without `failure` fails with `UNKNOWN`).
    ///
    /// # Errors
    /// A missing or unknown `status`.
    pub fn try_into_domain(&self) -> Result<InstanceStatus, ConversionError> {
        use reseller_domain::StatusName as N;
        let status = required("status", self.status.as_ref())?;
        let name = status
            .to_domain()
            .ok_or_else(|| unknown_enum("status", status.as_str(), WireStatus::known_names()))?;
        Ok(match name {
            N::Pending => InstanceStatus::Pending,
            N::AwaitingAction => InstanceStatus::AwaitingAction,
            N::Enabled => InstanceStatus::Enabled,
            N::Canceled => InstanceStatus::Canceled,
            N::Failed => InstanceStatus::Failed(
                self.failure
                    .as_ref()
                    .map(Failure::to_domain)
                    .unwrap_or_else(|| Failure::default().to_domain()),
            ),
        })
    }
}

/// `PUT /_emulator/provisioning`: `{"mode": "auto"|"manual", "delayMs"?}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct ProvisioningDoc {
    /// `mode`: `auto` or `manual` (required).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode: Option<String>,
    /// `delayMs` (auto mode; default 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delay_ms: Option<i64>,
}

impl ProvisioningDoc {
    /// `{"mode": "auto", "delayMs"}`: a new instance is `ENABLED` once
    /// `delay_millis` have passed (a delay past `i64::MAX` is written as that).
    pub fn auto(delay_millis: u64) -> Self {
        Self {
            mode: Some("auto".to_owned()),
            delay_ms: Some(i64::try_from(delay_millis).unwrap_or(i64::MAX)),
        }
    }

    /// `{"mode": "manual"}`: a new instance stays `PENDING` until a status move.
    pub fn manual() -> Self {
        Self {
            mode: Some("manual".to_owned()),
            delay_ms: None,
        }
    }
}
