//! Typed helpers for the queries a caller writes: a [`Filter`] by external id,
//! account, instance status, site, instance or product, combined with
//! [`Filter::and`], and [`PackageQuery`] shortcuts over them, so nobody writes a
//! filter tree by hand. They build the same values the parser builds from Wix's
//! JSON.

use super::QueryError;
use super::exec::PackageQuery;
use super::field::InstancePath;
use super::filter::{ArrayOp, Condition, DateCmp, DateField, Filter, KeyField, KeyOp};
use super::paging::{MAX_LIMIT, Paging};
use super::sort::Sort;
use super::value::Value;
use crate::ids::{AccountId, CatalogProductId, InstanceId, SiteId};
use crate::instance::StatusName;
use crate::text::ExternalId;
use crate::time::Timestamp;

impl Filter {
    /// `externalId` `$eq` `external_id`.
    pub fn external_id(external_id: &ExternalId) -> Self {
        Self::Cond(Condition::Key {
            field: KeyField::ExternalId,
            op: KeyOp::Eq(external_id.as_str().to_owned()),
        })
    }

    /// `accountId` `$eq` `account`: the packages of one account of the family.
    pub fn account(account: AccountId) -> Self {
        Self::Cond(Condition::Key {
            field: KeyField::AccountId,
            op: KeyOp::Eq(account.to_string()),
        })
    }

    /// `productInstances.status` `$hasSome` `[status]`: packages holding an
    /// instance in `status`.
    pub fn status(status: StatusName) -> Self {
        Self::instances(InstancePath::Status, status.as_str().to_owned())
    }

    /// `productInstances.siteId` `$hasSome` `[site]`: packages holding an instance
    /// on `site`.
    pub fn site(site: SiteId) -> Self {
        Self::instances(InstancePath::SiteId, site.to_string())
    }

    /// `productInstances.instanceId` `$hasSome` `[instance]`: the package holding
    /// `instance`.
    pub fn instance(instance: InstanceId) -> Self {
        Self::instances(InstancePath::InstanceId, instance.to_string())
    }

    /// `productInstances.catalogProductId` `$hasSome` `[product]`.
    pub fn product(product: CatalogProductId) -> Self {
        Self::instances(InstancePath::CatalogProductId, product.to_string())
    }

    /// `updatedDate` `$gte` `at`: the packages changed at or after `at`.
    pub fn updated_since(at: Timestamp) -> Self {
        Self::Cond(Condition::Date {
            field: DateField::UpdatedDate,
            cmp: DateCmp::Gte,
            at: *at.as_datetime(),
        })
    }

    /// Both this filter and `other` (`$and`, flattened).
    pub fn and(self, other: Filter) -> Self {
        let mut all = match self {
            Self::And(parts) => parts,
            one => vec![one],
        };
        match other {
            Self::And(parts) => all.extend(parts),
            one => all.push(one),
        }
        Self::And(all)
    }

    fn instances(path: InstancePath, value: String) -> Self {
        Self::Cond(Condition::Instances {
            path,
            op: ArrayOp::HasSome(vec![Value::String(value)]),
        })
    }
}

/// Every package, newest first, cursor paging with the default page size.
impl Default for PackageQuery {
    fn default() -> Self {
        Self::checked(None, Sort::default(), Paging::default())
    }
}

impl PackageQuery {
    /// Every package the caller sees ([`Default`]).
    pub fn all() -> Self {
        Self::default()
    }

    /// The packages matching `filter` (default sort, cursor paging).
    ///
    /// ```
    /// use reseller_domain::query::{Filter, PackageQuery};
    /// use reseller_domain::{AccountId, StatusName};
    ///
    /// let customer = AccountId::parse("a1000000-0000-4000-8000-000000000002")?;
    /// let live = PackageQuery::matching(Filter::account(customer).and(Filter::status(StatusName::Enabled)))?
    ///     .page_size(50);
    /// assert_eq!(live.paging().limit(), 50);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// [`QueryError::InvalidQuery`] when the filter is over the size limits
    /// ([`Filter::check_limits`]).
    pub fn matching(filter: Filter) -> Result<Self, QueryError> {
        filter.check_limits()?;
        Ok(Self::checked(
            Some(filter),
            Sort::default(),
            Paging::default(),
        ))
    }

    /// The packages carrying `external_id`.
    pub fn by_external_id(external_id: &ExternalId) -> Self {
        Self::one(Filter::external_id(external_id))
    }

    /// The packages of `account`.
    pub fn by_account(account: AccountId) -> Self {
        Self::one(Filter::account(account))
    }

    /// The packages holding an instance in `status`.
    pub fn by_status(status: StatusName) -> Self {
        Self::one(Filter::status(status))
    }

    /// The packages holding an instance on `site`.
    pub fn by_site(site: SiteId) -> Self {
        Self::one(Filter::site(site))
    }

    /// The package holding `instance`.
    pub fn by_instance(instance: InstanceId) -> Self {
        Self::one(Filter::instance(instance))
    }

    /// The packages changed at or after `at` (what a change feed reads).
    pub fn updated_since(at: Timestamp) -> Self {
        Self::one(Filter::updated_since(at))
    }

    /// The same query narrowed to `account`'s packages (`accountId` `$eq`, and-ed to
    /// the filter). Two nodes more than a filter the helpers built, so within the
    /// limits; on a filter already at the limits the adapter refuses the query as
    /// Wix does (`INVALID_QUERY`).
    pub fn in_account(self, account: AccountId) -> Self {
        let filter = match self.filter() {
            Some(filter) => filter.clone().and(Filter::account(account)),
            None => Filter::account(account),
        };
        Self::checked(Some(filter), self.sort().clone(), self.paging().clone())
    }

    /// The same query with pages of `limit` packages (cursor paging), held within
    /// 1..=100.
    pub fn page_size(self, limit: u32) -> Self {
        let limit = Some(limit.clamp(1, MAX_LIMIT));
        let paging = match self.paging() {
            Paging::Offset { offset, .. } => Paging::Offset {
                limit,
                offset: *offset,
            },
            Paging::Cursor { .. } => Paging::Cursor {
                limit,
                cursor: None,
            },
        };
        Self::checked(self.filter().cloned(), self.sort().clone(), paging)
    }

    /// The same query sorted by `sort`.
    pub fn sorted(self, sort: Sort) -> Self {
        let paging = self.paging().clone();
        Self::checked(self.filter().cloned(), sort, paging)
    }

    /// One condition: a single node, always within the limits.
    fn one(filter: Filter) -> Self {
        Self::checked(Some(filter), Sort::default(), Paging::default())
    }
}

#[cfg(test)]
mod tests;
