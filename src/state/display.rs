//! How times are shown: the browser's zone or UTC, remembered on this device.

use leptos::prelude::*;

use crate::browser::time::ShownZone;
use crate::browser::{storage_get, storage_set};

const UTC_ENTRY: &str = "hitl.utc";

/// How times are shown. Copy handle; provided as context.
#[derive(Clone, Copy)]
pub(crate) struct TimeDisplay {
    pub utc: RwSignal<bool>,
}

impl TimeDisplay {
    /// The remembered choice (local time by default).
    pub(crate) fn restore() -> Self {
        TimeDisplay {
            utc: RwSignal::new(storage_get(UTC_ENTRY).as_deref() == Some("1")),
        }
    }

    /// The zone times are shown in (tracked).
    pub(crate) fn zone(&self) -> ShownZone {
        if self.utc.get() {
            ShownZone::Utc
        } else {
            ShownZone::Local
        }
    }

    /// Switches between local time and UTC, and remembers the choice.
    pub(crate) fn toggle(&self) {
        self.utc.update(|u| *u = !*u);
        storage_set(UTC_ENTRY, if self.utc.get_untracked() { "1" } else { "0" });
    }
}
