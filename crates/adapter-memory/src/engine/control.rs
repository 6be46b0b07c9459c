//! The engine's seeding and control calls (the emulator's `/_emulator/` API and the
//! `Seed` trait): accounts, sites, products, keys and transfer permissions added
//! from outside, provisioning mode, status moves, the clock, reset, and the
//! read-only inspection calls. Each is one write (or read) of the engine, journaled
//! like any other.

use super::*;

impl MemoryWix {
    /// Adds an account. A sub-account's parent must exist and be a main account.
    ///
    /// # Errors
    /// `ALREADY_EXISTS` (409) for a known id; a field violation on
    /// `parentAccountId` for an unknown parent or a parent that is a sub-account.
    pub async fn add_account(&self, account: Account) -> Result<Account, PortError> {
        self.write(|tx| {
            if tx.st.accounts.contains_key(&account.id) {
                return Err(conflict(
                    "ALREADY_EXISTS",
                    format!("Account `{}` already exists.", account.id),
                ));
            }
            if let Some(parent) = account.parent {
                match tx.st.account(parent) {
                    None => {
                        return Err(field_error(
                            "parentAccountId",
                            RuleType::Validation,
                            format!("no account `{parent}`"),
                        ));
                    }
                    Some(p) if p.parent.is_some() => {
                        return Err(field_error(
                            "parentAccountId",
                            RuleType::Validation,
                            format!("`{parent}` is a sub-account; sub-accounts are one level deep"),
                        ));
                    }
                    Some(_) => {}
                }
            }
            tx.apply(ops::Changes {
                accounts: vec![account.clone()],
                ..ops::Changes::default()
            });
            Ok(account)
        })
        .await
    }

    /// Adds a site of an existing account.
    ///
    /// # Errors
    /// `ACCOUNT_NOT_FOUND` (404) for an unknown owner; `ALREADY_EXISTS` (409) for a
    /// known site id.
    pub async fn add_site(&self, site: &NewSite) -> Result<Site, PortError> {
        let fresh = SiteId::from_uuid(self.new_uuid());
        self.write(|tx| {
            if tx.st.account(site.account).is_none() {
                return Err(Violation::AccountNotFound {
                    account: site.account,
                }
                .into());
            }
            let id = site.id.unwrap_or(fresh);
            if tx.st.sites.contains_key(&id) {
                return Err(conflict(
                    "ALREADY_EXISTS",
                    format!("Site `{id}` already exists."),
                ));
            }
            let name = if site.name.is_empty() {
                let text = id.to_string();
                format!("site-{}", text.get(..8).unwrap_or(&text))
            } else {
                site.name.clone()
            };
            let site = Site {
                id,
                owner: site.account,
                name,
                external_paid_services: site.external_paid_services.clone(),
                created: site.created.unwrap_or(tx.now),
                updated: site.created.unwrap_or(tx.now),
                details: site.details.clone(),
            };
            tx.apply(ops::Changes {
                sites: vec![site.clone()],
                ..ops::Changes::default()
            });
            Ok(site)
        })
        .await
    }

    /// Adds or replaces a catalog product.
    ///
    /// # Errors
    /// A field violation on `billingCycles` when it is empty, or on `productType`
    /// or `requiresProductType` when a replacement changes it while the product has
    /// live instances.
    pub async fn add_product(&self, product: CatalogProduct) -> Result<CatalogProduct, PortError> {
        if product.billing_cycles.is_empty() {
            return Err(field_error(
                "billingCycles",
                RuleType::MinSize,
                "a product needs at least one billing cycle".to_owned(),
            ));
        }
        self.write(|tx| {
            crate::catalog_change::check(tx.st, &product)?;
            tx.log(|| Op::Product(product.clone()));
            tx.st.catalog.insert(product.id, product.clone());
            Ok(product)
        })
        .await
    }

    /// Puts `(source, target)` on the transfer allow-list.
    ///
    /// # Errors
    /// `ACCOUNT_NOT_FOUND` (404) when either account is unknown.
    pub async fn allow_transfer(
        &self,
        source: AccountId,
        target: AccountId,
    ) -> Result<(), PortError> {
        self.write(|tx| {
            for a in [source, target] {
                if tx.st.account(a).is_none() {
                    return Err(Violation::AccountNotFound { account: a }.into());
                }
            }
            if tx.st.allowed.insert((source, target)) {
                tx.log(|| Op::Transfer(source, target));
            }
            Ok(())
        })
        .await
    }

