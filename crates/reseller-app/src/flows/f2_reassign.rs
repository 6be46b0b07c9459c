//! F2: reassign a paid service (a product instance) to another site.

use std::fmt;

use reseller_domain::{AccountId, Assignment, InstanceId, Package, SiteId, Violation};
use reseller_ports::{PortError, ResellerPackages};

use super::{Outcome, Stopped, on, read};
use crate::safe::{
    Attempts, SafeError, assign_instance, find_instance, read_back, unassign_instance,
};

/// The input of [`reassign_instance`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reassign {
    /// The account that owns the instance's package (the calls' `wix-account-id`).
    pub account: AccountId,
    /// The instance to move.
    pub instance: InstanceId,
    /// The site it moves to.
    pub new_site: SiteId,
    /// Unassign it first (the instance floats between the two calls, as in Wix's
    /// sample flow); otherwise Assign moves it directly.
    pub unassign_first: bool,
}

/// What [`reassign_instance`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reassigned {
    /// The package holding the instance, after the move.
    pub package: Package,
    /// Whether this run unassigned the instance first.
    pub unassigned: bool,
    /// The assign: done now, or found done (the instance was on the new site).
    pub assigned: Outcome,
}

/// The steps of [`reassign_instance`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReassignStep {
    /// Query Packages: where is the instance now?
    Read,
    /// Unassign Product Instance From Site.
    Unassign,
    /// Assign Product Instance To Site.
    Assign,
}

impl fmt::Display for ReassignStep {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Read => "F2 read the instance",
            Self::Unassign => "F2 unassign the instance",
            Self::Assign => "F2 assign the instance",
        })
    }
}

/// What a stopped [`reassign_instance`] left: where the instance really is, read
/// back from Wix after the failure (a failed move may leave it on its old site or
/// floating, spec R5.3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReassignLeft {
    /// The instance.
    pub instance: InstanceId,
    /// Where it is: `None` when that could not be read.
    pub assignment: Option<Assignment>,
    /// Its package as read back, when it could be read.
    pub package: Option<Package>,
}

impl ReassignLeft {
    fn of(instance: InstanceId, package: Option<Package>) -> Self {
        let assignment = package
            .as_ref()
            .and_then(|p| p.instance(instance))
            .map(|i| i.assignment());
        Self {
            instance,
            assignment,
            package,
        }
    }
}

impl fmt::Display for ReassignLeft {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.assignment {
            Some(Assignment::Site(s)) => write!(f, "instance {} is on site {s}", self.instance),
            Some(Assignment::Floating) => write!(f, "instance {} is floating", self.instance),
            None => write!(f, "where instance {} is could not be read", self.instance),
        }
    }
}

/// F2: move a paid service to `new_site`.
///
/// Calls, in order:
/// 1. Query Packages (`productInstances.instanceId`): where the instance is. On
///    the new site already: done, nothing is sent.
/// 2. When `unassign_first` and the instance is on a site: Unassign (safe to
///    repeat: a floating instance stays floating).
/// 3. Assign to the new site (a move when the instance is on another site). After
///    a failure the package is read back, and the left state says where the
///    instance is: on its old site, floating, or (an answer lost after the
///    change) on the new site, which counts as success.
///
/// Run again after any failure: step 1 sees where the instance is now.
///
/// # Errors
/// [`Stopped`] with where the instance is, as read back.
pub async fn reassign_instance<W>(
    wix: &W,
    input: &Reassign,
    attempts: Attempts,
) -> Result<Reassigned, Stopped<ReassignStep, ReassignLeft>>
where
    W: ResellerPackages + ?Sized,
{
    let call = on(input.account);
    let id = input.instance;
    let stop = |step, cause, package| Stopped {
        step,
        cause,
        left: ReassignLeft::of(id, package),
    };
    let found = read(attempts, || find_instance(wix, &call, id))
        .await
        .map_err(|e| stop(ReassignStep::Read, e, None))?;
    let Some(package) = found else {
        let missing = PortError::from(Violation::ProductInstanceNotFound { instance: id });
        return Err(stop(ReassignStep::Read, SafeError::Refused(missing), None));
    };
    let now = package.instance(id).map(|i| i.assignment());
    if now == Some(Assignment::Site(input.new_site)) {
        return Ok(Reassigned {
            package,
            unassigned: false,
            assigned: Outcome::AlreadyDone,
        });
    }
    let mut unassigned = false;
    if input.unassign_first && matches!(now, Some(Assignment::Site(_))) {
        match unassign_instance(wix, &call, id, attempts).await {
            Ok(_) => unassigned = true,
            Err(e @ SafeError::Refused(_)) => {
                // A refused call changed nothing: the instance is where step 1 saw it.
                return Err(stop(ReassignStep::Unassign, e, Some(package)));
            }
            Err(e) => {
                let back = read_back(wix, &on(input.account), id, attempts).await;
                return Err(stop(ReassignStep::Unassign, e, back));
            }
        }
    }
    match assign_instance(wix, &call, id, input.new_site, attempts).await {
        Ok(package) => Ok(Reassigned {
            package,
            unassigned,
            assigned: Outcome::Done,
        }),
        Err(e) => Err(stop(ReassignStep::Assign, e.cause, e.now)),
    }
}
