//! The documented reseller flows (spec `wix-accounts-and-sites.md` section 5).