    /// Creates an API key of `account` with `scopes` (`None`: every scope), or
    /// registers `text` as that key when given.
    ///
    /// # Errors
    /// `ACCOUNT_NOT_FOUND` (404) for an unknown account; `ALREADY_EXISTS` (409) when
    /// the given key text is taken by another account.
    pub async fn add_api_key(
        &self,
        account: AccountId,
        scopes: Option<BTreeSet<Scope>>,
        text: Option<&str>,
    ) -> Result<ApiKey, PortError> {
        let generated = format!("emk_{}", self.new_uuid().simple());
        let text = text.map(str::to_owned).unwrap_or(generated);
        if text.is_empty() {
            return Err(field_error(
                "key",
                RuleType::MinLength,
                "an API key cannot be empty".to_owned(),
            ));
        }
        let grant = Grant {
            account,
            scopes: scopes.unwrap_or_else(|| Scope::ALL.into_iter().collect()),
        };
        self.write(|tx| {
            if tx.st.account(account).is_none() {
                return Err(Violation::AccountNotFound { account }.into());
            }
            if tx.st.keys.get(&text).is_some_and(|g| g.account != account) {
                return Err(conflict(
                    "ALREADY_EXISTS",
                    "This API key is already registered.".to_owned(),
                ));
            }
            tx.log(|| Op::Key(text.clone(), grant.clone()));
            tx.st.keys.insert(text.clone(), grant);
            Ok(ApiKey::new(text))
        })
        .await
    }

    /// Chooses how new instances leave `PENDING`.
    ///
    /// # Errors
    /// Only the durable store's errors.
    pub async fn set_provisioning(&self, mode: Provisioning) -> Result<(), PortError> {
        self.write(|tx| {
            tx.st.set_provisioning(mode);
            tx.log(|| Op::Provisioning(mode));
            Ok(())
        })
        .await
    }

    /// The provisioning mode in effect.
    pub fn provisioning(&self) -> Provisioning {
        self.read_lock().provisioning
    }

    /// Moves an instance as Wix's provisioning would; answers its package.
    ///
    /// # Errors
    /// `PRODUCT_INSTANCE_NOT_FOUND`; `ILLEGAL_STATUS_TRANSITION` (409).
    pub async fn set_instance_status(
        &self,
        instance: InstanceId,
        status: InstanceStatus,
    ) -> Result<Package, PortError> {
        self.write(|tx| {
            let done = ops::set_instance_status(&*tx.st, instance, status, tx.now)?;
            tx.apply(done.changes);
            Ok(done.answer)
        })
        .await
    }

    /// A failed move as Wix may leave it (the emulator's `leaveFloating` fault):
    /// when `instance` belongs to `account` and sits on a site other than `target`,
    /// it becomes floating (dependents follow) and its package is answered;
    /// otherwise (floating, or already on `target`: not a move) nothing changes
    /// (`None`).
    ///
    /// # Errors
    /// `PRODUCT_INSTANCE_NOT_FOUND` for an instance that is not `account`'s.
    pub async fn leave_floating(
        &self,
        account: AccountId,
        instance: InstanceId,
        target: SiteId,
    ) -> Result<Option<Package>, PortError> {
        self.write(|tx| {
            let caller = Caller {
                key_account: account,
                account,
            };
            let moving = tx
                .st
                .package_of_instance(instance)
                .filter(|p| p.account_id() == account)
                .and_then(|p| p.instance(instance))
                .ok_or(Violation::ProductInstanceNotFound { instance })?
                .site()
                .is_some_and(|site| site != target);
            if !moving {
                return Ok(None);
            }
            let done = ops::unassign_instance(&*tx.st, &caller, instance, tx.now)?;
            tx.apply(done.changes);
            Ok(Some(done.answer))
        })
        .await
    }

