//! Views. Each wires signals to hitl-core functions; none holds business logic.

pub mod auto_refresh;
pub mod banner;
pub mod clock;
pub mod detail;
pub mod dom;
pub mod export;
pub mod filters;
pub mod overview;
pub mod pager;
pub mod preferences;
pub mod quota_meter;
pub mod settings;
pub mod shortcuts;
pub mod table;
