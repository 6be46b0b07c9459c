//! The engine's calls of the other Wix APIs: Transfer Site (B2B site
//! management), Create Account and List Child Accounts, Query Sites, and the
//! key and site look-ups the emulator's HTTP layer asks for.

use super::*;

impl MemoryWix {
    /// Transfer Site to the header account.
    ///
    /// # Errors
    /// See `SiteTransfers::transfer_site`.
    pub async fn transfer_site(
        &self,
        cred: Credentials<'_>,
        key: Option<&IdempotencyKey>,
        transfer: &SiteTransfer,
    ) -> Result<SiteTransfer, PortError> {
        let key = key.map(|k| {
            let print = format!(
                "{}/{}/{}",
                transfer.site, transfer.source_account, transfer.enable_notifications
            );
            (opname::TRANSFER, k, print.into_bytes())
        });
        let answer = self
            .keyed(
                cred,
                Scope::SiteTransfer,
                UnknownAccount::TargetAccountNotFound,
                key,
                |st, caller, now, _| {
                    let done = ops::transfer_site(st, caller, transfer, now)?;
                    Ok((Answer::Transfer(done.answer), done.changes))
                },
            )
            .await?;
        match answer {
            Answer::Transfer(t) => Ok(t),
            other => Err(mismatch(&other)),
        }
    }

    /// Create Account: a sub-account of the header account.
    ///
    /// # Errors
    /// See `Accounts::create_sub_account`.
    pub async fn create_sub_account(
        &self,
        cred: Credentials<'_>,
        key: Option<&IdempotencyKey>,
        request: &NewSubAccount,
    ) -> Result<AccountId, PortError> {
        let key = key.map(|k| {
            (
                opname::CREATE_ACCOUNT,
                k,
                request.email.clone().into_bytes(),
            )
        });
        let answer = self
            .keyed(
                cred,
                Scope::AccountsManage,
                UnknownAccount::AccountNotFound,
                key,
                |st, caller, _, ids| {
                    let mut new_id = || ids.new_id();
                    let done = ops::create_sub_account(st, caller, request, &mut new_id)?;
                    Ok((Answer::Account(done.answer), done.changes))
                },
            )
            .await?;
        match answer {
            Answer::Account(a) => Ok(a),
            other => Err(mismatch(&other)),
        }
    }

    /// List Child Accounts of the header account.
    ///
    /// # Errors
    /// See `Accounts::list_child_accounts`.
    pub async fn list_child_accounts(
        &self,
        cred: Credentials<'_>,
        paging: ChildAccountsPaging,
    ) -> Result<ChildAccounts, PortError> {
        self.read_as(cred, Scope::AccountsManage, |st, caller| {
            Ok(ops::list_child_accounts(
                st,
                caller,
                paging.offset,
                paging.limit,
            )?)
        })
        .await
    }

    /// Query Sites of the header account.
    ///
    /// # Errors
    /// See `Sites::query_sites`.
    pub async fn query_sites(
        &self,
        cred: Credentials<'_>,
        q: &SitesQuery,
    ) -> Result<SitesPage, PortError> {
        self.read_as(cred, Scope::AccountsManage, |st, caller| {
            sites::query(st, caller.account, q)
        })
        .await
    }

    /// Count Sites of the header account.
    ///
    /// # Errors
    /// See `Sites::count_sites`.
    pub async fn count_sites(
        &self,
        cred: Credentials<'_>,
        c: &SiteCount,
    ) -> Result<u64, PortError> {
        self.read_as(cred, Scope::AccountsManage, |st, caller| {
            Ok(sites::count(st, caller.account, c))
        })
        .await
    }

    /// Get Account.
    ///
    /// # Errors
    /// See `Accounts::get_account`.
    pub async fn get_account(
        &self,
        cred: Credentials<'_>,
        id: AccountId,
    ) -> Result<AccountInfo, PortError> {
        self.read_as(cred, Scope::AccountsManage, |st, caller| {
            Ok(ops::get_account(st, caller, id)?)
        })
        .await
    }

    /// Whether `key` is a known API key: the emulator answers 401 before it reads the
    /// `wix-account-id` header or the body.
    ///
    /// # Errors
    /// `UNAUTHENTICATED` (401) for an unknown key.
    pub fn authenticate(&self, key: &ApiKey) -> Result<(), PortError> {
        grant_of(&self.read_lock(), key).map(drop)
    }

    /// One site as Query Sites describes it, if it exists (for checks).
    pub async fn site_info(&self, id: SiteId) -> Option<SiteInfo> {
        let st = self.read_lock();
        st.sites
            .get(&id)
            .map(|s| sites::info(&SiteRow::of(&*st, s), &sites::owner_slug(&st, s.owner)))
    }
}
