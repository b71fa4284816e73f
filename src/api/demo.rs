//! The in-browser demo source: hitl-core's generated data behind hitl-core's contract
//! semantics — the very code the mock server runs — so demo mode behaves like the API.

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use hitl_core::cancel::Cancelled;
use hitl_core::contract;
use hitl_core::demo::{Dataset, DEFAULT_COUNT, DEFAULT_SEED};
use hitl_core::{ApiError, LoopList, RequestDetail, RequestPage, RequestQuery};

use crate::browser::time::now_ms;

/// Generated requests held in memory; cancelling changes them for the session. They are
/// generated on first use, not when the source is made: a dashboard that starts live (a
/// remembered key) never spends its start-up generating data it does not show.
#[derive(Clone, Debug)]
pub(crate) struct DemoSource {
    seed: u64,
    count: usize,
    data: Rc<RefCell<Option<Dataset>>>,
}

fn now() -> DateTime<Utc> {
    DateTime::from_timestamp_millis(now_ms() as i64).unwrap_or_default()
}

impl Default for DemoSource {
    fn default() -> Self {
        DemoSource::new(DEFAULT_SEED, DEFAULT_COUNT)
    }
}

impl DemoSource {
    /// `count` requests generated from `seed`, ending when first asked for.
    pub(crate) fn new(seed: u64, count: usize) -> Self {
        DemoSource {
            seed,
            count,
            data: Rc::new(RefCell::new(None)),
        }
    }

    /// Runs `f` on the dataset, generating it first if this is its first use.
    fn with<R>(&self, f: impl FnOnce(&mut Dataset) -> R) -> R {
        let mut data = self.data.borrow_mut();
        f(data.get_or_insert_with(|| Dataset::generate(self.seed, self.count, now())))
    }

    pub(super) fn list(&self, q: &RequestQuery) -> Result<Arc<RequestPage>, ApiError> {
        q.validate().map_err(ApiError::Invalid)?;
        Ok(Arc::new(self.with(|d| contract::list(&d.requests, q))))
    }

    pub(super) fn request(&self, id: &str) -> Result<Arc<RequestDetail>, ApiError> {
        self.with(|d| contract::find(&d.requests, id).cloned())
            .map(Arc::new)
            .ok_or_else(|| contract::not_found(id).into())
    }

    pub(super) fn loops(&self) -> Arc<LoopList> {
        let loops = self.with(|d| d.loops.clone());
        Arc::new(LoopList {
            count: loops.len() as u64,
            loops,
        })
    }

    pub(super) fn cancel(&self, id: &str) -> Result<Cancelled, ApiError> {
        let request = self
            .with(|d| contract::cancel(&mut d.requests, id, now()))
            .map_err(ApiError::from)?;
        Ok(Cancelled {
            msg: String::new(),
            request: Some(request),
            unreadable: false,
        })
    }
}
