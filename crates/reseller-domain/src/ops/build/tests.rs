//! The request builders set exactly the facts named and Wix's defaults otherwise.

#![allow(clippy::unwrap_used)]

use super::*;

fn premium() -> CatalogProductId {
    CatalogProductId::parse("c1000000-0000-4000-8000-000000000001").unwrap()
}

#[test]
fn a_built_instance_equals_the_hand_written_one() {
    let site = SiteId::parse("51000000-0000-4000-8000-000000000002").unwrap();
    let voucher = InstanceId::parse("d3b88a39-f62e-4164-8b29-08369b9ea71c").unwrap();
    let built = NewInstance::new(premium())
        .country(CountryCode::new("US").unwrap())
        .site(site)
        .billing(Billing::yearly())
        .discount_code(DiscountCode::new("SPRING").unwrap())
        .reference(voucher);
    let by_hand = NewInstance {
        catalog_product_id: premium(),
        country_code: Some(CountryCode::new("US").unwrap()),
        site: Some(site),
        billing: Some(BillingRequest::of(Billing::yearly())),
        discount_code: Some(DiscountCode::new("SPRING").unwrap()),
        reference: Some(voucher),
    };
    assert_eq!(built, by_hand);
    let bare = NewInstance::new(premium());
    assert_eq!(
        (bare.country_code, bare.site, bare.billing),
        (None, None, None)
    );
}

#[test]
fn a_built_create_holds_its_products_in_order() {
    let one = NewInstance::new(premium());
    let two = NewInstance::new(premium()).country(CountryCode::new("FR").unwrap());
    let request = CreatePackage::new([one.clone()])
        .product(two.clone())
        .external_id(ExternalId::new("order-1").unwrap());
    assert_eq!(request.products, vec![one, two]);
    assert_eq!(
        request.external_id,
        Some(ExternalId::new("order-1").unwrap())
    );
    assert_eq!(CreatePackage::new([]).external_id, None);
}

#[test]
fn an_adjustment_starts_empty_and_names_what_changes() {
    let empty = Adjust::default();
    assert_eq!(
        (empty.catalog_product_id, empty.billing, empty.discount_code),
        (None, None, None)
    );
    let adjust = Adjust::to_product(premium()).billing(Billing::monthly());
    assert_eq!(adjust.catalog_product_id, Some(premium()));
    assert_eq!(adjust.billing, Some(BillingRequest::of(Billing::monthly())));
}
