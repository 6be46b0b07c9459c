//! Requests are read tolerantly (snake_case, `null`, unknown members, unknown enum
//! strings kept) and refused with Wix's field paths and rule types.

use reseller_domain::{BillingKind, RuleType};
use reseller_wire::{
    AdjustRequest, CreateAccountRequest, CreatePackageRequest, PackageResponse,
    QueryPackagesRequest, QueryRequestError, TransferSiteRequest, WireStatus,
};
use serde_json::json;

const PRODUCT: &str = "00ba7923-2655-402a-852d-2b2100568bcf";
const SITE: &str = "918aa943-ab4f-40bc-88c3-8dfd02fae7cd";

fn rules(violations: &[reseller_domain::FieldViolation]) -> Vec<(&str, RuleType)> {
    violations
        .iter()
        .map(|v| (v.field.as_str(), v.rule))
        .collect()
}

#[test]
fn snake_case_request_members_are_accepted() {
    let body = json!({
        "idempotency_key": "k-1",
        "external_id": "order-1",
        "products": [{
            "catalog_product_id": PRODUCT,
            "country_code": "BR",
            "site_id": SITE,
            "billing_info": {"type": "RECURRING", "cycle_duration": {"unit": "MONTH", "count": 2}},
            "discount_code": "SALE",
            "reference_product_instance_id": "d3b88a39-f62e-4164-8b29-08369b9ea71c"
        }]
    });
    let request: CreatePackageRequest = serde_json::from_value(body).unwrap();
    let command = request.try_into_domain().unwrap();
    let p = &command.products[0];
    assert_eq!(p.site.unwrap().to_string(), SITE);
    assert_eq!(p.billing.unwrap().kind, BillingKind::Recurring);
    assert_eq!(p.billing.unwrap().duration.unwrap().count, Some(2));
    assert_eq!(p.discount_code.as_ref().unwrap().as_str(), "SALE");
    assert!(p.reference.is_some());
    assert_eq!(request.idempotency_key().unwrap().unwrap().as_str(), "k-1");
    // Written back, camelCase only.
    let out = serde_json::to_value(CreatePackageRequest::from_domain(&command, None)).unwrap();
    crate::support::assert_clean(&out);

    let transfer: TransferSiteRequest = serde_json::from_value(json!({
        "site_transfer": {"site_id": SITE, "source_account_id": PRODUCT, "enable_notifications": true}
    }))
    .unwrap();
    assert!(transfer.try_into_domain().unwrap().enable_notifications);

    let query: QueryPackagesRequest = serde_json::from_value(json!({
        "query": {"sort": [{"field_name": "updatedDate", "order": "ASC"}], "cursor_paging": {"limit": 5}}
    }))
    .unwrap();
    let query = query.try_into_domain().unwrap();
    assert_eq!(query.paging().limit(), 5);

    let adjust: AdjustRequest = serde_json::from_value(json!({
        "catalog_product_id": PRODUCT, "idempotency_key": "a", "discount_code": "X"
    }))
    .unwrap();
    assert!(
        adjust
            .try_into_domain()
            .unwrap()
            .catalog_product_id
            .is_some()
    );
}

#[test]
fn nulls_and_unknown_members_read_as_absent() {
    let body = json!({
        "externalId": null,
        "somethingNew": {"x": 1},
        "products": [{"catalogProductId": PRODUCT, "countryCode": "DE", "siteId": null, "billingInfo": null}]
    });
    let request: CreatePackageRequest = serde_json::from_value(body).unwrap();
    let command = request.try_into_domain().unwrap();
    assert_eq!(command.external_id, None);
    assert_eq!(command.products[0].site, None);
    assert_eq!(command.products[0].billing, None);
}

