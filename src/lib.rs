//! HITL Requests Dashboard: a Leptos client-side app over the HITL.sh requests API.
//!
//! Business logic lives in `hitl-core` (pure, natively tested); this crate wires browser state
//! (URL, storage, fetch) and views to it. The modules form one stack, each naming only those
//! below it: `browser` ← `api` ← `state` ← `components` ← `app` (see ARCHITECTURE.md).

mod api;
mod app;
mod browser;
mod components;
mod state;

#[cfg(all(test, target_arch = "wasm32"))]
mod tests;

/// Installs the panic hook and mounts the app on `<body>`.
pub fn start() {
    browser::panic::install();
    leptos::mount::mount_to_body(app::App);
}
