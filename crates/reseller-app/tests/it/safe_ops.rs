//! The safe operations with mocked ports: which calls they make, with which keys,
//! and what they answer after each kind of failure.

use std::sync::{Arc, Mutex};

use adapter_memory::MemoryWix;
use reseller_app::safe::{
    Attempts, SafeError, assign_instance, cancel_package, create_once, create_once_key,
};
use reseller_contract::fixture::{
    Fixture, MAIN, MAIN_SITE, MAIN_SPARE, PLAN_UNLIMITED, create, item, on,
};
use reseller_domain::{Assignment, ErrorCode, ExternalId, IdempotencyKey, InstanceId, Package};
use reseller_ports::{
    Call, ErrorKind, MockResellerPackages, PackagesPage, PortError, ResellerPackages,
};

fn unknown() -> PortError {
    PortError::transport(
        ErrorKind::OutcomeUnknown,
        "the connection broke after sending",
    )
}

async fn a_package() -> (Package, InstanceId) {
    let wix = MemoryWix::new();
    let fx = Fixture::new(&wix).await;
    fx.plan(MAIN, Some(MAIN_SITE)).await
}

fn page(packages: Vec<Package>) -> PackagesPage {
    PackagesPage::of(packages)
}

#[tokio::test]
async fn cancel_retries_an_unknown_outcome_with_the_same_key() {
    let (package, _) = a_package().await;
    let keys: Arc<Mutex<Vec<Option<IdempotencyKey>>>> = Arc::default();
    let mut wix = MockResellerPackages::new();
    let seen = keys.clone();
    let answer = package.clone();
    let mut n = 0;
    wix.expect_cancel_package()
        .times(3)
        .returning(move |call, _| {
            seen.lock().unwrap().push(call.idempotency_key.clone());
            n += 1;
            if n < 3 {
                Err(unknown())
            } else {
                Ok(answer.clone())
            }
        });
    let done = cancel_package(&wix, &Call::new(), package.id(), Attempts::immediate(3))
        .await
        .unwrap();
    assert_eq!(done, package);
    let keys = keys.lock().unwrap();
    assert!(keys[0].is_some());
    assert!(keys.iter().all(|k| *k == keys[0]), "{keys:?}");
}

#[tokio::test]
async fn every_try_failing_is_unresolved_and_a_refusal_is_not_retried() {
    let (package, _) = a_package().await;
    let mut wix = MockResellerPackages::new();
    wix.expect_cancel_package()
        .times(2)
        .returning(|_, _| Err(unknown()));
    let e = cancel_package(&wix, &Call::new(), package.id(), Attempts::immediate(2))
        .await
        .unwrap_err();
    assert!(
        matches!(e, SafeError::Unresolved { attempts: 2, .. }),
        "{e}"
    );
    assert!(e.may_have_been_applied());

    let mut wix = MockResellerPackages::new();
    wix.expect_cancel_package().times(1).returning(|_, _| {
        Err(PortError::from_answer(
            404,
            ErrorCode::PackageNotFound,
            "no such package",
        ))
    });
    let e = cancel_package(&wix, &Call::new(), package.id(), Attempts::immediate(5))
        .await
        .unwrap_err();
    assert!(matches!(e, SafeError::Refused(_)), "{e}");
    assert!(!e.may_have_been_applied());
}

#[tokio::test]
async fn two_assigns_carry_two_keys() {
    let (package, instance) = a_package().await;
    let keys: Arc<Mutex<Vec<Option<IdempotencyKey>>>> = Arc::default();
    let mut wix = MockResellerPackages::new();
    let seen = keys.clone();
    wix.expect_assign_instance()
        .times(2)
        .returning(move |call, _, _| {
            seen.lock().unwrap().push(call.idempotency_key.clone());
            Ok(package.clone())
        });
    for _ in 0..2 {
        assign_instance(
            &wix,
            &Call::new(),
            instance,
            MAIN_SPARE,
            Attempts::immediate(1),
        )
        .await
        .unwrap();
    }
    let keys = keys.lock().unwrap();
    assert_ne!(keys[0], keys[1]);
}

