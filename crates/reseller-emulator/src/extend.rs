//! `POST /_emulator/instances/{instanceId}/extend`: the extension a reseller makes
//! in Wix's dashboard for an expiring instance (Wix offers no API for it). The
//! rule is adapter-memory's (`extend_instance`); this module only reads the path
//! and the body and answers the package.

use axum::body::Body;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::response::Response;
use reseller_domain::InstanceId;
use reseller_wire::control::ExtendDoc;

use crate::Emulator;
use crate::reply;
use crate::wix::{path_guid, read_json};

/// `{"cycles"?: int (default 1)}`: 200 the package; 400 for a bad id or `cycles`
/// below 1; 409 `INSTANCE_NOT_EXTENDABLE` for an instance without
/// `expirationDate` or no longer `PENDING`/`ENABLED`.
pub(crate) async fn extend(
    State(emu): State<Emulator>,
    instance: Result<Path<String>, PathRejection>,
    body: Body,
) -> Response {
    reply::either(
        async {
            let Path(instance) = instance.map_err(reply::unreadable_body)?;
            let instance: InstanceId = path_guid("instanceId", &instance)?;
            let doc: ExtendDoc = read_json(body).await?;
            let package = emu
                .wix()
                .extend_instance(instance, doc.cycles.unwrap_or(1))
                .await
                .map_err(reply::port_error)?;
            Ok(reply::ok(&reseller_wire::Package::from_domain(&package)))
        }
        .await,
    )
}
