//! The load generator of `cargo xtask bench-emulator`: the emulator's requests per
//! second over loopback, measured against a bare axum handler in the same run.
//!
//! For each scenario it starts, in this process, the emulator and a bare axum
//! server (one route, answering the exact bytes the emulator answered for the same
//! request) on a server runtime with its own worker threads, then drives each from a
//! client runtime with its own worker threads: `--connections` HTTP/1.1 keep-alive
//! connections, one task and one hyper client connection each, sending requests back
//! to back. A side runs `--warmup` seconds, then a `--seconds` window counts the
//! answers completed in it (2xx, non-2xx, transport errors) and the CPU time of the
//! server's and the client's threads (`/proc/self/task/*/schedstat`). Rounds
//! alternate the order of the two sides (bare then emulator, emulator then bare, ...)
//! and the summary reports medians, so load from other processes falls on both
//! sides alike.
//!
//! Scenarios:
//! - `get`: Get Package (`GET /resellers/v1/packages/{id}`) of one single-instance
//!   package, on an in-memory emulator with the demo seed;
//! - `create-durable`: Create Package V2 (`POST /resellers/v2/packages`, one Premium
//!   plan, a unique `idempotencyKey` per request) on a durable emulator
//!   (`Emulator::open`, a fresh directory under `--dir` every round);
//! - `create-memory`: the same on an in-memory emulator (context: what the journal
//!   costs).
//!
//! Every side of a scenario gets the same request shape; the bare handler reads the
//! request body and answers the captured bytes with `content-type:
//! application/json`, as the emulator does. The process exits 1 when any answer was
//! not 2xx or a connection failed.
//!
//! ```text
//! cargo run --release -p reseller-emulator --example load -- --seconds 1 --rounds 1
//! ```
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use axum::Router;
use axum::http::header::{AUTHORIZATION, CONTENT_TYPE, HOST};
use axum::http::{HeaderMap, HeaderValue, Method, Request, StatusCode, Uri};
use axum::serve::ListenerExt as _;
use bytes::Bytes;
use http_body_util::{BodyExt as _, Full};
use hyper_util::rt::TokioIo;
use reseller_emulator::{DEMO_API_KEY, Emulator, Running};
use tokio::net::{TcpListener, TcpStream};
use tokio::runtime::Runtime;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// The demo seed's main account (owner of the demo API key).
const MAIN_ACCOUNT: &str = reseller_emulator::DEMO_MAIN_ACCOUNT;

/// The demo seed's "Business Unlimited" Premium plan.
const PREMIUM_PLAN: &str = reseller_emulator::DEMO_PREMIUM_PLAN;

/// Thread-name prefixes (a thread's `comm` keeps 15 bytes).
const SERVER_THREADS: &str = "bench-server";
const CLIENT_THREADS: &str = "bench-client";
const JOURNAL_THREAD: &str = "adapter-memory-";

const USAGE: &str = "\
Usage: load [options]

Options:
  --scenarios LIST      comma-separated: get, create-durable, create-memory
                        (default: get,create-durable,create-memory)
  --seconds S           measuring window per side and round (default 5)
  --warmup S            warm-up before each window (default 1)
  --rounds N            rounds per scenario, each measuring both sides (default 5)
  --connections N       client connections (default 64)
  --server-threads N    worker threads of the servers' runtime (default 2)
  --client-threads N    worker threads of the load generator's runtime (default 2)
  --sides LIST          bare,emulator (default); one side alone is for profiling
  --dir PATH            where the durable scenario's state directories go
                        (default target/bench-emulator; each is removed after use)
  -h, --help            print this help
";

// ----- arguments -----------------------------------------------------------------

/// What the benchmark measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scenario {
    Get,
    CreateDurable,
    CreateMemory,
}

