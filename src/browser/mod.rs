//! Thin, failure-tolerant wrappers over browser APIs used in several places.
//! Storage can be disabled (private mode, policies): every accessor degrades to "nothing stored".

use chrono::{DateTime, Utc};
use hitl_core::format::Zone as _;
use wasm_bindgen::JsCast;

/// Milliseconds since the Unix epoch.
pub fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// Seconds since the Unix epoch.
pub fn now_secs() -> i64 {
    (now_ms() / 1000.0) as i64
}

/// The zone times are shown in: UTC, or the browser's own, whose offset is read for each
/// instant shown (it changes at daylight-saving transitions: a time from before the clocks
/// changed is shown with the offset it had then).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ShownZone {
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
    pub fn label_now(self) -> String {
        let now = DateTime::from_timestamp(now_secs(), 0).unwrap_or_default();
        hitl_core::format::zone_label(self.offset_at(now))
    }
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
pub fn local_offset_at(unix_secs: i64) -> i32 {
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

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// Reads a localStorage entry.
pub fn storage_get(key: &str) -> Option<String> {
    local_storage()?.get_item(key).ok().flatten()
}

/// Writes a localStorage entry (ignored when storage is unavailable or full).
pub fn storage_set(key: &str, value: &str) {
    if let Some(s) = local_storage() {
        let _ = s.set_item(key, value);
    }
}

/// Removes a localStorage entry.
pub fn storage_remove(key: &str) {
    if let Some(s) = local_storage() {
        let _ = s.remove_item(key);
    }
}

/// The document, when there is one.
pub fn document() -> Option<web_sys::Document> {
    web_sys::window()?.document()
}

/// Offers `content` as a file download through a Blob and an object URL, released afterwards.
pub fn download(filename: &str, mime: &str, content: &str) -> Result<(), String> {
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(content));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)
        .map_err(|_| "The browser could not create the file.".to_owned())?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)
        .map_err(|_| "The browser could not create a download link.".to_owned())?;
    let result = (|| {
        let doc = document().ok_or("No document")?;
        let a: web_sys::HtmlAnchorElement = doc
            .create_element("a")
            .map_err(|_| "No anchor")?
            .unchecked_into();
        a.set_href(&url);
        a.set_download(filename);
        a.set_attribute("hidden", "").ok();
        let body = doc.body().ok_or("No body")?;
        body.append_child(&a).map_err(|_| "append")?;
        a.click();
        a.remove();
        Ok::<(), &str>(())
    })()
    .map_err(|e| format!("The download could not start ({e})."));
    // The click has handed the blob to the download manager; the URL can go.
    let _ = web_sys::Url::revoke_object_url(&url);
    result
}
