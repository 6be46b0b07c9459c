//! The accept loop over real sockets, with short limits: idle, slowloris and
//! half-sent-body clients are closed and a well-behaved client is served
//! alongside; the connection limit holds; an answer given before the body was
//! read keeps the connection usable (or says `Connection: close`); a shutdown
//! with a half-sent request finishes; the HTTP client's default pool drops an
//! idle connection before the accept loop's default closes it. Every wait is
//! bounded by a guard that fails the test instead of hanging it.

use std::time::Duration;

use crate::support::*;
use reseller_emulator::{Emulator, Limits};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::time::timeout;

/// Fails the test when `what` does not happen within the guard.
const GUARD: Duration = Duration::from_secs(20);

fn short_limits() -> Limits {
    Limits {
        header_timeout: Duration::from_millis(300),
        body_timeout: Duration::from_millis(500),
        shutdown_deadline: Duration::from_millis(300),
        max_connections: 64,
    }
}

async fn demo(limits: Limits) -> reseller_emulator::Running {
    let emulator = Emulator::in_memory();
    emulator.load_demo_seed_if_empty().await.unwrap();
    emulator
        .spawn_with("127.0.0.1:0".parse().unwrap(), limits)
        .await
        .unwrap()
}

/// One HTTP/1.1 answer read off `stream`: status, lower-cased head, body.
async fn read_answer(stream: &mut TcpStream) -> Option<(u16, String, Vec<u8>)> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(at) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break at + 4;
        }
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).to_ascii_lowercase();
    let status = head.split_whitespace().nth(1)?.parse().ok()?;
    let length: usize = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .map_or(0, |v| v.trim().parse().unwrap_or(0));
    let mut body = buf[head_end..].to_vec();
    while body.len() < length {
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        body.extend_from_slice(&chunk[..n]);
    }
    Some((status, head, body))
}

/// Whether the server closed `stream` (end of stream or reset).
async fn closed_by_server(stream: &mut TcpStream) -> bool {
    let mut chunk = [0u8; 1024];
    loop {
        match timeout(GUARD, stream.read(&mut chunk)).await {
            Err(_) => return false,
            Ok(Ok(0) | Err(_)) => return true,
            Ok(Ok(_)) => {}
        }
    }
}

async fn health(base: &str) -> u16 {
    let answer = timeout(GUARD, reqwest::get(format!("{base}/_emulator/health")))
        .await
        .expect("the well-behaved client was not served")
        .unwrap();
    answer.status().as_u16()
}

#[tokio::test]
async fn idle_slow_and_half_sent_clients_are_closed_and_others_served() {
    let running = demo(short_limits()).await;
    let addr = running.addr();
    let mut idle = Vec::new();
    for _ in 0..40 {
        idle.push(TcpStream::connect(addr).await.unwrap());
    }
    let mut slow = Vec::new();
    for _ in 0..10 {
        let mut s = TcpStream::connect(addr).await.unwrap();
        s.write_all(b"GET /_emulator/health HTTP/1.1\r\nHost: x\r\nX-Slow: ")
            .await
            .unwrap();
        slow.push(s);
    }
    let mut half = Vec::new();
    for _ in 0..10 {
        let mut s = TcpStream::connect(addr).await.unwrap();
        let head = format!(
            "POST /resellers/v2/packages HTTP/1.1\r\nHost: x\r\nAuthorization: {KEY}\r\n\
             wix-account-id: {MAIN}\r\nContent-Type: application/json\r\nContent-Length: 4000000\r\n\r\n{{\"products\": ["
        );
        s.write_all(head.as_bytes()).await.unwrap();
        half.push(s);
    }
    // Served alongside, more than once.
    for _ in 0..3 {
        assert_eq!(health(&running.base_url()).await, 200);
    }
    // The slowloris clients trickle on; the server closes them all the same.
    for s in &mut slow {
        let _ = s.write_all(b"a").await;
    }
    for s in idle.iter_mut().chain(&mut slow) {
        assert!(
            closed_by_server(s).await,
            "an idle or slow connection stayed open"
        );
    }
    for s in &mut half {
        let answer = timeout(GUARD, read_answer(s)).await.unwrap();
        if let Some((status, head, _)) = answer {
            assert_eq!(status, 400, "{head}");
            assert!(head.contains("connection: close"), "{head}");
        }
        assert!(
            closed_by_server(s).await,
            "a half-sent body kept its connection"
        );
    }
    assert_eq!(health(&running.base_url()).await, 200);
    timeout(GUARD, running.shutdown()).await.unwrap().unwrap();
}