impl Scenario {
    fn name(self) -> &'static str {
        match self {
            Self::Get => "get",
            Self::CreateDurable => "create-durable",
            Self::CreateMemory => "create-memory",
        }
    }

    fn parse(text: &str) -> Result<Self, String> {
        match text {
            "get" => Ok(Self::Get),
            "create-durable" => Ok(Self::CreateDurable),
            "create-memory" => Ok(Self::CreateMemory),
            other => Err(format!("unknown scenario `{other}`")),
        }
    }
}

#[derive(Debug)]
struct Args {
    scenarios: Vec<Scenario>,
    seconds: f64,
    warmup: f64,
    rounds: usize,
    connections: usize,
    server_threads: usize,
    client_threads: usize,
    sides: Vec<Side>,
    dir: PathBuf,
}

impl Args {
    /// `Ok(None)` for `--help`.
    fn parse(mut it: impl Iterator<Item = String>) -> Result<Option<Self>, String> {
        let mut args = Self {
            scenarios: vec![
                Scenario::Get,
                Scenario::CreateDurable,
                Scenario::CreateMemory,
            ],
            seconds: 5.0,
            warmup: 1.0,
            rounds: 5,
            connections: 64,
            server_threads: 2,
            client_threads: 2,
            sides: vec![Side::Bare, Side::Emulator],
            dir: PathBuf::from("target/bench-emulator"),
        };
        while let Some(flag) = it.next() {
            if flag == "-h" || flag == "--help" {
                return Ok(None);
            }
            let value = it.next().ok_or_else(|| format!("`{flag}` needs a value"))?;
            let bad = |what: &str| format!("`{flag} {value}`: {what}");
            match flag.as_str() {
                "--scenarios" => {
                    args.scenarios = value
                        .split(',')
                        .map(|s| Scenario::parse(s.trim()))
                        .collect::<Result<_, _>>()?;
                }
                "--seconds" | "--warmup" => {
                    let s: f64 = value.parse().map_err(|_| bad("not a number"))?;
                    if !(0.0..=3600.0).contains(&s) || (flag == "--seconds" && s == 0.0) {
                        return Err(bad("out of range"));
                    }
                    if flag == "--seconds" {
                        args.seconds = s;
                    } else {
                        args.warmup = s;
                    }
                }
                "--rounds" | "--connections" | "--server-threads" | "--client-threads" => {
                    let n: usize = value.parse().map_err(|_| bad("not a whole number"))?;
                    if !(1..=10_000).contains(&n) {
                        return Err(bad("out of range"));
                    }
                    match flag.as_str() {
                        "--rounds" => args.rounds = n,
                        "--connections" => args.connections = n,
                        "--server-threads" => args.server_threads = n,
                        _ => args.client_threads = n,
                    }
                }
                "--sides" => {
                    args.sides = value
                        .split(',')
                        .map(|s| match s.trim() {
                            "bare" => Ok(Side::Bare),
                            "emulator" => Ok(Side::Emulator),
                            other => Err(format!("unknown side `{other}`")),
                        })
                        .collect::<Result<_, _>>()?;
                }
                "--dir" => args.dir = PathBuf::from(value),
                other => return Err(format!("unknown option `{other}`")),
            }
        }
        if args.scenarios.is_empty() || args.sides.is_empty() {
            return Err("no scenario or no side".to_owned());
        }
        Ok(Some(args))
    }
}

// ----- requests ------------------------------------------------------------------

/// The request every connection sends, over and over.
#[derive(Debug)]
struct Shape {
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    /// Create Package: the body carries a unique idempotency key per request.
    create: bool,
}

