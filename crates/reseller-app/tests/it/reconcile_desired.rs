//! Reconcile's desired-state files (JSON Lines and CSV): what they say, and every
//! error named by line and field, the whole file checked before anything else.

use reseller_app::reconcile::{
    Catalog, DesiredState, InvalidDesired, SubscriptionStatus, parse_csv, parse_jsonl,
};
use reseller_contract::fixture::*;
use reseller_domain::{Billing, CountryCode, ExternalId};

fn catalog() -> Catalog {
    Catalog::new(reseller_contract::fixture::catalog())
}

fn jsonl(text: &str) -> Result<DesiredState, InvalidDesired> {
    parse_jsonl(text, &catalog())
}

/// Every error as `(line, field)`.
fn fields(e: &InvalidDesired) -> Vec<(usize, String)> {
    e.errors.iter().map(|e| (e.line, e.field.clone())).collect()
}

#[test]
fn a_valid_file_reads_every_subscription_and_resolves_single_cycles() {
    let text = format!(
        r#"{{"externalId":"sub-1","accountId":"{SUB1}","status":"active","products":[{{"catalogProductId":"{PLAN_VIP}","billing":"monthly","countryCode":"US","siteId":"{SUB1_SITE}","discountCode":"SPRING"}}]}}

{{"externalId":"sub-2","accountId":"{SUB2}","status":"ENDED"}}
{{"externalId":"sub-3","accountId":"{SUB2}","status":"active","products":[{{"catalogProductId":"{ASCEND}","countryCode":"BR","siteId":null}}]}}"#
    );
    let d = jsonl(&text).unwrap();
    assert_eq!(d.len(), 3);
    let one = d.get(&ExternalId::new("sub-1").unwrap()).unwrap();
    assert_eq!(
        (one.line, one.account, one.status),
        (1, SUB1, SubscriptionStatus::Active)
    );
    assert_eq!(one.products[0].billing, Billing::monthly());
    assert_eq!(one.products[0].site, Some(SUB1_SITE));
    assert_eq!(
        one.products[0].discount_code.as_ref().unwrap().as_str(),
        "SPRING"
    );
    assert_eq!(d.subscriptions()[1].line, 3);
    assert_eq!(d.subscriptions()[1].status, SubscriptionStatus::Ended);
    let three = &d.subscriptions()[2];
    assert_eq!(
        three.products[0].billing,
        Billing::OneTime,
        "ASCEND's only cycle"
    );
    assert_eq!(three.products[0].site, None);
    assert_eq!(
        three.products[0].country_code,
        CountryCode::new("BR").unwrap()
    );
}

#[test]
fn every_bad_field_is_named_with_its_line() {
    let text = format!(
        r#"{{"externalId":"sub-1","accountId":"not-a-guid","status":"paused","products":[]}}
not json
{{"externalId":"sub-3","accountId":"{SUB1}","status":"active","products":[{{"catalogProductId":"{PLAN_VIP}","countryCode":"XX","siteID":"{SUB1_SITE}"}}]}}
{{"externalId":"sub-4","accountId":"{SUB1}","status":"active","products":[{{"catalogProductId":"{UNKNOWN_PRODUCT}","countryCode":"BR"}},{{"catalogProductId":"{MAILBOX}","countryCode":"BR","billing":"yearly"}},{{"catalogProductId":"{ASCEND}","countryCode":"BR","billing":"fortnightly"}}]}}
{{"externalId":{},"accountId":"{SUB1}","status":"active","products":"none"}}
{{"externalId":"{long}","accountId":"{SUB1}","status":"ended"}}"#,
        7,
        long = "x".repeat(101)
    );
    let e = jsonl(&text).unwrap_err();
    assert_eq!(
        fields(&e),
        [
            (1, "accountId".to_owned()),
            (1, "status".to_owned()),
            (2, String::new()),
            (3, "products[0].siteID".to_owned()),
            (3, "products[0].countryCode".to_owned()),
            (3, "products[0].billing".to_owned()),
            (4, "products[0].catalogProductId".to_owned()),
            (4, "products[1].billing".to_owned()),
            (4, "products[2].billing".to_owned()),
            (5, "externalId".to_owned()),
            (5, "products".to_owned()),
            (6, "externalId".to_owned()),
        ],
        "{e}"
    );
    let shown = e.to_string();
    assert!(
        shown.contains("line 3, products[0].billing: required"),
        "{shown}"
    );
    assert!(
        shown.contains("is not sold yearly (it is sold 3-month)"),
        "{shown}"
    );
    assert!(
        shown.contains("line 3, products[0].siteID: unknown member"),
        "{shown}"
    );
}