#[test]
fn unknown_status_is_kept_in_the_dto_and_refused_by_the_domain() {
    let body = json!({"package": {
        "id": "828b98fb-7114-4b3c-90fd-8d0db76aa72b",
        "accountId": "2250b761-b31c-853b-485b-76e9fc04bdc6",
        "productInstances": [
            {"instanceId": "d3b88a39-f62e-4164-8b29-08369b9ea71c", "catalogProductId": PRODUCT,
             "status": "ENABLED", "createdDate": "2021-12-02T15:45:30.941Z", "updatedDate": "2021-12-02T15:45:30.941Z"},
            {"instanceId": "b83e5be9-763e-4e1f-bd30-763ca0f7f3e5", "catalogProductId": PRODUCT,
             "status": "SUSPENDED", "createdDate": "2021-12-02T15:45:30.941Z", "updatedDate": "2021-12-02T15:45:30.941Z"}
        ],
        "createdDate": "2021-12-02T15:45:31.815Z", "updatedDate": "2021-12-02T15:45:31.815Z"}});
    let dto: PackageResponse = serde_json::from_value(body).unwrap();
    let instances = &dto.package.as_ref().unwrap().product_instances;
    assert_eq!(
        instances[1].status,
        Some(WireStatus::Other("SUSPENDED".to_owned()))
    );
    // Written back unchanged.
    let again = serde_json::to_value(&dto).unwrap();
    assert_eq!(
        again["package"]["productInstances"][1]["status"],
        "SUSPENDED"
    );
    let err = dto.try_into_domain().unwrap_err();
    assert_eq!(err.path(), "package.productInstances[1].status");
    assert_eq!(err.to_field_violation().rule, RuleType::InvalidEnumValue);
}

#[test]
fn answer_field_errors_name_their_path() {
    let mut body = json!({"package": {
        "id": "828b98fb-7114-4b3c-90fd-8d0db76aa72b",
        "accountId": "2250b761-b31c-853b-485b-76e9fc04bdc6",
        "productInstances": [
            {"instanceId": "d3b88a39-f62e-4164-8b29-08369b9ea71c", "catalogProductId": PRODUCT,
             "status": "ENABLED", "createdDate": "2021-12-02T15:45:30.941Z", "updatedDate": "2021-12-02T15:45:30.941Z"},
            {"instanceId": "b83e5be9-763e-4e1f-bd30-763ca0f7f3e5", "catalogProductId": PRODUCT,
             "status": "ENABLED", "createdDate": "2021-12-02T15:45:30.941Z", "updatedDate": "2021-12-02T15:45:30.941Z"},
            {"instanceId": "not-a-guid", "catalogProductId": PRODUCT,
             "status": "ENABLED", "createdDate": "2021-12-02T15:45:30.941Z", "updatedDate": "2021-12-02T15:45:30.941Z"}
        ],
        "createdDate": "2021-12-02T15:45:31.815Z", "updatedDate": "2021-12-02T15:45:31.815Z"}});
    let dto: PackageResponse = serde_json::from_value(body.clone()).unwrap();
    assert_eq!(
        dto.try_into_domain().unwrap_err().path(),
        "package.productInstances[2].instanceId"
    );
    body["package"]["productInstances"][2]["instanceId"] =
        json!("0080aebd-117b-47e9-93e1-1b1c0b461ed2");
    body["package"]["productInstances"][0]["updatedDate"] = json!("yesterday");
    let dto: PackageResponse = serde_json::from_value(body.clone()).unwrap();
    assert_eq!(
        dto.try_into_domain().unwrap_err().path(),
        "package.productInstances[0].updatedDate"
    );
    body["package"]["productInstances"][0]["updatedDate"] = json!("2021-12-02T15:45:30.941Z");
    body["package"]["productInstances"][1]["billingInfo"] =
        json!({"type": "RECURRING", "cycleDuration": {"unit": "FORTNIGHT"}});
    let dto: PackageResponse = serde_json::from_value(body.clone()).unwrap();
    assert_eq!(
        dto.try_into_domain().unwrap_err().path(),
        "package.productInstances[1].billingInfo.cycleDuration.unit"
    );
    body["package"]["productInstances"][1]["billingInfo"] = json!({"type": "RECURRING"});
    let dto: PackageResponse = serde_json::from_value(body.clone()).unwrap();
    assert_eq!(
        dto.try_into_domain().unwrap_err().path(),
        "package.productInstances[1].billingInfo.cycleDuration"
    );
    body["package"]["productInstances"] = json!([]);
    let dto: PackageResponse = serde_json::from_value(body).unwrap();
    let err = dto.try_into_domain().unwrap_err();
    assert_eq!(err.path(), "package.productInstances");
    assert_eq!(err.to_field_violation().rule, RuleType::MinSize);
}

