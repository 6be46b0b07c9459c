//! The connected-domain aggregate (`wix-domains.md` 3.2): an external domain, the
//! account that connected it, how (nameservers, pointing, or none for a subdomain),
//! the site it serves and as what, and its DNS propagation as a state machine
//! ([`DnsStatus::can_move_to`], [`ConnectedDomain::settle`]); and the setup records
//! the owner must set at the registrar (D21).

use std::fmt;

use crate::ids::{AccountId, SiteId};
use crate::time::Timestamp;

use super::error::DomainViolation;
use super::name::DomainName;

/// `ConnectionType`
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ConnectionType {
    /// `UNKNOWN_CONNECTION_TYPE`: what a subdomain answers.
    Unknown,
    /// `POINTING`: Wix doesn't manage DNS.
    Pointing,
    /// `NAMESERVERS`: Wix manages DNS.
    Nameservers,
    /// `HIDDEN`: not visible to visitors (never accepted on Create).
    Hidden,
}

impl ConnectionType {
    /// Every value.
    pub const ALL: [ConnectionType; 4] = [
        Self::Unknown,
        Self::Pointing,
        Self::Nameservers,
        Self::Hidden,
    ];

    /// The wire string.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Unknown => "UNKNOWN_CONNECTION_TYPE",
            Self::Pointing => "POINTING",
            Self::Nameservers => "NAMESERVERS",
            Self::Hidden => "HIDDEN",
        }
    }

    /// Parses a wire string.
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == text)
    }
}

/// `AssignmentType`
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AssignmentType {
    /// `UNKNOWN_ASSIGNMENT_TYPE`
    Unknown,
    /// `PRIMARY`: the site's main address.
    Primary,
    /// `REDIRECT`: redirects to the primary domain.
    Redirect,
}

impl AssignmentType {
    /// Every value.
    pub const ALL: [AssignmentType; 3] = [Self::Unknown, Self::Primary, Self::Redirect];

    /// The wire string.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Unknown => "UNKNOWN_ASSIGNMENT_TYPE",
            Self::Primary => "PRIMARY",
            Self::Redirect => "REDIRECT",
        }
    }

    /// Parses a wire string.
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == text)
    }
}

/// `DnsPropagationStatus` (D16): read-only, moved only by Wix (the emulator: its
/// clock or its control call).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DnsStatus {
    /// `UNKNOWN_DNS_PROPAGATION_STATUS`: a new connection, as Create answers.
    Unknown,
    /// `IN_PROGRESS`
    InProgress,
    /// `COMPLETED`
    Completed,
    /// `FAILED`
    Failed,
}

impl DnsStatus {
    /// Every value.
    pub const ALL: [DnsStatus; 4] = [
        Self::Unknown,
        Self::InProgress,
        Self::Completed,
        Self::Failed,
    ];

    /// The wire string.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Unknown => "UNKNOWN_DNS_PROPAGATION_STATUS",
            Self::InProgress => "IN_PROGRESS",
            Self::Completed => "COMPLETED",
            Self::Failed => "FAILED",
        }
    }

    /// Parses a wire string.
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == text)
    }

    /// The edges of propagation (D16): nothing returns to `UNKNOWN`; a new
    /// connection may go anywhere else; `IN_PROGRESS` ends `COMPLETED` or
    /// `FAILED`; a `FAILED` one may be tried again (`IN_PROGRESS`); `COMPLETED` is
    /// final. Staying where it is is always allowed (nothing changes).
    pub fn can_move_to(self, to: DnsStatus) -> bool {
        use DnsStatus::{Completed, Failed, InProgress, Unknown};
        self == to
            || matches!(
                (self, to),
                (Unknown, InProgress | Completed | Failed)
                    | (InProgress, Completed | Failed)
                    | (Failed, InProgress)
            )
    }
}

impl fmt::Display for DnsStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How new connections propagate (`PUT /_emulator/dns`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Propagation {
    /// `UNKNOWN` in the Create answer, `IN_PROGRESS` from the next call on, and
    /// `COMPLETED` once `delay_millis` of the clock have passed since creation.
    Auto {
        /// The delay, in milliseconds of the injected clock.
        delay_millis: u64,
    },
    /// `IN_PROGRESS` from the next call on, until the control call moves it.
    Manual,
}

impl Default for Propagation {
    fn default() -> Self {
        Self::Auto { delay_millis: 0 }
    }
}

/// `siteInfo`: the site the domain serves, and as what.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SiteAssignment {
    /// `siteInfo.id`
    pub site: SiteId,
    /// `siteInfo.assignmentType`
    pub assignment: AssignmentType,
}

