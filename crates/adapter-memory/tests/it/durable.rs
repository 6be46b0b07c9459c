//! Durable mode: reopening a store restores the world (packages, keys, idempotency
//! records, provisioning, the clock), and a writer killed with SIGKILL mid-stream
//! loses no acknowledged write and leaves nothing half-applied.

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::Arc;

use crate::common::*;
use crate::temp_dir::TempDir;
use adapter_memory::{Credentials, MemoryWix};
use reseller_domain::{ErrorCode, IdempotencyKey, InstanceStatus, PackageId, StatusName};
use reseller_ports::{ManualClock, Provisioning, Seed};

/// A site beyond the standard world's, with every settable member.
const DETAILED: reseller_domain::SiteId = site(0x50);

async fn seed_into(wix: &MemoryWix) -> Vec<reseller_ports::ApiKey> {
    seed_world(wix, &reference_world()).await;
    // A site with every settable member, so a reopened store shows they are kept.
    let mut detailed = reseller_ports::NewSite::new(DETAILED, MAIN, "detailed");
    detailed.details = reseller_domain::sites::SiteDetails {
        display_name: Some("Detailed Site".into()),
        namespace: reseller_domain::sites::Namespace::Headless,
        editor_type: reseller_domain::sites::EditorType::Studio,
        published: true,
        folder_id: Some(uuid::Uuid::from_u128(0xf01d)),
        app_ids: vec!["stores".into()],
        trashed: Some(start().plus_millis(7)),
    };
    detailed.created = Some(start().plus_millis(-1_000));
    wix.add_site(&detailed).await.unwrap();
    let mut keys = Vec::new();
    for a in ACCOUNTS {
        keys.push(wix.add_api_key(a, None, None).await.unwrap());
    }
    keys
}

#[tokio::test]
async fn reopening_restores_the_whole_world() {
    let dir = TempDir::new("reopen");
    let clock = Arc::new(ManualClock::new(start()));
    let key = IdempotencyKey::new("order-1").unwrap();
    let (exported, keys, first, voucher) = {
        let wix = MemoryWix::builder()
            .clock(clock.clone())
            .open(dir.db())
            .unwrap();
        assert!(wix.is_durable());
        let keys = seed_into(&wix).await;
        wix.set_provisioning(Provisioning::Auto {
            delay_millis: 60_000,
        })
        .await
        .unwrap();
        let cred = Credentials {
            key: &keys[0],
            account: SUB1,
        };
        let first = wix
            .create_package(
                cred,
                Some(&key),
                &create(vec![item(PLAN_VIP, Some(SUB1_SITE))]),
            )
            .await
            .unwrap();
        let plan = first.instances()[0].id();
        let mut with_ref = item(MAILBOX, None);
        with_ref.reference = Some(plan);
        let voucher = wix
            .create_package(cred, None, &create(vec![with_ref]))
            .await
            .unwrap();
        wix.advance_clock(5_000).await.unwrap();
        wix.cancel_instance(cred, None, voucher.instances()[0].id())
            .await
            .unwrap();
        (wix.export(), keys, first, voucher)
    };
    let wix = MemoryWix::builder()
        .clock(clock.clone())
        .open(dir.db())
        .unwrap();
    assert_eq!(wix.export(), exported);
    let detailed = wix.sites(Some(MAIN));
    let detailed = detailed.iter().find(|s| s.id == DETAILED).unwrap();
    assert_eq!(
        detailed.details.display_name.as_deref(),
        Some("Detailed Site")
    );
    assert_eq!(detailed.details.trashed, Some(start().plus_millis(7)));
    assert!(wix.invariant_violations().is_empty());
    assert_eq!(
        wix.provisioning(),
        Provisioning::Auto {
            delay_millis: 60_000
        }
    );
    assert_eq!(
        wix.now(),
        start().plus_millis(5_000),
        "the clock's offset survives"
    );
    let cred = Credentials {
        key: &keys[0],
        account: SUB1,
    };
    // The idempotency record survived: the same request answers the first answer.
    let again = wix
        .create_package(
            cred,
            Some(&key),
            &create(vec![item(PLAN_VIP, Some(SUB1_SITE))]),
        )
        .await
        .unwrap();
    assert_eq!(again, first);
    let other = wix
        .create_package(cred, Some(&key), &create(vec![item(PLAN_UNLIMITED, None)]))
        .await
        .unwrap_err();
    assert_eq!(other.code(), &ErrorCode::IdempotencyKeyReused);
    // The reference flag survived: the plan cannot serve as a voucher twice.
    let mut twice = item(MAILBOX, None);
    twice.reference = Some(first.instances()[0].id());
    let refused = wix
        .create_package(cred, None, &create(vec![twice]))
        .await
        .unwrap_err();
    assert_eq!(
        refused.code(),
        &ErrorCode::InvalidReferenceProductInstanceId
    );
    // Provisioning resumes: a minute after creation the plan is enabled.
    wix.advance_clock(60_000).await.unwrap();
    let p = wix.get_package(cred, first.id()).await.unwrap();
    assert_eq!(p.instances()[0].status(), &InstanceStatus::Enabled);
    let _ = voucher;
    // A reset is durable too.
    wix.reset().await.unwrap();
    drop(wix);
    let wix = MemoryWix::builder().clock(clock).open(dir.db()).unwrap();
    assert_eq!(wix.package_count(), 0);
    assert!(wix.accounts().is_empty());
}