#[test]
fn bad_create_fields_give_paths_and_rule_types() {
    let body = json!({
        "externalId": "x".repeat(101),
        "idempotencyKey": "",
        "products": [
            {"catalogProductId": "nope", "countryCode": "ZZ", "siteId": "also-nope"},
            {"countryCode": "br", "billingInfo": {"type": "WEEKLY"}, "discountCode": "d".repeat(26)},
            {"catalogProductId": PRODUCT, "billingInfo": {"type": "RECURRING", "cycleDuration": {"unit": "YEAR", "count": 0}},
             "referenceProductInstanceId": "x"}
        ]
    });
    let request: CreatePackageRequest = serde_json::from_value(body).unwrap();
    let err = request.try_into_domain().unwrap_err();
    assert_eq!(
        rules(err.violations()),
        vec![
            ("idempotencyKey", RuleType::MinLength),
            ("externalId", RuleType::MaxLength),
            ("products[0].catalogProductId", RuleType::Format),
            ("products[0].countryCode", RuleType::Format),
            ("products[0].siteId", RuleType::Format),
            ("products[1].catalogProductId", RuleType::RequiredField),
            ("products[1].countryCode", RuleType::Format),
            ("products[1].billingInfo.type", RuleType::InvalidEnumValue),
            ("products[1].discountCode", RuleType::MaxLength),
            ("products[2].countryCode", RuleType::RequiredField),
            ("products[2].billingInfo.cycleDuration.count", RuleType::Min),
            ("products[2].referenceProductInstanceId", RuleType::Format),
        ]
    );
    // The refusal becomes a Wix validation error.
    let refusal: reseller_domain::Refusal = err.into();
    assert_eq!(refusal.code().http_status(), 400);
}

#[test]
fn products_missing_empty_or_too_many() {
    let missing: CreatePackageRequest = serde_json::from_value(json!({})).unwrap();
    assert_eq!(
        rules(missing.try_into_domain().unwrap_err().violations()),
        vec![("products", RuleType::RequiredField)]
    );
    let empty: CreatePackageRequest = serde_json::from_value(json!({"products": []})).unwrap();
    assert_eq!(
        rules(empty.try_into_domain().unwrap_err().violations()),
        vec![("products", RuleType::MinSize)]
    );
    let one = json!({"catalogProductId": PRODUCT, "countryCode": "BR"});
    let many: CreatePackageRequest =
        serde_json::from_value(json!({"products": vec![one; 1001]})).unwrap();
    assert_eq!(
        rules(many.try_into_domain().unwrap_err().violations()),
        vec![("products", RuleType::MaxSize)]
    );
}

#[test]
fn bad_adjust_transfer_and_account_fields() {
    let adjust: AdjustRequest = serde_json::from_value(json!({
        "catalogProductId": "nope",
        "billingInfo": {"type": "RECURRING", "cycleDuration": {"unit": "DECADE"}}
    }))
    .unwrap();
    assert_eq!(
        rules(adjust.try_into_domain().unwrap_err().violations()),
        vec![
            ("catalogProductId", RuleType::Format),
            ("billingInfo.cycleDuration.unit", RuleType::InvalidEnumValue),
        ]
    );

    let transfer: TransferSiteRequest = serde_json::from_value(json!({})).unwrap();
    assert_eq!(
        rules(transfer.try_into_domain().unwrap_err().violations()),
        vec![("siteTransfer", RuleType::RequiredField)]
    );
    let transfer: TransferSiteRequest =
        serde_json::from_value(json!({"siteTransfer": {"siteId": "bad"}})).unwrap();
    assert_eq!(
        rules(transfer.try_into_domain().unwrap_err().violations()),
        vec![
            ("siteTransfer.siteId", RuleType::Format),
            ("siteTransfer.sourceAccountId", RuleType::RequiredField),
        ]
    );

    let account: CreateAccountRequest =
        serde_json::from_value(json!({"user": {"email": {"isVerified": true}}})).unwrap();
    assert_eq!(
        rules(account.try_into_domain().unwrap_err().violations()),
        vec![("user.email.emailAddress", RuleType::RequiredField)]
    );
    let account: CreateAccountRequest = serde_json::from_value(json!({
        "user": {"email": {"email_address": "owner@customer.example"}, "sso_identities": [{"sso_id": "s", "user_id": "u"}]},
        "roles": ["OWNER"]
    }))
    .unwrap();
    assert_eq!(
        account.try_into_domain().unwrap().email,
        "owner@customer.example"
    );
}

