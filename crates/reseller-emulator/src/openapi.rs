//! The OpenAPI 3.0.3 document of both surfaces (`GET /_emulator/openapi.json`),
//! generated from the wire types, never written by hand.
//!
//! `OPERATIONS` is the one list of documented routes: method, path, parameters,
//! request body type, success status and answer type of every endpoint of the Wix
//! surface and the control API. The schemas come from the `schemars::JsonSchema`
//! implementations of reseller-wire's DTOs (its `schema` feature), in both of
//! schemars' contracts: a request body is described as serde *reads* it (every member
//! optional, `null` read as absent), an answer as serde *writes* it (members without
//! `skip_serializing_if` always present, never `null`). Where the two differ, the
//! read form is a component of its own named `<Type>Input`; otherwise one component
//! serves both.
//!
//! Every operation documents its success answer under its real status and every
//! other answer (a refusal, an unknown route, an injected fault) under `default`,
//! as Wix's error body (`ErrorBody`). The Wix routes name the API key as the
//! `apiKey` security scheme (the raw key in `Authorization`) and the acting account
//! as the required `wix-account-id` header; the control routes accept the optional
//! admin token (`Authorization: Bearer TOKEN`).
//!
//! A unit test checks `OPERATIONS` against the router: every documented method and
//! path is served, and every other method on a routed path answers the `NOT_FOUND`
//! fallback, so a route cannot be added without its documentation.

use std::collections::BTreeSet;
use std::sync::OnceLock;

use reseller_wire::control::{
    AccountDoc, AccountList, AllowedTransferDoc, ApiKeyDoc, CatalogList, CatalogProductDoc,
    ClockDoc, ExtendDoc, FaultRulesDoc, HealthDoc, NowDoc, ProvisioningDoc, RequestLogDoc, SiteDoc,
    SiteList, StateDocument, StatusChangeDoc,
};
use reseller_wire::domains::{
    CheckDomainAvailabilityResponse, ConnectedDomain, ConnectedDomainResponse,
    CreateConnectedDomainRequest, ListConnectedDomainsResponse, SetupInfoResponse,
    SuggestDomainsResponse,
};
use reseller_wire::domains_control::{DnsModeDoc, DnsStatusDoc, TakenDomainsDoc, TldsDoc};
use reseller_wire::{
    AdjustRequest, CountSitesRequest, CountSitesResponse, CreateAccountRequest,
    CreateAccountResponse, CreatePackageRequest, ErrorBody, GetAccountResponse, GetPackageResponse,
    IdempotentRequest, ListChildAccountsResponse, Package, PackageResponse, QueryPackagesRequest,
    QueryPackagesResponse, QuerySitesRequest, QuerySitesResponse, TransferSiteRequest,
    TransferSiteResponse, UpdateExternalIdResponse,
};
use schemars::generate::SchemaSettings;
use schemars::transform::{Transform, transform_subschemas};
use schemars::{JsonSchema, Schema, SchemaGenerator};
use serde_json::{Map, Value, json};

/// The OpenAPI version of the document.
pub const OPENAPI_VERSION: &str = "3.0.3";

/// Where component schemas live (schemars' OpenAPI 3 settings put them there).
const COMPONENTS: &str = "#/components/schemas/";

/// The suffix of a component that describes how a type is read, when that differs
/// from how it is written.
const INPUT_SUFFIX: &str = "Input";

/// The section of the API an operation belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Surface {
    /// Wix's own endpoints: API key and `wix-account-id`.
    Wix,
    /// The emulator's control API under `/_emulator/`.
    Control,
}

/// Where a parameter travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum In {
    /// A `{name}` segment of the path (always required).
    Path,
    /// A query-string parameter (always optional here).
    Query,
}

/// What a parameter's text is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// A GUID (any other text is answered 400).
    Guid,
    /// A non-negative integer (any other text is answered 400).
    Count,
    /// Free text of at most 100 characters.
    ExternalId,
    /// Free text.
    Text,
}

/// One documented parameter.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Param {
    pub(crate) name: &'static str,
    pub(crate) location: In,
    pub(crate) kind: Kind,
    pub(crate) description: &'static str,
    /// An example value (an id of the demo seed).
    pub(crate) example: Option<&'static str>,
}

/// An OpenAPI link from a success answer to an operation it supplies with ids.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Link {
    pub(crate) name: &'static str,
    pub(crate) operation_id: &'static str,
    /// `(parameter, runtime expression)` pairs, e.g. `("packageId",
    /// "$response.body#/package/id")`.
    pub(crate) parameters: &'static [(&'static str, &'static str)],
}

/// A schema of a wire type, as a generator describes it (a `$ref` for named types).
type SchemaFn = fn(&mut SchemaGenerator) -> Schema;

fn of<T: JsonSchema>(generator: &mut SchemaGenerator) -> Schema {
    generator.subschema_for::<T>()
}