#[tokio::test]
async fn an_assign_whose_answer_was_lost_is_found_done_by_reading_back() {
    // Against the in-memory Wix, behind a wrapper that applies the assign and then
    // loses its answer.
    struct LosesAnswers(Arc<dyn reseller_ports::Wix>);
    #[async_trait::async_trait]
    impl ResellerPackages for LosesAnswers {
        async fn create_package(
            &self,
            c: &Call,
            r: &reseller_domain::ops::CreatePackage,
        ) -> Result<Package, PortError> {
            self.0.create_package(c, r).await
        }
        async fn get_package(
            &self,
            c: &Call,
            id: reseller_domain::PackageId,
        ) -> Result<Package, PortError> {
            self.0.get_package(c, id).await
        }
        async fn query_packages(
            &self,
            c: &Call,
            q: &reseller_domain::query::PackageQuery,
        ) -> Result<PackagesPage, PortError> {
            self.0.query_packages(c, q).await
        }
        async fn cancel_package(
            &self,
            c: &Call,
            id: reseller_domain::PackageId,
        ) -> Result<Package, PortError> {
            self.0.cancel_package(c, id).await
        }
        async fn assign_instance(
            &self,
            c: &Call,
            i: InstanceId,
            s: reseller_domain::SiteId,
        ) -> Result<Package, PortError> {
            self.0.assign_instance(c, i, s).await?;
            Err(unknown())
        }
        async fn unassign_instance(&self, c: &Call, i: InstanceId) -> Result<Package, PortError> {
            self.0.unassign_instance(c, i).await
        }
        async fn cancel_instance(&self, c: &Call, i: InstanceId) -> Result<Package, PortError> {
            self.0.cancel_instance(c, i).await
        }
        async fn adjust_instance(
            &self,
            c: &Call,
            i: InstanceId,
            r: &reseller_domain::ops::Adjust,
        ) -> Result<Package, PortError> {
            self.0.adjust_instance(c, i, r).await
        }
        async fn update_external_id(
            &self,
            c: &Call,
            id: reseller_domain::PackageId,
            e: &ExternalId,
        ) -> Result<Package, PortError> {
            self.0.update_external_id(c, id, e).await
        }
    }
    let wix = MemoryWix::new();
    let fx = Fixture::new(&wix).await;
    let (_, instance) = fx.plan(MAIN, Some(MAIN_SITE)).await;
    let lossy = LosesAnswers(fx.main.clone());
    let p = assign_instance(
        &lossy,
        &on(MAIN),
        instance,
        MAIN_SPARE,
        Attempts::immediate(2),
    )
    .await
    .unwrap();
    assert_eq!(p.instance(instance).unwrap().site(), Some(MAIN_SPARE));

    // A refused move leaves the instance where it was, and says so.
    let (_, other) = fx.plan(MAIN, Some(MAIN_SITE)).await;
    let e = assign_instance(
        fx.main.as_ref(),
        &on(MAIN),
        other,
        MAIN_SPARE,
        Attempts::immediate(2),
    )
    .await
    .unwrap_err();
    assert!(matches!(e.cause, SafeError::Refused(_)), "{e}");
    assert_eq!(e.assignment_now(), Some(Assignment::Site(MAIN_SITE)));
    assert!(
        e.to_string().contains("PRODUCT_TYPE_ALREADY_ASSIGNED"),
        "{e}"
    );
}

#[tokio::test]
async fn create_once_answers_what_it_finds_and_sends_no_create() {
    let wix = MemoryWix::new();
    let fx = Fixture::new(&wix).await;
    let ext = ExternalId::new("order-9").unwrap();
    let mut request = create(vec![item(PLAN_UNLIMITED, None)]);
    request.external_id = Some(ext.clone());
    let made = fx.main.create_package(&on(MAIN), &request).await.unwrap();

    let mut mock = MockResellerPackages::new();
    let found = made.clone();
    mock.expect_query_packages()
        .times(1)
        .returning(move |_, _| Ok(page(vec![found.clone()])));
    mock.expect_create_package().times(0);
    let got = create_once(&mock, &Call::new(), &request, Attempts::immediate(3))
        .await
        .unwrap();
    assert_eq!(got.package, made);
    assert_eq!(got.origin, reseller_app::Origin::Found);

    // Two packages with the id already: nothing is created, both are named.
    let twice = fx.main.create_package(&on(MAIN), &request).await.unwrap();
    let e = create_once(
        fx.main.as_ref(),
        &on(MAIN),
        &request,
        Attempts::immediate(3),
    )
    .await
    .unwrap_err();
    let mut both = [made.clone(), twice];
    both.sort_by_key(|p| (p.created(), p.id()));
    assert_eq!(
        e,
        SafeError::Ambiguous {
            external_id: ext.clone(),
            packages: both.iter().map(Package::id).collect()
        }
    );

    // After an unknown outcome, the look-up comes first, and the key stays.
    let mut mock = MockResellerPackages::new();
    let mut looked = 0;
    let created = made.clone();
    mock.expect_query_packages()
        .times(2)
        .returning(move |_, _| {
            looked += 1;
            Ok(page(if looked == 2 {
                vec![created.clone()]
            } else {
                vec![]
            }))
        });
    let key = create_once_key(&ext);
    mock.expect_create_package()
        .times(1)
        .withf(move |call, r| {
            call.idempotency_key.as_ref() == Some(&key)
                && r.external_id.as_ref().map(ExternalId::as_str) == Some("order-9")
        })
        .returning(|_, _| Err(unknown()));
    let got = create_once(&mock, &Call::new(), &request, Attempts::immediate(3))
        .await
        .unwrap();
    assert_eq!(got.origin, reseller_app::Origin::Found);
    assert_eq!(got.attempts, 2);
}

#[tokio::test]
async fn create_once_without_an_external_id_is_refused_and_sends_nothing() {
    let mut mock = MockResellerPackages::new();
    mock.expect_query_packages().times(0);
    mock.expect_create_package().times(0);
    let request = create(vec![item(PLAN_UNLIMITED, None)]);
    assert_eq!(request.external_id, None);
    let e = create_once(&mock, &Call::new(), &request, Attempts::immediate(3))
        .await
        .unwrap_err();
    // A local error of its own, not dressed as an answer Wix never gave.
    assert_eq!(e, SafeError::NoExternalId);
    assert_eq!(e.port_error(), None);
    assert!(!e.may_have_been_applied());
}

#[tokio::test]
async fn create_once_leaves_the_retry_to_an_adapter_that_retried_already() {
    let mut mock = MockResellerPackages::new();
    mock.expect_query_packages()
        .times(1)
        .returning(|_, _| Ok(PackagesPage::default()));
    mock.expect_create_package().times(1).returning(|_, _| {
        Err(PortError::unavailable().with_attempts(4, std::time::Duration::from_millis(30)))
    });
    let mut request = create(vec![item(PLAN_UNLIMITED, None)]);
    request.external_id = Some(ExternalId::new("order-10").unwrap());
    let e = create_once(&mock, &Call::new(), &request, Attempts::immediate(4))
        .await
        .unwrap_err();
    assert!(
        matches!(e, SafeError::Unresolved { attempts: 4, .. }),
        "{e}"
    );
    assert!(
        e.to_string()
            .starts_with("no answer after 4 request(s) in "),
        "{e}"
    );
}
