//! Browser unit tests (wasm-bindgen-test in headless chromium) for the pieces where a browser
//! API or the reactive runtime is the point: the address bar as state, storage, the panic
//! notice, a mounted component, and the ordering rules of the source-bound resource guard.
//! Inside the crate, so that its modules stay `pub(crate)`.

use std::cell::RefCell;
use std::rc::Rc;

use futures::channel::oneshot;
use hitl_core::{ApiError, RequestQuery, Status};
use leptos::prelude::*;
use leptos::task::tick;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

use crate::browser::clock::Clock;
use crate::browser::url::{HistoryMode, UrlState};
use crate::browser::{storage_get, storage_remove, storage_set};
use crate::state::{AllMatching, Binding, Connection, Dashboard, SourceBound};

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
fn url_state_keeps_the_time_window_beside_the_list_query() {
    let owner = Owner::new();
    owner.with(|| {
        let history = window().history().unwrap();
        let url = UrlState::install();
        url.set_query(&RequestQuery::default(), HistoryMode::Replace);
        let before = history.length().unwrap();
        url.set_window(hitl_core::window::TimeWindow::Last7Days.to_pairs());
        assert_eq!(window().location().search().unwrap(), "?window=7d");
        assert_eq!(
            history.length().unwrap(),
            before,
            "a window is a filter: replace"
        );
        let q = RequestQuery {
            status: Some(Status::Completed),
            ..Default::default()
        };
        url.set_query(&q, HistoryMode::Replace);
        assert_eq!(
            window().location().search().unwrap(),
            "?status=completed&window=7d"
        );
        // Days as typed, even refused ones, so that the banner can say why.
        url.set_window(vec![
            ("from", "2026-11-07".to_owned()),
            ("to", "2026-11-01".to_owned()),
        ]);
        let (w, errors) = url.time_window();
        assert_eq!(w, hitl_core::window::TimeWindow::All);
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].data, "from must not be after to");
        assert_eq!(url.request_query().unwrap(), q);
        url.set_window(Vec::new());
        assert_eq!(window().location().search().unwrap(), "?status=completed");
        url.set_query(&RequestQuery::default(), HistoryMode::Replace);
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
    crate::browser::panic::show_notice();
    crate::browser::panic::show_notice(); // idempotent
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
    use crate::components::banner::ErrorBanner;

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

// ---------------------------------------------------------------------------------------------
// The source-bound resource guard (`state::SourceBound`): its ordering rules.
// ---------------------------------------------------------------------------------------------

type Reply = oneshot::Sender<Result<String, ApiError>>;

/// A fetch the test answers by hand: each call records the generation it was made for and
/// what it asked, and waits for its reply.
#[derive(Clone, Default)]
struct Calls(Rc<RefCell<Vec<Call>>>);

/// One call: the generation it was made for, what it asked, and its reply until sent.
type Call = (u64, String, Option<Reply>);

impl Calls {
    fn fetch(
        &self,
    ) -> impl Fn(
        crate::api::Source,
        u64,
        String,
    ) -> futures::future::LocalBoxFuture<'static, Result<String, ApiError>>
           + 'static {
        let calls = self.clone();
        move |_, generation, asked| {
            let (tx, rx) = oneshot::channel();
            calls.0.borrow_mut().push((generation, asked, Some(tx)));
            Box::pin(async move { rx.await.unwrap_or(Err(ApiError::Aborted)) })
        }
    }

    fn len(&self) -> usize {
        self.0.borrow().len()
    }

    /// The generations the calls were made for, in order.
    fn generations(&self) -> Vec<u64> {
        self.0.borrow().iter().map(|c| c.0).collect()
    }

    fn reply(&self, call: usize, answer: Result<&str, ApiError>) {
        let tx = self.0.borrow_mut()[call].2.take().expect("not replied yet");
        let _ = tx.send(answer.map(str::to_owned));
    }
}

/// Lets the reactive runtime run every task that is due.
async fn settle() {
    for _ in 0..6 {
        tick().await;
    }
}

/// What the app's views do: a memo over the resource's current answer, kept alive by an
/// effect. Such a reader checks the resource's sources while its future is in flight.
fn reader(r: SourceBound<String, String>) -> Memo<Option<(u64, Result<String, ApiError>)>> {
    let seen = Memo::new(move |_| r.with_current(|s| s.map(|s| (s.generation, s.answer.clone()))));
    Effect::new(move |_| {
        seen.track();
    });
    seen
}

fn binding(conn: Connection, paused: RwSignal<bool>) -> Binding {
    Binding {
        conn,
        refresh: RwSignal::new(0),
        paused: Memo::new(move |_| paused.get()),
    }
}

fn connect(conn: Connection, key: &str) {
    conn.connect("http://127.0.0.1:9", key, false);
}

