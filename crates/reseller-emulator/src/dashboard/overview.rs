//! `GET /_emulator/ui/api/overview`: the emulated time, the provisioning mode and
//! the sizes of what the emulator holds, for the header and the Clock view.

use axum::extract::State;
use axum::response::Response;
use reseller_ports::Provisioning;
use serde_json::json;

use crate::{Emulator, reply};

/// The overview document.
pub(super) async fn overview(State(emu): State<Emulator>) -> Response {
    let (mode, delay) = match emu.wix().provisioning() {
        Provisioning::Auto { delay_millis } => ("auto", Some(delay_millis)),
        Provisioning::Manual => ("manual", None),
    };
    let (entries, body_bytes) = emu.inner.log.size();
    reply::ok(&json!({
        "now": emu.wix().now().to_rfc3339(),
        "provisioning": {"mode": mode, "delayMs": delay},
        "accounts": emu.wix().accounts().len(),
        "packages": emu.wix().package_count(),
        "faults": emu.inner.faults.list().len(),
        "requestLog": {"entries": entries, "bodyBytes": body_bytes},
        "adminToken": emu.inner.admin_token.is_some(),
        "scopes": reseller_domain::auth::Scope::ALL.map(|s| s.as_str()),
    }))
}
