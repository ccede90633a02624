//! docent's integration tests, in one binary (one link on 2 cores instead
//! of one per file): each module builds small fixture sites
//! (`tests/fixtures/`), the flagship or sites written inline, and checks
//! what a user sees. Helpers are in `common`.

mod common;

mod check;
mod cli;
mod components;
mod content;
mod errors;
mod feeds;
mod flagship;
mod fuzz;
mod i18n;
mod images;
mod import;
mod incremental;
mod input_safety;
mod math;
mod myst;
mod output_safety;
mod real_world;
mod script_safety;
mod serve;
mod taxonomy;