#[wasm_bindgen_test]
async fn a_source_switch_mid_load_drops_the_old_answer_and_asks_the_new_source() {
    let _ = any_spawner::Executor::init_wasm_bindgen();
    let owner = Owner::new();
    let calls = Calls::default();
    let (conn, seen) = owner.with(|| {
        let conn = Connection::restore();
        conn.use_demo(false);
        let r = SourceBound::new(
            binding(conn, RwSignal::new(false)),
            || Some("page".to_owned()),
            calls.fetch(),
        );
        (conn, reader(r))
    });
    settle().await;
    let demo = conn.generation.get_untracked();
    assert_eq!(calls.generations(), [demo]);

    connect(conn, "key-1");
    settle().await;
    assert_eq!(calls.len(), 1, "the running call is awaited first");
    calls.reply(0, Ok("demo rows"));
    settle().await;
    assert_eq!(
        seen.get_untracked(),
        None,
        "the demo's answer is not the live API's"
    );
    assert_eq!(
        calls.generations(),
        [demo, demo + 1],
        "the new source is asked"
    );

    calls.reply(1, Ok("live rows"));
    settle().await;
    assert_eq!(
        seen.get_untracked(),
        Some((demo + 1, Ok("live rows".to_owned())))
    );
}

#[wasm_bindgen_test]
async fn a_double_connect_while_loading_asks_the_last_source_once() {
    let _ = any_spawner::Executor::init_wasm_bindgen();
    let owner = Owner::new();
    let calls = Calls::default();
    let (conn, seen) = owner.with(|| {
        let conn = Connection::restore();
        let r = SourceBound::new(
            binding(conn, RwSignal::new(false)),
            || Some("page".to_owned()),
            calls.fetch(),
        );
        (conn, reader(r))
    });
    settle().await;
    let first = conn.generation.get_untracked();
    connect(conn, "key-1");
    settle().await;
    connect(conn, "key-2");
    settle().await;
    calls.reply(0, Ok("first"));
    settle().await;
    assert_eq!(calls.generations(), [first, first + 2]);
    calls.reply(1, Ok("second key"));
    settle().await;
    assert_eq!(
        seen.get_untracked(),
        Some((first + 2, Ok("second key".to_owned())))
    );
    assert_eq!(calls.len(), 2, "nothing more is asked");
}

#[wasm_bindgen_test]
async fn refresh_asks_again_although_readers_track_what_it_clears() {
    let _ = any_spawner::Executor::init_wasm_bindgen();
    let owner = Owner::new();
    let calls = Calls::default();
    let (dash, seen) = owner.with(|| {
        let clock = Clock::start();
        let dash = Dashboard::new(
            UrlState::install(),
            Connection::restore(),
            AllMatching::new(),
            clock,
        );
        let r = SourceBound::new(dash.binding(), || Some("detail".to_owned()), calls.fetch());
        // As the detail panel's content: an effect that reads the answer, then this
        // session's changes (through a memo), which Refresh clears.
        // (Its value stays the same, so checking it does not end the reader's check early.)
        let changes = Memo::new(move |_| dash.updated.with(|m| m.len() < 1_000));
        let seen = RwSignal::new(None);
        Effect::new(move |_| {
            seen.set(r.with_current(|s| s.map(|s| s.answer.clone())));
            changes.track();
        });
        (dash, seen)
    });
    settle().await;
    calls.reply(0, Ok("before"));
    settle().await;
    assert_eq!(seen.get_untracked(), Some(Ok("before".to_owned())));
    // A change of the user's, then Refresh: it forgets that change (which wakes the reader)
    // and must still reload the resource.
    dash.updated.update(|m| {
        m.insert("x".to_owned(), Default::default());
    });
    settle().await;
    dash.refresh();
    settle().await;
    assert_eq!(calls.len(), 2, "Refresh asked again");
    calls.reply(1, Ok("after"));
    settle().await;
    assert_eq!(seen.get_untracked(), Some(Ok("after".to_owned())));
}

#[wasm_bindgen_test]
async fn the_end_of_a_quota_pause_asks_again_only_what_it_refused() {
    let _ = any_spawner::Executor::init_wasm_bindgen();
    let owner = Owner::new();
    let (refused, answered) = (Calls::default(), Calls::default());
    let paused = owner.with(|| RwSignal::new(false));
    owner.with(|| {
        let conn = Connection::restore();
        let b = binding(conn, paused);
        let r = SourceBound::new(b, || Some("refused".to_owned()), refused.fetch());
        reader(r);
        let r = SourceBound::new(b, || Some("answered".to_owned()), answered.fetch());
        reader(r);
    });
    settle().await;
    paused.set(true);
    refused.reply(
        0,
        Err(ApiError::QuotaPaused {
            reset_at: None,
            usage_count: Some(100),
            usage_limit: Some(100),
        }),
    );
    answered.reply(0, Ok("rows"));
    settle().await;
    assert_eq!(
        (refused.len(), answered.len()),
        (1, 1),
        "nothing during the pause"
    );
    paused.set(false);
    settle().await;
    assert_eq!((refused.len(), answered.len()), (2, 1));
}

