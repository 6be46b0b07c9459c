//! The route table of the emulator's control API under `/_emulator/` (served by
//! `control.rs` and `extend.rs`).

use axum::routing::{delete, get, post, put};
use reseller_wire::Package;
use reseller_wire::control::{
    AccountDoc, AccountList, AllowedTransferDoc, ApiKeyDoc, CatalogList, CatalogProductDoc,
    ClockDoc, ExtendDoc, FaultRulesDoc, HealthDoc, NowDoc, ProvisioningDoc, RequestLogDoc, SiteDoc,
    SiteList, StateDocument, StatusChangeDoc,
};
use serde_json::json;

use super::*;

/// The control API's operations.
pub(super) const OPERATIONS: &[Operation] = &[
    Operation {
        method: "get",
        path: "/_emulator/health",
        handler: || get(crate::control::health),
        id: "health",
        summary: "`{\"status\":\"ok\"}` once the emulator accepts requests.",
        surface: Surface::Control,
        tag: CONTROL,
        answer: Some(of::<HealthDoc>),
        ..BASE
    },
    Operation {
        method: "post",
        path: "/_emulator/reset",
        handler: || post(crate::control::reset),
        id: "reset",
        summary: "Forget everything: accounts, keys, packages, faults, the request log.",
        surface: Surface::Control,
        tag: CONTROL,
        status: 204,
        ..BASE
    },
    Operation {
        method: "post",
        path: "/_emulator/accounts",
        handler: || post(crate::control::add_account),
        id: "addAccount",
        summary: "Add an account (a sub-account when `parentAccountId` is set).",
        surface: Surface::Control,
        tag: CONTROL,
        body: body(of::<AccountDoc>, true),
        status: 201,
        answer: Some(of::<AccountDoc>),
        example: Some(
            || json!({"parentAccountId": DEMO_MAIN_ACCOUNT, "name": "Customer 3: Garage"}),
        ),
        links: &[Link {
            name: "ListSites",
            operation_id: "listSites",
            parameters: &[("accountId", "$response.body#/id")],
        }],
        ..BASE
    },
    Operation {
        method: "get",
        path: "/_emulator/accounts",
        handler: || get(crate::control::accounts),
        id: "listAccounts",
        summary: "Every account.",
        surface: Surface::Control,
        tag: CONTROL,
        answer: Some(of::<AccountList>),
        ..BASE
    },
    Operation {
        method: "post",
        path: "/_emulator/sites",
        handler: || post(crate::control::add_site),
        id: "addSite",
        summary: "Add a site to an account.",
        surface: Surface::Control,
        tag: CONTROL,
        body: body(of::<SiteDoc>, true),
        status: 201,
        answer: Some(of::<SiteDoc>),
        example: Some(|| json!({"accountId": DEMO_SUB_ACCOUNT, "name": "bakery-shop"})),
        ..BASE
    },
    Operation {
        method: "get",
        path: "/_emulator/sites",
        handler: || get(crate::control::sites),
        id: "listSites",
        summary: "Every site, or those of one account.",
        surface: Surface::Control,
        tag: CONTROL,
        params: &[Param {
            name: "accountId",
            location: In::Query,
            kind: Kind::Guid,
            description: "Only the sites of this account.",
            example: Some(DEMO_MAIN_ACCOUNT),
        }],
        answer: Some(of::<SiteList>),
        ..BASE
    },
    Operation {
        method: "post",
        path: "/_emulator/catalog",
        handler: || post(crate::control::add_product),
        id: "addCatalogProduct",
        summary: "Add a product to the catalog; its `id` is the `catalogProductId`.",
        surface: Surface::Control,
        tag: CONTROL,
        body: body(of::<CatalogProductDoc>, true),
        status: 201,
        answer: Some(of::<CatalogProductDoc>),
        example: Some(|| {
            json!({
                "id": "c1000000-0000-4000-8000-000000000099",
                "productType": "MAILBOX",
                "name": "Mailbox Pro",
                "billingCycles": [{"type": "RECURRING", "cycleDuration": {"unit": "MONTH", "count": 1}}]
            })
        }),
        ..BASE
    },
    Operation {
        method: "get",
        path: "/_emulator/catalog",
        handler: || get(crate::control::catalog),
        id: "listCatalog",
        summary: "Every catalog product.",
        surface: Surface::Control,
        tag: CONTROL,
        answer: Some(of::<CatalogList>),
        ..BASE
    },
    Operation {
        method: "post",
        path: "/_emulator/allowed-transfers",
        handler: || post(crate::control::allow_transfer),
        id: "allowTransfer",
        summary: "Put a (source, target) account pair on Transfer Site's allow-list.",
        surface: Surface::Control,
        tag: CONTROL,
        body: body(of::<AllowedTransferDoc>, true),
        status: 201,
        answer: Some(of::<AllowedTransferDoc>),
        example: Some(
            || json!({"sourceAccountId": DEMO_SECOND_SUB_ACCOUNT, "targetAccountId": DEMO_SUB_ACCOUNT}),
        ),
        ..BASE
    },
    Operation {
        method: "post",
        path: "/_emulator/api-keys",
        handler: || post(crate::control::add_api_key),
        id: "addApiKey",
        summary: "Create an API key for an account (all five scopes when `scopes` is absent).",
        surface: Surface::Control,
        tag: CONTROL,
        body: body(of::<ApiKeyDoc>, true),
        status: 201,
        answer: Some(of::<ApiKeyDoc>),
        example: Some(
            || json!({"accountId": DEMO_SUB_ACCOUNT, "scopes": ["premium.reseller-package.read"]}),
        ),
        ..BASE
    },
    Operation {
        method: "post",
        path: "/_emulator/instances/{instanceId}/status",
        handler: || post(crate::control::move_instance),
        id: "setInstanceStatus",
        summary: "Move an instance as Wix's provisioning would; answers the bare package.",
        surface: Surface::Control,
        tag: CONTROL,
        params: &[INSTANCE_ID],
        body: body(of::<StatusChangeDoc>, true),
        answer: Some(of::<Package>),
        example: Some(|| json!({"status": "ENABLED"})),
        ..BASE
    },
    Operation {
        method: "post",
        path: "/_emulator/instances/{instanceId}/extend",
        handler: || post(crate::extend::extend),
        id: "extendInstance",
        summary: "Move an expiring instance's expirationDate on by whole billing cycles \
                  (the dashboard's extension); answers the bare package; 409 for an \
                  instance without expirationDate or not PENDING/ENABLED.",
        surface: Surface::Control,
        tag: CONTROL,
        params: &[INSTANCE_ID],
        body: body(of::<ExtendDoc>, false),
        answer: Some(of::<Package>),
        example: Some(|| json!({"cycles": 1})),
        ..BASE
    },
    Operation {
        method: "put",
        path: "/_emulator/provisioning",
        handler: || put(crate::control::provisioning),
        id: "setProvisioning",
        summary: "The provisioning mode: `auto` (with `delayMs`) or `manual`.",
        surface: Surface::Control,
        tag: CONTROL,
        body: body(of::<ProvisioningDoc>, true),
        answer: Some(of::<ProvisioningDoc>),
        example: Some(|| json!({"mode": "auto", "delayMs": 0})),
        ..BASE
    },
    Operation {
        method: "post",
        path: "/_emulator/clock",
        handler: || post(crate::control::clock),
        id: "moveClock",
        summary: "Move the emulated clock forward (`advanceMs` or `set`).",
        surface: Surface::Control,
        tag: CONTROL,
        body: body(of::<ClockDoc>, true),
        answer: Some(of::<NowDoc>),
        example: Some(|| json!({"advanceMs": 60_000})),
        ..BASE
    },
    Operation {
        method: "post",
        path: "/_emulator/faults",
        handler: || post(crate::control::add_faults),
        id: "addFaults",
        summary: "Add fault rules for the Wix surface; answers them with their ids.",
        surface: Surface::Control,
        tag: CONTROL,
        body: body(of::<FaultRulesDoc>, true),
        status: 201,
        answer: Some(of::<FaultRulesDoc>),
        example: Some(|| {
            json!({
                "rules": [{
                    "method": "POST",
                    "pathPrefix": "/resellers/v2/packages",
                    "status": 503,
                    "times": 1,
                    "retryAfterSeconds": 1
                }]
            })
        }),
        ..BASE
    },
    Operation {
        method: "delete",
        path: "/_emulator/faults",
        handler: || delete(crate::control::clear_faults),
        id: "clearFaults",
        summary: "Remove every fault rule.",
        surface: Surface::Control,
        tag: CONTROL,
        status: 204,
        ..BASE
    },
    Operation {
        method: "get",
        path: "/_emulator/requests",
        handler: || get(crate::control::requests),
        id: "listRequests",
        summary: "The request log, newest first (never an API key).",
        surface: Surface::Control,
        tag: CONTROL,
        params: &[Param {
            name: "limit",
            location: In::Query,
            kind: Kind::Count,
            description: "At most this many entries (default: all kept, 1000).",
            example: Some("20"),
        }],
        answer: Some(of::<RequestLogDoc>),
        ..BASE
    },
    Operation {
        method: "get",
        path: "/_emulator/state",
        handler: || get(crate::control::export),
        id: "exportState",
        summary: "The whole state as one document (the seed shape plus packages).",
        surface: Surface::Control,
        tag: CONTROL,
        answer: Some(of::<StateDocument>),
        ..BASE
    },
    Operation {
        method: "put",
        path: "/_emulator/state",
        handler: || put(crate::control::import),
        id: "importState",
        summary: "Replace the whole state with a document.",
        surface: Surface::Control,
        tag: CONTROL,
        body: body(of::<StateDocument>, true),
        status: 204,
        example: Some(|| serde_json::to_value(crate::demo_seed()).unwrap_or_default()),
        ..BASE
    },
    Operation {
        method: "get",
        path: "/_emulator/openapi.json",
        handler: || get(crate::control::openapi),
        id: "openapi",
        summary: "This document.",
        surface: Surface::Control,
        tag: CONTROL,
        answer: Some(any_object),
        ..BASE
    },
];