/// Any JSON object (the OpenAPI document itself).
fn any_object(_: &mut SchemaGenerator) -> Schema {
    schemars::json_schema!({"type": "object"})
}

/// A request body.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RequestBody {
    pub(crate) schema: SchemaFn,
    /// Whether the operation needs one (an absent body reads as `{}` everywhere, so
    /// this is documentation: without it the request is refused, not misread).
    pub(crate) required: bool,
}

/// One documented route.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Operation {
    /// Lowercase HTTP method, as OpenAPI spells it.
    pub(crate) method: &'static str,
    /// The path, with OpenAPI `{name}` templates.
    pub(crate) path: &'static str,
    pub(crate) id: &'static str,
    pub(crate) summary: &'static str,
    pub(crate) surface: Surface,
    pub(crate) tag: &'static str,
    pub(crate) params: &'static [Param],
    pub(crate) body: Option<RequestBody>,
    /// The success status.
    pub(crate) status: u16,
    /// The success answer's body (`None`: no content).
    pub(crate) answer: Option<SchemaFn>,
    /// An example request body that succeeds on the demo seed (documentation, and
    /// the examples phase of Schemathesis).
    pub(crate) example: Option<fn() -> Value>,
    /// The operations the success answer supplies with ids.
    pub(crate) links: &'static [Link],
}

const RESELLERS: &str = "Resellers";
const TRANSFER: &str = "Site transfer";
const ACCOUNTS: &str = "Accounts";
const SITES: &str = "Sites";
const CONTROL: &str = "Emulator control";
const DOMAINS: &str = "Domains";

const DOMAIN_QUERY: Param = Param {
    name: "domain",
    location: In::Query,
    kind: Kind::Text,
    description: "The domain name with its TLD (required).",
    example: Some("bakery.com"),
};
const DOMAIN_PATH: Param = Param {
    name: "connectedDomainId",
    location: In::Path,
    kind: Kind::Text,
    description: "The connected domain's id: its name with the TLD.",
    example: Some("bakery.com"),
};

const PACKAGE_ID: Param = Param {
    name: "packageId",
    location: In::Path,
    kind: Kind::Guid,
    description: "The package's id.",
    example: None,
};
const INSTANCE_ID: Param = Param {
    name: "instanceId",
    location: In::Path,
    kind: Kind::Guid,
    description: "The product instance's id.",
    example: None,
};
const IDEMPOTENCY_KEY: Param = Param {
    name: "idempotencyKey",
    location: In::Query,
    kind: Kind::Text,
    description: "The idempotency key (also read from a JSON body `{\"idempotencyKey\"}`): \
                  a repeated call with the same key answers the first answer.",
    example: None,
};

/// Ids of the demo seed (`seed.rs`), for the examples.
const DEMO_MAIN_ACCOUNT: &str = crate::demo::ACME_ID;
const DEMO_SUB_ACCOUNT: &str = crate::demo::BAKERY_CO_ID;
const DEMO_SECOND_SUB_ACCOUNT: &str = crate::demo::FLORIST_LTD_ID;
/// `acme-showcase`, a site of the main account.
const DEMO_SITE: &str = crate::demo::ACME_SHOWCASE_ID;
/// `bakery-blog`, a site of the first sub-account with no outside paid service.
const DEMO_SUB_ACCOUNT_SITE: &str = crate::demo::BAKERY_BLOG_ID;
/// `Business Unlimited` and `Core`, two Premium plans.
const DEMO_PREMIUM_PLAN: &str = crate::demo::BUSINESS_UNLIMITED_ID;
const DEMO_CORE_PLAN: &str = crate::demo::CORE_ID;

/// What a package answer supplies: the package's id and its first instance's id.
const PACKAGE_LINKS: &[Link] = &[
    Link {
        name: "GetPackage",
        operation_id: "getPackage",
        parameters: &[("packageId", "$response.body#/package/id")],
    },
    Link {
        name: "CancelPackage",
        operation_id: "cancelPackage",
        parameters: &[("packageId", "$response.body#/package/id")],
    },
    Link {
        name: "UpdateExternalId",
        operation_id: "updatePackageExternalId",
        parameters: &[("packageId", "$response.body#/package/id")],
    },
    Link {
        name: "AdjustInstance",
        operation_id: "adjustProductInstance",
        parameters: &[("instanceId", FIRST_INSTANCE)],
    },
    Link {
        name: "AssignInstance",
        operation_id: "assignProductInstance",
        parameters: &[("instanceId", FIRST_INSTANCE)],
    },
    Link {
        name: "UnassignInstance",
        operation_id: "unassignProductInstance",
        parameters: &[("instanceId", FIRST_INSTANCE)],
    },
    Link {
        name: "CancelInstance",
        operation_id: "cancelProductInstance",
        parameters: &[("instanceId", FIRST_INSTANCE)],
    },
    Link {
        name: "SetInstanceStatus",
        operation_id: "setInstanceStatus",
        parameters: &[("instanceId", FIRST_INSTANCE)],
    },
];
const FIRST_INSTANCE: &str = "$response.body#/package/productInstances/0/instanceId";