impl Shape {
    fn headers(create: bool) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(HOST, HeaderValue::from_static("127.0.0.1"));
        headers.insert(AUTHORIZATION, HeaderValue::from_static(DEMO_API_KEY));
        headers.insert("wix-account-id", HeaderValue::from_static(MAIN_ACCOUNT));
        if create {
            headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        }
        headers
    }

    fn get(id: &str) -> Self {
        Self {
            method: Method::GET,
            uri: format!("/resellers/v1/packages/{id}").parse().unwrap(),
            headers: Self::headers(false),
            create: false,
        }
    }

    fn create() -> Self {
        Self {
            method: Method::POST,
            uri: Uri::from_static("/resellers/v2/packages"),
            headers: Self::headers(true),
            create: true,
        }
    }

    /// Request `n` of connection `conn`; `tag` makes keys unique across sides and rounds.
    fn request(&self, tag: &str, conn: usize, n: u64) -> Request<Full<Bytes>> {
        let body = if self.create {
            Bytes::from(format!(
                r#"{{"products":[{{"catalogProductId":"{PREMIUM_PLAN}","billingInfo":{{"type":"RECURRING","cycleDuration":{{"unit":"MONTH","count":1}}}},"countryCode":"US"}}],"idempotencyKey":"bench-{tag}-{conn}-{n}"}}"#
            ))
        } else {
            Bytes::new()
        };
        let mut request = Request::new(Full::new(body));
        *request.method_mut() = self.method.clone();
        *request.uri_mut() = self.uri.clone();
        *request.headers_mut() = self.headers.clone();
        request
    }
}

/// One request on a fresh connection: its status and body.
async fn one(addr: SocketAddr, request: Request<Full<Bytes>>) -> (StatusCode, Bytes) {
    let stream = TcpStream::connect(addr).await.unwrap();
    let (mut sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .unwrap();
    let conn = tokio::spawn(conn);
    let response = sender.send_request(request).await.unwrap();
    let status = response.status();
    let body = response.into_body().collect().await.unwrap().to_bytes();
    drop(sender);
    let _ = conn.await;
    (status, body)
}

// ----- servers -------------------------------------------------------------------

/// The bare axum server: one route answering fixed bytes.
struct Bare {
    addr: SocketAddr,
    stop: oneshot::Sender<()>,
    task: JoinHandle<std::io::Result<()>>,
}

impl Bare {
    /// Serves `body` at `shape`'s path and method (on the current runtime).
    async fn start(shape: &Shape, body: Bytes) -> Self {
        let handler = move |request: axum::extract::Request| {
            let body = body.clone();
            async move {
                // Read the request body as any handler would.
                let _ = axum::body::to_bytes(request.into_body(), usize::MAX).await;
                ([(CONTENT_TYPE, "application/json")], body)
            }
        };
        let route = if shape.create {
            axum::routing::post(handler)
        } else {
            axum::routing::get(handler)
        };
        let router = Router::new().route(shape.uri.path(), route);
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let listener = listener.tap_io(|tcp| {
            let _ = tcp.set_nodelay(true);
        });
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            axum::serve(listener, router)
                .with_graceful_shutdown(async move {
                    let _ = stopped.await;
                })
                .await
        });
        Self { addr, stop, task }
    }

    async fn stop(self) {
        let _ = self.stop.send(());
        self.task.await.unwrap().unwrap();
    }
}

/// A running emulator and the state directory to remove after it.
struct Emu {
    running: Running,
    dir: Option<PathBuf>,
}

impl Emu {
    /// Starts an emulator with the demo seed (on the current runtime); durable in a
    /// fresh directory under `base` when `base` is given.
    async fn start(base: Option<&Path>, label: &str) -> Self {
        let (emulator, dir) = match base {
            None => (Emulator::in_memory(), None),
            Some(base) => {
                let dir = base.join(format!("{label}-{}", std::process::id()));
                let _ = std::fs::remove_dir_all(&dir);
                (Emulator::open(&dir).unwrap(), Some(dir))
            }
        };
        assert!(emulator.load_demo_seed_if_empty().await.unwrap());
        let running = emulator
            .spawn("127.0.0.1:0".parse().unwrap())
            .await
            .unwrap();
        Self { running, dir }
    }

    fn addr(&self) -> SocketAddr {
        self.running.addr()
    }

