//! Domains for resellers (`wix-domains.md`): names and TLDs, Domain Search's
//! availability and suggestions, the connected-domain aggregate with its DNS
//! propagation, the Connected Domains operations, the Premium-plan prerequisite and
//! the disconnect when the plan leaves the site, and the expiring-domains report.
//! Pure, like the rest of the crate.

pub mod connected;
pub mod error;
pub mod expiry;
pub mod name;
pub mod ops;
pub mod suggest;

pub use connected::{
    AssignmentType, CnameRecord, ConnectedDomain, ConnectionType, ConnectionsPage, DnsRecord,
    DnsStatus, DomainConnection, Propagation, Registrar, SetupInfo, SetupRecords, SiteAssignment,
};
pub use error::{DomainCode, DomainViolation};
pub use expiry::{Expiring, expiring_within};
pub use name::{Availability, DomainName, NameError, Tld, TldSet, check_domain};
pub use ops::{
    ConnectRequest, Connected, ConnectedPage, DomainsView, authorize_connected,
    create_connected_domain, disconnect_site, get_connected_domain, is_available, is_premium,
    list_connected_domains, setup_info,
};
pub use suggest::{Suggest, SuggestPage, SuggestRequest};
