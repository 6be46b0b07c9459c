//! A site as Query Sites looks at it: the stored site plus the facts derived from
//! the rest of the world (`premium` from the instances on it, `domainConnected` from
//! its connected domains), and the `searchPhrase` match.

use crate::ids::SiteId;
use crate::instance::StatusName;
use crate::world::{Site, WorldView};

/// The product type that makes a site premium.
pub const PREMIUM_PLAN: &str = "PREMIUM_PLAN";

/// Whether the site is premium: a `PENDING` or `ENABLED` instance of a
/// `PREMIUM_PLAN` product is assigned to it. Derived from the live instances, never
/// stored, so every rule that moves an instance moves this too.
pub fn is_premium(world: &impl WorldView, site: SiteId) -> bool {
    world.instances_on_site(site).into_iter().any(|i| {
        matches!(i.status().name(), StatusName::Pending | StatusName::Enabled)
            && world
                .product(i.catalog_product_id())
                .is_some_and(|p| p.product_type.as_str() == PREMIUM_PLAN)
    })
}

/// A site with its derived facts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteRow<'a> {
    /// The stored site.
    pub site: &'a Site,
    /// `premium` ([`is_premium`]).
    pub premium: bool,
    /// The domains connected to the site (`domainConnected`, and searched by
    /// `searchPhrase`).
    pub domains: Vec<&'a str>,
}

impl<'a> SiteRow<'a> {
    /// The row of `site` in `world`.
    pub fn of(world: &'a impl WorldView, site: &'a Site) -> Self {
        Self {
            site,
            premium: is_premium(world, site.id),
            domains: world.connected_domains(site.id),
        }
    }

    /// `domainConnected`: some domain is connected to the site.
    pub fn domain_connected(&self) -> bool {
        !self.domains.is_empty()
    }

    /// `searchPhrase`: `phrase` is, without regard to case, the start of the name,
    /// the display name or a connected domain taken from the beginning of one of
    /// its words (runs of letters and digits). For a phrase of letters and digits
    /// that is "a prefix of a word". The empty phrase matches every site.
    pub fn matches_phrase(&self, phrase: &str) -> bool {
        let phrase = phrase.to_lowercase();
        if phrase.is_empty() {
            return true;
        }
        let texts = [self.site.name.as_str(), self.site.display_name()]
            .into_iter()
            .chain(self.domains.iter().copied());
        texts
            .into_iter()
            .any(|t| word_start_match(&t.to_lowercase(), &phrase))
    }
}

/// Whether `text` has a word starting where `phrase` begins.
fn word_start_match(text: &str, phrase: &str) -> bool {
    let mut previous_in_word = false;
    for (at, c) in text.char_indices() {
        let in_word = c.is_alphanumeric();
        if in_word
            && !previous_in_word
            && text.get(at..).is_some_and(|rest| rest.starts_with(phrase))
        {
            return true;
        }
        previous_in_word = in_word;
    }
    false
}

/// `viewUrl`: `https://<account slug>.wixsite.com/<name>` for a published site,
/// empty while unpublished (as Wix's live answers show).
pub fn view_url(site: &Site, owner_slug: &str) -> String {
    if site.details.published {
        format!("https://{owner_slug}.wixsite.com/{}", site.name)
    } else {
        String::new()
    }
}

/// `editUrl`: relative, as in every Wix example.
pub fn edit_url(site: &Site) -> String {
    format!("/editor/{}", site.id)
}

/// `thumbnail`: relative, as in every Wix example.
pub fn thumbnail(site: &Site) -> String {
    format!("/site-thumbnail/{}", site.id)
}

/// `htmlAppId`: a GUID of its own for every site, derived from the site id (the
/// id with its random bits inverted, so it is stable and never equals a site id
/// made the same way).
pub fn html_app_id(site: &Site) -> uuid::Uuid {
    // Inverts every bit but the version and variant bits of a version-4 UUID.
    const RANDOM_BITS: u128 = !((0xf_u128 << 76) | (0x3_u128 << 62));
    uuid::Uuid::from_u128(site.id.as_uuid().as_u128() ^ RANDOM_BITS)
}
