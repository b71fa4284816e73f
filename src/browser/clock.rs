//! One ticking clock for every relative time and countdown on the page.

use leptos::prelude::*;
use std::time::Duration;

use super::time::now_ms;

/// Milliseconds since the epoch, updated every second.
#[derive(Clone, Copy)]
pub(crate) struct Clock(pub RwSignal<f64>);

impl Clock {
    /// Starts the clock (once, at the root).
    pub(crate) fn start() -> Self {
        let now = RwSignal::new(now_ms());
        if let Ok(handle) =
            set_interval_with_handle(move || now.set(now_ms()), Duration::from_secs(1))
        {
            on_cleanup(move || handle.clear());
        }
        Clock(now)
    }

    /// Now, in ms (tracked).
    pub(crate) fn ms(&self) -> f64 {
        self.0.get()
    }

    /// Now, in unix seconds (tracked).
    pub(crate) fn secs(&self) -> i64 {
        (self.0.get() / 1000.0) as i64
    }

    /// Now as a chrono instant (tracked).
    pub(crate) fn instant(&self) -> chrono::DateTime<chrono::Utc> {
        chrono::DateTime::from_timestamp_millis(self.0.get() as i64).unwrap_or_default()
    }
}
