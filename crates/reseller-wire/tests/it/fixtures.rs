//! Every JSON example of `fixtures/wix-docs` parses into its DTO and, for packages,
//! converts into the domain once the docs' placeholders are substituted.

use std::collections::BTreeSet;

use reseller_domain::{Billing, FailureCode, InstanceStatus, RuleType, StatusName};
use reseller_wire::error::Problem;
use reseller_wire::sites::SitesCursor;
use reseller_wire::{
    AdjustRequest, CreateAccountResponse, CreatePackageRequest, ErrorBody, GetPackageResponse,
    PackageResponse, QueryPackagesRequest, QueryPackagesResponse, QuerySitesRequest,
    QuerySitesResponse, TransferSiteRequest, TransferSiteResponse, WireRuleType,
};

use crate::support::{ACCOUNT, fixture, fixtures_dir, request_body, response_body, substitute};

/// Every fixture file and the test below that covers it; a new file fails this list.
const COVERED: &[&str] = &[
    "accounts/create-account-legacy-guide-example.json",
    "b2b/transfer-site.json",
    "generic-errors/application-error-duplicate-contact.json",
    "generic-errors/application-error-no-funds.json",
    "generic-errors/system-error-500.json",
    "generic-errors/validation-error-field-violations.json",
    "resellers/adjust-product-instance-specifications.json",
    "resellers/assign-product-instance-to-site.json",
    "resellers/cancel-package.json",
    "resellers/cancel-product-instance.json",
    "resellers/create-package-v1-deprecated.json",
    "resellers/create-package-v2.json",
    "resellers/get-package.json",
    "resellers/query-packages-subaccount-filter.json",
    "resellers/query-packages.json",
    "resellers/unassign-product-instance-from-site.json",
    "sites/query-sites-2022-docs.json",
    "sites/query-sites-wix-skill.json",
];

