//! Step 12 of `reseller demo`: domains. Suggest names, sell one with a new
//! Premium plan as the plan's voucher (F6), connect a domain the customer owns,
//! show the DNS records its owner must set, let DNS propagate, then cancel the plan
//! and see the domain leave the site.

use reseller_app::flows::{DomainDone, DomainSale, DomainWanted, Product, SellDomain, sell_domain};
use reseller_app::safe;
use reseller_domain::domains::{
    ConnectionType, DnsStatus, Propagation, SetupRecords, SuggestRequest,
};
use reseller_domain::{Billing, SiteId};
use reseller_ports::{Call, ConnectedDomains, DomainSearch, NewSite};

use super::{Demo, attempts, external_id};

/// A site of Florist Ltd made for this step (in process, as a seed would).
const SHOP_SITE: &str = "51000000-0000-4000-8000-00000000000f";
/// The domain Florist Ltd bought elsewhere (taken in the demo seed).
const OWNED: &str = "florist-ltd.com";

impl Demo<'_> {
    /// 12: domains, from a suggestion to a disconnected domain.
    pub(super) async fn domains(&mut self) -> Result<(), String> {
        self.heading(12, "Sell and connect domains (Domain Search; F6)")?;
        let florist = self.ids.florist_ltd;
        let shop = SiteId::parse(SHOP_SITE).map_err(|e| format!("step 12: {e}"))?;
        let call = Call::new().account(florist);
        self.emulator
            .wix()
            .add_site(&NewSite::new(shop, florist, "florist-shop"))
            .await
            .map_err(|e| format!("step 12: cannot add the shop site: {e}"))?;
        self.emulator
            .wix()
            .set_dns(Propagation::Manual)
            .await
            .map_err(|e| format!("step 12: cannot set the DNS mode: {e}"))?;
        self.wrapped(
            "  ",
            "Florist Ltd opens a shop site. Suggest Domains proposes available \
             names (taken ones never appear):",
        )?;
        let request = SuggestRequest {
            tlds: vec!["com".to_owned(), "net".to_owned()],
            paging_limit: Some(4),
            ..SuggestRequest::new("florist ltd")
        };
        let page = self.client.suggest_domains(&call, &request).await;
        self.calls_made(false)?;
        let page = self.accepted("Suggest Domains", page)?;
        for d in &page.suggestions {
            self.line(format_args!("    {d}"))?;
        }
        self.check(
            page.suggestions.iter().all(|d| d.as_str() != OWNED),
            "a taken name is never suggested",
        )?;

        let plan = Product::new(self.ids.unlimited, self.ids.country).billed(Billing::yearly());
        let sale = SellDomain {
            account: florist,
            site: shop,
            plan: plan.clone(),
            plan_external_id: external_id("demo-shop-plan")?,
            sale: DomainSale::Buy {
                wanted: DomainWanted::FirstSuggestion {
                    query: "florist ltd".to_owned(),
                    tlds: vec!["com".to_owned(), "net".to_owned()],
                },
                product: Product::new(self.ids.voucher, self.ids.country),
                external_id: external_id("demo-shop-domain")?,
            },
            polls: 0,
            poll_pause: std::time::Duration::ZERO,
        };
        self.wrapped(
            "  ",
            "F6 sells the first suggestion with a new plan, as its voucher:",
        )?;
        let sold = sell_domain(&self.client, &sale, attempts()).await;
        self.calls_made(true)?;
        let sold = self.finished("F6", sold)?;
        self.created(&sold.plan)?;
        let DomainDone::Bought {
            domain,
            package,
            voucher,
        } = &sold.done
        else {
            return Err("step 12: F6 connected instead of selling".to_owned());
        };
        let (domain, package, voucher) = (domain.clone(), package.clone(), *voucher);
        self.created(&package)?;
        self.check(voucher, &format!("{domain} is the plan's voucher domain"))?;

        self.wrapped(
            "  ",
            &format!("Florist Ltd also owns {OWNED} elsewhere: F6 connects it by name servers."),
        )?;
        let connect = SellDomain {
            sale: DomainSale::Connect {
                domain: OWNED.to_owned(),
                connection: Some(ConnectionType::Nameservers),
            },
            ..sale
        };
        let connected = sell_domain(&self.client, &connect, attempts()).await;
        self.calls_made(true)?;
        let connected = self.finished("F6", connected)?;
        let DomainDone::Connected { connection, setup } = &connected.done else {
            return Err("step 12: F6 sold instead of connecting".to_owned());
        };
        self.check(
            connection.dns == DnsStatus::Unknown,
            "Create answers UNKNOWN_DNS_PROPAGATION_STATUS, as Wix's examples do",
        )?;
        self.line("  The records the owner sets at the registrar:")?;
        if let SetupRecords::Nameservers { ns } = &setup.records {
            for v in &ns.values {
                self.line(format_args!(
                    "    NS  {:<20} {:<8} {v}",
                    ns.host_name, ns.ttl
                ))?;
            }
        }
        let read = self.client.get_connected_domain(&call, OWNED).await;
        self.calls_made(false)?;
        let read = self.accepted("Get Connected Domain", read)?;
        self.check(
            read.dns == DnsStatus::InProgress,
            "then IN_PROGRESS while DNS propagates",
        )?;
        self.emulator
            .wix()
            .set_dns_status(OWNED, DnsStatus::Completed)
            .await
            .map_err(|e| format!("step 12: cannot complete DNS: {e}"))?;
        self.line("  (the emulator's DNS completes, as Wix's would within 48 hours)")?;
        let read = self.client.get_connected_domain(&call, OWNED).await;
        self.calls_made(false)?;
        let read = self.accepted("Get Connected Domain", read)?;
        self.check(
            read.dns == DnsStatus::Completed,
            "Get Connected Domain: COMPLETED",
        )?;

        self.wrapped(
            "  ",
            "Florist Ltd ends the plan: the domain leaves the site with it.",
        )?;
        let canceled =
            safe::cancel_package(&self.client, &call, sold.plan.package.id(), attempts()).await;
        self.calls_made(false)?;
        canceled.map_err(|e| format!("step 12: cancel the plan: {e}"))?;
        let read = self.client.get_connected_domain(&call, OWNED).await;
        self.calls_made(false)?;
        let read = self.accepted("Get Connected Domain", read)?;
        self.check(
            read.site.is_none(),
            &format!("{OWNED} is disconnected from the site"),
        )
    }
}