/// A connected domain (`connectedDomain`); `id` is the domain name (D8).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectedDomain {
    /// `domain` (and `id`).
    pub domain: DomainName,
    /// The account that connected it (the `wix-account-id` of Create).
    pub account: AccountId,
    /// `connectionType`
    pub connection_type: ConnectionType,
    /// `siteInfo`; `None` once unassigned (a new primary, or the site lost its
    /// Premium plan).
    pub site: Option<SiteAssignment>,
    /// `suppressNotifications`
    pub suppress_notifications: bool,
    /// `dnsPropagationStatus`
    pub dns: DnsStatus,
    /// When automatic propagation completes; `None` when only the control call
    /// moves it (manual mode, or once moved by hand).
    pub propagates_at: Option<Timestamp>,
    /// `createdDate`
    pub created: Timestamp,
    /// `updatedDate`
    pub updated: Timestamp,
}

impl ConnectedDomain {
    /// A new connection at `now`: `UNKNOWN_DNS_PROPAGATION_STATUS`, with its
    /// completion time when `propagation` is automatic.
    pub fn new(
        domain: DomainName,
        account: AccountId,
        connection_type: ConnectionType,
        site: Option<SiteAssignment>,
        suppress_notifications: bool,
        propagation: Propagation,
        now: Timestamp,
    ) -> Self {
        let propagates_at = match propagation {
            Propagation::Auto { delay_millis } => {
                Some(now.plus_millis(i64::try_from(delay_millis).unwrap_or(i64::MAX)))
            }
            Propagation::Manual => None,
        };
        Self {
            domain,
            account,
            connection_type,
            site,
            suppress_notifications,
            dns: DnsStatus::Unknown,
            propagates_at,
            created: now,
            updated: now,
        }
    }

    /// What the clock does at `now` to a connection answered before (the store
    /// calls this before every request): `UNKNOWN` becomes `IN_PROGRESS`, and an
    /// automatic propagation whose time has come becomes `COMPLETED`. `None` when
    /// nothing changes.
    pub fn settle(&self, now: Timestamp) -> Option<ConnectedDomain> {
        let due = self.propagates_at.is_some_and(|at| at <= now);
        let to = match self.dns {
            DnsStatus::Unknown | DnsStatus::InProgress if due => DnsStatus::Completed,
            DnsStatus::Unknown => DnsStatus::InProgress,
            _ => return None,
        };
        Some(Self {
            dns: to,
            propagates_at: if to == DnsStatus::Completed {
                None
            } else {
                self.propagates_at
            },
            updated: now.max(self.updated),
            ..self.clone()
        })
    }

    /// The control call's move (`POST /_emulator/connected-domains/{domain}/dns-status`):
    /// from then on only the control call moves this domain.
    ///
    /// # Errors
    /// 409 `ILLEGAL_STATUS_TRANSITION` for an edge [`DnsStatus::can_move_to`] refuses
    /// (and for `UNKNOWN`, which is never a target).
    pub fn move_dns(&self, to: DnsStatus, now: Timestamp) -> Result<Self, DomainViolation> {
        if to == DnsStatus::Unknown || !self.dns.can_move_to(to) {
            return Err(DomainViolation::IllegalDnsTransition {
                domain: self.domain.to_string(),
                from: self.dns,
                to,
            });
        }
        Ok(Self {
            dns: to,
            propagates_at: None,
            updated: if to == self.dns {
                self.updated
            } else {
                now.max(self.updated)
            },
            ..self.clone()
        })
    }

    /// This domain no longer serves a site (`siteInfo` cleared at `now`).
    pub fn unassigned(&self, now: Timestamp) -> Self {
        Self {
            site: None,
            updated: now.max(self.updated),
            ..self.clone()
        }
    }

