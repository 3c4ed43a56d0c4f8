//! One module per command: its arguments, and the glue from them to library calls and output
//! files.

pub(crate) mod dedup;
pub(crate) mod eval;
pub(crate) mod index;
pub(crate) mod parse;
pub(crate) mod report;
pub(crate) mod stats;
pub(crate) mod status;
pub(crate) mod views;
