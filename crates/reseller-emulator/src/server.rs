//! The accept loop: hyper HTTP/1.1 connections over the axum router, so that a
//! fault can close a connection without any answer, and a graceful shutdown that
//! lets in-flight requests finish and then flushes the durable store.
//!
//! It stays available to well-behaved clients while others misbehave
//! ([`Limits`]): a request's headers must arrive within the header timeout (an
//! idle connection is closed after it too), its body within the body timeout; at
//! most `max_connections` are open at once (more wait in the listen queue); the
//! shutdown closes connections still busy after its deadline. An answer given
//! before the body was read drains a bounded rest or says `Connection: close`.

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use hyper_util::rt::TokioTimer;
use hyper_util::server::graceful::GracefulShutdown;
use tokio::net::TcpListener;
use tokio::sync::{Semaphore, oneshot};
use tokio::task::{JoinHandle, JoinSet};
use tower::ServiceExt;

use crate::Emulator;
use crate::faults::DropConnection;
use crate::request_body::{Slot, Tracked, settle};

/// How long, and how many: the accept loop's limits (`spec/emulator.md`, Start).
/// The defaults are the spec's; `reseller serve` takes each as a flag.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// A request's headers (and an idle connection's next request) must arrive
    /// within it, else the connection is closed (default 10 s).
    pub header_timeout: Duration,
    /// A request's body must arrive within it after its headers, else the
    /// connection is closed (default 30 s).
    pub body_timeout: Duration,
    /// After the shutdown signal, connections still busy this long are closed
    /// (default 10 s).
    pub shutdown_deadline: Duration,
    /// Connections open at once; more wait until one closes (default 1024).
    pub max_connections: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            header_timeout: Duration::from_secs(10),
            body_timeout: Duration::from_secs(30),
            shutdown_deadline: Duration::from_secs(10),
            max_connections: 1024,
        }
    }
}

/// A running emulator: its address, and the handle that stops it.
#[derive(Debug)]
pub struct Running {
    addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    task: JoinHandle<io::Result<()>>,
}

impl Running {
    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://ADDR`: the base URL a client points at instead of Wix.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Stops accepting, lets in-flight requests finish, flushes the state.
    ///
    /// # Errors
    /// The flush failure, or the server task's panic as an I/O error.
    pub async fn shutdown(mut self) -> io::Result<()> {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        (&mut self.task).await.map_err(io::Error::other)?
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// Binds `addr` and serves `emulator` on a task until [`Running::shutdown`].
pub(crate) async fn spawn(
    emulator: Emulator,
    addr: SocketAddr,
    limits: Limits,
) -> io::Result<Running> {
    let listener = TcpListener::bind(addr).await?;
    let addr = listener.local_addr()?;
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(serve_with(
        listener,
        emulator,
        async move {
            let _ = stopped.await;
        },
        limits,
    ));
    Ok(Running {
        addr,
        stop: Some(stop),
        task,
    })
}

/// The error that makes hyper close a connection without answering.
#[derive(Debug)]
struct Dropped;

impl std::fmt::Display for Dropped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection dropped by an injected fault")
    }
}

impl std::error::Error for Dropped {}

/// Serves `emulator` on `listener` with the default [`Limits`] until `shutdown`
/// completes; then stops accepting, waits for the open connections' requests to
/// finish (closing those still busy after the deadline), and flushes.
///
/// # Errors
/// The flush failure of a durable state.
pub async fn serve(
    listener: TcpListener,
    emulator: Emulator,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    serve_with(listener, emulator, shutdown, Limits::default()).await
}

/// [`serve`] with `limits`.
///
/// # Errors
/// The flush failure of a durable state.
pub async fn serve_with(
    listener: TcpListener,
    emulator: Emulator,
    shutdown: impl Future<Output = ()> + Send + 'static,
    limits: Limits,
) -> io::Result<()> {
    let router = emulator.router();
    let graceful = GracefulShutdown::new();
    let permits = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    let mut connections = JoinSet::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        // A permit first: past the limit, connections wait in the listen queue.
        let permit = tokio::select! {
            permit = permits.clone().acquire_owned() => permit,
            () = &mut shutdown => break,
            Some(_) = connections.join_next() => continue,
        };
        let Ok(permit) = permit else { break };
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            () = &mut shutdown => break,
            Some(_) = connections.join_next() => continue,
        };
        let stream = match accepted {
            Ok((stream, _)) => stream,
            Err(e) => {
                // Too many open files and the like: wait a little, never give up.
                tracing::warn!(error = %e, "accept failed");
                tokio::time::sleep(Duration::from_millis(20)).await;
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let router = router.clone();
        let service = hyper::service::service_fn(move |request: hyper::Request<Incoming>| {
            let router = router.clone();
            async move {
                let deadline = tokio::time::Instant::now() + limits.body_timeout;
                let slot = Slot::default();
                let expects_continue = request
                    .headers()
                    .get(hyper::header::EXPECT)
                    .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"100-continue"));
                let request =
                    request.map(|body| Body::new(Tracked::new(body, deadline, slot.clone())));
                let mut response = match router.oneshot(request).await {
                    Ok(response) => response,
                    Err(never) => match never {},
                };
                if response.extensions().get::<DropConnection>().is_some() {
                    return Err(Dropped);
                }
                settle(
                    &mut response,
                    &slot,
                    deadline,
                    crate::MAX_BODY_BYTES,
                    expects_continue,
                )
                .await;
                Ok(response)
            }
        });
        let connection = hyper::server::conn::http1::Builder::new()
            .keep_alive(true)
            .timer(TokioTimer::new())
            .header_read_timeout(limits.header_timeout)
            .serve_connection(TokioIo::new(stream), service);
        let connection = graceful.watch(connection);
        connections.spawn(async move {
            let _ = connection.await;
            drop(permit);
        });
    }
    drop(listener);
    if tokio::time::timeout(limits.shutdown_deadline, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!(
            open = connections.len(),
            "connections still busy at the shutdown deadline are closed"
        );
    }
    connections.shutdown().await;
    emulator.flush().await.map_err(io::Error::other)
}
