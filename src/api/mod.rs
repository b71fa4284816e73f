//! Where requests come from: the live API or the in-browser demo. Both answer the same
//! contract, so every view and feature works the same on either. This layer knows the browser
//! layer below it and nothing above (no app state, no view).

mod client;
mod demo;
mod quota;

pub(crate) use client::ApiClient;
pub(crate) use demo::DemoSource;
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
        }
    }

    /// One request with detail fields.
    pub(crate) async fn request(&self, id: &str) -> Result<Arc<RequestDetail>, ApiError> {
        match self {
            Source::Demo(d) => d.request(id),
            Source::Live(c) => c.request(id).await,
        }
    }

    /// Loop names and members.
    pub(crate) async fn loops(&self) -> Result<Arc<LoopList>, ApiError> {
        match self {
            Source::Demo(d) => Ok(d.loops()),
            Source::Live(c) => c.loops().await,
        }
    }

    /// Cancels a pending request.
    pub(crate) async fn cancel(&self, id: &str) -> Result<Cancelled, ApiError> {
        match self {
            Source::Demo(d) => d.cancel(id),
            Source::Live(c) => c.cancel(id).await,
        }
    }

    /// True for the demo source.
    pub(crate) fn is_demo(&self) -> bool {
        matches!(self, Source::Demo(_))
    }

    /// What an action that makes `calls` API calls costs here: demo calls are free.
    pub(crate) fn cost(&self, calls: u64) -> u64 {
        if self.is_demo() {
            0
        } else {
            calls
        }
    }

    /// Drops cached answers (Refresh).
    pub(crate) fn clear_cache(&self) {
        if let Source::Live(c) = self {
            c.clear_cache();
        }
    }
}
