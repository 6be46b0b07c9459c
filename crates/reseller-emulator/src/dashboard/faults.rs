//! The Faults view's reads: the armed rules (`GET /_emulator/ui/api/faults`), and
//! removing one (`DELETE /_emulator/ui/api/faults/{id}`); adding rules and removing
//! them all is the control API's `POST` and `DELETE /_emulator/faults`.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use reseller_wire::control::FaultRulesDoc;

use crate::{Emulator, reply};

/// The armed rules, in the order they are tried.
pub(super) async fn list(State(emu): State<Emulator>) -> Response {
    reply::ok(&FaultRulesDoc {
        rules: emu.inner.faults.list(),
    })
}

/// Removes one rule: 204, or 404 when no rule has that id.
pub(super) async fn remove(State(emu): State<Emulator>, Path(id): Path<String>) -> Response {
    if emu.inner.faults.remove(&id) {
        reply::empty(StatusCode::NO_CONTENT)
    } else {
        reply::application(
            StatusCode::NOT_FOUND,
            "FAULT_RULE_NOT_FOUND",
            format!("No fault rule has the id {id:?}."),
        )
    }
}
