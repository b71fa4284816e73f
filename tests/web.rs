//! Browser tests (wasm-bindgen-test in headless chromium) for the pieces where a browser API is
//! the point: the address bar as state, storage, the panic notice, and a mounted component.
#![cfg(target_arch = "wasm32")]

use hitl_core::{ApiError, RequestQuery, Status};
use hitl_dashboard::browser::{storage_get, storage_remove, storage_set};
use hitl_dashboard::url::{HistoryMode, UrlState};
use leptos::prelude::*;
use leptos::task::tick;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn window() -> web_sys::Window {
    web_sys::window().expect("a window")
}

#[wasm_bindgen_test]
fn url_state_writes_the_query_string_with_replace_or_push() {
    let owner = Owner::new();
    owner.with(|| {
        let history = window().history().unwrap();
        let url = UrlState::install();
        let before = history.length().unwrap();
        let q = RequestQuery {
            status: Some(Status::Pending),
            limit: 20,
            ..Default::default()
        };
        url.set_query(&q, HistoryMode::Replace);
        assert_eq!(
            window().location().search().unwrap(),
            "?status=pending&limit=20"
        );
        assert_eq!(history.length().unwrap(), before, "replace adds no entry");
        assert_eq!(url.request_query().unwrap(), q);

        url.set_param("request", Some("abc"), HistoryMode::Push);
        assert_eq!(history.length().unwrap(), before + 1, "push adds an entry");
        assert_eq!(url.param("request").as_deref(), Some("abc"));
        // App parameters survive a change of the list query.
        url.set_query(&RequestQuery::default(), HistoryMode::Replace);
        assert_eq!(window().location().search().unwrap(), "?request=abc");
        url.set_param("request", None, HistoryMode::Replace);
        assert_eq!(window().location().search().unwrap(), "");
    });
}

#[wasm_bindgen_test]
fn storage_round_trips_and_removes() {
    storage_set("hitl.test", "v");
    assert_eq!(storage_get("hitl.test").as_deref(), Some("v"));
    storage_remove("hitl.test");
    assert_eq!(storage_get("hitl.test"), None);
}

#[wasm_bindgen_test]
fn the_panic_notice_is_plain_html_with_a_reload_link() {
    hitl_dashboard::panic::show_notice();
    hitl_dashboard::panic::show_notice(); // idempotent
    let doc = window().document().unwrap();
    let notices = doc.query_selector_all("#crash-notice").unwrap();
    assert_eq!(notices.length(), 1);
    let notice = doc.get_element_by_id("crash-notice").unwrap();
    assert_eq!(notice.get_attribute("role").as_deref(), Some("alert"));
    assert!(notice.text_content().unwrap().contains("Something broke"));
    let link = notice.query_selector("a").unwrap().unwrap();
    assert_eq!(
        link.get_attribute("href"),
        Some(window().location().href().unwrap())
    );
    notice.remove();
}

#[wasm_bindgen_test]
async fn the_error_banner_renders_the_apis_message_as_text() {
    use hitl_dashboard::components::banner::ErrorBanner;
    use hitl_dashboard::components::clock::Clock;
    use hitl_dashboard::state::Connection;

    let doc = window().document().unwrap();
    let host = doc.create_element("section").unwrap();
    doc.body().unwrap().append_child(&host).unwrap();
    let error = RwSignal::new(None::<ApiError>);
    let _mounted = leptos::mount::mount_to(host.clone().unchecked_into(), move || {
        provide_context(Clock::start());
        provide_context(Connection::restore());
        view! { <ErrorBanner error=error/> }
    });
    tick().await;
    assert!(
        host.query_selector("[role=alert]").unwrap().is_none(),
        "nothing without an error"
    );

    error.set(Some(ApiError::Api {
        status: 401,
        msg: "<b>Invalid</b> API key".into(),
        data: serde_json::Value::Null,
    }));
    tick().await;
    let alert = host
        .query_selector("[role=alert]")
        .unwrap()
        .expect("a banner");
    assert!(alert
        .text_content()
        .unwrap()
        .contains("<b>Invalid</b> API key"));
    assert!(
        alert.query_selector("b").unwrap().is_none(),
        "the message stays text"
    );
    assert!(alert.text_content().unwrap().contains("HTTP 401"));
}
