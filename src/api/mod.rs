//! Where requests come from: the live API or the in-browser demo. Both answer the same
//! contract, so every view and feature works the same on either. This layer knows the browser
//! layer below it and nothing above (no app state, no view).

mod client;
mod demo;
mod history;
mod quota;

pub(crate) use client::ApiClient;
pub(crate) use demo::DemoSource;
pub(crate) use history::{Copy, HistorySource};
pub(crate) use quota::QuotaStore;

use std::sync::Arc;

use hitl_core::cancel::Cancelled;
use hitl_core::{ApiError, LoopList, RequestDetail, RequestPage, RequestQuery};

/// The data source the dashboard reads from.
#[derive(Clone, Debug)]
pub(crate) enum Source {
    /// Generated data in the browser: no key, no calls.
    Demo(DemoSource),
    /// The HITL.sh API (or anything speaking its contract) with the user's key.
    Live(ApiClient),
    /// The live API with the key's requests kept on this device, answering lists while in step.
    History(HistorySource),
}

impl Source {
    /// One page of requests. `fresh` skips the answer cache.
    pub(crate) async fn list(
        &self,
        q: &RequestQuery,
        fresh: bool,
    ) -> Result<Arc<RequestPage>, ApiError> {
        match self {
            Source::Demo(d) => d.list(q),
            Source::Live(c) => c.list(q, fresh).await,
            Source::History(h) => h.list(q, fresh).await,
        }
    }

    /// One request with detail fields.
    pub(crate) async fn request(&self, id: &str) -> Result<Arc<RequestDetail>, ApiError> {
        match self {
            Source::Demo(d) => d.request(id),
            Source::Live(c) => c.request(id).await,
            Source::History(h) => h.request(id).await,
        }
    }

    /// Loop names and members.
    pub(crate) async fn loops(&self) -> Result<Arc<LoopList>, ApiError> {
        match self {
            Source::Demo(d) => Ok(d.loops()),
            Source::Live(c) => c.loops().await,
            Source::History(h) => h.loops().await,
        }
    }

    /// Cancels a pending request.
    pub(crate) async fn cancel(&self, id: &str) -> Result<Cancelled, ApiError> {
        match self {
            Source::Demo(d) => d.cancel(id),
            Source::Live(c) => c.cancel(id).await,
            Source::History(h) => h.cancel(id).await,
        }
    }

    /// True for the demo source.
    pub(crate) fn is_demo(&self) -> bool {
        matches!(self, Source::Demo(_))
    }

    /// What an action that makes `calls` list calls costs here: on demo data, and from a copy
    /// on this device that is in step, nothing.
    pub(crate) fn cost(&self, calls: u64) -> u64 {
        match self {
            Source::Demo(_) => 0,
            Source::History(h) if h.copy().serving => 0,
            _ => calls,
        }
    }

    /// Why list calls cost nothing here, for the cost notes: "demo data", "history on this
    /// device"; `None` when they are paid.
    pub(crate) fn free_because(&self) -> Option<&'static str> {
        match self {
            Source::Demo(_) => Some("demo data"),
            Source::History(h) if h.copy().serving => Some("history on this device"),
            _ => None,
        }
    }

    /// The live client, when there is one.
    pub(crate) fn live(&self) -> Option<&ApiClient> {
        match self {
            Source::Demo(_) => None,
            Source::Live(c) => Some(c),
            Source::History(h) => Some(h.live()),
        }
    }

    /// The copy on this device, when the source keeps one.
    pub(crate) fn history(&self) -> Option<&HistorySource> {
        match self {
            Source::History(h) => Some(h),
            _ => None,
        }
    }

    /// Drops cached answers (Refresh).
    pub(crate) fn clear_cache(&self) {
        if let Some(c) = self.live() {
            c.clear_cache();
        }
    }
}