const fn body(schema: SchemaFn, required: bool) -> Option<RequestBody> {
    Some(RequestBody { schema, required })
}

/// A documented route with the defaults (Wix surface, no parameters, no body, 200
/// with no content).
const BASE: Operation = Operation {
    method: "get",
    path: "",
    id: "",
    summary: "",
    surface: Surface::Wix,
    tag: RESELLERS,
    params: &[],
    body: None,
    status: 200,
    answer: None,
    example: None,
    links: &[],
};

/// Every documented route: the Wix surface (`wix.rs`), then the control API
/// (`control.rs`).
pub(crate) const OPERATIONS: &[Operation] = &[
    Operation {
        method: "post",
        path: "/resellers/v2/packages",
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
        id: "getPackage",
        summary: "Get Package.",
        params: &[PACKAGE_ID],
        answer: Some(of::<GetPackageResponse>),
        ..BASE
    },
    Operation {
        method: "delete",
        path: "/resellers/v1/packages/{packageId}",
        id: "cancelPackage",
        summary: "Cancel Package: cancels every instance of the package.",
        params: &[PACKAGE_ID, IDEMPOTENCY_KEY],
        answer: Some(of::<PackageResponse>),
        ..BASE
    },
    Operation {
        method: "patch",
        path: "/resellers/v1/packages/product-instances/{instanceId}/unassign",
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
        id: "cancelProductInstance",
        summary: "Cancel Product Instance.",
        params: &[INSTANCE_ID, IDEMPOTENCY_KEY],
        answer: Some(of::<PackageResponse>),
        ..BASE
    },
    Operation {
        method: "patch",
        path: "/resellers/v1/packages/update/{packageId}/{externalId}",
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
        id: "countSites",
        summary: "Count Sites of the header account: Query Sites' filter (its defaults \
                  included), `premium` and `appIds` ignored.",
        tag: SITES,
        body: body(of::<CountSitesRequest>, false),
        answer: Some(of::<CountSitesResponse>),
        example: Some(|| json!({"filter": {"editorType": "EDITOR"}})),
        ..BASE
    },
    // The control API.
    Operation {
        method: "get",
        path: "/_emulator/health",
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
        id: "openapi",
        summary: "This document.",
        surface: Surface::Control,
        tag: CONTROL,
        answer: Some(any_object),
        ..BASE
    },
    // Domain Search and Connected Domains (`domains.rs`).
    Operation {
        method: "get",
        path: "/domain-search/v2/check-domain-availability",
        id: "checkDomainAvailability",
        summary: "Check Domain Availability (`wix-account-id` optional here).",
        tag: DOMAINS,
        params: &[DOMAIN_QUERY],
        answer: Some(of::<CheckDomainAvailabilityResponse>),
        ..BASE
    },
    Operation {
        method: "get",
        path: "/domain-search/v2/suggest-domains",
        id: "suggestDomains",
        summary: "Suggest Domains: available names for `query` on `tlds` (a repeated key), \
                  cursor paging.",
        tag: DOMAINS,
        params: &[
            Param {
                name: "query",
                location: In::Query,
                kind: Kind::Text,
                description: "3 to 100 letters, digits, spaces, dots and hyphens (required).",
                example: Some("bakery"),
            },
            Param {
                name: "tlds",
                location: In::Query,
                kind: Kind::Text,
                description: "A TLD without its dot; repeat the key for more (at most 10).",
                example: Some("com"),
            },
            Param {
                name: "paging.limit",
                location: In::Query,
                kind: Kind::Count,
                description: "Page size, 1 to 20 (default 10).",
                example: None,
            },
            Param {
                name: "paging.cursor",
                location: In::Query,
                kind: Kind::Text,
                description: "The `next` cursor of the previous page.",
                example: None,
            },
            Param {
                name: "limit",
                location: In::Query,
                kind: Kind::Count,
                description: "Deprecated page size, read when `paging.limit` is absent.",
                example: None,
            },
            Param {
                name: "maxLength",
                location: In::Query,
                kind: Kind::Count,
                description: "Longest name part, TLD excluded, 3 to 63 (default 63).",
                example: None,
            },
        ],
        answer: Some(of::<SuggestDomainsResponse>),
        ..BASE
    },
    Operation {
        method: "post",
        path: "/domains/v1/connected-domains",
        id: "createConnectedDomain",
        summary: "Create Connected Domain on the site named by the `wix-site-id` header.",
        tag: DOMAINS,
        body: body(of::<CreateConnectedDomainRequest>, true),
        answer: Some(of::<ConnectedDomainResponse>),
        example: Some(
            || json!({"connectedDomain": {"domain": "bakery.com", "connectionType": "NAMESERVERS"}}),
        ),
        ..BASE
    },
    Operation {
        method: "get",
        path: "/domains/v1/connected-domains",
        id: "listConnectedDomains",
        summary: "List Connected Domains of the header account, newest first.",
        tag: DOMAINS,
        params: &[
            Param {
                name: "paging.limit",
                location: In::Query,
                kind: Kind::Count,
                description: "Page size, 0 to 100 (default 50).",
                example: None,
            },
            Param {
                name: "paging.cursor",
                location: In::Query,
                kind: Kind::Text,
                description: "The `next` cursor of the previous page.",
                example: None,
            },
        ],
        answer: Some(of::<ListConnectedDomainsResponse>),
        ..BASE
    },
    Operation {
        method: "get",
        path: "/domains/v1/connected-domains/{connectedDomainId}",
        id: "getConnectedDomain",
        summary: "Get Connected Domain.",
        tag: DOMAINS,
        params: &[DOMAIN_PATH],
        answer: Some(of::<ConnectedDomainResponse>),
        ..BASE
    },
    Operation {
        method: "get",
        path: "/domains/v1/connected-domain-setup-info/{connectedDomainId}",
        id: "getConnectedDomainSetupInfo",
        summary: "Get Connected Domain Setup Info: the records the owner must set.",
        tag: DOMAINS,
        params: &[DOMAIN_PATH],
        answer: Some(of::<SetupInfoResponse>),
        ..BASE
    },
    Operation {
        method: "post",
        path: "/_emulator/domains/taken",
        id: "markDomainsTaken",
        summary: "Mark domain names as registered: unavailable, never suggested, connectable.",
        surface: Surface::Control,
        tag: CONTROL,
        body: body(of::<TakenDomainsDoc>, true),
        status: 201,
        answer: Some(of::<TakenDomainsDoc>),
        example: Some(|| json!({"domains": ["bakery.com"]})),
        ..BASE
    },
    Operation {
        method: "put",
        path: "/_emulator/tlds",
        id: "setTlds",
        summary: "The TLDs Domain Search and Connected Domains accept.",
        surface: Surface::Control,
        tag: CONTROL,
        body: body(of::<TldsDoc>, true),
        answer: Some(of::<TldsDoc>),
        example: Some(|| json!({"tlds": ["com", "net", "org"]})),
        ..BASE
    },
    Operation {
        method: "get",
        path: "/_emulator/tlds",
        id: "getTlds",
        summary: "The TLDs Domain Search and Connected Domains accept.",
        surface: Surface::Control,
        tag: CONTROL,
        answer: Some(of::<TldsDoc>),
        ..BASE
    },
    Operation {
        method: "put",
        path: "/_emulator/dns",
        id: "setDns",
        summary: "DNS propagation of new connected domains: `auto` (with `delayMs`) or `manual`.",
        surface: Surface::Control,
        tag: CONTROL,
        body: body(of::<DnsModeDoc>, true),
        answer: Some(of::<DnsModeDoc>),
        example: Some(|| json!({"mode": "auto", "delayMs": 0})),
        ..BASE
    },
    Operation {
        method: "post",
        path: "/_emulator/connected-domains/{connectedDomainId}/dns-status",
        id: "setDnsStatus",
        summary: "Move a connected domain's DNS propagation (`IN_PROGRESS`, `COMPLETED`, `FAILED`).",
        surface: Surface::Control,
        tag: CONTROL,
        params: &[DOMAIN_PATH],
        body: body(of::<DnsStatusDoc>, true),
        answer: Some(of::<ConnectedDomain>),
        example: Some(|| json!({"status": "COMPLETED"})),
        ..BASE
    },
];

