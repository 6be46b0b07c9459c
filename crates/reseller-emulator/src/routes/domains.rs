//! The route table of Domain Search, Connected Domains and their control calls
//! (served by `domains.rs`).

use axum::routing::{get, post, put};
use reseller_wire::domains::{
    CheckDomainAvailabilityResponse, ConnectedDomain, ConnectedDomainResponse,
    CreateConnectedDomainRequest, ListConnectedDomainsResponse, SetupInfoResponse,
    SuggestDomainsResponse,
};
use reseller_wire::domains_control::{DnsModeDoc, DnsStatusDoc, TakenDomainsDoc, TldsDoc};
use serde_json::json;

use super::*;

pub(super) const DOMAIN_QUERY: Param = Param {
    name: "domain",
    location: In::Query,
    kind: Kind::Text,
    description: "The domain name with its TLD (required).",
    example: Some("bakery.com"),
};
pub(super) const DOMAIN_PATH: Param = Param {
    name: "connectedDomainId",
    location: In::Path,
    kind: Kind::Text,
    description: "The connected domain's id: its name with the TLD.",
    example: Some("bakery.com"),
};

/// The operations of both domain APIs and of their control calls.
pub(super) const OPERATIONS: &[Operation] = &[
    Operation {
        method: "get",
        path: "/domain-search/v2/check-domain-availability",
        handler: || get(crate::domains::check_availability),
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
        handler: || get(crate::domains::suggest_domains),
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
        handler: || post(crate::domains::create_connected),
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
        handler: || get(crate::domains::list_connected),
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
        handler: || get(crate::domains::get_connected),
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
        handler: || get(crate::domains::setup_info),
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
        handler: || post(crate::domains::mark_taken),
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
        handler: || put(crate::domains::set_tlds),
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
        handler: || get(crate::domains::tlds),
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
        handler: || put(crate::domains::set_dns),
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
        handler: || post(crate::domains::set_dns_status),
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
