//! What a reseller backend writes most, in one import: ids and values of the
//! domain, the request builders and query helpers, the port traits and error,
//! `create_once`, the HTTP client (feature `http`) and the stream extension traits
//! the paginator's streams need.

pub use futures_util::{StreamExt, TryStreamExt};
pub use reseller_app::{Attempts, Created, Origin, SafeError, create_once};
pub use reseller_domain::ops::{Adjust, CreatePackage, NewInstance};
pub use reseller_domain::query::{Filter, PackageQuery};
pub use reseller_domain::{
    AccountId, Billing, CatalogProductId, CountryCode, ErrorCode, ExternalId, InstanceId,
    InstanceStatus, Package, PackageId, SiteId, StatusName,
};
pub use reseller_ports::{
    Accounts, ApiKey, Call, ErrorKind, PortError, ResellerPackages, SiteTransfers, Sites,
    SitesQuery, Wix, pages,
};

#[cfg(feature = "http")]
pub use adapter_wix_http::{RetryPolicy, WixHttpClient};