/// The OpenAPI document (built once, then shared).
pub fn document() -> &'static Value {
    static DOCUMENT: OnceLock<Value> = OnceLock::new();
    DOCUMENT.get_or_init(build)
}

/// Removes the `null` that schemars allows in an optional member of a written
/// type: a member that is not `required` in the serialize contract has
/// `skip_serializing_if`, so it is either absent or a value, never `null`.
#[derive(Debug, Clone, Copy)]
struct NeverNull;

impl Transform for NeverNull {
    fn transform(&mut self, schema: &mut Schema) {
        transform_subschemas(self, schema);
        let Some(object) = schema.as_object_mut() else {
            return;
        };
        let required: BTreeSet<String> = object
            .get("required")
            .and_then(Value::as_array)
            .map(|names| {
                names
                    .iter()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default();
        let Some(properties) = object.get_mut("properties").and_then(Value::as_object_mut) else {
            return;
        };
        for (name, property) in properties.iter_mut() {
            if !required.contains(name) {
                strip_null(property);
            }
        }
    }
}

/// Whether `schema` is the null-only branch schemars' OpenAPI 3 settings write.
fn is_null_only(schema: &Value) -> bool {
    schema.get("nullable") == Some(&Value::Bool(true)) && schema.get("enum") == Some(&json!([null]))
}

/// `schema` without `null`: no `nullable`, no null-only `anyOf` branch.
fn strip_null(schema: &mut Value) {
    let Some(object) = schema.as_object_mut() else {
        return;
    };
    object.remove("nullable");
    let Some(Value::Array(branches)) = object.get_mut("anyOf") else {
        return;
    };
    branches.retain(|b| !is_null_only(b));
    if branches.len() == 1 {
        // One branch left (often a `$ref`, which OpenAPI 3.0 reads without its
        // siblings): keep it as the only member of `allOf`.
        if let Some(branches) = object.remove("anyOf") {
            object.insert("allOf".to_owned(), branches);
        }
    }
}

/// The generators of read (request) and written (answer) schemas.
fn generators() -> (SchemaGenerator, SchemaGenerator) {
    let read = SchemaSettings::openapi3()
        .for_deserialize()
        .with(|s| s.meta_schema = None)
        .into_generator();
    let write = SchemaSettings::openapi3()
        .for_serialize()
        .with(|s| s.meta_schema = None)
        .with_transform(NeverNull)
        .into_generator();
    (read, write)
}

/// `schema` of an operation, with the generator's transforms applied (named types
/// are `$ref`s, which they leave alone).
fn operation_schema(generator: &mut SchemaGenerator, f: SchemaFn) -> Value {
    let mut schema = f(generator);
    for transform in generator.transforms_mut() {
        transform.transform(&mut schema);
    }
    schema.to_value()
}

/// The component names a schema refers to.
fn refs(value: &Value, found: &mut BTreeSet<String>) {
    match value {
        Value::Object(map) => {
            for (key, v) in map {
                match (key.as_str(), v) {
                    ("$ref", Value::String(r)) => {
                        if let Some(name) = r.strip_prefix(COMPONENTS) {
                            found.insert(name.to_owned());
                        }
                    }
                    _ => refs(v, found),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| refs(v, found)),
        _ => {}
    }
}

/// Points every `$ref` to a component of `renamed` at its `Input` form.
fn rename_refs(value: &mut Value, renamed: &BTreeSet<String>) {
    match value {
        Value::Object(map) => {
            for (key, v) in map.iter_mut() {
                match (key.as_str(), v) {
                    ("$ref", Value::String(r)) => {
                        if let Some(name) = r.strip_prefix(COMPONENTS) {
                            if renamed.contains(name) {
                                *r = format!("{COMPONENTS}{name}{INPUT_SUFFIX}");
                            }
                        }
                    }
                    (_, v) => rename_refs(v, renamed),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| rename_refs(v, renamed)),
        _ => {}
    }
}

/// The components of both contracts: the written form under the type's name; the
/// read form under the same name when the type is never written or is read as it is
/// written, else under `<name>Input`. Returns the components and the renamed names.
fn merge_components(
    read: Map<String, Value>,
    write: Map<String, Value>,
) -> (Map<String, Value>, BTreeSet<String>) {
    let differs = |name: &str, schema: &Value| write.get(name).is_some_and(|w| w != schema);
    // A read form also differs when it refers to one that differs (its `$ref`s will
    // be renamed): grow the set to a fixed point.
    let mut renamed: BTreeSet<String> = read
        .iter()
        .filter(|(name, schema)| differs(name, schema))
        .map(|(name, _)| name.clone())
        .collect();
    loop {
        let more: Vec<String> = read
            .iter()
            .filter(|(name, _)| {
                write.contains_key(name.as_str()) && !renamed.contains(name.as_str())
            })
            .filter(|(_, schema)| {
                let mut found = BTreeSet::new();
                refs(schema, &mut found);
                found.iter().any(|r| renamed.contains(r))
            })
            .map(|(name, _)| name.clone())
            .collect();
        if more.is_empty() {
            break;
        }
        renamed.extend(more);
    }
    let mut components = write;
    for (name, mut schema) in read {
        rename_refs(&mut schema, &renamed);
        if renamed.contains(&name) {
            components.insert(format!("{name}{INPUT_SUFFIX}"), schema);
        } else {
            components.entry(name).or_insert(schema);
        }
    }
    (components, renamed)
}

/// The JSON Schema of a parameter.
fn param_schema(kind: Kind) -> Value {
    match kind {
        Kind::Guid => json!({"type": "string", "format": "uuid"}),
        Kind::Count => json!({"type": "integer", "minimum": 0, "maximum": u32::MAX}),
        Kind::ExternalId => json!({"type": "string", "maxLength": 100}),
        Kind::Text => json!({"type": "string"}),
    }
}

fn parameter(p: &Param) -> Value {
    let mut object = Map::new();
    object.insert("name".to_owned(), json!(p.name));
    let location = match p.location {
        In::Path => "path",
        In::Query => "query",
    };
    object.insert("in".to_owned(), json!(location));
    object.insert("required".to_owned(), json!(p.location == In::Path));
    object.insert("description".to_owned(), json!(p.description));
    object.insert("schema".to_owned(), param_schema(p.kind));
    if let Some(example) = p.example {
        object.insert("example".to_owned(), json!(example));
    }
    Value::Object(object)
}

fn links(links: &[Link]) -> Value {
    links
        .iter()
        .map(|l| {
            let parameters: Map<String, Value> = l
                .parameters
                .iter()
                .map(|(name, expression)| ((*name).to_owned(), json!(expression)))
                .collect();
            (
                l.name.to_owned(),
                json!({"operationId": l.operation_id, "parameters": parameters}),
            )
        })
        .collect::<Map<String, Value>>()
        .into()
}

/// `{"application/json": {"schema": schema, "example"?: example}}`.
fn json_content(schema: Value, example: Option<Value>) -> Value {
    let mut media = Map::new();
    media.insert("schema".to_owned(), schema);
    if let Some(example) = example {
        media.insert("example".to_owned(), example);
    }
    json!({"application/json": media})
}

fn status_description(status: u16) -> &'static str {
    match status {
        201 => "Created.",
        204 => "Done; no content.",
        _ => "OK.",
    }
}

/// One operation object (its request body schema is a read-contract `$ref`, renamed
/// later).
fn operation_object(
    op: &Operation,
    read: &mut SchemaGenerator,
    write: &mut SchemaGenerator,
) -> Value {
    let mut parameters: Vec<Value> = op.params.iter().map(parameter).collect();
    if op.surface == Surface::Wix {
        parameters.push(json!({
            "name": crate::wix::ACCOUNT_HEADER,
            "in": "header",
            "required": true,
            "description": "The account the call acts on (a GUID): the key's own account \
                            or one of its sub-accounts; the target of Transfer Site.",
            "schema": {"type": "string", "format": "uuid"},
        }));
    }
    let mut success = Map::new();
    success.insert(
        "description".to_owned(),
        json!(status_description(op.status)),
    );
    if let Some(answer) = op.answer {
        let schema = operation_schema(write, answer);
        success.insert("content".to_owned(), json_content(schema, None));
    }
    if !op.links.is_empty() {
        success.insert("links".to_owned(), links(op.links));
    }
    let mut responses = Map::new();
    responses.insert(op.status.to_string(), Value::Object(success));
    responses.insert(
        "default".to_owned(),
        json!({
            "description": "A refusal (4xx), an unknown route (404 `NOT_FOUND`) or an \
                            injected fault (5xx), in Wix's error shape.",
            "content": json_content(operation_schema(write, of::<ErrorBody>), None),
        }),
    );
    let mut object = Map::new();
    object.insert("operationId".to_owned(), json!(op.id));
    object.insert("summary".to_owned(), json!(op.summary));
    object.insert("tags".to_owned(), json!([op.tag]));
    object.insert("responses".to_owned(), Value::Object(responses));
    let security = match op.surface {
        Surface::Wix => json!([{"apiKey": []}]),
        Surface::Control => json!([{}, {"adminToken": []}]),
    };
    object.insert("security".to_owned(), security);
    if !parameters.is_empty() {
        object.insert("parameters".to_owned(), Value::Array(parameters));
    }
    if let Some(b) = op.body {
        let schema = operation_schema(read, b.schema);
        let content = json_content(schema, op.example.map(|example| example()));
        object.insert(
            "requestBody".to_owned(),
            json!({"required": b.required, "content": content}),
        );
    }
    Value::Object(object)
}

fn build() -> Value {
    let (mut read, mut write) = generators();
    let mut paths = Map::new();
    for op in OPERATIONS {
        let object = operation_object(op, &mut read, &mut write);
        if let Value::Object(item) = paths
            .entry(op.path)
            .or_insert_with(|| Value::Object(Map::new()))
        {
            item.insert(op.method.to_owned(), object);
        }
    }
    let (components, renamed) =
        merge_components(read.take_definitions(true), write.take_definitions(true));
    for item in paths.values_mut().filter_map(Value::as_object_mut) {
        for op in item.values_mut() {
            if let Some(body) = op.get_mut("requestBody") {
                rename_refs(body, &renamed);
            }
        }
    }
    json!({
        "openapi": OPENAPI_VERSION,
        "info": {
            "title": "Wix Resellers API emulator",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "The Wix Resellers API, Transfer Site, Create Account, List Child \
                            Accounts and Query Sites as the local emulator serves them, and the \
                            emulator's control API under /_emulator/. Generated from the wire \
                            types: request bodies are described as they are read, answers as \
                            they are written. Request members are also accepted in their \
                            snake_case spelling, and unknown members are ignored.",
        },
        "tags": [
            {"name": RESELLERS, "description": "Packages and product instances."},
            {"name": TRANSFER, "description": "The B2B site-transfer API."},
            {"name": ACCOUNTS, "description": "Sub-accounts of a reseller's account."},
            {"name": SITES, "description": "The sites of an account."},
            {"name": DOMAINS, "description": "Domain Search and Connected Domains."},
            {"name": CONTROL, "description": "Seeding, inspection, clock, provisioning \
                                              and faults of the emulator."},
        ],
        "paths": paths,
        "components": {
            "schemas": components,
            "securitySchemes": {
                "apiKey": {
                    "type": "apiKey",
                    "in": "header",
                    "name": "Authorization",
                    "description": "The account API key, raw (no `Bearer`).",
                },
                "adminToken": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "The admin token, when the emulator was started with one.",
                },
            },
        },
    })
}

#[cfg(test)]
mod tests {
    #![allow(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )]

    use std::collections::{BTreeMap, BTreeSet};

    use axum::body::Body;
    use axum::http::{Method, Request};
    use tower::ServiceExt;

    use super::*;
    use crate::Emulator;

    const METHODS: [&str; 5] = ["get", "post", "put", "patch", "delete"];
    const SAMPLE_GUID: &str = "0f000000-0000-4000-8000-000000000001";

    /// The `.route("...")` paths of a router source file, templates as `{}`.
    fn routed_paths(source: &str) -> Vec<String> {
        source
            .split(".route(")
            .skip(1)
            .map(|rest| {
                let start = rest.find('"').unwrap() + 1;
                let len = rest[start..].find('"').unwrap();
                normalized(&rest[start..start + len])
            })
            .collect()
    }

    /// A path with every `{name}` template written `{}`.
    fn normalized(path: &str) -> String {
        let mut out = String::new();
        let mut in_template = false;
        for c in path.chars() {
            match c {
                '{' => {
                    in_template = true;
                    out.push_str("{}");
                }
                '}' => in_template = false,
                c if !in_template => out.push(c),
                _ => {}
            }
        }
        out
    }

    /// A concrete path for a template: a GUID in every parameter, or `ext-1` for an
    /// external id (the second template of the update route).
    fn concrete(template: &str) -> String {
        let mut out =
            template.replacen("/update/{}/{}", &format!("/update/{SAMPLE_GUID}/ext-1"), 1);
        while out.contains("{}") {
            out = out.replacen("{}", SAMPLE_GUID, 1);
        }
        out
    }

    /// The `applicationError.code` of the answer to `method path`, and its status.
    async fn probe(emu: &Emulator, method: &str, path: &str) -> (u16, Option<String>) {
        let request = Request::builder()
            .method(Method::from_bytes(method.to_ascii_uppercase().as_bytes()).unwrap())
            .uri(path)
            .body(Body::empty())
            .unwrap();
        let response = emu.router().oneshot(request).await.unwrap();
        let status = response.status().as_u16();
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap();
        let code = serde_json::from_slice::<Value>(&bytes).ok().and_then(|v| {
            v.pointer("/details/applicationError/code")
                .and_then(Value::as_str)
                .map(str::to_owned)
        });
        (status, code)
    }

    /// The documented methods of each normalized path.
    fn documented() -> BTreeMap<String, BTreeSet<&'static str>> {
        let mut map: BTreeMap<String, BTreeSet<&'static str>> = BTreeMap::new();
        for op in OPERATIONS {
            assert!(
                map.entry(normalized(op.path))
                    .or_default()
                    .insert(op.method),
                "{} {} is documented twice",
                op.method,
                op.path
            );
        }
        map
    }

    #[test]
    fn every_routed_path_is_documented_and_every_documented_path_is_routed() {
        // The routers: the Wix surface, the control API (and its extension call),
        // and the app that merges them.
        let routed: BTreeSet<String> = routed_paths(include_str!("wix.rs"))
            .into_iter()
            .chain(routed_paths(include_str!("control.rs")))
            .chain(routed_paths(include_str!("extend.rs")))
            .chain(routed_paths(include_str!("domains.rs")))
            .chain(routed_paths(include_str!("lib.rs")))
            .collect();
        let documented: BTreeSet<String> = documented().into_keys().collect();
        assert_eq!(routed, documented);
    }

    #[tokio::test]
    async fn the_table_matches_the_router_method_by_method() {
        let emu = Emulator::in_memory();
        for (path, methods) in documented() {
            let concrete = concrete(&path);
            for method in METHODS {
                let (status, code) = probe(&emu, method, &concrete).await;
                let routed = code.as_deref() != Some("NOT_FOUND");
                assert_eq!(
                    routed,
                    methods.contains(method),
                    "{method} {concrete} answered {status} {code:?}; documented: {methods:?}"
                );
            }
        }
        for path in ["/", "/resellers/v2/packages/x/y", "/_emulator/nothing"] {
            let (status, code) = probe(&emu, "get", path).await;
            assert_eq!((status, code.as_deref()), (404, Some("NOT_FOUND")));
        }
    }

    #[test]
    fn path_templates_and_path_parameters_agree() {
        for op in OPERATIONS {
            let templates: Vec<&str> = op
                .path
                .split('/')
                .filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
                .collect();
            let params: Vec<&str> = op
                .params
                .iter()
                .filter(|p| p.location == In::Path)
                .map(|p| p.name)
                .collect();
            assert_eq!(templates, params, "{} {}", op.method, op.path);
            assert!(METHODS.contains(&op.method), "{}", op.method);
            assert!(!op.id.is_empty() && !op.summary.is_empty());
            assert_eq!(op.answer.is_none(), op.status == 204, "{}", op.id);
        }
        let ids: BTreeSet<&str> = OPERATIONS.iter().map(|o| o.id).collect();
        assert_eq!(ids.len(), OPERATIONS.len(), "operation ids are unique");
    }

    #[test]
    fn links_name_documented_operations_and_their_parameters() {
        for op in OPERATIONS {
            for link in op.links {
                let target = OPERATIONS
                    .iter()
                    .find(|o| o.id == link.operation_id)
                    .unwrap_or_else(|| panic!("{}: no operation {}", op.id, link.operation_id));
                for (name, expression) in link.parameters {
                    assert!(
                        target.params.iter().any(|p| p.name == *name),
                        "{} has no parameter {name}",
                        target.id
                    );
                    assert!(expression.starts_with("$response.body#/"));
                }
            }
        }
    }

    #[test]
    fn examples_use_the_demo_seed_and_come_with_bodies() {
        let seed = serde_json::to_value(crate::demo_seed())
            .unwrap()
            .to_string();
        for id in [
            DEMO_MAIN_ACCOUNT,
            DEMO_SUB_ACCOUNT,
            DEMO_SECOND_SUB_ACCOUNT,
            DEMO_SITE,
            DEMO_SUB_ACCOUNT_SITE,
            DEMO_PREMIUM_PLAN,
            DEMO_CORE_PLAN,
        ] {
            assert!(seed.contains(id), "{id} is not in the demo seed");
        }
        for op in OPERATIONS {
            assert_eq!(op.example.is_some(), op.body.is_some(), "{}", op.id);
        }
    }

    /// The components an answer may use: written forms only, and never `null`.
    #[test]
    fn answers_use_written_forms_that_are_never_null() {
        let doc = document();
        let components = doc["components"]["schemas"].as_object().unwrap();
        let mut todo = BTreeSet::new();
        for item in doc["paths"].as_object().unwrap().values() {
            for op in item.as_object().unwrap().values() {
                refs(&op["responses"], &mut todo);
            }
        }
        let mut reached = BTreeSet::new();
        while let Some(name) = todo.pop_first() {
            if reached.insert(name.clone()) {
                refs(&components[&name], &mut todo);
            }
        }
        assert!(reached.contains("ProductInstance") && reached.contains("ErrorBody"));
        for name in &reached {
            assert!(!name.ends_with(INPUT_SUFFIX), "an answer uses {name}");
            let text = components[name].to_string();
            assert!(!text.contains("nullable"), "{name} allows null: {text}");
        }
    }

    #[test]
    fn every_ref_resolves_and_read_forms_are_named_input() {
        let doc = document();
        let components = doc["components"]["schemas"].as_object().unwrap();
        let mut found = BTreeSet::new();
        refs(doc, &mut found);
        for name in &found {
            assert!(components.contains_key(name), "dangling $ref {name}");
        }
        // Written forms are strict: the error body always has both members.
        assert_eq!(
            components["ErrorBody"]["required"],
            json!(["message", "details"])
        );
        // A read form that differs has its own component, and a request refers to it.
        assert_eq!(
            doc["paths"]["/resellers/v2/packages"]["post"]["requestBody"]["content"]["application/json"]
                ["schema"]["$ref"],
            json!("#/components/schemas/CreatePackageRequest")
        );
        assert_eq!(
            components["CreatePackageRequest"]["properties"]["products"]["items"]["$ref"],
            json!("#/components/schemas/ProductInstanceInput")
        );
        assert_eq!(
            components["Package"]["properties"]["productInstances"]["items"]["$ref"],
            json!("#/components/schemas/ProductInstance")
        );
        assert!(!components.contains_key("CreatePackageRequestInput"));
        assert_eq!(
            doc["paths"]["/_emulator/instances/{instanceId}/status"]["post"]["responses"]["200"]["content"]
                ["application/json"]["schema"]["$ref"],
            json!("#/components/schemas/Package")
        );
    }
}