#[tokio::test]
async fn import_in_durable_mode_replaces_the_stored_world() {
    let dir = TempDir::new("import");
    let source = MemoryWix::new();
    let keys = seed_into(&source).await;
    let cred = Credentials {
        key: &keys[0],
        account: MAIN,
    };
    source
        .create_package(
            cred,
            None,
            &create(vec![item(PLAN_WEBSITE, Some(MAIN_SITE))]),
        )
        .await
        .unwrap();
    let doc = source.export();
    {
        let wix = MemoryWix::builder().open(dir.db()).unwrap();
        let _ = seed_into(&wix).await;
        wix.import(&doc).await.unwrap();
        assert_eq!(wix.export(), doc);
    }
    let wix = MemoryWix::builder().open(dir.db()).unwrap();
    assert_eq!(wix.export(), doc);
}

#[test]
fn a_store_that_is_not_a_database_is_refused() {
    let dir = TempDir::new("garbage");
    std::fs::write(
        dir.db(),
        b"this is not a SQLite file, not at all, not even close",
    )
    .unwrap();
    let err = MemoryWix::builder().open(dir.db()).unwrap_err();
    assert!(err.to_string().contains("cannot be read whole"), "{err}");
    assert!(err.to_string().contains("state.db"), "{err}");
}

/// A damaged store is refused, naming the file, and left as it is: an empty
/// database file, a database of something else, a write-ahead log without its
/// database or not matching it.
#[test]
fn a_damaged_store_is_refused_naming_the_file_and_left_untouched() {
    let wal_of = |dir: &TempDir| PathBuf::from(format!("{}-wal", dir.db().display()));
    type Damage = Box<dyn Fn(&TempDir)>;
    let cases: Vec<(&str, Damage, &str)> = vec![
        (
            "empty",
            Box::new(|d: &TempDir| std::fs::write(d.db(), b"").unwrap()),
            "state.db",
        ),
        (
            "foreign",
            Box::new(|d: &TempDir| {
                let c = rusqlite::Connection::open(d.db()).unwrap();
                c.execute_batch("CREATE TABLE invoices (id INTEGER PRIMARY KEY); INSERT INTO invoices VALUES (1);")
                    .unwrap();
            }),
            "state.db",
        ),
        (
            "orphan-wal",
            Box::new(move |d: &TempDir| std::fs::write(wal_of(d), vec![7u8; 4096]).unwrap()),
            "state.db-wal",
        ),
        (
            "bad-wal",
            Box::new(move |d: &TempDir| {
                drop(MemoryWix::builder().open(d.db()).unwrap());
                std::fs::write(wal_of(d), vec![9u8; 4096]).unwrap();
            }),
            "state.db-wal",
        ),
    ];
    for (tag, damage, file) in cases {
        let dir = TempDir::new(tag);
        damage(&dir);
        let before = std::fs::read(dir.db()).ok();
        let err = MemoryWix::builder().open(dir.db()).unwrap_err();
        let text = err.to_string();
        assert!(text.contains("cannot be read whole"), "{tag}: {text}");
        assert!(text.contains(file), "{tag}: {text}");
        assert_eq!(
            std::fs::read(dir.db()).ok(),
            before,
            "{tag}: the file was changed"
        );
    }
}

/// The store's files hold API keys: they are created readable by their owner only.
#[cfg(unix)]
#[tokio::test]
async fn store_files_are_created_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let dir = TempDir::new("mode");
    let wix = MemoryWix::builder().open(dir.db()).unwrap();
    seed_into(&wix).await;
    for entry in std::fs::read_dir(dir.path()).unwrap() {
        let entry = entry.unwrap();
        let mode = entry.metadata().unwrap().permissions().mode() & 0o777;
        assert_eq!(mode & 0o077, 0, "{:?} has mode {mode:o}", entry.path());
    }
}

const CHILD_ENV: &str = "ADAPTER_MEMORY_CRASH_WRITER";