    async fn stop(self) {
        self.running.shutdown().await.unwrap();
        if let Some(dir) = self.dir {
            std::fs::remove_dir_all(&dir).unwrap();
        }
    }
}

// ----- CPU time of threads -------------------------------------------------------

/// Nanoseconds on CPU of this process's threads, by group.
#[derive(Debug, Clone, Copy, Default)]
struct Cpu {
    server: u64,
    journal: u64,
    client: u64,
    other: u64,
}

impl Cpu {
    /// Reads `/proc/self/task/*/{comm,schedstat}`; zeros where they are missing.
    fn now() -> Self {
        let mut cpu = Self::default();
        let Ok(tasks) = std::fs::read_dir("/proc/self/task") else {
            return cpu;
        };
        for task in tasks.flatten() {
            let path = task.path();
            let (Ok(comm), Ok(stat)) = (
                std::fs::read_to_string(path.join("comm")),
                std::fs::read_to_string(path.join("schedstat")),
            ) else {
                continue;
            };
            let ns: u64 = stat
                .split_whitespace()
                .next()
                .and_then(|t| t.parse().ok())
                .unwrap_or(0);
            let comm = comm.trim_end();
            let slot = if comm.starts_with(SERVER_THREADS) {
                &mut cpu.server
            } else if comm.starts_with(JOURNAL_THREAD) {
                &mut cpu.journal
            } else if comm.starts_with(CLIENT_THREADS) {
                &mut cpu.client
            } else {
                &mut cpu.other
            };
            *slot += ns;
        }
        cpu
    }

    fn since(self, before: Self) -> Self {
        Self {
            server: self.server.saturating_sub(before.server),
            journal: self.journal.saturating_sub(before.journal),
            client: self.client.saturating_sub(before.client),
            other: self.other.saturating_sub(before.other),
        }
    }
}

