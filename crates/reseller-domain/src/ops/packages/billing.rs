//! `billingInfo` of a package request and how it resolves against a product's
//! billing cycles (shared by Create Package and Adjust, each reporting its own code).

use crate::billing::{Billing, BillingError, BillingKind, WixDuration};
use crate::error::{MissingDetail, RuleType, Violation};
use crate::world::CatalogProduct;

/// `billingInfo` as a request sends it: Wix's `(type, cycleDuration)` pair, checked
/// against the product by the operation (so each operation can report its own code).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct BillingRequest {
    /// `billingInfo.type`
    pub kind: BillingKind,
    /// `billingInfo.cycleDuration`
    pub duration: Option<WixDuration>,
}

impl BillingRequest {
    /// The request that asks for exactly `billing`.
    pub fn of(billing: Billing) -> Self {
        let (kind, duration) = billing.to_wix();
        Self { kind, duration }
    }

    fn describe(&self) -> String {
        match self.duration {
            Some(d) => format!(
                "{} {} {}",
                self.kind.as_str(),
                d.count.map_or_else(|| "1".to_owned(), |c| c.to_string()),
                d.unit.as_str()
            ),
            None => self.kind.as_str().to_owned(),
        }
    }
}

/// How an operation reports a billing problem.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum BillingMode {
    Create,
    Adjust,
}

/// Resolves the billing an instance gets from the product's cycles and the request.
///
/// `current` is the instance's billing on Adjust (kept when the new product supports
/// it). `field` is the dotted path used for a count out of range.
pub(super) fn resolve_billing(
    product: &CatalogProduct,
    requested: Option<BillingRequest>,
    current: Option<Billing>,
    mode: BillingMode,
    field: &str,
) -> Result<Option<Billing>, Violation> {
    let cycles = &product.billing_cycles;
    let asked = match requested {
        Some(req) if req.kind != BillingKind::Unknown => Some(req),
        _ => None,
    };
    let Some(req) = asked else {
        if let Some(cur) = current {
            if cycles.contains(&cur) {
                return Ok(Some(cur));
            }
        }
        return match cycles.as_slice() {
            [only] => Ok(Some(*only)),
            [] => Err(Violation::InvalidBillingCycle {
                product: product.id,
                cycles: Vec::new(),
                requested: "no billing".to_owned(),
            }),
            _ => Err(Violation::MissingBillingCycle {
                product: product.id,
            }),
        };
    };
    let billing = match Billing::from_wix(req.kind, req.duration) {
        Ok(Some(b)) => b,
        // `from_wix` only answers `None` for `UNKNOWN`, filtered out above.
        Ok(None) => {
            return Err(Violation::MissingBillingCycle {
                product: product.id,
            });
        }
        Err(BillingError::CountOutOfRange(n)) => {
            return Err(Violation::field(
                format!("{field}.cycleDuration.count"),
                RuleType::Min,
                format!("must be at least 1, got {n}"),
            ));
        }
        Err(BillingError::MissingCycleDuration | BillingError::MissingCycleUnit) => {
            return Err(match mode {
                BillingMode::Adjust => {
                    Violation::MissingProductDetails(MissingDetail::CycleDuration)
                }
                BillingMode::Create => Violation::InvalidBillingCycle {
                    product: product.id,
                    cycles: cycles.clone(),
                    requested: req.describe(),
                },
            });
        }
    };
    if cycles.contains(&billing) {
        Ok(Some(billing))
    } else if cycles.iter().any(|c| c.kind() == billing.kind()) {
        Err(Violation::IncompatibleBillingCycle {
            product: product.id,
            cycle: billing,
            cycles: cycles.clone(),
        })
    } else {
        Err(Violation::InvalidBillingCycle {
            product: product.id,
            cycles: cycles.clone(),
            requested: billing.to_string(),
        })
    }
}
