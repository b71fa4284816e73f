//! Views. Each wires signals from `state` to hitl-core functions; none holds business logic.
//! A component may use another only where no circle forms (the detail, the table and the
//! shortcuts meet in `browser::focus`, not in each other).

pub(crate) mod auto_refresh;
pub(crate) mod banner;
pub(crate) mod detail;
pub(crate) mod dom;
pub(crate) mod export;
pub(crate) mod filters;
pub(crate) mod history;
pub(crate) mod overview;
pub(crate) mod pager;
pub(crate) mod preferences;
pub(crate) mod quota_meter;
pub(crate) mod settings;
pub(crate) mod shortcuts;
pub(crate) mod sla;
pub(crate) mod table;
