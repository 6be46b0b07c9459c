//! How the demo prints: lines wrapped to the width, step headings, the calls
//! the emulator logged since the last print, checks, refusals, packages and
//! sites as compact tables, and the names of accounts, sites and products (read
//! in process: Wix's API gives none for these).

use super::*;

impl Demo<'_> {
    /// Prints one line.
    pub(super) fn line(&mut self, text: impl Display) -> Result<(), String> {
        if self.out_closed {
            return Ok(());
        }
        let text = text.to_string();
        match writeln!(self.out, "{}", text.trim_end()) {
            Ok(()) => Ok(()),
            // Whoever read the output stopped (`reseller demo | head`): the checks
            // still run to the end and decide the outcome.
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {
                self.out_closed = true;
                Ok(())
            }
            Err(e) => Err(format!("cannot write the output: {e}")),
        }
    }

    /// Prints `text` wrapped to the line width, every line indented by `indent`.
    pub(super) fn wrapped(&mut self, indent: &str, text: &str) -> Result<(), String> {
        for line in wrap(text, WIDTH.saturating_sub(indent.len())) {
            self.line(format_args!("{indent}{line}"))?;
        }
        Ok(())
    }

    /// Starts step `number` with its title and the flow it shows.
    pub(super) fn heading(&mut self, number: u32, title: &str) -> Result<(), String> {
        self.step = number;
        let head = format!("== {number}. {title} ");
        let fill = WIDTH.saturating_sub(head.chars().count());
        self.line("")?;
        self.line(format_args!("{head}{}", "=".repeat(fill)))
    }

    /// Prints the HTTP calls made since the last print, oldest first, from the
    /// emulator's request log: method and documented path, then the account named
    /// in `wix-account-id`, the ids in the path and the status answered. Runs of
    /// the same call (method, path, account, status) print once with their count;
    /// with `merge`, every repeat of a call in the batch joins its first one.
    pub(super) fn calls_made(&mut self, merge: bool) -> Result<(), String> {
        let log = self.emulator.requests(usize::MAX);
        let fresh = log.len().saturating_sub(self.logged);
        self.logged = log.len();
        let mut entries: Vec<RequestLogEntryDoc> = log.into_iter().take(fresh).collect();
        entries.reverse();
        let mut printed: Vec<(CallKey, Vec<String>, u32)> = Vec::new();
        for entry in &entries {
            self.calls += 1;
            let (path, ids) = self.documented(&entry.path);
            let account = entry
                .account_id
                .as_deref()
                .and_then(|a| a.parse::<AccountId>().ok())
                .map_or_else(|| "(none)".to_owned(), |a| self.account_name(a));
            let key = (format!("{} {path}", entry.method), account, entry.status);
            let same = if merge {
                printed.iter_mut().find(|(k, _, _)| *k == key)
            } else {
                printed.last_mut().filter(|(k, _, _)| *k == key)
            };
            match same {
                Some((_, seen, count)) => {
                    *count += 1;
                    for id in ids {
                        if !seen.contains(&id) {
                            seen.push(id);
                        }
                    }
                }
                None => printed.push((key, ids, 1)),
            }
        }
        for ((call, account, status), ids, count) in printed {
            self.line(format_args!("  > {call}"))?;
            let mut detail = format!("wix-account-id: {account}");
            if !ids.is_empty() {
                detail.push_str("; ");
                detail.push_str(&ids.join(", "));
            }
            detail.push_str(&format!(" => {status}"));
            if count > 1 {
                detail.push_str(&format!(" ({count} calls)"));
            }
            self.wrapped("      ", &detail)?;
        }
        Ok(())
    }

    /// The documented form of a logged path (`{id}`, `{instanceId}`, `{siteId}`
    /// in place of the GUIDs) and the GUIDs it held, in words.
    pub(super) fn documented(&self, path: &str) -> (String, Vec<String>) {
        let mut segments: Vec<String> = Vec::new();
        let mut ids = Vec::new();
        for segment in path.split('/') {
            let Ok(site) = segment.parse::<SiteId>() else {
                segments.push(segment.to_owned());
                continue;
            };
            let name = match segments.last().map(String::as_str) {
                Some("product-instances") => {
                    ids.push(format!("instanceId {}", short(segment)));
                    "{instanceId}"
                }
                Some("{instanceId}") => {
                    ids.push(format!("siteId {}", self.site_name(site)));
                    "{siteId}"
                }
                _ => {
                    ids.push(format!("id {}", short(segment)));
                    "{id}"
                }
            };
            segments.push(name.to_owned());
        }
        (segments.join("/"), ids)
    }

    /// Counts a check that held and prints it; fails the demo when it did not.
    pub(super) fn check(&mut self, held: bool, what: &str) -> Result<(), String> {
        if !held {
            return Err(format!(
                "step {}: not as Wix documents it: \"{what}\" does not hold",
                self.step
            ));
        }
        self.checks += 1;
        self.wrapped("  ok  ", what)
    }

    /// Prints Wix's refusal: status, code and message.
    pub(super) fn refusal(&mut self, e: &PortError) -> Result<(), String> {
        let status = e.status().map_or_else(|| "-".to_owned(), |s| s.to_string());
        self.line(format_args!("  < {status} {}", e.code()))?;
        self.wrapped("      ", &format!("\"{}\"", e.message()))
    }

    /// Prints a package as a table of its instances.
    pub(super) fn package(&mut self, package: &Package) -> Result<(), String> {
        let owner = self.account_name(package.account_id());
        self.line(format_args!(
            "    package {}, account {owner}",
            short(package.id())
        ))?;
        self.line(format_args!(
            "    {:<10}{:<33}{:<14}{:<10}{}",
            "instance", "product", "site", "status", "billing"
        ))?;
        for i in package.instances() {
            let row = self.instance_row(i);
            self.line(row)?;
        }
        Ok(())
    }

    /// One row of [`Demo::package`].
    pub(super) fn instance_row(&self, i: &ProductInstance) -> String {
        let product = fit(&self.product_name(i.catalog_product_id()), 32);
        let site = i
            .site()
            .map_or_else(|| "(floating)".to_owned(), |s| self.site_name(s));
        format!(
            "    {:<10}{:<33}{:<14}{:<10}{}",
            short(i.id()),
            product,
            fit(&site, 13),
            i.status().name().as_str(),
            billing_text(i.billing())
        )
    }

    /// Prints sites as Query Sites answered them.
    pub(super) fn sites(&mut self, sites: &[SiteInfo]) -> Result<(), String> {
        self.line(format_args!(
            "    {:<15}{:<28}{}",
            "site", "ownerAccountId", "premium"
        ))?;
        for s in sites {
            let owner = fit(&self.account_name(s.owner_account_id), 27);
            let premium = if s.premium { "yes" } else { "no" };
            self.line(format_args!(
                "    {:<15}{owner:<28}{premium}",
                fit(&s.name, 14)
            ))?;
        }
        Ok(())
    }

    // ----- names, read in process (Wix's API gives no names for these) -------

    /// The account's display name (the emulator's data), or its short id.
    pub(super) fn account_name(&self, id: AccountId) -> String {
        self.emulator
            .wix()
            .accounts()
            .into_iter()
            .find(|a| a.id == id)
            .map_or_else(|| short(id), |a| a.name)
    }

    /// The site's name, or its short id.
    pub(super) fn site_name(&self, id: SiteId) -> String {
        self.emulator
            .wix()
            .sites(None)
            .into_iter()
            .find(|s| s.id == id)
            .map_or_else(|| short(id), |s| s.name)
    }

    /// The catalog product's name, or its short id.
    pub(super) fn product_name(&self, id: CatalogProductId) -> String {
        self.emulator
            .wix()
            .catalog()
            .into_iter()
            .find(|p| p.id == id)
            .map_or_else(|| short(id), |p| p.name)
    }
}
