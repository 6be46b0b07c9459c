//! The typed control client (`EmulatorControl`) against the emulator: a refused
//! control call is read as the Wix calls' refusals are, so its `PortError` carries
//! the emulator's code, message and field violations, not the status name and
//! the raw body.

use adapter_wix_http::WixHttpClient;
use adapter_wix_http::control::{EmulatorControl, Fault};
use reseller_domain::ops::{BillingRequest, CreatePackage, NewInstance};
use reseller_domain::{
    AccountId, Billing, CatalogProductId, CountryCode, ErrorCode, InstanceStatus, RuleType,
};
use reseller_emulator::{DEMO_API_KEY, DEMO_MAIN_ACCOUNT, DEMO_PREMIUM_PLAN, Emulator};
use reseller_ports::{ApiKey, Call, ErrorKind, Provisioning, ResellerPackages};

use crate::support::NOBODY;

#[tokio::test]
async fn a_refused_control_call_carries_the_emulators_code_and_message() {
    let running = Emulator::spawn_demo().await.unwrap();
    let control = EmulatorControl::new(running.base_url()).unwrap();
    control.provisioning(Provisioning::Manual).await.unwrap();
    let client = WixHttpClient::builder(ApiKey::new(DEMO_API_KEY))
        .base_url(running.base_url())
        .account(AccountId::parse(DEMO_MAIN_ACCOUNT).unwrap())
        .build()
        .unwrap();
    let created = client
        .create_package(
            &Call::new(),
            &CreatePackage {
                external_id: None,
                products: vec![NewInstance {
                    catalog_product_id: CatalogProductId::parse(DEMO_PREMIUM_PLAN).unwrap(),
                    country_code: Some(CountryCode::new("US").unwrap()),
                    site: None,
                    billing: Some(BillingRequest::of(Billing::monthly())),
                    discount_code: None,
                    reference: None,
                }],
            },
        )
        .await
        .unwrap();
    let instance = created.instances()[0].id();
    control
        .set_status(instance, &InstanceStatus::Enabled)
        .await
        .unwrap();

    // ENABLED back to PENDING: the emulator's 409 ILLEGAL_STATUS_TRANSITION.
    let e = control
        .set_status(instance, &InstanceStatus::Pending)
        .await
        .unwrap_err();
    assert_eq!(e.code(), &ErrorCode::IllegalStatusTransition, "{e}");
    assert_eq!(e.status(), Some(409));
    assert_eq!(e.kind(), ErrorKind::Conflict, "{e}");
    assert!(
        !e.message().is_empty() && !e.message().starts_with('{'),
        "the message is Wix's, not the raw body: {e}"
    );

    // An unknown account: 404 ACCOUNT_NOT_FOUND.
    let e = control
        .add_api_key(AccountId::parse(NOBODY).unwrap(), None)
        .await
        .unwrap_err();
    assert_eq!(e.code(), &ErrorCode::AccountNotFound, "{e}");

    // A fault rule it refuses: 400 with the field violation.
    let e = control
        .add_faults([Fault::any().probability(2.0)])
        .await
        .unwrap_err();
    assert_eq!(e.code(), &ErrorCode::InvalidArgument, "{e}");
    let violations: Vec<_> = e
        .field_violations()
        .iter()
        .map(|v| (v.field.as_str(), v.rule))
        .collect();
    assert_eq!(violations, [("rules[0].probability", RuleType::Max)], "{e}");
}