/// The field violations of a Query Packages body refused by the wire layer itself
/// (`QueryRequestError::Invalid`); any other outcome fails the test.
fn invalid_query_rules(body: serde_json::Value) -> Vec<(String, RuleType)> {
    let request: QueryPackagesRequest = serde_json::from_value(body).unwrap();
    match request.try_into_domain().unwrap_err() {
        QueryRequestError::Invalid(e) => rules(e.violations())
            .into_iter()
            .map(|(field, rule)| (field.to_owned(), rule))
            .collect(),
        other => panic!("{other:?}"),
    }
}

#[test]
fn query_requests_are_checked() {
    assert_eq!(
        invalid_query_rules(json!({})),
        vec![("query".to_owned(), RuleType::RequiredField)]
    );
    assert_eq!(
        invalid_query_rules(json!({"query": {"paging": {"limit": -1, "offset": 3}}})),
        vec![("query.paging.limit".to_owned(), RuleType::Min)]
    );
    let too_big: QueryPackagesRequest =
        serde_json::from_value(json!({"query": {"cursorPaging": {"limit": 101}}})).unwrap();
    let violation: reseller_domain::Violation = too_big.try_into_domain().unwrap_err().into();
    match violation {
        reseller_domain::Violation::InvalidFields(list) => {
            assert_eq!(
                rules(&list),
                vec![("query.cursorPaging.limit", RuleType::Max)]
            );
        }
        other => panic!("{other:?}"),
    }
    let both: QueryPackagesRequest = serde_json::from_value(
        json!({"query": {"paging": {"limit": 1}, "cursorPaging": {"limit": 1}}}),
    )
    .unwrap();
    assert!(matches!(
        both.try_into_domain(),
        Err(QueryRequestError::Query(_))
    ));
    let bad_order: QueryPackagesRequest = serde_json::from_value(
        json!({"query": {"sort": [{"fieldName": "createdDate", "order": "UP"}]}}),
    )
    .unwrap();
    assert!(matches!(
        bad_order.try_into_domain(),
        Err(QueryRequestError::Query(_))
    ));
}

#[test]
fn package_query_survives_json() {
    let request: QueryPackagesRequest = serde_json::from_value(json!({"query": {
        "filter": {"externalId": {"$in": ["order-4711", "order-4712"]}, "productInstances.status": {"$hasSome": ["ENABLED"]}},
        "sort": [{"fieldName": "updatedDate", "order": "ASC"}],
        "cursorPaging": {"limit": 50}
    }}))
    .unwrap();
    let query = request.try_into_domain().unwrap();
    let json = serde_json::to_value(QueryPackagesRequest::from_domain(&query)).unwrap();
    crate::support::assert_clean(&json);
    let back: QueryPackagesRequest = serde_json::from_value(json).unwrap();
    assert_eq!(back.try_into_domain().unwrap(), query);

    let offset: QueryPackagesRequest =
        serde_json::from_value(json!({"query": {"paging": {"limit": 10, "offset": 20}}})).unwrap();
    let query = offset.try_into_domain().unwrap();
    let back: QueryPackagesRequest = serde_json::from_value(
        serde_json::to_value(QueryPackagesRequest::from_domain(&query)).unwrap(),
    )
    .unwrap();
    assert_eq!(back.try_into_domain().unwrap(), query);

    let default: QueryPackagesRequest = serde_json::from_value(json!({"query": {}})).unwrap();
    let query = default.try_into_domain().unwrap();
    assert_eq!(
        serde_json::to_value(QueryPackagesRequest::from_domain(&query)).unwrap(),
        json!({"query": {}})
    );
}
