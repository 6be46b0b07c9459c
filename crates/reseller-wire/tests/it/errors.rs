//! Wix's error body built from domain refusals and read back.

use reseller_domain::{
    ErrorCode, FieldViolation, InstanceId, Refusal, RuleType, StatusName, Violation,
};
use reseller_wire::ErrorBody;
use serde_json::json;

#[test]
fn application_error_from_a_refusal() {
    let instance = InstanceId::parse("d3b88a39-f62e-4164-8b29-08369b9ea71c").unwrap();
    let refusal = Refusal::one(Violation::IncompatibleProductInstanceStatus {
        instance,
        status: StatusName::Canceled,
    });
    let body = ErrorBody::from_refusal(&refusal);
    let json = serde_json::to_value(&body).unwrap();
    crate::support::assert_clean(&json);
    let message = refusal.primary().to_string();
    assert_eq!(
        json,
        json!({"message": message, "details": {"applicationError": {
            "code": "INCOMPATIBLE_PRODUCT_INSTANCE_STATUS", "description": message}}})
    );
    let back: ErrorBody = serde_json::from_value(json).unwrap();
    assert_eq!(back.code(), Some("INCOMPATIBLE_PRODUCT_INSTANCE_STATUS"));
    assert_eq!(
        back.error_code(428),
        ErrorCode::IncompatibleProductInstanceStatus
    );
    assert_eq!(back.message, message);
    assert!(back.field_violations().is_empty());
}

#[test]
fn validation_error_from_a_refusal_gathers_every_field() {
    let a = FieldViolation::new(
        "products[0].countryCode",
        RuleType::RequiredField,
        "countryCode is required",
    );
    let b = FieldViolation::new("externalId", RuleType::MaxLength, "too long");
    let refusal = Refusal::from_vec(vec![
        Violation::InvalidFields(vec![a.clone()]),
        Violation::InvalidFields(vec![b.clone()]),
    ])
    .unwrap();
    let body = ErrorBody::from_refusal(&refusal);
    let json = serde_json::to_value(&body).unwrap();
    crate::support::assert_clean(&json);
    assert_eq!(
        json["details"]["validationError"]["fieldViolations"][0],
        json!({"field": "products[0].countryCode", "description": "countryCode is required",
               "violatedRule": "REQUIRED_FIELD"})
    );
    let back: ErrorBody = serde_json::from_value(json).unwrap();
    assert_eq!(back.field_violations(), vec![a, b]);
    assert_eq!(back.error_code(400), ErrorCode::InvalidArgument);
}

#[test]
fn site_not_found_is_told_apart_by_status() {
    let body = ErrorBody::application("SITE_NOT_FOUND", "x");
    assert_eq!(body.error_code(404), ErrorCode::SiteNotFound);
    assert_eq!(body.error_code(400), ErrorCode::TransferSiteNotFound);
    assert_eq!(ErrorBody::system().error_code(503).as_str(), "UNAVAILABLE");
    let unknown = ErrorBody::application("BRAND_NEW", "y");
    assert_eq!(
        unknown.error_code(428),
        ErrorCode::Other {
            code: "BRAND_NEW".to_owned(),
            status: 428
        }
    );
}

#[test]
fn every_known_code_survives_the_body() {
    for code in ErrorCode::KNOWN {
        let body = ErrorBody::application(code.as_str(), "m");
        let back: ErrorBody = serde_json::from_str(&serde_json::to_string(&body).unwrap()).unwrap();
        if code == ErrorCode::InvalidArgument {
            continue;
        }
        assert_eq!(back.error_code(code.http_status()), code);
    }
}
