//! The mockall mocks (feature `mock`) stand in for a port, also behind `Arc<dyn _>`.

#![cfg(feature = "mock")]

use std::sync::Arc;

use reseller_domain::error::Violation;
use reseller_domain::{ErrorCode, PackageId};
use reseller_ports::{Call, ErrorKind, MockResellerPackages, PortError, ResellerPackages};

#[tokio::test]
async fn a_mock_answers_through_an_arc_of_the_trait() {
    let id = PackageId::parse("828b98fb-7114-4b3c-90fd-8d0db76aa72b").unwrap();
    let mut mock = MockResellerPackages::new();
    mock.expect_get_package()
        .withf(move |_, asked| *asked == id)
        .times(1)
        .returning(|_, asked| {
            Err(PortError::from(Violation::PackageNotFound {
                package: asked,
            }))
        });
    let port: Arc<dyn ResellerPackages> = Arc::new(mock);
    let err = port.get_package(&Call::new(), id).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound);
    assert_eq!(err.code(), &ErrorCode::PackageNotFound);
    assert_eq!(err.status(), Some(404));
}
