//! A request's body as the accept loop hands it to the router: it must arrive
//! before the body deadline (else reading it fails and the connection is closed),
//! and whatever the router left unread is handed back, so the connection can
//! drain a bounded rest before the next request, or say `Connection: close`.
//! Either way the client's next request on the connection is not lost.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

use axum::http::{HeaderValue, Response, header};
use bytes::Bytes;
use http_body_util::BodyExt;
use hyper::body::{Body, Frame, Incoming, SizeHint};
use tokio::time::{Instant, Sleep};

/// The body did not arrive before its deadline.
#[derive(Debug)]
pub(crate) struct BodyTimeout;

impl std::fmt::Display for BodyTimeout {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the request body did not arrive in time")
    }
}

impl std::error::Error for BodyTimeout {}

/// What the router left of a body: the unread rest, and whether reading failed.
#[derive(Debug, Default)]
pub(crate) struct Leftover {
    rest: Option<Incoming>,
    failed: bool,
}

/// Shared between a [`Tracked`] body and the connection that made it.
pub(crate) type Slot = Arc<Mutex<Leftover>>;

/// A request body with a deadline, that hands its unread rest back on drop.
#[derive(Debug)]
pub(crate) struct Tracked {
    inner: Option<Incoming>,
    deadline: Pin<Box<Sleep>>,
    slot: Slot,
}

impl Tracked {
    /// `inner`, to be read whole before `deadline`; what is left goes to `slot`.
    pub(crate) fn new(inner: Incoming, deadline: Instant, slot: Slot) -> Self {
        Self {
            inner: Some(inner),
            deadline: Box::pin(tokio::time::sleep_until(deadline)),
            slot,
        }
    }

    fn fail(&mut self) {
        self.inner = None;
        lock(&self.slot).failed = true;
    }
}

fn lock(slot: &Slot) -> std::sync::MutexGuard<'_, Leftover> {
    slot.lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl Body for Tracked {
    type Data = Bytes;
    type Error = Box<dyn std::error::Error + Send + Sync>;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        let this = self.get_mut();
        let Some(inner) = this.inner.as_mut() else {
            return Poll::Ready(None);
        };
        match Pin::new(inner).poll_frame(cx) {
            Poll::Ready(None) => {
                this.inner = None;
                Poll::Ready(None)
            }
            Poll::Ready(Some(Ok(frame))) => Poll::Ready(Some(Ok(frame))),
            Poll::Ready(Some(Err(e))) => {
                this.fail();
                Poll::Ready(Some(Err(Box::new(e))))
            }
            Poll::Pending => {
                if this.deadline.as_mut().poll(cx).is_ready() {
                    this.fail();
                    return Poll::Ready(Some(Err(Box::new(BodyTimeout))));
                }
                Poll::Pending
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        self.inner.as_ref().is_none_or(Body::is_end_stream)
    }

    fn size_hint(&self) -> SizeHint {
        self.inner
            .as_ref()
            .map_or_else(|| SizeHint::with_exact(0), Body::size_hint)
    }
}

impl Drop for Tracked {
    fn drop(&mut self) {
        if let Some(rest) = self.inner.take() {
            if !rest.is_end_stream() {
                lock(&self.slot).rest = Some(rest);
            }
        }
    }
}

/// After the router answered: drains at most `limit` bytes of an unread rest
/// before `deadline`; when that cannot be done (too large, too slow, a failed
/// read, a client waiting for `100 Continue`), the answer says `Connection: close`.
pub(crate) async fn settle<B>(
    response: &mut Response<B>,
    slot: &Slot,
    deadline: Instant,
    limit: usize,
    expects_continue: bool,
) {
    let (rest, failed) = {
        let mut leftover = lock(slot);
        (leftover.rest.take(), leftover.failed)
    };
    let drained = match rest {
        _ if failed => false,
        None => true,
        Some(_) if expects_continue => false,
        Some(rest) => drain(rest, deadline, limit).await,
    };
    if !drained {
        response
            .headers_mut()
            .insert(header::CONNECTION, HeaderValue::from_static("close"));
    }
}

async fn drain(mut rest: Incoming, deadline: Instant, limit: usize) -> bool {
    if usize::try_from(rest.size_hint().lower()).map_or(true, |n| n > limit) {
        return false;
    }
    let read = async {
        let mut seen = 0usize;
        while let Some(frame) = rest.frame().await {
            let Ok(frame) = frame else { return false };
            if let Some(data) = frame.data_ref() {
                seen = seen.saturating_add(data.len());
                if seen > limit {
                    return false;
                }
            }
        }
        true
    };
    tokio::time::timeout_at(deadline, read)
        .await
        .unwrap_or(false)
}