    /// The setup records of this connection (D21).
    pub fn setup_info(&self) -> SetupInfo {
        let name = self.domain.as_str().to_owned();
        let records = if self.domain.is_subdomain() {
            SetupRecords::Subdomain {
                cnames: vec![CnameRecord {
                    host_name: name.clone(),
                    ttl: SHORT_TTL,
                    value: WIX_CNAME.to_owned(),
                }],
            }
        } else if self.connection_type == ConnectionType::Pointing {
            SetupRecords::Pointing {
                a: DnsRecord {
                    host_name: name.clone(),
                    ttl: SHORT_TTL,
                    values: vec![WIX_A_RECORD.to_owned()],
                },
                cname: CnameRecord {
                    host_name: format!("www.{name}"),
                    ttl: SHORT_TTL,
                    value: WIX_CNAME.to_owned(),
                },
            }
        } else {
            SetupRecords::Nameservers {
                ns: DnsRecord {
                    host_name: name.clone(),
                    ttl: LONG_TTL,
                    values: WIX_NAME_SERVERS.iter().map(|s| (*s).to_owned()).collect(),
                },
            }
        };
        SetupInfo {
            domain: self.domain.clone(),
            registrar: Registrar {
                name: EMULATED_REGISTRAR.to_owned(),
                name_servers: REGISTRAR_NAME_SERVERS
                    .iter()
                    .map(|s| (*s).to_owned())
                    .collect(),
            },
            records,
        }
    }
}

/// What Wix answers about a connected domain: the `connectedDomain` object
/// (the aggregate without what only the emulator keeps: the owning account and the
/// propagation timer). Dates are absent in Wix's examples, so they are optional.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DomainConnection {
    /// `domain` (and `id`).
    pub domain: DomainName,
    /// `connectionType`
    pub connection_type: ConnectionType,
    /// `siteInfo`
    pub site: Option<SiteAssignment>,
    /// `suppressNotifications`
    pub suppress_notifications: bool,
    /// `dnsPropagationStatus`
    pub dns: DnsStatus,
    /// `createdDate`
    pub created: Option<Timestamp>,
    /// `updatedDate`
    pub updated: Option<Timestamp>,
}

/// One page of List Connected Domains, as answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectionsPage {
    /// The domains.
    pub connections: Vec<DomainConnection>,
    /// `pagingMetadata.cursors.next`, when more follow.
    pub next_cursor: Option<String>,
}

impl ConnectedDomain {
    /// What Wix answers about this domain.
    pub fn connection(&self) -> DomainConnection {
        DomainConnection {
            domain: self.domain.clone(),
            connection_type: self.connection_type,
            site: self.site,
            suppress_notifications: self.suppress_notifications,
            dns: self.dns,
            created: Some(self.created),
            updated: Some(self.updated),
        }
    }
}

/// `registrar.name` of every emulated setup info.
pub const EMULATED_REGISTRAR: &str = "EMULATED_REGISTRAR";
/// The registrar's current name servers (the ones the owner replaces).
pub const REGISTRAR_NAME_SERVERS: [&str; 2] =
    ["ns1.emulated-registrar.net", "ns2.emulated-registrar.net"];
/// Wix's name servers, as in Wix's example.
pub const WIX_NAME_SERVERS: [&str; 2] = ["ns12.wixdns.net", "ns13.wixdns.net"];
/// The A record value of a pointing connection (emulated).
pub const WIX_A_RECORD: &str = "185.230.63.107";
/// The CNAME target of pointing and subdomain connections (emulated).
pub const WIX_CNAME: &str = "cdn1.wixdns.net";
/// TTL of name-server records, as in Wix's example.
pub const LONG_TTL: u32 = 86_400;
/// TTL of A and CNAME records.
pub const SHORT_TTL: u32 = 3_600;

/// A record with several values (`nsRecord`, `aRecord`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DnsRecord {
    /// `hostName`
    pub host_name: String,
    /// `ttl`
    pub ttl: u32,
    /// `values`
    pub values: Vec<String>,
}

/// A CNAME record (`cnameRecord`, `cnameRecords[]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CnameRecord {
    /// `hostName`
    pub host_name: String,
    /// `ttl`
    pub ttl: u32,
    /// `value`
    pub value: String,
}

/// `registrar`
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Registrar {
    /// `name`
    pub name: String,
    /// `nameServers`: the current ones.
    pub name_servers: Vec<String>,
}

/// Exactly one of the three record sets (D21).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SetupRecords {
    /// `nameserverRecord` (`NAMESERVERS`)
    Nameservers {
        /// `nsRecord`
        ns: DnsRecord,
    },
    /// `pointingRecords` (`POINTING`)
    Pointing {
        /// `aRecord`
        a: DnsRecord,
        /// `cnameRecord`
        cname: CnameRecord,
    },
    /// `subdomainRecords` (subdomains)
    Subdomain {
        /// `cnameRecords`
        cnames: Vec<CnameRecord>,
    },
}

