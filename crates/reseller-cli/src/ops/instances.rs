//! `reseller instances`: assign, unassign, cancel and adjust a product instance.

use clap::{Args, Subcommand};
use reseller_domain::{InstanceId, SiteId};
use reseller_ports::{Call, ResellerPackages};
use reseller_wire::AdjustRequest;
use serde_json::{Map, Value, json};

use super::{Connection, call_with_key, cycle, guid, usage_of};
use crate::Failure;
use crate::output::{self, Format};

/// The product instance commands.
#[derive(Debug, Subcommand)]
pub(crate) enum InstancesCommand {
    /// Assign an instance to a site.
    Assign {
        /// The product instance id.
        instance: String,
        /// The site id.
        site: String,
        /// The idempotency key (generated when absent).
        #[arg(long)]
        idempotency_key: Option<String>,
    },
    /// Unassign an instance from its site (it floats).
    Unassign(InstanceArgs),
    /// Cancel an instance.
    Cancel(InstanceArgs),
    /// Adjust an instance: another product of the same type, another billing cycle.
    Adjust {
        /// The product instance id.
        instance: String,
        /// The new catalog product id.
        #[arg(long)]
        product: Option<String>,
        /// The new billing cycle: monthly, yearly, one-time, N-month or N-year.
        #[arg(long)]
        billing: Option<String>,
        /// A discount code (at most 25 characters).
        #[arg(long)]
        discount_code: Option<String>,
        /// The idempotency key (generated when absent).
        #[arg(long)]
        idempotency_key: Option<String>,
    },
}

/// The arguments of a command on one instance and nothing else.
#[derive(Debug, Args)]
pub(crate) struct InstanceArgs {
    /// The product instance id.
    instance: String,
    /// The idempotency key (generated when absent).
    #[arg(long)]
    idempotency_key: Option<String>,
}

impl InstanceArgs {
    /// The instance id, and the call with the idempotency key.
    fn parse(&self) -> Result<(InstanceId, Call), Failure> {
        Ok((
            guid("the instance id", &self.instance)?,
            call_with_key(self.idempotency_key.as_deref())?,
        ))
    }
}

/// Runs an instance command.
pub(crate) async fn instances(
    connection: &Connection,
    command: InstancesCommand,
    format: Format,
) -> Result<(), Failure> {
    let package = match command {
        InstancesCommand::Assign {
            instance,
            site,
            idempotency_key,
        } => {
            let instance: InstanceId = guid("the instance id", &instance)?;
            let site: SiteId = guid("the site id", &site)?;
            let call = call_with_key(idempotency_key.as_deref())?;
            connection
                .client()?
                .assign_instance(&call, instance, site)
                .await?
        }
        InstancesCommand::Unassign(args) => {
            let (instance, call) = args.parse()?;
            connection
                .client()?
                .unassign_instance(&call, instance)
                .await?
        }
        InstancesCommand::Cancel(args) => {
            let (instance, call) = args.parse()?;
            connection
                .client()?
                .cancel_instance(&call, instance)
                .await?
        }
        InstancesCommand::Adjust {
            instance,
            product,
            billing,
            discount_code,
            idempotency_key,
        } => {
            let instance: InstanceId = guid("the instance id", &instance)?;
            let mut body = Map::new();
            if let Some(p) = product {
                body.insert("catalogProductId".to_owned(), json!(p));
            }
            if let Some(b) = billing {
                body.insert("billingInfo".to_owned(), cycle(&b)?);
            }
            if let Some(d) = discount_code {
                body.insert("discountCode".to_owned(), json!(d));
            }
            let request: AdjustRequest =
                serde_json::from_value(Value::Object(body)).map_err(usage_of)?;
            let adjust = request.try_into_domain().map_err(usage_of)?;
            let call = call_with_key(idempotency_key.as_deref())?;
            connection
                .client()?
                .adjust_instance(&call, instance, &adjust)
                .await?
        }
    };
    output::package(format, &package);
    Ok(())
}
