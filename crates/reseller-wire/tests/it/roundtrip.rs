//! Domain values survive domain -> DTO -> JSON -> DTO -> domain unchanged, and the
//! JSON written has no `null`, no `paymentInfo` and only camelCase members.

use std::num::NonZeroU32;

use proptest::prelude::*;
use reseller_domain::instance::InstanceParts;
use reseller_domain::ops::{Adjust, BillingRequest, CreatePackage, NewInstance, SiteTransfer};
use reseller_domain::package::{Instances, PackageParts};
use reseller_domain::{
    AccountId, Assignment, Billing, CatalogProductId, CountryCode, Cycle, CycleUnit, DiscountCode,
    ExternalId, Failure, FailureCode, IdempotencyKey, InstanceId, InstanceStatus, Package,
    PackageId, ProductInstance, SiteId, Timestamp,
};
use reseller_wire::{
    AdjustRequest, CreatePackageRequest, GetPackageResponse, PackageResponse, TransferSiteRequest,
    TransferSiteResponse, UpdateExternalIdResponse,
};
use uuid::Uuid;

use crate::support::assert_clean;

fn uuid() -> impl Strategy<Value = Uuid> {
    any::<u128>().prop_map(Uuid::from_u128)
}

fn timestamp() -> impl Strategy<Value = Timestamp> {
    // 1990 .. 2100, in milliseconds.
    (631_152_000_000_i64..4_102_444_800_000).prop_map(|ms| Timestamp::from_unix_millis(ms).unwrap())
}

fn billing() -> impl Strategy<Value = Billing> {
    prop_oneof![
        Just(Billing::OneTime),
        (
            prop_oneof![
                Just(CycleUnit::Day),
                Just(CycleUnit::Week),
                Just(CycleUnit::Month),
                Just(CycleUnit::Year)
            ],
            1_u32..=36
        )
            .prop_map(|(unit, n)| Billing::Recurring(Cycle::new(
                unit,
                NonZeroU32::new(n).unwrap()
            ))),
    ]
}

fn status() -> impl Strategy<Value = InstanceStatus> {
    prop_oneof![
        Just(InstanceStatus::Pending),
        Just(InstanceStatus::AwaitingAction),
        Just(InstanceStatus::Enabled),
        Just(InstanceStatus::Canceled),
        (
            prop_oneof![
                Just(FailureCode::Unknown),
                Just(FailureCode::DeliveryTimeout),
                Just(FailureCode::ExternalFailure)
            ],
            ".{0,40}"
        )
            .prop_map(|(code, message)| InstanceStatus::Failed(Failure { code, message })),
    ]
}

fn country() -> impl Strategy<Value = CountryCode> {
    let all: Vec<CountryCode> = CountryCode::all().collect();
    proptest::sample::select(all)
}

fn text(max: usize) -> impl Strategy<Value = String> {
    proptest::string::string_regex(&format!(".{{0,{max}}}")).unwrap()
}

fn instance() -> impl Strategy<Value = ProductInstance> {
    (
        (uuid(), uuid(), proptest::option::of(uuid()), status()),
        (
            proptest::option::of(billing()),
            proptest::option::of(country()),
            proptest::option::of(text(25)),
            proptest::option::of(uuid()),
        ),
        (timestamp(), timestamp(), proptest::option::of(timestamp())),
    )
        .prop_map(
            |(
                (id, product, site, status),
                (billing, country, discount, reference),
                (created, updated, expiration),
            )| {
                ProductInstance::from_parts(InstanceParts {
                    id: InstanceId::from_uuid(id),
                    catalog_product_id: CatalogProductId::from_uuid(product),
                    assignment: site.map_or(Assignment::Floating, |s| {
                        Assignment::Site(SiteId::from_uuid(s))
                    }),
                    status,
                    billing,
                    country_code: country,
                    discount_code: discount.map(|d| DiscountCode::new(d).unwrap()),
                    reference: reference.map(InstanceId::from_uuid),
                    used_as_reference: false,
                    created,
                    updated,
                    expiration,
                })
            },
        )
}

fn package() -> impl Strategy<Value = Package> {
    (
        uuid(),
        uuid(),
        proptest::option::of(uuid()),
        proptest::option::of(text(100)),
        proptest::collection::vec(instance(), 1..5),
        timestamp(),
        timestamp(),
    )
        .prop_filter_map(
            "distinct instance ids",
            |(id, account, parent, external, list, created, updated)| {
                Some(Package::from_parts(PackageParts {
                    id: PackageId::from_uuid(id),
                    account_id: AccountId::from_uuid(account),
                    parent_account_id: parent.map(AccountId::from_uuid),
                    external_id: external.map(|e| ExternalId::new(e).unwrap()),
                    instances: Instances::new(list).ok()?,
                    created,
                    updated,
                }))
            },
        )
}

fn new_instance() -> impl Strategy<Value = NewInstance> {
    (
        uuid(),
        country(),
        proptest::option::of(uuid()),
        proptest::option::of(billing()),
        proptest::option::of(text(25)),
        proptest::option::of(uuid()),
    )
        .prop_map(
            |(product, country, site, billing, discount, reference)| NewInstance {
                catalog_product_id: CatalogProductId::from_uuid(product),
                country_code: Some(country),
                site: site.map(SiteId::from_uuid),
                billing: billing.map(BillingRequest::of),
                discount_code: discount.map(|d| DiscountCode::new(d).unwrap()),
                reference: reference.map(InstanceId::from_uuid),
            },
        )
}