/// `connectedDomainSetupInfo`
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetupInfo {
    /// `connectedDomainId`
    pub domain: DomainName,
    /// `registrar`
    pub registrar: Registrar,
    /// The records to set.
    pub records: SetupRecords,
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn at(ms: i64) -> Timestamp {
        Timestamp::from_unix_millis(1_700_000_000_000 + ms).unwrap()
    }

    fn domain(name: &str, ct: ConnectionType, p: Propagation) -> ConnectedDomain {
        ConnectedDomain::new(
            DomainName::parse(name).unwrap(),
            AccountId::from_uuid(uuid::Uuid::from_u128(1)),
            ct,
            None,
            false,
            p,
            at(0),
        )
    }

    #[test]
    fn d16_auto_propagation_answers_unknown_then_in_progress_then_completed() {
        let d = domain(
            "bakery.com",
            ConnectionType::Nameservers,
            Propagation::Auto { delay_millis: 1000 },
        );
        assert_eq!(d.dns, DnsStatus::Unknown);
        let d = d.settle(at(10)).unwrap();
        assert_eq!(d.dns, DnsStatus::InProgress);
        assert_eq!(d.settle(at(999)), None);
        let d = d.settle(at(1000)).unwrap();
        assert_eq!(d.dns, DnsStatus::Completed);
        assert_eq!(d.settle(at(5000)), None);
    }

    #[test]
    fn d16_manual_propagation_waits_for_the_control_call() {
        let d = domain("bakery.com", ConnectionType::Pointing, Propagation::Manual);
        let d = d.settle(at(1)).unwrap();
        assert_eq!(d.dns, DnsStatus::InProgress);
        assert_eq!(d.settle(at(10_000_000)), None);
        let failed = d.move_dns(DnsStatus::Failed, at(2)).unwrap();
        assert!(failed.move_dns(DnsStatus::Completed, at(3)).is_err());
        let done = failed
            .move_dns(DnsStatus::InProgress, at(3))
            .unwrap()
            .move_dns(DnsStatus::Completed, at(4))
            .unwrap();
        let e = done.move_dns(DnsStatus::InProgress, at(5)).unwrap_err();
        assert_eq!(e.code().http_status(), 409);
        assert!(d.move_dns(DnsStatus::Unknown, at(5)).is_err());
    }

    #[test]
    fn d21_setup_info_has_exactly_the_records_of_the_connection() {
        let ns = domain(
            "bakery.com",
            ConnectionType::Nameservers,
            Propagation::Manual,
        )
        .setup_info();
        assert!(
            matches!(&ns.records, SetupRecords::Nameservers { ns } if ns.values == ["ns12.wixdns.net", "ns13.wixdns.net"] && ns.ttl == 86_400)
        );
        let pointing =
            domain("bakery.com", ConnectionType::Pointing, Propagation::Manual).setup_info();
        assert!(matches!(pointing.records, SetupRecords::Pointing { .. }));
        let sub = domain(
            "shop.bakery.com",
            ConnectionType::Unknown,
            Propagation::Manual,
        )
        .setup_info();
        assert!(matches!(sub.records, SetupRecords::Subdomain { .. }));
        assert_eq!(sub.registrar.name, "EMULATED_REGISTRAR");
    }

    fn status() -> impl Strategy<Value = DnsStatus> {
        prop::sample::select(DnsStatus::ALL.to_vec())
    }

    proptest! {
        /// D16: whatever the control calls and the clock do, a domain never goes
        /// back to UNKNOWN, never leaves COMPLETED, and its dates never go back.
        #[test]
        fn propagation_keeps_its_edges(
            moves in proptest::collection::vec((status(), 0i64..5000, any::<bool>()), 0..20),
            delay in 0u64..3000,
        ) {
            let mut d = domain("bakery.com", ConnectionType::Nameservers, Propagation::Auto { delay_millis: delay });
            let mut now = 0;
            for (to, step, by_clock) in moves {
                now += step;
                let before = d.clone();
                let next = if by_clock { d.settle(at(now)).unwrap_or_else(|| d.clone()) } else { d.move_dns(to, at(now)).unwrap_or_else(|_| d.clone()) };
                prop_assert!(before.dns.can_move_to(next.dns));
                prop_assert!(next.dns != DnsStatus::Unknown || before.dns == DnsStatus::Unknown);
                prop_assert!(next.updated >= before.updated);
                d = next;
            }
        }
    }
}
