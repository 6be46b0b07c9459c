//! The Wix query language (being written).
