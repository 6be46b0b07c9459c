//! The Resellers API's calls of the engine: Create Package (V2 and the deprecated
//! v1), Get, Query, Cancel Package, and the instance calls (assign, unassign,
//! cancel, adjust) and Update Package External Id. Each authorizes the caller,
//! runs the domain's pure operation and, for a keyed mutation, goes through
//! [`MemoryWix::keyed`](super::MemoryWix) so a repeat replays the answer.

use super::*;

impl MemoryWix {
    /// Create Package (V2).
    ///
    /// # Errors
    /// See `ResellerPackages::create_package`; `UNAUTHENTICATED` (401) for an
    /// unknown key, `PERMISSION_DENIED` (403) for a key that may not act on the
    /// account.
    pub async fn create_package(
        &self,
        cred: Credentials<'_>,
        key: Option<&IdempotencyKey>,
        request: &CreatePackage,
    ) -> Result<Package, PortError> {
        let op = opname::CREATE;
        let key = key.map(|k| {
            (
                op,
                k,
                fingerprint_json(&CreatePackageRequest::from_domain(request, None)),
            )
        });
        let answer = self
            .keyed(
                cred,
                Scope::PackagesManage,
                UnknownAccount::AccountNotFound,
                key,
                |st, caller, now, ids| {
                    let mut new_id = || ids.new_id();
                    package_answer(ops::create_package(st, caller, request, now, &mut new_id))
                },
            )
            .await?;
        expect_package(answer)
    }

    /// Get Package.
    ///
    /// # Errors
    /// `PACKAGE_NOT_FOUND` (404) when unknown or owned by another account; the
    /// authentication errors.
    pub async fn get_package(
        &self,
        cred: Credentials<'_>,
        id: PackageId,
    ) -> Result<Package, PortError> {
        self.read_as(cred, Scope::PackagesRead, |st, caller| {
            Ok(ops::get_package(st, caller, id)?.clone())
        })
        .await
    }

    /// Query Packages: one page, as the caller's key may see them.
    ///
    /// # Errors
    /// `INVALID_CURSOR`, `INVALID_QUERY`; the authentication errors.
    pub async fn query_packages(
        &self,
        cred: Credentials<'_>,
        q: &PackageQuery,
    ) -> Result<PackagesPage, PortError> {
        self.read_as(cred, Scope::PackagesRead, |st, caller| {
            let visibility = Visibility::of(st, caller);
            query::owned(query::run(st, visibility, q))
        })
        .await
    }

    async fn package_op(
        &self,
        cred: Credentials<'_>,
        key: Option<(&'static str, &IdempotencyKey, Vec<u8>)>,
        f: impl FnOnce(&State, &Caller, Timestamp) -> Result<Done<Package>, Refusal>,
    ) -> Result<Package, PortError> {
        let answer = self
            .keyed(
                cred,
                Scope::PackagesManage,
                UnknownAccount::AccountNotFound,
                key,
                |st, caller, now, _| package_answer(f(st, caller, now)),
            )
            .await?;
        expect_package(answer)
    }

    /// Cancel Package.
    ///
    /// # Errors
    /// `PACKAGE_NOT_FOUND`; `IDEMPOTENCY_KEY_REUSED`; the authentication errors.
    pub async fn cancel_package(
        &self,
        cred: Credentials<'_>,
        key: Option<&IdempotencyKey>,
        id: PackageId,
    ) -> Result<Package, PortError> {
        let key = key.map(|k| (opname::CANCEL_PACKAGE, k, id.to_string().into_bytes()));
        self.package_op(cred, key, |st, c, now| ops::cancel_package(st, c, id, now))
            .await
    }

    /// Assign Product Instance To Site.
    ///
    /// # Errors
    /// See `ResellerPackages::assign_instance`.
    pub async fn assign_instance(
        &self,
        cred: Credentials<'_>,
        key: Option<&IdempotencyKey>,
        instance: InstanceId,
        site: SiteId,
    ) -> Result<Package, PortError> {
        let key = key.map(|k| (opname::ASSIGN, k, format!("{instance}/{site}").into_bytes()));
        self.package_op(cred, key, |st, c, now| {
            ops::assign_instance(st, c, instance, site, now)
        })
        .await
    }

    /// Unassign Product Instance From Site.
    ///
    /// # Errors
    /// `PRODUCT_INSTANCE_NOT_FOUND`; `IDEMPOTENCY_KEY_REUSED`; the authentication errors.
    pub async fn unassign_instance(
        &self,
        cred: Credentials<'_>,
        key: Option<&IdempotencyKey>,
        instance: InstanceId,
    ) -> Result<Package, PortError> {
        let key = key.map(|k| (opname::UNASSIGN, k, instance.to_string().into_bytes()));
        self.package_op(cred, key, |st, c, now| {
            ops::unassign_instance(st, c, instance, now)
        })
        .await
    }

    /// Cancel Product Instance.
    ///
    /// # Errors
    /// `PRODUCT_INSTANCE_NOT_FOUND`; `IDEMPOTENCY_KEY_REUSED`; the authentication errors.
    pub async fn cancel_instance(
        &self,
        cred: Credentials<'_>,
        key: Option<&IdempotencyKey>,
        instance: InstanceId,
    ) -> Result<Package, PortError> {
        let key = key.map(|k| {
            (
                opname::CANCEL_INSTANCE,
                k,
                instance.to_string().into_bytes(),
            )
        });
        self.package_op(cred, key, |st, c, now| {
            ops::cancel_instance(st, c, instance, now)
        })
        .await
    }

    /// Adjust Product Instance Specifications.
    ///
    /// # Errors
    /// See `ResellerPackages::adjust_instance`.
    pub async fn adjust_instance(
        &self,
        cred: Credentials<'_>,
        key: Option<&IdempotencyKey>,
        instance: InstanceId,
        request: &Adjust,
    ) -> Result<Package, PortError> {
        let key = key.map(|k| {
            let mut print = instance.to_string().into_bytes();
            print.extend(fingerprint_json(&AdjustRequest::from_domain(request, None)));
            (opname::ADJUST, k, print)
        });
        self.package_op(cred, key, |st, c, now| {
            ops::adjust_instance(st, c, instance, request, now)
        })
        .await
    }

    /// Update Package External Id.
    ///
    /// # Errors
    /// `PACKAGE_NOT_FOUND`; the authentication errors.
    pub async fn update_external_id(
        &self,
        cred: Credentials<'_>,
        key: Option<&IdempotencyKey>,
        id: PackageId,
        external_id: &ExternalId,
    ) -> Result<Package, PortError> {
        let key = key.map(|k| {
            (
                opname::EXTERNAL_ID,
                k,
                format!("{id}/{}", external_id.as_str()).into_bytes(),
            )
        });
        self.package_op(cred, key, |st, c, now| {
            ops::update_external_id(st, c, id, external_id.clone(), now)
        })
        .await
    }
}

/// The canonical bytes of a request, for comparing repeats of an idempotency key.
fn fingerprint_json<T: serde::Serialize>(request: &T) -> Vec<u8> {
    serde_json::to_vec(request).unwrap_or_default()
}

fn package_answer(done: Result<Done<Package>, Refusal>) -> Result<(Answer, ops::Changes), Refusal> {
    let done = done?;
    Ok((Answer::Package(done.answer), done.changes))
}

fn expect_package(answer: Answer) -> Result<Package, PortError> {
    match answer {
        Answer::Package(p) => Ok(p),
        other => Err(mismatch(&other)),
    }
}
