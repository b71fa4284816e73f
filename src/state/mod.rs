//! The app's state, above the API client and below the views: the connection, the page flow,
//! the one guard every source-bound resource goes through, the loaded "all matching" set, loop
//! names, and how times are shown. Components read these through context.

mod all_matching;
mod connection;
mod dashboard;
mod display;
mod history;
mod loops;
mod pages;
mod resource;
mod sla;
mod window;

pub(crate) use all_matching::{gap_text, refetched_text, window_key, AllMatching, Phase};
pub(crate) use connection::Connection;
pub(crate) use dashboard::{Afford, Dashboard, Loaded};
pub(crate) use display::TimeDisplay;
pub(crate) use history::{History, HistoryState};
pub(crate) use loops::{Loops, Names};
pub(crate) use pages::pages_resource;
#[cfg(all(test, target_arch = "wasm32"))]
pub(crate) use resource::Binding;
pub(crate) use resource::SourceBound;
pub(crate) use sla::Sla;
pub(crate) use window::Window;
