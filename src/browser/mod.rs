//! The browser layer: thin, failure-tolerant wrappers over browser APIs, and the app's handles
//! on the browser's state (the address bar, the clock, focus). It names nothing above it (no
//! API client, no app state, no component). Storage can be disabled (private mode, policies):
//! every accessor degrades to "nothing stored".

pub(crate) mod clock;
pub(crate) mod focus;
pub(crate) mod history_db;
pub(crate) mod panic;
pub(crate) mod time;
pub(crate) mod url;

use wasm_bindgen::JsCast;

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// Reads a localStorage entry.
pub(crate) fn storage_get(key: &str) -> Option<String> {
    local_storage()?.get_item(key).ok().flatten()
}

/// Writes a localStorage entry (ignored when storage is unavailable or full).
pub(crate) fn storage_set(key: &str, value: &str) {
    if let Some(s) = local_storage() {
        let _ = s.set_item(key, value);
    }
}

/// Removes a localStorage entry.
pub(crate) fn storage_remove(key: &str) {
    if let Some(s) = local_storage() {
        let _ = s.remove_item(key);
    }
}

/// The document, when there is one.
pub(crate) fn document() -> Option<web_sys::Document> {
    web_sys::window()?.document()
}

/// Offers `content` as a file download through a Blob and an object URL, released afterwards.
pub(crate) fn download(filename: &str, mime: &str, content: &str) -> Result<(), String> {
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
