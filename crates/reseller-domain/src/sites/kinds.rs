//! The settable facts of a site beyond its id, owner and name (`wix-accounts-and-sites.md`
//! 4.3): the `namespace` and `editorType` enums, publication, folder, installed apps
//! and the trash.

use std::fmt;

use uuid::Uuid;

use crate::time::Timestamp;

macro_rules! site_enum {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident = $text:literal,)+ }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name {
            $($(#[$vdoc])* $variant,)+
        }

        impl $name {
            /// Every value, in Wix's order.
            pub const ALL: &'static [$name] = &[$(Self::$variant,)+];

            /// The value as Wix writes it.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $text,)+
                }
            }

            /// Parses a value as Wix writes it (upper case, exactly).
            pub fn parse(text: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|v| v.as_str() == text)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

site_enum!(
    /// `namespace`: the 22 values of the Site object's enum (A7's 20 and A8's two
    /// additions). Only `WIX` sites are in a user's site list by default.
    Namespace {
        /// `UNKNOWN_NAMESPACE`
        UnknownNamespace = "UNKNOWN_NAMESPACE",
        /// `WIX`: a standard site (the default).
        #[default]
        Wix = "WIX",
        /// `SHOUT_OUT`
        ShoutOut = "SHOUT_OUT",
        /// `ALBUMS`
        Albums = "ALBUMS",
        /// `WIX_STORES_TEST_DRIVE`
        WixStoresTestDrive = "WIX_STORES_TEST_DRIVE",
        /// `HOTELS`
        Hotels = "HOTELS",
        /// `CLUBS`
        Clubs = "CLUBS",
        /// `ONBOARDING_DRAFT`
        OnboardingDraft = "ONBOARDING_DRAFT",
        /// `DEV_SITE`
        DevSite = "DEV_SITE",
        /// `LOGOS`
        Logos = "LOGOS",
        /// `VIDEO_MAKER`
        VideoMaker = "VIDEO_MAKER",
        /// `PARTNER_DASHBOARD`
        PartnerDashboard = "PARTNER_DASHBOARD",
        /// `DEV_CENTER_COMPANY`
        DevCenterCompany = "DEV_CENTER_COMPANY",
        /// `HTML_DRAFT`
        HtmlDraft = "HTML_DRAFT",
        /// `SITELESS_BUSINESS`
        SitelessBusiness = "SITELESS_BUSINESS",
        /// `CREATOR_ECONOMY`
        CreatorEconomy = "CREATOR_ECONOMY",
        /// `DASHBOARD_FIRST`
        DashboardFirst = "DASHBOARD_FIRST",
        /// `ANYWHERE`
        Anywhere = "ANYWHERE",
        /// `HEADLESS`: a headless site (hidden from Query Sites unless asked for).
        Headless = "HEADLESS",
        /// `ACCOUNT_MASTER_CMS`
        AccountMasterCms = "ACCOUNT_MASTER_CMS",
        /// `RISE`
        Rise = "RISE",
        /// `BRANDED_FIRST`
        BrandedFirst = "BRANDED_FIRST",
    }
);

site_enum!(
    /// `editorType`: the Site object's five values and the two Wix's live answers
    /// also show (`ODEDITOR`, `EDITORLESS`).
    EditorType {
        /// `UNKNOWN`
        Unknown = "UNKNOWN",
        /// `EDITOR`: the Wix Editor (the default).
        #[default]
        Editor = "EDITOR",
        /// `ADI`
        Adi = "ADI",
        /// `EDITORX`
        EditorX = "EDITORX",
        /// `STUDIO`
        Studio = "STUDIO",
        /// `ODEDITOR`
        OdEditor = "ODEDITOR",
        /// `EDITORLESS`
        Editorless = "EDITORLESS",
    }
);

site_enum!(
    /// The `state` a Query Sites filter names: in the trash or not.
    SiteState {
        /// `ACTIVE`: not in the trash (what Query Sites answers by default).
        #[default]
        Active = "ACTIVE",
        /// `TRASHED`: the site has a `trashedDate`.
        Trashed = "TRASHED",
    }
);

/// The facts of a site a reseller's control call or seed may set, beyond id, owner
/// and name. `Default` is what a site gets when nothing is said: its name as display
/// name, `WIX`, `EDITOR`, unpublished, at the root, no apps, not trashed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SiteDetails {
    /// `displayName`; `None` shows the name.
    pub display_name: Option<String>,
    /// `namespace`
    pub namespace: Namespace,
    /// `editorType`
    pub editor_type: EditorType,
    /// `published`
    pub published: bool,
    /// `folderId`; `None` is the root level.
    pub folder_id: Option<Uuid>,
    /// The ids of the apps installed on the site (the `appIds` filter).
    pub app_ids: Vec<String>,
    /// `trashedDate`: when the site was put in the trash.
    pub trashed: Option<Timestamp>,
}

impl SiteDetails {
    /// The `state` of the site: `TRASHED` when it has a `trashedDate`.
    pub fn state(&self) -> SiteState {
        if self.trashed.is_some() {
            SiteState::Trashed
        } else {
            SiteState::Active
        }
    }
}
