//! Time from the browser: now, and the zone times are shown in.

use chrono::{DateTime, NaiveDate, Utc};
use hitl_core::format::Zone as _;

/// Milliseconds since the Unix epoch.
pub(crate) fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// Seconds since the Unix epoch.
pub(crate) fn now_secs() -> i64 {
    (now_ms() / 1000.0) as i64
}

/// The zone times are shown in: UTC, or the browser's own, whose offset is read for each
/// instant shown (it changes at daylight-saving transitions: a time from before the clocks
/// changed is shown with the offset it had then).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ShownZone {
    Utc,
    Local,
}

impl hitl_core::format::Zone for ShownZone {
    fn offset_at(&self, t: DateTime<Utc>) -> i32 {
        match self {
            ShownZone::Utc => 0,
            ShownZone::Local => local_offset_at(t.timestamp()),
        }
    }
}

impl ShownZone {
    /// "UTC", or the local zone's label now ("UTC+01:00").
    pub(crate) fn label_now(self) -> String {
        let now = DateTime::from_timestamp(now_secs(), 0).unwrap_or_default();
        hitl_core::format::zone_label(self.offset_at(now))
    }
}

/// Today's date in `zone` (for file names).
pub(crate) fn today_in(zone: ShownZone) -> NaiveDate {
    let ms = now_ms() as i64;
    let offset = zone.offset_at(DateTime::from_timestamp_millis(ms).unwrap_or_default());
    DateTime::from_timestamp_millis(ms + i64::from(offset) * 60_000)
        .unwrap_or_default()
        .date_naive()
}

/// The local offset is read once per half hour of UTC time and remembered: zones change their
/// offset at a whole or half UTC hour (02:00 local in a zone of UTC+10:30 is 15:30 UTC). The
/// per-day chart asks for every request's instants, and the browser's answer costs a `Date`.
const OFFSET_STEP_SECS: i64 = 1800;
/// A direct-mapped cache of (half hour, offset): about half a year of distinct half hours.
const OFFSET_SLOTS: usize = 8192;

thread_local! {
    static LOCAL_OFFSETS: std::cell::RefCell<Vec<(i64, i32)>> =
        std::cell::RefCell::new(vec![(i64::MIN, 0); OFFSET_SLOTS]);
}

/// The browser's offset from UTC at `unix_secs`, in minutes east.
pub(crate) fn local_offset_at(unix_secs: i64) -> i32 {
    let step = unix_secs.div_euclid(OFFSET_STEP_SECS);
    LOCAL_OFFSETS.with(|cache| {
        let slot = &mut cache.borrow_mut()[step.rem_euclid(OFFSET_SLOTS as i64) as usize];
        if slot.0 != step {
            let ms = (step * OFFSET_STEP_SECS * 1000) as f64;
            let at = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms));
            *slot = (step, -(at.get_timezone_offset() as i32));
        }
        slot.1
    })
}
