//! The in-browser demo source: hitl-core's generated data behind hitl-core's contract
//! semantics — the very code the mock server runs — so demo mode behaves like the API.

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use hitl_core::contract;
use hitl_core::demo::{Dataset, DEFAULT_COUNT, DEFAULT_SEED};
use hitl_core::{ApiError, LoopList, RequestDetail, RequestPage, RequestQuery};

use crate::browser::now_ms;

/// Generated requests held in memory; cancelling changes them for the session.
#[derive(Clone, Debug)]
pub struct DemoSource {
    data: Rc<RefCell<Dataset>>,
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
    /// `count` requests generated from `seed`, ending now.
    pub fn new(seed: u64, count: usize) -> Self {
        DemoSource {
            data: Rc::new(RefCell::new(Dataset::generate(seed, count, now()))),
        }
    }

    pub(super) fn list(&self, q: &RequestQuery) -> Result<Arc<RequestPage>, ApiError> {
        q.validate().map_err(ApiError::Invalid)?;
        Ok(Arc::new(contract::list(&self.data.borrow().requests, q)))
    }

    pub(super) fn request(&self, id: &str) -> Result<Arc<RequestDetail>, ApiError> {
        contract::find(&self.data.borrow().requests, id)
            .map(|r| Arc::new(r.clone()))
            .ok_or_else(|| refusal(contract::not_found(id)))
    }

    pub(super) fn loops(&self) -> Arc<LoopList> {
        let loops = self.data.borrow().loops.clone();
        Arc::new(LoopList {
            count: loops.len() as u64,
            loops,
        })
    }

    pub(super) fn cancel(&self, id: &str) -> Result<RequestDetail, ApiError> {
        contract::cancel(&mut self.data.borrow_mut().requests, id, now()).map_err(refusal)
    }
}

fn refusal(r: contract::Refusal) -> ApiError {
    ApiError::Api {
        status: r.status,
        msg: r.msg,
        data: r.data,
    }
}
