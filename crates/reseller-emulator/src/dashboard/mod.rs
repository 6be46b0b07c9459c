//! The dashboard at `/_emulator/ui/`: one static page (HTML, style and a small
//! script of our own, compiled into the binary, nothing fetched from elsewhere)
//! that reads the emulator through the read-only JSON of `/_emulator/ui/api/` and
//! changes it through the control API, with the admin token (when one is set)
//! asked once and kept in the browser's `sessionStorage`.
//!
//! Why one static page and not server-rendered HTML: the admin token travels as
//! the control API's `Authorization: Bearer` header, which a script can send and
//! a plain link cannot (server-rendered pages would need a cookie session, a
//! second way in); every change the page makes is then the same control call a
//! test would make, and live updates are the same reads polled again.
//!
//! - `assets`: the embedded files, served with a strict content security policy.
//! - `overview`, `accounts`: the clock, provisioning and counts; the account tree
//!   with sites and holdings, paged.
//! - `packages`: every package, newest first, paged by Query Packages' cursors
//!   over every account, searchable; a package's detail as Get Package answers it.
//! - `requests`: the request log, filtered and paged, and one request's detail
//!   with its kept bodies.
//! - `faults`: the armed fault rules; removing one.
//!
//! The static files need no token (they hold no data); everything under
//! `/_emulator/ui/api/` does, like the rest of the control API. Reads of the
//! dashboard are not written to the request log, so watching the log does not
//! fill it.

mod accounts;
mod assets;
mod faults;
mod overview;
mod packages;
mod requests;

use axum::Router;
use axum::routing::{delete, get};

use crate::Emulator;

/// Where the dashboard is served.
pub(crate) const PREFIX: &str = "/_emulator/ui";

/// Where its data is read.
const API_PREFIX: &str = "/_emulator/ui/api/";

/// Whether `path` is the dashboard's (its page, files or data).
pub(crate) fn is_dashboard(path: &str) -> bool {
    path.strip_prefix(PREFIX)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

/// Whether `path` is one of the dashboard's static files, served without the
/// admin token (they hold no data).
pub(crate) fn is_public(path: &str) -> bool {
    is_dashboard(path) && !path.starts_with(API_PREFIX)
}

/// The dashboard's routes.
pub(crate) fn routes() -> Router<Emulator> {
    Router::new()
        .route("/_emulator/ui", get(assets::to_index))
        .route("/_emulator/ui/", get(assets::index))
        .route("/_emulator/ui/assets/{file}", get(assets::file))
        .route("/_emulator/ui/api/overview", get(overview::overview))
        .route("/_emulator/ui/api/accounts", get(accounts::accounts))
        .route("/_emulator/ui/api/packages", get(packages::page))
        .route("/_emulator/ui/api/packages/{id}", get(packages::detail))
        .route("/_emulator/ui/api/requests", get(requests::page))
        .route("/_emulator/ui/api/requests/{seq}", get(requests::detail))
        .route("/_emulator/ui/api/faults", get(faults::list))
        .route("/_emulator/ui/api/faults/{id}", delete(faults::remove))
}

/// A query parameter as a bounded count: `default` when absent, at most `max`.
fn count_param(
    params: &std::collections::HashMap<String, String>,
    name: &str,
    default: usize,
    max: usize,
) -> Result<usize, axum::response::Response> {
    match params.get(name).map(|v| v.trim()).filter(|v| !v.is_empty()) {
        None => Ok(default),
        Some(text) => match text.parse::<usize>() {
            Ok(n) if n <= max => Ok(n),
            _ => Err(crate::reply::invalid(reseller_wire::InvalidRequest::one(
                reseller_domain::FieldViolation::new(
                    name,
                    reseller_domain::RuleType::Max,
                    format!("an integer from 0 to {max}, got {text:?}"),
                ),
            ))),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_and_its_files_are_public_and_the_data_is_not() {
        assert!(is_public("/_emulator/ui"));
        assert!(is_public("/_emulator/ui/"));
        assert!(is_public("/_emulator/ui/assets/app.js"));
        assert!(!is_public("/_emulator/ui/api/packages"));
        assert!(!is_public("/_emulator/uix"));
        assert!(!is_public("/_emulator/state"));
        assert!(is_dashboard("/_emulator/ui/api/requests"));
        assert!(!is_dashboard("/_emulator/requests"));
    }
}