#[wasm_bindgen_test]
async fn a_refresh_while_the_answer_is_on_its_way_asks_again_when_it_arrives() {
    let _ = any_spawner::Executor::init_wasm_bindgen();
    let owner = Owner::new();
    let calls = Calls::default();
    let (b, other, seen) = owner.with(|| {
        let b = binding(Connection::restore(), RwSignal::new(false));
        let r = SourceBound::new(b, || Some("detail".to_owned()), calls.fetch());
        // A reader of the answer that something else wakes too, through a memo whose value
        // stays the same (so checking it does not end the reader's check early).
        let other = RwSignal::new(0);
        let doubled = Memo::new(move |_| other.get() >= 0);
        let seen = RwSignal::new(None);
        Effect::new(move |_| {
            seen.set(r.with_current(|s| s.map(|s| s.answer.clone())));
            doubled.track();
        });
        (b, other, seen)
    });
    settle().await;
    // While the first answer is on its way: the reader is woken (and checks the resource)
    // before the resource's own loop looks at the Refresh.
    other.set(1);
    b.refresh.update(|n| *n += 1);
    settle().await;
    calls.reply(0, Ok("before the refresh"));
    settle().await;
    assert_eq!(calls.len(), 2, "the refresh is not lost");
    calls.reply(1, Ok("after the refresh"));
    settle().await;
    assert_eq!(
        seen.get_untracked(),
        Some(Ok("after the refresh".to_owned()))
    );
}

// ---------------------------------------------------------------------------------------------
// The copy on this device, in the browser's own IndexedDB.
// ---------------------------------------------------------------------------------------------

#[wasm_bindgen_test]
async fn the_history_database_keeps_writes_across_opens_and_forgets() {
    use crate::browser::history_db::{db_name, forget, HistoryDb, Stored, Written};
    use hitl_core::contract::Head;
    let name = db_name("unit-test-key", "http://127.0.0.1:9");
    assert!(!name.contains("unit-test-key"), "no key in the name");
    let _ = forget(&name).await;
    let request = |id: &str, status: Status| hitl_core::HitlRequest {
        id: id.to_owned(),
        status,
        request_text: "<b>text</b> stays text".to_owned(),
        ..Default::default()
    };
    let db = HistoryDb::open(&name).await.expect("opens");
    assert_eq!(db.read().await.expect("reads"), Stored::default());
    assert_eq!(db.read_head().await.expect("reads"), None);
    db.write(
        &[
            request("a", Status::Pending),
            request("b", Status::Completed),
        ],
        Written::PartOfSync,
    )
    .await
    .expect("writes");
    assert!(db.read().await.expect("reads").mixed, "part of a sync");
    // A later write replaces a request by id; a sync that ends in step records when, with
    // the head, and the copy is no longer mixed.
    db.write(&[request("a", Status::Cancelled)], Written::PartOfSync)
        .await
        .expect("writes");
    let head = Head {
        rows: vec![request("a", Status::Cancelled)],
        total: 2,
    };
    db.in_step(1_700_000_000_000.0, &head)
        .await
        .expect("writes");
    assert_eq!(
        db.read_head().await.expect("reads"),
        Some((head.clone(), 1_700_000_000_000.0))
    );
    // A confirmed change keeps the copy in step but lets the head go (it may be stale).
    db.write(&[request("b", Status::Completed)], Written::Confirmed)
        .await
        .expect("writes");
    assert_eq!(db.read_head().await.expect("reads"), None);
    db.in_step(1_700_000_000_000.0, &head)
        .await
        .expect("writes");
    db.remove(&["b".to_owned()]).await.expect("removes");
    assert_eq!(db.read_head().await.expect("reads"), None, "a removal too");
    drop(db);
    let again = HistoryDb::open(&name).await.expect("opens again");
    assert_eq!(
        again.read().await.expect("reads"),
        Stored {
            rows: vec![request("a", Status::Cancelled)],
            synced_at: Some(1_700_000_000_000.0),
            mixed: false,
        }
    );
    drop(again);
    forget(&name).await.expect("deletes");
    let fresh = HistoryDb::open(&name).await.expect("opens");
    assert_eq!(fresh.read().await.expect("reads"), Stored::default());
    drop(fresh);
    let _ = forget(&name).await;
}
