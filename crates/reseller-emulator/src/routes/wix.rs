//! The route table of Wix's Resellers, site-transfer, accounts and sites
//! endpoints (served by `wix.rs` and `sites.rs`).

use axum::routing::{delete, get, patch, post};
use reseller_wire::{
    AdjustRequest, CountSitesRequest, CountSitesResponse, CreateAccountRequest,
    CreateAccountResponse, CreatePackageRequest, GetAccountResponse, GetPackageResponse,
    IdempotentRequest, ListChildAccountsResponse, PackageResponse, QueryPackagesRequest,
    QueryPackagesResponse, QuerySitesRequest, QuerySitesResponse, TransferSiteRequest,
    TransferSiteResponse, UpdateExternalIdResponse,
};
use serde_json::json;

use super::*;

/// The Wix surface's operations.
pub(super) const OPERATIONS: &[Operation] = &[
    Operation {
        method: "post",
        path: "/resellers/v2/packages",
        handler: || post(crate::wix::create_v2),
        id: "createPackage",
        summary: "Create Package (V2): a package of product instances for the header account.",
        body: body(of::<CreatePackageRequest>, true),
        answer: Some(of::<PackageResponse>),
        example: Some(|| {
            json!({
                "externalId": "order-1001",
                "products": [{
                    "catalogProductId": DEMO_PREMIUM_PLAN,
                    "countryCode": "US",
                    "billingInfo": {
                        "type": "RECURRING",
                        "cycleDuration": {"unit": "YEAR", "count": 1}
                    }
                }]
            })
        }),
        links: PACKAGE_LINKS,
        ..BASE
    },
    Operation {
        method: "post",
        path: "/resellers/v1/packages/query",
        handler: || post(crate::wix::query_packages),
        id: "queryPackages",
        summary: "Query Packages: filter, sort, cursor or offset paging.",
        body: body(of::<QueryPackagesRequest>, true),
        answer: Some(of::<QueryPackagesResponse>),
        example: Some(|| {
            json!({
                "query": {
                    "filter": {"accountId": {"$eq": DEMO_MAIN_ACCOUNT}},
                    "sort": [{"fieldName": "createdDate", "order": "DESC"}],
                    "cursorPaging": {"limit": 10}
                }
            })
        }),
        ..BASE
    },
    Operation {
        method: "get",
        path: "/resellers/v1/packages/{packageId}",
        handler: || get(crate::wix::get_package),
        id: "getPackage",
        summary: "Get Package.",
        params: &[PACKAGE_ID],
        answer: Some(of::<GetPackageResponse>),
        ..BASE
    },
    Operation {
        method: "delete",
        path: "/resellers/v1/packages/{packageId}",
        handler: || delete(crate::wix::cancel_package),
        id: "cancelPackage",
        summary: "Cancel Package: cancels every instance of the package.",
        params: &[PACKAGE_ID, IDEMPOTENCY_KEY],
        answer: Some(of::<PackageResponse>),
        ..BASE
    },
    Operation {
        method: "patch",
        path: "/resellers/v1/packages/product-instances/{instanceId}/unassign",
        handler: || patch(crate::wix::unassign),
        id: "unassignProductInstance",
        summary: "Unassign Product Instance From Site.",
        params: &[INSTANCE_ID],
        body: body(of::<IdempotentRequest>, false),
        answer: Some(of::<PackageResponse>),
        example: Some(|| json!({})),
        ..BASE
    },
    Operation {
        method: "patch",
        path: "/resellers/v1/packages/product-instances/{instanceId}/{siteId}",
        handler: || patch(crate::wix::assign),
        id: "assignProductInstance",
        summary: "Assign Product Instance To Site.",
        params: &[
            INSTANCE_ID,
            Param {
                name: "siteId",
                location: In::Path,
                kind: Kind::Guid,
                description: "The site to assign the instance to.",
                example: Some(DEMO_SITE),
            },
        ],
        body: body(of::<IdempotentRequest>, false),
        answer: Some(of::<PackageResponse>),
        example: Some(|| json!({})),
        ..BASE
    },
    Operation {
        method: "patch",
        path: "/resellers/v1/packages/product-instances/{instanceId}",
        handler: || patch(crate::wix::adjust),
        id: "adjustProductInstance",
        summary: "Adjust Product Instance Specifications: product, billing cycle, discount.",
        params: &[INSTANCE_ID],
        body: body(of::<AdjustRequest>, true),
        answer: Some(of::<PackageResponse>),
        example: Some(|| json!({"catalogProductId": DEMO_CORE_PLAN})),
        ..BASE
    },
    Operation {
        method: "delete",
        path: "/resellers/v1/packages/product-instances/{instanceId}",
        handler: || delete(crate::wix::cancel_instance),
        id: "cancelProductInstance",
        summary: "Cancel Product Instance.",
        params: &[INSTANCE_ID, IDEMPOTENCY_KEY],
        answer: Some(of::<PackageResponse>),
        ..BASE
    },
    Operation {
        method: "patch",
        path: "/resellers/v1/packages/update/{packageId}/{externalId}",
        handler: || patch(crate::wix::update_external_id),
        id: "updatePackageExternalId",
        summary: "Update Package External Id.",
        params: &[
            PACKAGE_ID,
            Param {
                name: "externalId",
                location: In::Path,
                kind: Kind::ExternalId,
                description: "The reseller's new reference, at most 100 characters.",
                example: Some("order-1001"),
            },
        ],
        answer: Some(of::<UpdateExternalIdResponse>),
        ..BASE
    },
    Operation {
        method: "post",
        path: "/b2b-site-management/v1/transfer-site",
        handler: || post(crate::wix::transfer_site),
        id: "transferSite",
        summary: "Transfer Site to the header account (the target).",
        tag: TRANSFER,
        body: body(of::<TransferSiteRequest>, true),
        answer: Some(of::<TransferSiteResponse>),
        example: Some(|| {
            json!({
                "siteTransfer": {
                    "siteId": DEMO_SUB_ACCOUNT_SITE,
                    "sourceAccountId": DEMO_SUB_ACCOUNT,
                    "enableNotifications": false
                }
            })
        }),
        ..BASE
    },
    Operation {
        method: "post",
        path: "/accounts/v1/accounts/create",
        handler: || post(crate::wix::create_account),
        id: "createAccount",
        summary: "Create Account: a sub-account of the header account.",
        tag: ACCOUNTS,
        body: body(of::<CreateAccountRequest>, true),
        answer: Some(of::<CreateAccountResponse>),
        example: Some(|| json!({"user": {"email": {"emailAddress": "owner@bakery.example"}}})),
        ..BASE
    },
    Operation {
        method: "get",
        path: "/accounts/v1/account/child-accounts",
        handler: || get(crate::wix::child_accounts),
        id: "listChildAccounts",
        summary: "List Child Accounts of the header account.",
        tag: ACCOUNTS,
        params: &[
            Param {
                name: "paging.limit",
                location: In::Query,
                kind: Kind::Count,
                description: "Page size.",
                example: None,
            },
            Param {
                name: "paging.offset",
                location: In::Query,
                kind: Kind::Count,
                description: "Accounts to skip.",
                example: None,
            },
        ],
        answer: Some(of::<ListChildAccountsResponse>),
        ..BASE
    },
    Operation {
        method: "get",
        path: "/accounts/v1/accounts/{accountId}",
        handler: || get(crate::sites::get_account),
        id: "getAccount",
        summary: "Get Account: `accountId`, `slug` and `accountName` of the key's own \
                  account or one of its sub-accounts (any other: 404 `ACCOUNT_NOT_FOUND`).",
        tag: ACCOUNTS,
        params: &[Param {
            name: "accountId",
            location: In::Path,
            kind: Kind::Guid,
            description: "The account to read.",
            example: Some(DEMO_SUB_ACCOUNT),
        }],
        answer: Some(of::<GetAccountResponse>),
        ..BASE
    },
    Operation {
        method: "post",
        path: "/site-list/v2/sites/query",
        handler: || post(crate::sites::query_sites),
        id: "querySites",
        summary: "Query Sites of the header account: the filters and operators of Wix's \
                  table plus `appIds`, `searchPhrase` and `state` (only active `WIX` sites \
                  unless `namespace` or `state` is named; other fields are ignored), one \
                  sort of `displayName`, `createdDate` (default, `DESC`), `updatedDate`, \
                  `trashedDate`, cursor paging (50 by default, at most 100; the first \
                  1,000 reachable).",
        tag: SITES,
        body: body(of::<QuerySitesRequest>, false),
        answer: Some(of::<QuerySitesResponse>),
        example: Some(|| {
            json!({"query": {
                "filter": {"namespace": {"$in": ["WIX", "HEADLESS"]}, "published": true},
                "sort": [{"fieldName": "displayName", "order": "ASC"}],
                "cursorPaging": {"limit": 10}
            }})
        }),
        ..BASE
    },
    Operation {
        method: "post",
        path: "/site-list/v2/sites/count",
        handler: || post(crate::sites::count_sites),
        id: "countSites",
        summary: "Count Sites of the header account: Query Sites' filter (its defaults \
                  included), `premium` and `appIds` ignored.",
        tag: SITES,
        body: body(of::<CountSitesRequest>, false),
        answer: Some(of::<CountSitesResponse>),
        example: Some(|| json!({"filter": {"editorType": "EDITOR"}})),
        ..BASE
    },
];
