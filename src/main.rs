//! Entry point: everything lives in the library so tests can mount components.

fn main() {
    hitl_dashboard::start();
}