/// The one-minute load average (`/proc/loadavg`), if readable.
fn load_average() -> Option<f64> {
    std::fs::read_to_string("/proc/loadavg")
        .ok()?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

// ----- the load ------------------------------------------------------------------

/// What one side measured in one window.
#[derive(Debug, Clone, Copy)]
struct Measured {
    ok: u64,
    not_ok: u64,
    errors: u64,
    seconds: f64,
    cpu: Cpu,
    /// The one-minute load average at the end of the window.
    load_average: Option<f64>,
}

impl Measured {
    fn rps(&self) -> f64 {
        self.ok as f64 / self.seconds
    }

    /// Microseconds of CPU per answered request, for a group's nanoseconds.
    fn us_per_request(&self, ns: u64) -> f64 {
        if self.ok == 0 {
            return 0.0;
        }
        ns as f64 / 1000.0 / self.ok as f64
    }

    /// Nanoseconds on CPU in the window, all of this process's threads.
    fn cpu_total(&self) -> u64 {
        let c = self.cpu;
        c.server + c.journal + c.client + c.other
    }

    /// Cores busy in the window, all of this process's threads.
    fn cores(&self) -> f64 {
        self.cpu_total() as f64 / 1e9 / self.seconds
    }
}

#[derive(Debug, Default)]
struct Counters {
    ok: AtomicU64,
    not_ok: AtomicU64,
    errors: AtomicU64,
}

impl Counters {
    fn read(&self) -> (u64, u64, u64) {
        (
            self.ok.load(Ordering::Relaxed),
            self.not_ok.load(Ordering::Relaxed),
            self.errors.load(Ordering::Relaxed),
        )
    }
}

/// One connection: requests back to back until `stop`.
async fn connection(
    addr: SocketAddr,
    shape: Arc<Shape>,
    tag: Arc<str>,
    conn: usize,
    stop: Arc<AtomicBool>,
    counters: Arc<Counters>,
) {
    let Ok(stream) = TcpStream::connect(addr).await else {
        counters.errors.fetch_add(1, Ordering::Relaxed);
        return;
    };
    let _ = stream.set_nodelay(true);
    let Ok((mut sender, driver)) =
        hyper::client::conn::http1::handshake(TokioIo::new(stream)).await
    else {
        counters.errors.fetch_add(1, Ordering::Relaxed);
        return;
    };
    let driver = tokio::spawn(driver);
    let mut n = 0u64;
    while !stop.load(Ordering::Relaxed) {
        n += 1;
        let answered = async {
            sender.ready().await?;
            let response = sender.send_request(shape.request(&tag, conn, n)).await?;
            let status = response.status();
            response.into_body().collect().await?;
            Ok::<_, hyper::Error>(status)
        }
        .await;
        match answered {
            Ok(status) if status.is_success() => {
                counters.ok.fetch_add(1, Ordering::Relaxed);
            }
            Ok(status) => {
                if counters.not_ok.fetch_add(1, Ordering::Relaxed) == 0 {
                    eprintln!("load: first non-2xx answer: {status}");
                }
            }
            Err(e) => {
                counters.errors.fetch_add(1, Ordering::Relaxed);
                eprintln!("load: connection {conn} failed: {e}");
                break;
            }
        }
    }
    drop(sender);
    let _ = driver.await;
}

/// Drives `addr` with `args.connections` connections: warm-up, then the window.
async fn load(addr: SocketAddr, shape: Arc<Shape>, tag: &str, args: &Args) -> Measured {
    let stop = Arc::new(AtomicBool::new(false));
    let counters = Arc::new(Counters::default());
    let tag: Arc<str> = Arc::from(tag);
    let tasks: Vec<_> = (0..args.connections)
        .map(|conn| {
            tokio::spawn(connection(
                addr,
                shape.clone(),
                tag.clone(),
                conn,
                stop.clone(),
                counters.clone(),
            ))
        })
        .collect();
    tokio::time::sleep(Duration::from_secs_f64(args.warmup)).await;
    let (ok0, not_ok0, errors0) = counters.read();
    let cpu0 = Cpu::now();
    let started = Instant::now();
    tokio::time::sleep(Duration::from_secs_f64(args.seconds)).await;
    let (ok1, not_ok1, errors1) = counters.read();
    let cpu1 = Cpu::now();
    let seconds = started.elapsed().as_secs_f64();
    stop.store(true, Ordering::Relaxed);
    for task in tasks {
        task.await.unwrap();
    }
    let (_, not_ok_all, errors_all) = counters.read();
    if not_ok_all > not_ok1 - not_ok0 || errors_all > errors1 - errors0 {
        eprintln!(
            "load: outside the window: {} non-2xx, {} errors",
            not_ok_all - (not_ok1 - not_ok0),
            errors_all - (errors1 - errors0)
        );
    }
    Measured {
        ok: ok1 - ok0,
        // Failures count wherever they happened (warm-up and wind-down included).
        not_ok: not_ok_all,
        errors: errors_all,
        seconds,
        cpu: cpu1.since(cpu0),
        load_average: load_average(),
    }
}

// ----- scenarios -----------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    Bare,
    Emulator,
}

/// The rounds of one scenario.
struct Outcome {
    scenario: Scenario,
    body_bytes: usize,
    bare: Vec<Measured>,
    emulator: Vec<Measured>,
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    if n == 0 {
        return 0.0;
    }
    if n % 2 == 1 {
        values[n / 2]
    } else {
        (values[n / 2 - 1] + values[n / 2]) / 2.0
    }
}

impl Outcome {
    fn failures(&self) -> u64 {
        self.bare
            .iter()
            .chain(&self.emulator)
            .map(|m| m.not_ok + m.errors)
            .sum()
    }

    fn median_of(&self, side: Side, f: impl Fn(&Measured) -> f64) -> f64 {
        let rounds = match side {
            Side::Bare => &self.bare,
            Side::Emulator => &self.emulator,
        };
        median(rounds.iter().map(f).collect())
    }

