//! Idle pooled connections: the client drops a connection idle for its pool idle
//! timeout, so it never sends on a connection a server is closing for idleness.
//! The server here models the worst moment of that race deterministically: it
//! answers the first request of every connection and closes the connection when
//! a second request arrives on it, without answering.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use adapter_wix_http::{DEFAULT_POOL_IDLE_TIMEOUT, WixHttpClient};
use reseller_domain::PackageId;
use reseller_ports::{ApiKey, Call, ResellerPackages};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use crate::support::{client_of, docs_answer};

/// What the server saw: requests answered, requests it hung up on, connections.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
struct Seen {
    answered: usize,
    hung_up: usize,
    connections: usize,
}

/// A server that answers `body` to the first request of each connection and
/// hangs up on a second request sent on the same connection (a connection the
/// server closes as the request arrives); answers its base URL and its count.
async fn one_request_per_connection(body: Vec<u8>) -> (String, Arc<Mutex<Seen>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Seen::default()));
    let counts = Arc::clone(&seen);
    tokio::spawn(async move {
        loop {
            let Ok((socket, _)) = listener.accept().await else {
                return;
            };
            counts.lock().unwrap().connections += 1;
            tokio::spawn(serve_once(socket, body.clone(), Arc::clone(&counts)));
        }
    });
    (base, seen)
}

async fn serve_once(mut socket: TcpStream, body: Vec<u8>, seen: Arc<Mutex<Seen>>) {
    if !read_request(&mut socket).await {
        return;
    }
    let head = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
        body.len()
    );
    let _ = socket.write_all(head.as_bytes()).await;
    let _ = socket.write_all(&body).await;
    seen.lock().unwrap().answered += 1;
    let mut byte = [0_u8; 1];
    if matches!(socket.read(&mut byte).await, Ok(n) if n > 0) {
        seen.lock().unwrap().hung_up += 1;
    }
    drop(socket);
}

/// Reads one request's head and its `content-length` body; false at the end of
/// the stream.
async fn read_request(socket: &mut TcpStream) -> bool {
    let mut buffer = Vec::new();
    let mut chunk = [0_u8; 4096];
    let head_end = loop {
        if let Some(at) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break at + 4;
        }
        match socket.read(&mut chunk).await {
            Ok(n) if n > 0 => buffer.extend_from_slice(&chunk[..n]),
            _ => return false,
        }
    };
    let head = String::from_utf8_lossy(&buffer[..head_end]).to_ascii_lowercase();
    let length: usize = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .map_or(0, |v| v.trim().parse().unwrap_or(0));
    while buffer.len() < head_end + length {
        match socket.read(&mut chunk).await {
            Ok(n) if n > 0 => buffer.extend_from_slice(&chunk[..n]),
            _ => return false,
        }
    }
    true
}

fn package_id() -> PackageId {
    PackageId::parse("828b98fb-7114-4b3c-90fd-8d0db76aa72b").unwrap()
}

#[tokio::test]
async fn a_connection_idle_past_the_pool_timeout_is_not_reused() {
    let answer = serde_json::to_vec(&docs_answer("resellers/get-package.json")).unwrap();
    let (base, seen) = one_request_per_connection(answer).await;
    let client = client_of(&base)
        .pool_idle_timeout(Duration::from_millis(100))
        .build()
        .unwrap();
    assert_eq!(client.pool_idle_timeout(), Duration::from_millis(100));

    client
        .get_package(&Call::new(), package_id())
        .await
        .unwrap();
    // Idle for longer than the pool keeps a connection (sequencing, not timing:
    // the pool drops an expired connection when the next request checks one out).
    tokio::time::sleep(Duration::from_millis(400)).await;
    client
        .get_package(&Call::new(), package_id())
        .await
        .unwrap();

    assert_eq!(
        *seen.lock().unwrap(),
        Seen {
            answered: 2,
            hung_up: 0,
            connections: 2
        },
        "the second call went out on the idle connection and was retried"
    );
}

#[test]
fn the_default_pool_idle_timeout_is_set_and_settable() {
    let client = WixHttpClient::builder(ApiKey::new("IST.k"))
        .build()
        .unwrap();
    assert_eq!(client.pool_idle_timeout(), DEFAULT_POOL_IDLE_TIMEOUT);
    assert!(format!("{client:?}").contains("pool_idle_timeout"));
    let client = WixHttpClient::builder(ApiKey::new("IST.k"))
        .pool_idle_timeout(Duration::from_secs(1))
        .build()
        .unwrap();
    assert_eq!(client.pool_idle_timeout(), Duration::from_secs(1));
}