/// In the child process (started by the crash test with `CHILD_ENV` set): opens
/// the store and writes forever from 8 tasks, printing each acknowledged package
/// id. Run directly, it checks a short write-and-reopen cycle instead.
#[test]
fn crash_writer() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    match std::env::var(CHILD_ENV) {
        Ok(path) => rt.block_on(write_forever(PathBuf::from(path))),
        Err(_) => rt.block_on(async {
            let dir = TempDir::new("writer");
            let ids = {
                let wix = MemoryWix::builder().open(dir.db()).unwrap();
                let keys = seed_into(&wix).await;
                let mut ids = Vec::new();
                for _ in 0..20 {
                    let cred = Credentials {
                        key: &keys[0],
                        account: MAIN,
                    };
                    let p = wix
                        .create_package(cred, None, &create(vec![item(MAILBOX, None)]))
                        .await;
                    // MAILBOX has a limit of 2 per family: the rest are refused.
                    if let Ok(p) = p {
                        ids.push(p.id());
                    }
                }
                assert_eq!(ids.len(), 2);
                ids
            };
            let wix = MemoryWix::builder().open(dir.db()).unwrap();
            for id in ids {
                assert!(wix.package(id).is_some());
            }
            assert_eq!(wix.package_count(), 2);
        }),
    }
}

async fn write_forever(path: PathBuf) {
    let wix = MemoryWix::builder().open(&path).unwrap();
    let keys = seed_into(&wix).await;
    wix.set_provisioning(Provisioning::Manual).await.unwrap();
    println!("ready");
    let out = Arc::new(std::sync::Mutex::new(std::io::stdout()));
    let tasks: Vec<_> = (0..8u32)
        .map(|t| {
            let wix = wix.clone();
            let keys = keys.clone();
            let out = out.clone();
            tokio::spawn(async move {
                let account = ACCOUNTS[usize::try_from(t % 3).unwrap()];
                let cred = Credentials {
                    key: &keys[0],
                    account,
                };
                for n in 0u64.. {
                    let key = IdempotencyKey::new(format!("t{t}-{n}")).unwrap();
                    let products = (0..1 + n % 3).map(|_| item(PLAN_VIP, None)).collect();
                    let p = wix
                        .create_package(cred, Some(&key), &create(products))
                        .await
                        .unwrap();
                    // Acknowledged: now it may be reported.
                    let mut o = out.lock().unwrap();
                    writeln!(o, "{} {}", p.id(), p.instances().len()).unwrap();
                    o.flush().unwrap();
                }
            })
        })
        .collect();
    for t in tasks {
        let _ = t.await;
    }
}

#[test]
fn sigkill_mid_stream_loses_no_acknowledged_write() {
    let dir = TempDir::new("crash");
    let exe = std::env::current_exe().unwrap();
    let mut child = Command::new(exe)
        .args([
            "--exact",
            "durable::crash_writer",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD_ENV, dir.db())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut lines = BufReader::new(stdout).lines();
    let mut acknowledged: Vec<(PackageId, usize)> = Vec::new();
    let mut ready = false;
    for line in lines.by_ref() {
        let line = line.unwrap();
        if line.ends_with("ready") {
            ready = true;
            continue;
        }
        let mut parts = line.split_whitespace();
        let (Some(id), Some(n)) = (parts.next(), parts.next()) else {
            continue;
        };
        let Ok(id) = PackageId::parse(id) else {
            continue;
        };
        acknowledged.push((id, n.parse().unwrap()));
        if acknowledged.len() >= 400 {
            break;
        }
    }
    assert!(ready, "the writer never started");
    // SIGKILL, while the writer's tasks are still writing.
    child.kill().unwrap();
    // Lines already written before the kill were acknowledged too.
    for line in lines {
        let Ok(line) = line else { break };
        let mut parts = line.split_whitespace();
        if let (Some(id), Some(n)) = (parts.next(), parts.next()) {
            if let (Ok(id), Ok(n)) = (PackageId::parse(id), n.parse()) {
                acknowledged.push((id, n));
            }
        }
    }
    child.wait().unwrap();

    let wix = MemoryWix::builder().open(dir.db()).unwrap();
    let broken = wix.invariant_violations();
    assert!(broken.is_empty(), "{broken:?}");
    for (id, n) in &acknowledged {
        let p = wix
            .package(*id)
            .unwrap_or_else(|| panic!("acknowledged package {id} is lost"));
        assert_eq!(p.instances().len(), *n, "package {id} is half there");
        assert!(
            p.instances()
                .iter()
                .all(|i| i.status().name() == StatusName::Pending)
        );
    }
    // Nothing half-applied: every stored package is whole and the idempotency
    // records that survived answer exactly their packages.
    let stored: BTreeSet<PackageId> = wix
        .export()
        .packages
        .iter()
        .map(|p| p.try_into_domain().unwrap().id())
        .collect();
    assert!(stored.len() >= acknowledged.len());
    let _ = wix.connect(&reseller_ports::ApiKey::new("unused"), MAIN);
}
