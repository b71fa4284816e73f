//! A panic must not leave a dead page. The hook logs the panic (it never contains the API key:
//! keys are not formatted into panics) and shows a plain-HTML notice with a reload link; it
//! cannot rely on Rust event handlers, because after a panic the module is gone.

use std::panic;

const NOTICE_ID: &str = "crash-notice";

/// Installs the hook (once).
pub(crate) fn install() {
    panic::set_hook(Box::new(|info| {
        web_sys::console::error_1(&format!("HITL dashboard crashed: {info}").into());
        show_notice();
    }));
}

/// Shows the crash notice (public so the browser tests can check it without crashing).
pub(crate) fn show_notice() {
    let Some(doc) = crate::browser::document() else {
        return;
    };
    if doc.get_element_by_id(NOTICE_ID).is_some() {
        return;
    }
    let Ok(div) = doc.create_element("div") else {
        return;
    };
    div.set_id(NOTICE_ID);
    let _ = div.set_attribute("role", "alert");
    let _ = div.set_attribute("class", "crash");
    let href = doc
        .location()
        .and_then(|l| l.href().ok())
        .unwrap_or_default();
    // Built with DOM calls, not HTML strings: nothing here is interpreted as markup.
    if let (Ok(p), Ok(a)) = (doc.create_element("p"), doc.create_element("a")) {
        p.set_text_content(Some(
            "Something broke in the dashboard. Your filters are in the address bar; reloading keeps them.",
        ));
        a.set_text_content(Some("Reload the dashboard"));
        let _ = a.set_attribute("href", &href);
        let _ = a.set_attribute("class", "button");
        let _ = div.append_child(&p);
        let _ = div.append_child(&a);
    }
    if let Some(body) = doc.body() {
        let _ = body.prepend_with_node_1(&div);
    }
}