#[test]
fn rules_across_lines_are_checked_on_the_whole_file() {
    let line = |id: &str, products: &str| {
        format!(
            r#"{{"externalId":"{id}","accountId":"{SUB1}","status":"active","products":[{products}]}}"#
        )
    };
    let plan = |site| {
        format!(
            r#"{{"catalogProductId":"{PLAN_VIP}","billing":"yearly","countryCode":"BR","siteId":"{site}"}}"#
        )
    };
    let domain =
        |site| format!(r#"{{"catalogProductId":"{DOMAIN}","countryCode":"BR","siteId":"{site}"}}"#);
    let text = [
        line("a", &plan(SUB1_SITE)),
        line("a", &plan(SUB1_SPARE)),
        line("b", &plan(SUB1_SITE)),
        line("c", &domain(MAIN_SITE)),
        line("d", &format!("{},{}", plan(SUB2_SITE), domain(SUB2_SITE))),
        line("e", &format!("{},{}", plan(OTHER_SITE), plan(OTHER_SITE))),
    ]
    .join("\n");
    let e = jsonl(&text).unwrap_err();
    assert_eq!(
        fields(&e),
        [
            (5, "products[1].siteId".to_owned()),
            (6, "products[1].siteId".to_owned()),
        ],
        "{e}"
    );
    // Once each line is right on its own, the rules across lines.
    let text = [
        line("a", &plan(SUB1_SITE)),
        line("a", &plan(SUB1_SPARE)),
        line("b", &plan(SUB1_SITE)),
        line("c", &domain(MAIN_SITE)),
    ]
    .join("\n");
    let e = jsonl(&text).unwrap_err();
    assert_eq!(
        fields(&e),
        [
            (2, "externalId".to_owned()),
            (3, "products[0].siteId".to_owned()),
            (4, "products[0].siteId".to_owned()),
        ],
        "{e}"
    );
    assert!(e.to_string().contains("also on line 1"), "{e}");
    assert!(
        e.to_string()
            .contains("no active subscription puts one there"),
        "{e}"
    );
    // An ended subscription places nothing.
    let ended = format!(
        r#"{{"externalId":"z","accountId":"{SUB1}","status":"ended","products":[{}]}}"#,
        plan(SUB1_SITE)
    );
    assert!(jsonl(&format!("{ended}\n{}", line("b", &plan(SUB1_SITE)))).is_ok());
}

#[test]
fn csv_says_the_same_as_jsonl() {
    let csv = format!(
        "externalId,accountId,status,catalogProductId,billing,countryCode,siteId,discountCode\r\n\
         sub-1,{SUB1},active,{PLAN_VIP},monthly,US,{SUB1_SITE},\"SPR,ING\"\r\n\
         sub-2,{SUB2},ended,,,,,\r\n\
         sub-1,{SUB1},active,{ASCEND},,US,,\r\n"
    );
    let d = parse_csv(&csv, &catalog()).unwrap();
    let what = |d: &DesiredState| {
        d.subscriptions()
            .iter()
            .map(|s| {
                (
                    s.external_id.clone(),
                    s.account,
                    s.status,
                    s.products.clone(),
                )
            })
            .collect::<Vec<_>>()
    };
    let jsonl_text = format!(
        r#"{{"externalId":"sub-1","accountId":"{SUB1}","status":"active","products":[{{"catalogProductId":"{PLAN_VIP}","billing":"monthly","countryCode":"US","siteId":"{SUB1_SITE}","discountCode":"SPR,ING"}},{{"catalogProductId":"{ASCEND}","countryCode":"US"}}]}}
{{"externalId":"sub-2","accountId":"{SUB2}","status":"ended"}}"#
    );
    assert_eq!(what(&d), what(&jsonl(&jsonl_text).unwrap()));
    assert_eq!(
        d.subscriptions()[0].line,
        2,
        "a CSV subscription's line is its first row's"
    );
}

#[test]
fn csv_errors_name_the_line_and_column() {
    let csv = format!(
        "externalId,accountId,status,catalogProductId,countryCode,colour\n\
         sub-1,{SUB1},active,{ASCEND},US,red\n"
    );
    let e = parse_csv(&csv, &catalog()).unwrap_err();
    assert_eq!(fields(&e), [(1, "colour".to_owned())]);
    let csv = format!(
        "externalId,accountId,status,catalogProductId,countryCode\n\
         sub-1,{SUB1},active,{ASCEND},US\n\
         sub-1,{SUB2},active,{ASCEND},US\n\
         sub-2,{SUB1},active,{ASCEND}\n\
         sub-3,{SUB1},active,{ASCEND},\"XX\n"
    );
    let e = parse_csv(&csv, &catalog()).unwrap_err();
    assert_eq!(
        fields(&e),
        [
            (3, "accountId".to_owned()),
            (4, String::new()),
            (5, String::new()),
            (5, "countryCode".to_owned()),
        ],
        "{e}"
    );
}
