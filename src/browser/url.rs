//! The address bar as the single source of truth for what is shown.
//!
//! We do not need a router (one view, no path routes), only the query string: a signal that
//! mirrors `location.search`, updated by our own writes and by back/forward (`popstate`). The
//! path is never touched, so the app works unchanged under any sub-path.

use hitl_core::query::{decode_pairs, encode_pairs, PARAMS};
use hitl_core::window::{TimeWindow, PARAMS as WINDOW_PARAMS};
use hitl_core::{QueryError, RequestQuery};
use leptos::prelude::*;

/// The parameter naming the request whose detail is open (`?request=<id>`).
pub(crate) const REQUEST_PARAM: &str = "request";

/// How a change enters the history.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum HistoryMode {
    /// Filter edits: the entry is rewritten (no history spam while typing or picking).
    Replace,
    /// Navigation (pages, opening a request): back/forward return to it.
    Push,
}

/// The app's handle on the query string.
#[derive(Clone, Copy)]
pub(crate) struct UrlState {
    search: RwSignal<String>,
}

fn current_search() -> String {
    web_sys::window()
        .and_then(|w| w.location().search().ok())
        .unwrap_or_default()
}

impl UrlState {
    /// Mirrors `location.search` and follows back/forward. Call once, at the root.
    pub(crate) fn install() -> Self {
        let search = RwSignal::new(current_search());
        let handle = window_event_listener(leptos::ev::popstate, move |_| {
            search.set(current_search());
        });
        on_cleanup(move || handle.remove());
        UrlState { search }
    }

    /// The list query the URL describes, or the API's reason to refuse it.
    pub(crate) fn request_query(&self) -> Result<RequestQuery, QueryError> {
        // Every invalid parameter at once, so that one look at the banner fixes the URL.
        self.search.with(|s| {
            let (q, errors) = RequestQuery::from_query_string_lenient(s);
            QueryError::all(errors).map_or(Ok(q), Err)
        })
    }

    /// The usable part of the URL's list query (invalid parameters dropped).
    pub(crate) fn lenient_query(&self) -> RequestQuery {
        self.search
            .with(|s| RequestQuery::from_query_string_lenient(s).0)
    }

    /// The analytics' time window (`window`, or `from` and `to`): what is usable, and every
    /// problem with the parameters (tracked).
    pub(crate) fn time_window(&self) -> (TimeWindow, Vec<QueryError>) {
        self.search
            .with(|s| TimeWindow::from_query_string_lenient(s))
    }

    /// Sets the time window's parameters to `window` (history replace, like a filter), keeping
    /// every other parameter. Pairs as typed (`from` after `to`) are written as they are, so
    /// that the banner can say what is wrong with them.
    pub(crate) fn set_window(&self, window: Vec<(&'static str, String)>) {
        let mut pairs: Vec<(String, String)> = self.search.with_untracked(|s| {
            decode_pairs(s)
                .into_iter()
                .filter(|(k, _)| !WINDOW_PARAMS.contains(&k.as_str()))
                .collect()
        });
        pairs.extend(window.into_iter().map(|(k, v)| (k.to_owned(), v)));
        self.write(&pairs, HistoryMode::Replace);
    }

    /// One app-level parameter (e.g. `request`).
    pub(crate) fn param(&self, name: &str) -> Option<String> {
        self.search.with(|s| {
            decode_pairs(s)
                .into_iter()
                .find(|(k, v)| k == name && !v.is_empty())
                .map(|(_, v)| v)
        })
    }

    /// Sets the list query, keeping app parameters (like `request`) as they are.
    pub(crate) fn set_query(&self, q: &RequestQuery, mode: HistoryMode) {
        let app: Vec<(String, String)> = self.search.with_untracked(|s| {
            decode_pairs(s)
                .into_iter()
                .filter(|(k, _)| !PARAMS.contains(&k.as_str()))
                .collect()
        });
        let mut pairs: Vec<(String, String)> = q
            .to_pairs()
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect();
        pairs.extend(app);
        self.write(&pairs, mode);
    }

    /// Sets (or with `None` removes) one app-level parameter.
    pub(crate) fn set_param(&self, name: &str, value: Option<&str>, mode: HistoryMode) {
        let mut pairs: Vec<(String, String)> = self.search.with_untracked(|s| {
            decode_pairs(s)
                .into_iter()
                .filter(|(k, _)| k != name)
                .collect()
        });
        if let Some(v) = value {
            pairs.push((name.to_owned(), v.to_owned()));
        }
        self.write(&pairs, mode);
    }

    fn write(&self, pairs: &[(String, String)], mode: HistoryMode) {
        let qs = encode_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        let search = if qs.is_empty() {
            String::new()
        } else {
            format!("?{qs}")
        };
        if self.search.with_untracked(|s| *s == search) {
            return;
        }
        if let Some(w) = web_sys::window() {
            let loc = w.location();
            let url = format!(
                "{}{}{}",
                loc.pathname().unwrap_or_default(),
                search,
                loc.hash().unwrap_or_default()
            );
            if let Ok(history) = w.history() {
                // State null and no scrolling: the page stays where the user is.
                let _ = match mode {
                    HistoryMode::Replace => {
                        history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url))
                    }
                    HistoryMode::Push => {
                        history.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url))
                    }
                };
            }
        }
        self.search.set(search);
    }
}