    /// Moves an expiring instance's `expirationDate` on by `cycles` billing cycles
    /// (the extension a reseller makes in Wix's dashboard); answers its package.
    ///
    /// # Errors
    /// `PRODUCT_INSTANCE_NOT_FOUND`; 400 on `cycles` below 1 or past 9999;
    /// `INSTANCE_NOT_EXTENDABLE` (409) without `expirationDate` or when not
    /// `PENDING`/`ENABLED`.
    pub async fn extend_instance(
        &self,
        instance: InstanceId,
        cycles: i64,
    ) -> Result<Package, PortError> {
        self.write(|tx| {
            let done = ops::extend_instance(&*tx.st, instance, cycles, tx.now)?;
            tx.apply(done.changes);
            Ok(done.answer)
        })
        .await
    }

    /// The Wix's current time.
    pub fn now(&self) -> Timestamp {
        let st = self.read_lock();
        self.now_for(&st)
    }

    /// Moves the Wix's clock forward by `millis`; answers the new time.
    ///
    /// # Errors
    /// Only the durable store's errors.
    pub async fn advance_clock(&self, millis: u64) -> Result<Timestamp, PortError> {
        let millis = i64::try_from(millis).unwrap_or(i64::MAX);
        self.write(|tx| {
            tx.st.clock_offset = tx.st.clock_offset.saturating_add(millis);
            let offset = tx.st.clock_offset;
            tx.log(|| Op::ClockOffset(offset));
            Ok(())
        })
        .await?;
        // Provisioning and key expiry at the new time happen on the next call.
        Ok(self.now())
    }

    /// Sets the Wix's clock to `at` when that is later than now; answers the time.
    ///
    /// # Errors
    /// Only the durable store's errors.
    pub async fn set_clock(&self, at: Timestamp) -> Result<Timestamp, PortError> {
        let now = self.now();
        let ahead = at.unix_millis().saturating_sub(now.unix_millis());
        if ahead > 0 {
            return self.advance_clock(u64::try_from(ahead).unwrap_or(0)).await;
        }
        Ok(now)
    }

    /// Forgets everything: accounts, sites, catalog, keys, packages, idempotency
    /// records; provisioning goes back to automatic with no delay. The clock keeps
    /// its time (it only moves forward).
    ///
    /// # Errors
    /// Only the durable store's errors.
    pub async fn reset(&self) -> Result<(), PortError> {
        let key = new_cursor_key(self.inner.ids.as_ref());
        self.write(|tx| {
            let offset = tx.st.clock_offset;
            let floor = tx.st.now_floor;
            *tx.st = State::new(key.clone(), floor);
            tx.st.clock_offset = offset;
            tx.log(|| Op::Reset {
                cursor_key: key.clone(),
                clock_offset: offset,
            });
            Ok(())
        })
        .await
    }

    /// Every account, mains first, in id order.
    pub fn accounts(&self) -> Vec<Account> {
        self.read_lock()
            .accounts_in_order()
            .into_iter()
            .cloned()
            .collect()
    }

    /// The sites of `owner` (every site when `None`), in id order.
    pub fn sites(&self, owner: Option<AccountId>) -> Vec<Site> {
        let st = self.read_lock();
        let mut out: Vec<Site> = match owner {
            Some(o) => st.sites_of(o).into_iter().cloned().collect(),
            None => st.sites.values().cloned().collect(),
        };
        out.sort_by_key(|s| s.id);
        out
    }

    /// The catalog, in id order.
    pub fn catalog(&self) -> Vec<CatalogProduct> {
        let st = self.read_lock();
        let mut out: Vec<CatalogProduct> = st.catalog.values().cloned().collect();
        out.sort_by_key(|p| p.id);
        out
    }

    /// A package by id, whoever owns it (for checks).
    pub fn package(&self, id: PackageId) -> Option<Package> {
        self.read_lock().packages.get(&id).cloned()
    }

    /// Every broken invariant of the world and its indexes (empty when all hold):
    /// 1 to 1000 instances per package, one package per instance, a reference used
    /// once, one live instance per product type per site, live instances only on
    /// their owner's sites, and every index in step with the packages. For tests.
    pub fn invariant_violations(&self) -> Vec<String> {
        self.read_lock().violations()
    }

    /// How many packages the world holds.
    pub fn package_count(&self) -> usize {
        self.read_lock().packages.len()
    }
}
