//! What a person must look at: the problems a plan reports instead of steps.

use std::fmt;

use reseller_domain::{AccountId, ExternalId, Failure, InstanceId, PackageId};

/// What a person must look at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProblemKind {
    /// An instance billing charges for could not be delivered.
    Failed {
        /// Its package.
        package: PackageId,
        /// The instance.
        instance: InstanceId,
        /// Why, as Wix says.
        failure: Failure,
    },
    /// An instance waits for the customer or a provider.
    AwaitingAction {
        /// Its package.
        package: PackageId,
        /// The instance.
        instance: InstanceId,
    },
    /// Two or more live packages carry an active subscription's external id.
    Duplicate {
        /// The packages, oldest first.
        packages: Vec<PackageId>,
    },
    /// A live package whose external id billing does not know.
    Orphan {
        /// The package.
        package: PackageId,
        /// Its account.
        account: AccountId,
    },
    /// The live package is in another account than billing says (moving it is a
    /// site transfer, not reconcile's to decide).
    WrongAccount {
        /// The package.
        package: PackageId,
        /// Where it is.
        is: AccountId,
        /// Where billing wants it.
        billing: AccountId,
    },
}

impl ProblemKind {
    /// A lower-case name (`failed`, `awaiting-action`, `duplicate`, `orphan`,
    /// `wrong-account`).
    pub fn name(&self) -> &'static str {
        match self {
            Self::Failed { .. } => "failed",
            Self::AwaitingAction { .. } => "awaiting-action",
            Self::Duplicate { .. } => "duplicate",
            Self::Orphan { .. } => "orphan",
            Self::WrongAccount { .. } => "wrong-account",
        }
    }
}

/// A problem of one external id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The external id.
    pub external_id: ExternalId,
    /// What is wrong.
    pub kind: ProblemKind,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            ProblemKind::Failed {
                package,
                instance,
                failure,
            } => write!(
                f,
                "instance {instance} of package {package} FAILED ({}: {}); cancel it or end the subscription, and give the package another external id (packages set-external-id) for a new one to be created",
                failure.code.as_str(),
                failure.message
            ),
            ProblemKind::AwaitingAction { package, instance } => write!(
                f,
                "instance {instance} of package {package} is AWAITING_ACTION (the customer or a provider must act first); left as it is"
            ),
            ProblemKind::Duplicate { packages } => write!(
                f,
                "{} live packages carry this external id ({}); cancel all but one",
                packages.len(),
                packages
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            ProblemKind::Orphan { package, account } => write!(
                f,
                "package {package} of account {account} is live and billing does not know it (orphan; --cancel-orphans cancels it)"
            ),
            ProblemKind::WrongAccount {
                package,
                is,
                billing,
            } => write!(
                f,
                "package {package} is in account {is}, billing says {billing}"
            ),
        }
    }
}
