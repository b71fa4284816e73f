//! HITL Requests Dashboard: a Leptos client-side app over the HITL.sh requests API.
//!
//! Business logic lives in `hitl-core` (pure, natively tested); this crate wires browser state
//! (URL, storage, fetch) and views to it. See ARCHITECTURE.md.

pub mod all_matching;
pub mod api;
pub mod app;
pub mod browser;
pub mod components;
pub mod panic;
pub mod state;
pub mod url;

/// Installs the panic hook and mounts the app on `<body>`.
pub fn start() {
    panic::install();
    leptos::mount::mount_to_body(app::App);
}