    /// The median of the per-round ratios emulator / bare.
    fn paired_ratio(&self) -> f64 {
        median(
            self.bare
                .iter()
                .zip(&self.emulator)
                .map(|(b, e)| e.rps() / b.rps())
                .collect(),
        )
    }
}

fn print_measured(scenario: Scenario, round: usize, side: Side, m: &Measured) {
    println!(
        "{:<15} round {round} {:<8} {:>9.0} req/s  ok {:>8}  non-2xx {}  errors {}  \
         cpu/request: server {:>5.1} us, journal {:>5.1} us, client {:>5.1} us  \
         ({:.2} cores, load average {})",
        scenario.name(),
        match side {
            Side::Bare => "bare",
            Side::Emulator => "emulator",
        },
        m.rps(),
        m.ok,
        m.not_ok,
        m.errors,
        m.us_per_request(m.cpu.server),
        m.us_per_request(m.cpu.journal),
        m.us_per_request(m.cpu.client),
        m.cores(),
        m.load_average.map_or("?".to_owned(), |l| format!("{l:.2}")),
    );
}

fn run_scenario(scenario: Scenario, args: &Args, servers: &Runtime, clients: &Runtime) -> Outcome {
    // What the emulator answers: one package created over HTTP on a seeded emulator.
    let capture = servers.block_on(Emu::start(None, "capture"));
    let create = Shape::create();
    let (status, created) = clients.block_on(one(capture.addr(), create.request("capture", 0, 0)));
    assert_eq!(
        status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&created)
    );
    let (shape, body) = if scenario == Scenario::Get {
        let doc: serde_json::Value = serde_json::from_slice(&created).unwrap();
        let id = doc["package"]["id"].as_str().unwrap().to_owned();
        let shape = Shape::get(&id);
        // The first read runs the due provisioning; later reads answer the same bytes.
        let answers: Vec<_> = (0..3)
            .map(|_| clients.block_on(one(capture.addr(), shape.request("", 0, 0))))
            .collect();
        for (status, body) in &answers {
            assert_eq!(*status, StatusCode::OK, "{}", String::from_utf8_lossy(body));
        }
        assert_eq!(answers[1].1, answers[2].1, "Get Package answers differ");
        (shape, answers[2].1.clone())
    } else {
        (create, created)
    };
    let shape = Arc::new(shape);
    let body_bytes = body.len();
    let bare = servers.block_on(Bare::start(&shape, body));
    // Get Package reads the capture emulator; creations get a fresh one every round.
    let get_target = if scenario == Scenario::Get {
        Some(capture)
    } else {
        servers.block_on(capture.stop());
        None
    };
    let mut outcome = Outcome {
        scenario,
        body_bytes,
        bare: Vec::new(),
        emulator: Vec::new(),
    };
    for round in 0..args.rounds {
        let order = if round % 2 == 0 {
            [Side::Bare, Side::Emulator]
        } else {
            [Side::Emulator, Side::Bare]
        };
        for side in order.into_iter().filter(|s| args.sides.contains(s)) {
            let tag = format!("r{round}{side:?}");
            let measured = match (side, &get_target) {
                (Side::Bare, _) => clients.block_on(load(bare.addr, shape.clone(), &tag, args)),
                (Side::Emulator, Some(emu)) => {
                    clients.block_on(load(emu.addr(), shape.clone(), &tag, args))
                }
                (Side::Emulator, None) => {
                    let base = (scenario == Scenario::CreateDurable).then_some(args.dir.as_path());
                    let emu = servers.block_on(Emu::start(base, &format!("round{round}")));
                    let m = clients.block_on(load(emu.addr(), shape.clone(), &tag, args));
                    servers.block_on(emu.stop());
                    m
                }
            };
            print_measured(scenario, round, side, &measured);
            match side {
                Side::Bare => outcome.bare.push(measured),
                Side::Emulator => outcome.emulator.push(measured),
            }
        }
    }
    servers.block_on(bare.stop());
    if let Some(emu) = get_target {
        servers.block_on(emu.stop());
    }
    outcome
}