#[tokio::test]
async fn no_more_than_max_connections_are_open_at_once() {
    let limits = Limits {
        header_timeout: Duration::from_secs(60),
        max_connections: 2,
        ..short_limits()
    };
    let running = demo(limits).await;
    let addr = running.addr();
    let mut holders = vec![
        TcpStream::connect(addr).await.unwrap(),
        TcpStream::connect(addr).await.unwrap(),
    ];
    // Both holders are served (so both were accepted), and keep their connections.
    for h in &mut holders {
        h.write_all(b"GET /_emulator/health HTTP/1.1\r\nHost: x\r\n\r\n")
            .await
            .unwrap();
        let (status, _, _) = timeout(GUARD, read_answer(h)).await.unwrap().unwrap();
        assert_eq!(status, 200);
    }
    // A third waits (in the listen queue) while both are open...
    let mut third = TcpStream::connect(addr).await.unwrap();
    third
        .write_all(b"GET /_emulator/health HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .unwrap();
    let early = timeout(Duration::from_millis(300), read_answer(&mut third)).await;
    assert!(
        early.is_err(),
        "a third connection was served past the limit"
    );
    // ...and is served once one closes.
    drop(holders.pop());
    let (status, _, _) = timeout(GUARD, read_answer(&mut third))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(status, 200);
    drop(holders);
    drop(third);
    timeout(GUARD, running.shutdown()).await.unwrap().unwrap();
}

#[tokio::test]
async fn an_early_answer_keeps_the_connection_usable_or_says_close() {
    let running = demo(short_limits()).await;
    let mut s = TcpStream::connect(running.addr()).await.unwrap();
    // 401 before the body is read: a small body is drained, the connection lives.
    let body = br#"{"products": [{"catalogProductId": "x"}]}"#;
    for path in ["/resellers/v2/packages", "/nowhere/at/all"] {
        let request = format!(
            "POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
            body.len()
        );
        s.write_all(request.as_bytes()).await.unwrap();
        s.write_all(body).await.unwrap();
        let (status, head, _) = timeout(GUARD, read_answer(&mut s)).await.unwrap().unwrap();
        assert!(status == 401 || status == 404, "{head}");
        assert!(!head.contains("connection: close"), "{head}");
    }
    s.write_all(b"GET /_emulator/health HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .unwrap();
    let (status, _, _) = timeout(GUARD, read_answer(&mut s))
        .await
        .unwrap()
        .expect("the next request on the connection was lost");
    assert_eq!(status, 200);

    // A body too large to drain: the early answer says so.
    let mut s = TcpStream::connect(running.addr()).await.unwrap();
    s.write_all(
        b"POST /resellers/v2/packages HTTP/1.1\r\nHost: x\r\nContent-Length: 50000000\r\n\r\n{",
    )
    .await
    .unwrap();
    let (status, head, _) = timeout(GUARD, read_answer(&mut s)).await.unwrap().unwrap();
    assert_eq!(status, 401);
    assert!(head.contains("connection: close"), "{head}");
    timeout(GUARD, running.shutdown()).await.unwrap().unwrap();
}

#[tokio::test]
async fn a_shutdown_with_a_half_sent_request_finishes() {
    // Longer than the shutdown deadline: the deadline, not a timeout, ends it.
    let limits = Limits {
        header_timeout: Duration::from_secs(60),
        body_timeout: Duration::from_secs(60),
        ..short_limits()
    };
    let running = demo(limits).await;
    let mut headers = TcpStream::connect(running.addr()).await.unwrap();
    headers
        .write_all(b"GET /_emulator/health HTTP/1.1\r\nHost: x\r\n")
        .await
        .unwrap();
    let mut body = TcpStream::connect(running.addr()).await.unwrap();
    body.write_all(b"POST /_emulator/accounts HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{")
        .await
        .unwrap();
    // Let the server start reading both.
    tokio::time::sleep(Duration::from_millis(50)).await;
    timeout(GUARD, running.shutdown())
        .await
        .expect("the shutdown did not finish")
        .unwrap();
    assert!(closed_by_server(&mut headers).await);
    assert!(closed_by_server(&mut body).await);
}

/// The race this avoids cannot be produced on demand against the emulator (a
/// connection it closed for idleness is seen closed before the next request
/// unless both happen at the same moment), so the defaults are compared; the
/// client's pool is tested against a server that hangs up on a reused
/// connection in adapter-wix-http (`pool::a_connection_idle_past_the_pool_timeout_is_not_reused`).
#[test]
fn the_client_drops_idle_connections_before_the_emulator_closes_them() {
    let client = adapter_wix_http::WixHttpClient::builder(reseller_ports::ApiKey::new(KEY))
        .build()
        .unwrap();
    let server = Limits::default();
    assert!(
        client.pool_idle_timeout() < server.header_timeout,
        "the client keeps idle connections {:?}, the emulator closes them after {:?}",
        client.pool_idle_timeout(),
        server.header_timeout
    );
}
