//! Answers: JSON bodies, and Wix's error body (section 8.1) for every refusal,
//! whatever layer refused (the HTTP layer, the wire conversion or the domain).

use axum::body::Body;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use reseller_domain::{ErrorCode, Refusal, Violation};
use reseller_ports::PortError;
use reseller_wire::{ErrorBody, InvalidRequest, QueryRequestError};
use serde::Serialize;

/// The idempotency key of a request, put in the answer's extensions for the log.
#[derive(Debug, Clone)]
pub(crate) struct LoggedKey(pub(crate) String);

/// The buffer a JSON answer starts with: a one-instance package (about 600
/// bytes) fits without growing it.
const ANSWER_CAPACITY: usize = 1024;

/// `body` as JSON with `status`.
pub(crate) fn json<T: Serialize>(status: StatusCode, body: &T) -> Response {
    let mut bytes = Vec::with_capacity(ANSWER_CAPACITY);
    match serde_json::to_writer(&mut bytes, body) {
        Ok(()) => {
            let mut response = Response::new(Body::from(bytes));
            *response.status_mut() = status;
            response.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            );
            response
        }
        Err(e) => error(
            StatusCode::INTERNAL_SERVER_ERROR,
            &ErrorBody::application("INTERNAL", format!("the answer cannot be written: {e}")),
        ),
    }
}

/// `200` with `body`.
pub(crate) fn ok<T: Serialize>(body: &T) -> Response {
    json(StatusCode::OK, body)
}

/// An empty answer with `status` (`204`).
pub(crate) fn empty(status: StatusCode) -> Response {
    let mut response = Response::new(Body::empty());
    *response.status_mut() = status;
    response
}

/// Wix's error body with `status`.
pub(crate) fn error(status: StatusCode, body: &ErrorBody) -> Response {
    let mut response = json(StatusCode::OK, body);
    *response.status_mut() = status;
    response
}

fn status_of(code: u16) -> StatusCode {
    StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
}

/// The answer for a refusal: its deciding violation decides status and body.
pub(crate) fn refusal(refusal: &Refusal) -> Response {
    error(
        status_of(refusal.primary().http_status()),
        &ErrorBody::from_refusal(refusal),
    )
}

/// The answer for an error of the in-memory Wix: the refusal's violations when it
/// kept them, else its code and message.
pub(crate) fn port_error(e: PortError) -> Response {
    let status = status_of(e.status().unwrap_or(500));
    if let Some(r) = Refusal::from_vec(e.violations().to_vec()) {
        return error(status, &ErrorBody::from_refusal(&r));
    }
    if !e.field_violations().is_empty() {
        return error(
            status,
            &ErrorBody::validation(e.message(), e.field_violations()),
        );
    }
    error(
        status,
        &ErrorBody::application(e.code().as_str(), e.message()),
    )
}

/// 400 with the field violations of a request that cannot become a domain command.
pub(crate) fn invalid(e: InvalidRequest) -> Response {
    refusal(&Refusal::one(Violation::from(e)))
}

/// The answer for a Query Packages request that cannot become a domain query.
pub(crate) fn bad_query(e: QueryRequestError) -> Response {
    refusal(&Refusal::from(e))
}

/// An application error with `status` and `code`.
pub(crate) fn application(status: StatusCode, code: &str, message: impl Into<String>) -> Response {
    error(status, &ErrorBody::application(code, message))
}

/// 400 `INVALID_ARGUMENT`: a body that is not the JSON the endpoint reads.
pub(crate) fn unreadable_body(why: impl std::fmt::Display) -> Response {
    application(
        StatusCode::BAD_REQUEST,
        ErrorCode::InvalidArgument.as_str(),
        format!("The request body cannot be read: {why}"),
    )
}

/// 404 for an unknown path or a method the path does not serve.
pub(crate) async fn no_route(method: axum::http::Method, uri: axum::http::Uri) -> Response {
    application(
        StatusCode::NOT_FOUND,
        "NOT_FOUND",
        format!("No endpoint answers {method} {}.", uri.path()),
    )
}

/// Makes `Result<Response, Response>` a response.
pub(crate) fn either(result: Result<Response, Response>) -> Response {
    result.unwrap_or_else(|e| e)
}