fn print_summary(outcomes: &[Outcome], args: &Args) {
    println!();
    let loads: Vec<f64> = outcomes
        .iter()
        .flat_map(|o| o.bare.iter().chain(&o.emulator))
        .filter_map(|m| m.load_average)
        .collect();
    let low = loads.iter().copied().fold(f64::INFINITY, f64::min);
    let high = loads.iter().copied().fold(0.0, f64::max);
    println!(
        "summary: medians of {} rounds, {} s windows, {} connections, \
         {} server + {} client worker threads, {} cores online, load average {low:.2} to {high:.2}",
        args.rounds,
        args.seconds,
        args.connections,
        args.server_threads,
        args.client_threads,
        std::thread::available_parallelism().map_or(0, std::num::NonZero::get),
    );
    println!(
        "| scenario | answer bytes | bare req/s | emulator req/s | ratio (paired median) | \
         per-round ratios | server CPU/request bare | emulator (+journal) | \
         process CPU/request bare | emulator | non-2xx + errors |"
    );
    println!("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
    for o in outcomes {
        let bare = o.median_of(Side::Bare, Measured::rps);
        let emu = o.median_of(Side::Emulator, Measured::rps);
        let ratios: Vec<String> = o
            .bare
            .iter()
            .zip(&o.emulator)
            .map(|(b, e)| format!("{:.2}", e.rps() / b.rps()))
            .collect();
        println!(
            "| {} | {} | {:.0} | {:.0} | {:.3} | {} | {:.1} us | {:.1} us (+{:.1} us) | \
             {:.1} us | {:.1} us | {} |",
            o.scenario.name(),
            o.body_bytes,
            bare,
            emu,
            o.paired_ratio(),
            ratios.join(", "),
            o.median_of(Side::Bare, |m| m.us_per_request(m.cpu.server)),
            o.median_of(Side::Emulator, |m| m.us_per_request(m.cpu.server)),
            o.median_of(Side::Emulator, |m| m.us_per_request(m.cpu.journal)),
            o.median_of(Side::Bare, |m| m.us_per_request(m.cpu_total())),
            o.median_of(Side::Emulator, |m| m.us_per_request(m.cpu_total())),
            o.failures(),
        );
    }
    println!();
    for o in outcomes {
        let emu = o.median_of(Side::Emulator, Measured::rps);
        match o.scenario {
            Scenario::Get => {
                let ratio = o.paired_ratio();
                println!(
                    "target: Get Package at least 0.60x the bare handler: {ratio:.3}x, {}",
                    if ratio >= 0.60 { "met" } else { "MISSED" }
                );
            }
            Scenario::CreateDurable => println!(
                "target: durable Create Package at least 10,000/s: {emu:.0}/s, {}",
                if emu >= 10_000.0 { "met" } else { "MISSED" }
            ),
            Scenario::CreateMemory => {}
        }
    }
}

fn main() -> ExitCode {
    let args = match Args::parse(std::env::args().skip(1)) {
        Ok(Some(args)) => args,
        Ok(None) => {
            print!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("load: {message}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let servers = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(args.server_threads)
        .thread_name(SERVER_THREADS)
        .enable_all()
        .build()
        .unwrap();
    let clients = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(args.client_threads)
        .thread_name(CLIENT_THREADS)
        .enable_all()
        .build()
        .unwrap();
    let mut counts: HashMap<&str, u64> = HashMap::new();
    let mut outcomes = Vec::new();
    for &scenario in &args.scenarios {
        let outcome = run_scenario(scenario, &args, &servers, &clients);
        *counts.entry(scenario.name()).or_default() += outcome.failures();
        outcomes.push(outcome);
    }
    print_summary(&outcomes, &args);
    let failures: u64 = counts.values().sum();
    if failures > 0 {
        eprintln!("load: {failures} requests were not answered 2xx or failed: {counts:?}");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
