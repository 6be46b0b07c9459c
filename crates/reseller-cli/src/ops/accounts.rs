//! `reseller accounts`: create a sub-account, get an account, list the
//! sub-accounts.

use clap::Subcommand;
use reseller_domain::AccountId;
use reseller_domain::ops::NewSubAccount;
use reseller_ports::{Accounts, Call, ChildAccountsPaging};

use super::{Connection, guid, usage_of};
use crate::Failure;
use crate::output::{self, Format};

/// The account commands.
#[derive(Debug, Subcommand)]
pub(crate) enum AccountsCommand {
    /// Create a sub-account of the call's account.
    CreateSub {
        /// The sub-account owner's email.
        #[arg(long)]
        email: String,
    },
    /// Read one account (Get Account): the key's own account or one of its
    /// sub-accounts.
    Get {
        /// The account id.
        account: String,
    },
    /// List the call's account's sub-accounts.
    List {
        /// The page size (at most 50).
        #[arg(long)]
        limit: Option<u32>,
        /// The first sub-account to answer.
        #[arg(long)]
        offset: Option<u32>,
    },
}

/// Runs an account command.
pub(crate) async fn accounts(
    connection: &Connection,
    command: AccountsCommand,
    format: Format,
) -> Result<(), Failure> {
    match command {
        AccountsCommand::CreateSub { email } => {
            let request =
                reseller_wire::CreateAccountRequest::from_domain(&NewSubAccount { email });
            let command = request.try_into_domain().map_err(usage_of)?;
            let id = connection
                .client()?
                .create_sub_account(&Call::new(), &command)
                .await?;
            output::account_created(format, id);
        }
        AccountsCommand::Get { account } => {
            let id = guid::<AccountId>("the account id", &account)?;
            let info = connection.client()?.get_account(&Call::new(), id).await?;
            output::account(format, &info);
        }
        AccountsCommand::List { limit, offset } => {
            let page = connection
                .client()?
                .list_child_accounts(&Call::new(), ChildAccountsPaging { offset, limit })
                .await?;
            output::accounts(format, &page);
        }
    }
    Ok(())
}
