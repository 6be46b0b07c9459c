//! The dashboard's files, compiled into the binary: the page, its style and its
//! script modules. Served with a content security policy that lets the page load
//! only these files and talk only to this emulator.

use axum::extract::Path;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;

use crate::reply;

/// One embedded file: its name under `assets/`, its media type and its text.
struct Asset {
    name: &'static str,
    media_type: &'static str,
    text: &'static str,
}

/// The page.
const INDEX: &str = include_str!("assets/index.html");

/// Every file under `/_emulator/ui/assets/`.
const ASSETS: &[Asset] = &[
    Asset {
        name: "style.css",
        media_type: "text/css; charset=utf-8",
        text: include_str!("assets/style.css"),
    },
    Asset {
        name: "app.js",
        media_type: "text/javascript; charset=utf-8",
        text: include_str!("assets/app.js"),
    },
    Asset {
        name: "ui.js",
        media_type: "text/javascript; charset=utf-8",
        text: include_str!("assets/ui.js"),
    },
    Asset {
        name: "accounts.js",
        media_type: "text/javascript; charset=utf-8",
        text: include_str!("assets/accounts.js"),
    },
    Asset {
        name: "packages.js",
        media_type: "text/javascript; charset=utf-8",
        text: include_str!("assets/packages.js"),
    },
    Asset {
        name: "requests.js",
        media_type: "text/javascript; charset=utf-8",
        text: include_str!("assets/requests.js"),
    },
    Asset {
        name: "faults.js",
        media_type: "text/javascript; charset=utf-8",
        text: include_str!("assets/faults.js"),
    },
    Asset {
        name: "clock.js",
        media_type: "text/javascript; charset=utf-8",
        text: include_str!("assets/clock.js"),
    },
    Asset {
        name: "seed.js",
        media_type: "text/javascript; charset=utf-8",
        text: include_str!("assets/seed.js"),
    },
];

/// The page may load its own files and call its own emulator, nothing else.
const POLICY: &str = "default-src 'none'; script-src 'self'; style-src 'self'; \
     img-src 'self' data:; connect-src 'self'; form-action 'none'; base-uri 'none'; \
     frame-ancestors 'none'";

/// `text` with `media_type` and the dashboard's headers.
fn serve(media_type: &'static str, text: &'static str) -> Response {
    let mut response = Response::new(axum::body::Body::from(text));
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(media_type));
    // A new binary may bring new files: the browser asks again each time.
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(POLICY),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    response
}

/// `GET /_emulator/ui`: to the page, whose relative links need the slash.
pub(super) async fn to_index() -> Response {
    let mut response = reply::empty(StatusCode::PERMANENT_REDIRECT);
    response
        .headers_mut()
        .insert(header::LOCATION, HeaderValue::from_static("/_emulator/ui/"));
    response
}

/// `GET /_emulator/ui/`: the page.
pub(super) async fn index() -> Response {
    serve("text/html; charset=utf-8", INDEX)
}

/// `GET /_emulator/ui/assets/{file}`: one embedded file, or 404.
pub(super) async fn file(Path(name): Path<String>) -> Response {
    match ASSETS.iter().find(|asset| asset.name == name) {
        Some(asset) => serve(asset.media_type, asset.text),
        None => reply::application(
            StatusCode::NOT_FOUND,
            "NOT_FOUND",
            format!("The dashboard has no file {name:?}."),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_module_the_scripts_import_is_served() {
        for asset in ASSETS.iter().filter(|a| a.name.ends_with(".js")) {
            for line in asset.text.lines() {
                let Some(rest) = line.split(" from \"./").nth(1) else {
                    continue;
                };
                let imported = rest.split('"').next().unwrap_or_default();
                assert!(
                    ASSETS.iter().any(|a| a.name == imported),
                    "{} imports {imported}, which is not embedded",
                    asset.name
                );
            }
        }
    }

    #[test]
    fn the_page_loads_only_embedded_files() {
        for part in INDEX.split("assets/").skip(1) {
            let name = part.split('"').next().unwrap_or_default();
            assert!(
                ASSETS.iter().any(|a| a.name == name),
                "index.html loads {name}, which is not embedded"
            );
        }
        assert!(!INDEX.contains("http://") && !INDEX.contains("https://"));
        for asset in ASSETS {
            assert!(
                !asset.text.contains("https://") && !asset.text.contains("http://"),
                "{} names a remote address",
                asset.name
            );
        }
    }
}
