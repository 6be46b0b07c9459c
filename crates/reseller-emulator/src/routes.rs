//! The one route table of the emulator: every endpoint of the Wix surface and
//! the control API, with what the OpenAPI document says of it (method, path,
//! parameters, request body and answer types, examples, links) and the handler
//! that serves it. [`router`] builds the axum routes from it and `openapi`
//! builds the document's paths from it, so a route cannot be served without
//! being documented, or documented without being served.

use axum::Router;
use axum::routing::MethodRouter;
use schemars::{JsonSchema, Schema, SchemaGenerator};
use serde_json::Value;

use crate::Emulator;

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
pub(crate) type SchemaFn = fn(&mut SchemaGenerator) -> Schema;

pub(crate) fn of<T: JsonSchema>(generator: &mut SchemaGenerator) -> Schema {
    generator.subschema_for::<T>()
}

/// Any JSON object (the OpenAPI document itself).
pub(crate) fn any_object(_: &mut SchemaGenerator) -> Schema {
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
    /// What serves the route: its method and its handler (in `wix.rs`, `sites.rs`,
    /// `control.rs` or `extend.rs`). The router is built from this table ([`router`]).
    pub(crate) handler: fn() -> MethodRouter<Emulator>,
}

pub(crate) const RESELLERS: &str = "Resellers";
pub(crate) const TRANSFER: &str = "Site transfer";
pub(crate) const ACCOUNTS: &str = "Accounts";
pub(crate) const SITES: &str = "Sites";
pub(crate) const DOMAINS: &str = "Domains";
pub(crate) const CONTROL: &str = "Emulator control";

pub(crate) const PACKAGE_ID: Param = Param {
    name: "packageId",
    location: In::Path,
    kind: Kind::Guid,
    description: "The package's id.",
    example: None,
};
pub(crate) const INSTANCE_ID: Param = Param {
    name: "instanceId",
    location: In::Path,
    kind: Kind::Guid,
    description: "The product instance's id.",
    example: None,
};
pub(crate) const IDEMPOTENCY_KEY: Param = Param {
    name: "idempotencyKey",
    location: In::Query,
    kind: Kind::Text,
    description: "The idempotency key (also read from a JSON body `{\"idempotencyKey\"}`): \
                  a repeated call with the same key answers the first answer.",
    example: None,
};

/// Ids of the demo seed (`seed.rs`), for the examples.
pub(crate) const DEMO_MAIN_ACCOUNT: &str = crate::demo::ACME_ID;
pub(crate) const DEMO_SUB_ACCOUNT: &str = crate::demo::BAKERY_CO_ID;
pub(crate) const DEMO_SECOND_SUB_ACCOUNT: &str = crate::demo::FLORIST_LTD_ID;
/// `acme-showcase`, a site of the main account.
pub(crate) const DEMO_SITE: &str = crate::demo::ACME_SHOWCASE_ID;
/// `bakery-blog`, a site of the first sub-account with no outside paid service.
pub(crate) const DEMO_SUB_ACCOUNT_SITE: &str = crate::demo::BAKERY_BLOG_ID;
/// `Business Unlimited` and `Core`, two Premium plans.
pub(crate) const DEMO_PREMIUM_PLAN: &str = crate::demo::BUSINESS_UNLIMITED_ID;
pub(crate) const DEMO_CORE_PLAN: &str = crate::demo::CORE_ID;

/// What a package answer supplies: the package's id and its first instance's id.
pub(crate) const PACKAGE_LINKS: &[Link] = &[
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
pub(crate) const FIRST_INSTANCE: &str = "$response.body#/package/productInstances/0/instanceId";

pub(crate) const fn body(schema: SchemaFn, required: bool) -> Option<RequestBody> {
    Some(RequestBody { schema, required })
}

/// A documented route with the defaults (Wix surface, no parameters, no body, 200
/// with no content).
pub(crate) const BASE: Operation = Operation {
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
    handler: MethodRouter::new,
};

mod control;
mod domains;
mod wix;

/// Every documented route: the Wix surface (`wix.rs`), Domain Search and
/// Connected Domains (`domains.rs`), then the control API (`control.rs`), each
/// table in its file under `routes/`.
pub(crate) fn operations() -> impl Iterator<Item = &'static Operation> {
    wix::OPERATIONS
        .iter()
        .chain(domains::OPERATIONS)
        .chain(control::OPERATIONS)
}

/// The routes of every operation of [`operations`] (the methods of one path merged).
pub(crate) fn router() -> Router<Emulator> {
    operations().fold(Router::new(), |router, op| {
        router.route(op.path, (op.handler)())
    })
}