fn key() -> impl Strategy<Value = Option<IdempotencyKey>> {
    proptest::option::of("[a-zA-Z0-9-]{1,40}".prop_map(|k| IdempotencyKey::new(k).unwrap()))
}

proptest! {
    #[test]
    fn package_survives_json(package in package(), key in key()) {
        let json = serde_json::to_value(PackageResponse::from_domain(&package, key.as_ref())).unwrap();
        assert_clean(&json);
        let text = serde_json::to_string(&json).unwrap();
        let back: PackageResponse = serde_json::from_str(&text).unwrap();
        prop_assert_eq!(back.idempotency_key.as_deref(), key.as_ref().map(IdempotencyKey::as_str));
        prop_assert_eq!(back.try_into_domain().unwrap(), package.clone());

        let get: GetPackageResponse =
            serde_json::from_str(&serde_json::to_string(&GetPackageResponse::from_domain(&package)).unwrap()).unwrap();
        prop_assert_eq!(get.try_into_domain().unwrap(), package.clone());
        let updated: UpdateExternalIdResponse =
            serde_json::from_str(&serde_json::to_string(&UpdateExternalIdResponse::from_domain(&package)).unwrap()).unwrap();
        prop_assert_eq!(updated.try_into_domain().unwrap(), package);
    }

    #[test]
    fn create_package_command_survives_json(
        products in proptest::collection::vec(new_instance(), 1..4),
        external in proptest::option::of(text(100)),
        key in key(),
    ) {
        let command = CreatePackage {
            external_id: external.map(|e| ExternalId::new(e).unwrap()),
            products,
        };
        let json = serde_json::to_value(CreatePackageRequest::from_domain(&command, key.as_ref())).unwrap();
        assert_clean(&json);
        let back: CreatePackageRequest = serde_json::from_value(json).unwrap();
        prop_assert_eq!(back.try_into_domain().unwrap(), command);
        prop_assert_eq!(back.idempotency_key().unwrap(), key);
    }

    #[test]
    fn adjust_command_survives_json(
        product in proptest::option::of(uuid()),
        billing in proptest::option::of(billing()),
        discount in proptest::option::of(text(25)),
        key in key(),
    ) {
        let command = Adjust {
            catalog_product_id: product.map(CatalogProductId::from_uuid),
            billing: billing.map(BillingRequest::of),
            discount_code: discount.map(|d| DiscountCode::new(d).unwrap()),
        };
        let json = serde_json::to_value(AdjustRequest::from_domain(&command, key.as_ref())).unwrap();
        assert_clean(&json);
        let back: AdjustRequest = serde_json::from_value(json).unwrap();
        prop_assert_eq!(back.try_into_domain().unwrap(), command);
    }

    #[test]
    fn site_transfer_survives_json(site in uuid(), source in uuid(), notify in any::<bool>()) {
        let command = SiteTransfer {
            site: SiteId::from_uuid(site),
            source_account: AccountId::from_uuid(source),
            enable_notifications: notify,
        };
        let json = serde_json::to_value(TransferSiteRequest::from_domain(&command)).unwrap();
        assert_clean(&json);
        let back: TransferSiteRequest = serde_json::from_value(json).unwrap();
        prop_assert_eq!(back.try_into_domain().unwrap(), command);
        let answer: TransferSiteResponse =
            serde_json::from_value(serde_json::to_value(TransferSiteResponse::from_domain(&command)).unwrap()).unwrap();
        prop_assert_eq!(answer.try_into_domain().unwrap(), command);
    }
}

#[test]
fn dates_are_written_with_milliseconds_and_z() {
    let ts = Timestamp::parse_rfc3339("2021-12-02T17:45:30.9417+02:00").unwrap();
    let instance = ProductInstance::from_parts(InstanceParts::pending(
        InstanceId::parse("d3b88a39-f62e-4164-8b29-08369b9ea71c").unwrap(),
        CatalogProductId::parse("00ba7923-2655-402a-852d-2b2100568bcf").unwrap(),
        ts,
    ));
    let json = serde_json::to_value(reseller_wire::ProductInstance::from(&instance)).unwrap();
    assert_eq!(json["createdDate"], "2021-12-02T15:45:30.941Z");
    assert!(json.get("siteId").is_none());
    assert!(json.get("failure").is_none());
    assert!(json.get("billingInfo").is_none());
    assert_eq!(json["status"], "PENDING");
}

#[test]
fn a_provisioning_document_names_its_mode_and_caps_the_delay() {
    use reseller_wire::control::ProvisioningDoc;
    let write = |doc: ProvisioningDoc| serde_json::to_value(doc).unwrap();
    assert_eq!(
        write(ProvisioningDoc::auto(1_500)),
        serde_json::json!({"mode": "auto", "delayMs": 1_500})
    );
    assert_eq!(
        write(ProvisioningDoc::auto(u64::MAX)),
        serde_json::json!({"mode": "auto", "delayMs": i64::MAX})
    );
    assert_eq!(
        write(ProvisioningDoc::manual()),
        serde_json::json!({"mode": "manual"})
    );
}
