//! Assertions on port answers: a success, or a refusal with exactly the status,
//! Wix error code and [`ErrorKind`] the rules give, and lookups into packages that
//! panic with a readable message.

use std::collections::BTreeSet;
use std::fmt::Debug;

use reseller_domain::package::Instances;
use reseller_domain::{
    ErrorCode, InstanceId, Package, PackageId, ProductInstance, RuleType, StatusName,
};
use reseller_ports::{ErrorKind, PortError};

/// The answer of a call that must succeed.
#[track_caller]
pub fn ok<T>(what: &str, result: Result<T, PortError>) -> T {
    match result {
        Ok(v) => v,
        Err(e) => panic!("{what}: expected success, got {e} (kind {:?})", e.kind()),
    }
}

/// The error of a call that must be refused with `code`: the code, its HTTP status
/// and the matching [`ErrorKind`] are all checked.
#[track_caller]
pub fn refused<T: Debug>(what: &str, result: Result<T, PortError>, code: ErrorCode) -> PortError {
    let status = code.http_status();
    let e = match result {
        Ok(v) => panic!("{what}: expected {code} ({status}), got success: {v:#?}"),
        Err(e) => e,
    };
    assert_eq!(e.code(), &code, "{what}: error code; the error was {e}");
    assert_eq!(
        e.status(),
        Some(status),
        "{what}: HTTP status; the error was {e}"
    );
    assert_eq!(
        e.kind(),
        ErrorKind::from_status(status),
        "{what}: error kind; the error was {e}"
    );
    e
}

/// The error of a call that must be refused with 400 `INVALID_ARGUMENT` and
/// exactly these field violations (`field`, rule), in any order.
#[track_caller]
pub fn invalid_fields<T: Debug>(
    what: &str,
    result: Result<T, PortError>,
    expected: &[(&str, RuleType)],
) -> PortError {
    let e = refused(what, result, ErrorCode::InvalidArgument);
    let got: BTreeSet<(String, &str)> = e
        .field_violations()
        .iter()
        .map(|f| (f.field.clone(), f.rule.as_str()))
        .collect();
    let want: BTreeSet<(String, &str)> = expected
        .iter()
        .map(|(f, r)| ((*f).to_owned(), r.as_str()))
        .collect();
    assert_eq!(got, want, "{what}: field violations; the error was {e}");
    e
}

/// The only (or first) instance id of a package.
#[track_caller]
pub fn first(package: &Package) -> InstanceId {
    match package.instances().first() {
        Some(i) => i.id(),
        None => panic!("package {} has no instance", package.id()),
    }
}

/// The ids of a package's instances, in order.
pub fn instance_ids(package: &Package) -> Vec<InstanceId> {
    package
        .instances()
        .iter()
        .map(ProductInstance::id)
        .collect()
}

/// One instance of a package.
#[track_caller]
pub fn instance(package: &Package, id: InstanceId) -> &ProductInstance {
    match package.instance(id) {
        Some(i) => i,
        None => panic!(
            "package {} has no instance {id}: {package:#?}",
            package.id()
        ),
    }
}

/// The status of one instance of a package.
#[track_caller]
pub fn status(package: &Package, id: InstanceId) -> StatusName {
    instance(package, id).status().name()
}

/// The ids of some packages, in the order given.
pub fn package_ids<'p>(packages: impl IntoIterator<Item = &'p Package>) -> Vec<PackageId> {
    packages.into_iter().map(Package::id).collect()
}

/// The ids of some packages, as a set.
pub fn id_set<'p>(packages: impl IntoIterator<Item = &'p Package>) -> BTreeSet<PackageId> {
    packages.into_iter().map(Package::id).collect()
}

/// The package as the API writes it: without what only an in-process adapter can
/// show (whether an instance has served as a voucher reference), so answers of
/// every adapter compare alike.
pub fn as_on_the_wire(package: &Package) -> Package {
    let mut parts = package.parts().clone();
    let instances = parts
        .instances
        .as_slice()
        .iter()
        .map(|i| {
            let mut parts = i.parts().clone();
            parts.used_as_reference = false;
            ProductInstance::from_parts(parts)
        })
        .collect();
    parts.instances = Instances::new(instances).expect("the same instances");
    Package::from_parts(parts)
}