#[test]
fn every_json_fixture_is_covered_by_a_test() {
    let mut found = BTreeSet::new();
    for dir in std::fs::read_dir(fixtures_dir()).unwrap() {
        let dir = dir.unwrap().path();
        if !dir.is_dir() {
            continue;
        }
        for file in std::fs::read_dir(&dir).unwrap() {
            let file = file.unwrap().path();
            if file.extension().is_some_and(|e| e == "json") {
                let rel = file.strip_prefix(fixtures_dir()).unwrap();
                found.insert(rel.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    let covered: BTreeSet<String> = COVERED.iter().map(|s| (*s).to_owned()).collect();
    assert_eq!(found, covered);
}

/// The mutation answers whose body is `{"package": ...}`.
const PACKAGE_ANSWERS: &[&str] = &[
    "resellers/create-package-v2.json",
    "resellers/create-package-v1-deprecated.json",
    "resellers/cancel-package.json",
    "resellers/cancel-product-instance.json",
    "resellers/adjust-product-instance-specifications.json",
    "resellers/assign-product-instance-to-site.json",
    "resellers/unassign-product-instance-from-site.json",
];

#[test]
fn every_package_answer_converts_into_the_domain() {
    for file in PACKAGE_ANSWERS {
        let text = substitute(&response_body(file));
        let dto: PackageResponse = serde_json::from_str(&text).unwrap();
        let package = dto
            .try_into_domain()
            .unwrap_or_else(|e| panic!("{file}: {e}"));
        assert_eq!(package.instances().len(), 1, "{file}");
        let instance = &package.instances()[0];
        assert_eq!(instance.status().name(), StatusName::Pending, "{file}");
        assert_eq!(instance.billing(), Some(Billing::yearly()), "{file}");
    }
}

#[test]
fn the_account_placeholder_fails_with_its_field_path() {
    for file in PACKAGE_ANSWERS {
        let text = response_body(file);
        if !text.contains("<ACCOUNT_ID>") {
            continue;
        }
        let dto: PackageResponse = serde_json::from_str(&text).unwrap();
        let err = dto.try_into_domain().unwrap_err();
        assert_eq!(err.path(), "package.accountId", "{file}");
        assert!(matches!(err.problem(), Problem::Guid(_)), "{file}");
        assert_eq!(err.to_field_violation().rule, RuleType::Format);
    }
}

#[test]
fn create_package_v2_example() {
    let request: CreatePackageRequest =
        serde_json::from_str(&request_body("resellers/create-package-v2.json")).unwrap();
    // The docs send snake_case `external_id`.
    assert_eq!(request.external_id.as_deref(), Some("some-external-id"));
    let command = request.try_into_domain().unwrap();
    assert_eq!(command.products.len(), 1);
    assert_eq!(command.products[0].country_code.unwrap().as_str(), "BR");
    assert_eq!(
        command.products[0].site.unwrap().to_string(),
        "918aa943-ab4f-40bc-88c3-8dfd02fae7cd"
    );
    assert_eq!(command.external_id.unwrap().as_str(), "some-external-id");

    let answer: PackageResponse = serde_json::from_str(&substitute(&response_body(
        "resellers/create-package-v2.json",
    )))
    .unwrap();
    let package = answer.try_into_domain().unwrap();
    assert_eq!(package.account_id().to_string(), ACCOUNT);
    assert_eq!(package.created().to_rfc3339(), "2021-12-02T15:45:31.815Z");
    assert_eq!(
        package.instances()[0].country_code().unwrap().as_str(),
        "BR"
    );
}

#[test]
fn create_package_v1_example_lacks_country_code_and_is_refused() {
    let request: CreatePackageRequest =
        serde_json::from_str(&request_body("resellers/create-package-v1-deprecated.json")).unwrap();
    let refused = request.try_into_domain().unwrap_err();
    assert_eq!(refused.violations().len(), 1);
    assert_eq!(refused.violations()[0].field, "products[0].countryCode");
    assert_eq!(refused.violations()[0].rule, RuleType::RequiredField);
}

#[test]
fn get_package_example_reads_legacy_payment_info_as_billing() {
    let text = substitute(&response_body("resellers/get-package.json"));
    assert!(text.contains("paymentInfo"));
    let dto: GetPackageResponse = serde_json::from_str(&text).unwrap();
    let package = dto.try_into_domain().unwrap();
    let instances = package.instances();
    assert_eq!(instances.len(), 3);
    assert_eq!(instances[0].status().name(), StatusName::Enabled);
    assert_eq!(instances[0].billing(), Some(Billing::yearly()));
    assert_eq!(instances[1].status().name(), StatusName::Canceled);
    assert_eq!(instances[2].site(), None);
    assert_eq!(instances[2].billing(), Some(Billing::monthly()));
    match instances[2].status() {
        InstanceStatus::Failed(f) => {
            assert_eq!(f.code, FailureCode::DeliveryTimeout);
            assert_eq!(f.message, "delivery of product has reached it's deadline");
        }
        other => panic!("expected FAILED, got {other:?}"),
    }
    // Written back, it says billingInfo and never paymentInfo.
    let out = serde_json::to_value(GetPackageResponse::from_domain(&package)).unwrap();
    crate::support::assert_clean(&out);
    assert!(out["package"]["productInstances"][0]["billingInfo"].is_object());
}

#[test]
fn assign_and_unassign_examples_keep_parent_account_and_floating() {
    let assign: PackageResponse = serde_json::from_str(&response_body(
        "resellers/assign-product-instance-to-site.json",
    ))
    .unwrap();
    let package = assign.try_into_domain().unwrap();
    assert_eq!(
        package.parent_account_id().unwrap().to_string(),
        "5128eccb-3b01-4bfd-bba8-29c3e0b89fae"
    );
    assert_eq!(
        package.instances()[0].site().unwrap().to_string(),
        "c10cf845-bf18-4c10-8428-c4e5c7a39744"
    );
    let unassign: PackageResponse = serde_json::from_str(&response_body(
        "resellers/unassign-product-instance-from-site.json",
    ))
    .unwrap();
    let package = unassign.try_into_domain().unwrap();
    assert_eq!(package.instances()[0].site(), None);
    assert_eq!(package.external_id().unwrap().as_str(), "AbCdE987654321");
}

#[test]
fn adjust_example_request_is_a_product_swap() {
    let request: AdjustRequest = serde_json::from_str(&request_body(
        "resellers/adjust-product-instance-specifications.json",
    ))
    .unwrap();
    let adjust = request.try_into_domain().unwrap();
    assert_eq!(
        adjust.catalog_product_id.unwrap().to_string(),
        "2c6db353-458a-41dd-b4f5-cb8a05be6bff"
    );
    assert_eq!(adjust.billing, None);
    assert_eq!(adjust.discount_code, None);
}

#[test]
fn query_packages_example() {
    let request: QueryPackagesRequest =
        serde_json::from_str(&request_body("resellers/query-packages.json")).unwrap();
    let query = request.query.as_ref().unwrap();
    assert_eq!(query.fields, vec!["id"]);
    assert_eq!(query.fieldsets, vec!["id"]);
    assert!(query.filter.is_some());
    // "Enabled" is not the enum spelling; whatever the domain decides, the request
    // reads and converts without a panic.
    let _ = request.try_into_domain();

    let text = substitute(&response_body("resellers/query-packages.json"));
    let answer: QueryPackagesResponse = serde_json::from_str(&text).unwrap();
    let metadata = answer.metadata.as_ref().unwrap();
    assert_eq!(metadata.count, Some(1));
    assert_eq!(metadata.next_cursor(), None);
    let packages = answer.packages_into_domain().unwrap();
    assert_eq!(packages.len(), 1);
    assert_eq!(packages[0].instances().len(), 3);

    let raw: QueryPackagesResponse =
        serde_json::from_str(&response_body("resellers/query-packages.json")).unwrap();
    let err = raw.packages_into_domain().unwrap_err();
    assert_eq!(err.path(), "packages[0].accountId");
}

#[test]
fn query_packages_sub_account_filter_example() {
    let raw = request_body("resellers/query-packages-subaccount-filter.json");
    assert!(fixture("resellers/query-packages-subaccount-filter.json")["response"].is_null());
    let request: QueryPackagesRequest = serde_json::from_str(&substitute(&raw)).unwrap();
    let query = request.try_into_domain().unwrap();
    assert!(query.filter().is_some());
}

#[test]
fn transfer_site_example() {
    let request: TransferSiteRequest =
        serde_json::from_str(&request_body("b2b/transfer-site.json")).unwrap();
    let command = request.try_into_domain().unwrap();
    assert_eq!(
        command.site.to_string(),
        "00e5cf4a-fe94-40ee-9816-a02a446e8a78"
    );
    assert_eq!(
        command.source_account.to_string(),
        "3916bb98-2d25-4765-8ab2-d9483c66c2ce"
    );
    assert!(!command.enable_notifications);
    let answer: TransferSiteResponse =
        serde_json::from_str(&response_body("b2b/transfer-site.json")).unwrap();
    let echoed = answer.try_into_domain().unwrap();
    // The docs echo another source account (a docs artefact).
    assert_eq!(
        echoed.source_account.to_string(),
        "b47b9d1c-f0b1-4500-84a1-b58f8ad696a5"
    );
}

#[test]
fn query_sites_2022_docs_shape() {
    let request: QuerySitesRequest =
        serde_json::from_str(&request_body("sites/query-sites-2022-docs.json")).unwrap();
    let query = request.query.unwrap();
    assert_eq!(query.cursor_paging.unwrap().limit, Some(2));
    assert_eq!(query.sort[0].field_name.as_deref(), Some("createdDate"));

    let answer: QuerySitesResponse =
        serde_json::from_str(&response_body("sites/query-sites-2022-docs.json")).unwrap();
    assert_eq!(answer.sites.len(), 2);
    assert!(answer.metadata.is_none());
    assert!(matches!(
        answer.cursor_paging.as_ref().unwrap().cursor,
        Some(SitesCursor::Legacy(_))
    ));
    assert_eq!(answer.next_cursor(), None);
    let keys = answer.sites[0].keys_at("sites[0]").unwrap();
    assert_eq!(
        keys.owner.to_string(),
        "99714651-d974-4878-aa0a-1cd1d7341156"
    );
}

#[test]
fn query_sites_live_shape() {
    let request: QuerySitesRequest =
        serde_json::from_str(&request_body("sites/query-sites-wix-skill.json")).unwrap();
    assert_eq!(
        request.query.unwrap().cursor_paging.unwrap().limit,
        Some(50)
    );
    let answer: QuerySitesResponse =
        serde_json::from_str(&response_body("sites/query-sites-wix-skill.json")).unwrap();
    assert_eq!(answer.next_cursor(), Some("<cursor-for-next-page>"));
    assert_eq!(answer.metadata.as_ref().unwrap().has_next, Some(true));
    let site = &answer.sites[0];
    assert_eq!(site.parent_child_role.as_deref(), Some("NONE"));
    assert_eq!(site.contributor_account_ids.as_deref(), Some(&[][..]));
    let keys = site.keys_at("sites[0]").unwrap();
    assert_eq!(keys.id.to_string(), "f6061c5f-6aa3-42f8-8822-36a4981dabb2");
    assert_eq!(
        keys.updated.unwrap().to_rfc3339(),
        "2026-06-22T03:55:49.031Z"
    );
}

#[test]
fn generic_application_errors() {
    let body: ErrorBody = serde_json::from_str(&response_body(
        "generic-errors/application-error-no-funds.json",
    ))
    .unwrap();
    assert_eq!(body.message, "Payment failed");
    assert_eq!(body.code(), Some("NO_FUNDS"));
    let app = body.details.application_error.as_ref().unwrap();
    assert_eq!(app.data.as_ref().unwrap()["availableFunds"], 75.22);

    let body: ErrorBody = serde_json::from_str(&response_body(
        "generic-errors/application-error-duplicate-contact.json",
    ))
    .unwrap();
    assert_eq!(body.code(), Some("DUPLICATE_CONTACT_EXIST"));
    let code = body.error_code(409);
    assert_eq!(code.as_str(), "DUPLICATE_CONTACT_EXIST");
    assert_eq!(code.http_status(), 409);
}

#[test]
fn generic_validation_error() {
    let body: ErrorBody = serde_json::from_str(&response_body(
        "generic-errors/validation-error-field-violations.json",
    ))
    .unwrap();
    assert_eq!(body.code(), None);
    let wire = &body
        .details
        .validation_error
        .as_ref()
        .unwrap()
        .field_violations;
    assert_eq!(wire[0].violated_rule, Some(WireRuleType::Custom));
    assert_eq!(wire[0].rule_name.as_deref(), Some("INVALID_NOTE"));
    let violations = body.field_violations();
    assert_eq!(violations.len(), 3);
    assert_eq!(violations[0].field, "fieldA");
    // CUSTOM is not a domain rule: read as VALIDATION, kept in the DTO.
    assert_eq!(violations[0].rule, RuleType::Validation);
    assert_eq!(violations[1].rule, RuleType::Max);
    assert_eq!(violations[2].rule, RuleType::Format);
    assert_eq!(
        body.error_code(400),
        reseller_domain::ErrorCode::InvalidArgument
    );
}

#[test]
fn generic_system_error() {
    let fixture = fixture("generic-errors/system-error-500.json");
    let body: ErrorBody = serde_json::from_value(fixture["response"]["body"].clone()).unwrap();
    assert_eq!(body, ErrorBody::system());
    assert_eq!(body.error_code(500).as_str(), "INTERNAL");
    assert_eq!(
        serde_json::to_value(ErrorBody::system()).unwrap(),
        serde_json::json!({"message": "", "details": {}})
    );
}

#[test]
fn legacy_create_account_example_is_not_json() {
    let fixture = fixture("accounts/create-account-legacy-guide-example.json");
    assert!(fixture["request"].is_null() || fixture["request"]["body"].is_null());
    assert!(fixture["response"]["body"].is_null());
    let verbatim = fixture["response"]["body_verbatim"].as_str().unwrap();
    assert!(serde_json::from_str::<CreateAccountResponse>(verbatim).is_err());
}
