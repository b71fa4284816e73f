//! The live API with a copy of the key's requests on this device ("Keep history on this
//! device"). While the copy is in step with the API, lists are answered from it with the API's
//! own rules (`hitl_core::contract`, as the demo and the mock answer them): 0 calls. Until it is
//! (the first load, a copy out of step), and for what it does not hold (a request's detail
//! fields, loops, cancels), the live client answers.
//!
//! The copy is read from IndexedDB when the source is made: a returning visit's first view
//! waits for that read instead of calling the API. Its head (the newest rows, kept apart when
//! a sync ends in step) is read first and answers the unfiltered first pages meanwhile: the
//! first rows need not wait for the whole copy to be parsed. Bringing it up to date (the sync)
//! is the state layer's job; it hands the result back with [`HistorySource::serve`].

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;

use futures::future::{FutureExt, LocalBoxFuture, Shared};
use hitl_core::cancel::Cancelled;
use hitl_core::contract::Head;
use hitl_core::{
    contract, ApiError, HitlRequest, LoopList, RequestDetail, RequestPage, RequestQuery,
};

use super::ApiClient;
use crate::browser::history_db::{HistoryDb, HistoryDbError, Written};

/// The copy as it stands.
#[derive(Clone, Debug, Default)]
pub(crate) struct Copy {
    /// Every stored request, newest first.
    pub rows: Arc<Vec<HitlRequest>>,
    /// When it was last found in step with the API (ms since the epoch).
    pub synced_at: Option<f64>,
    /// True while lists are answered from it.
    pub serving: bool,
}

/// A live client with the copy on this device. Cheap to clone.
#[derive(Clone)]
pub(crate) struct HistorySource {
    inner: Rc<Inner>,
}

struct Inner {
    live: ApiClient,
    /// The database's name (fingerprints of the key and base URL).
    name: String,
    copy: RefCell<Copy>,
    /// The open database, or why there is none.
    db: RefCell<Option<Result<Rc<HistoryDb>, HistoryDbError>>>,
    /// The copy's head and when it was in step, until the whole copy is read.
    head: RefCell<Option<(Head, f64)>>,
    /// Resolves once the database has been opened and its head read (or has failed to be).
    head_read: Shared<LocalBoxFuture<'static, ()>>,
    /// Resolves once the whole copy has been read (or has failed to be).
    ready: Shared<LocalBoxFuture<'static, ()>>,
}

impl HistorySource {
    /// The copy named `name` with `live` behind it; reading it starts now. A copy that holds
    /// requests is served at once (it was in step when last synced; the sync that follows
    /// says whether it still is).
    pub(crate) fn open(live: ApiClient, name: String) -> Self {
        let inner = Rc::new_cyclic(|weak: &std::rc::Weak<Inner>| {
            let head_read = {
                let weak = weak.clone();
                let db_name = name.clone();
                async move {
                    let opened = HistoryDb::open(&db_name).await.map(Rc::new);
                    let head = match &opened {
                        Ok(db) => db.read_head().await.ok().flatten(),
                        Err(_) => None,
                    };
                    let Some(inner) = weak.upgrade() else { return };
                    *inner.head.borrow_mut() = head;
                    *inner.db.borrow_mut() = Some(opened);
                }
                .boxed_local()
                .shared()
            };
            let ready = {
                let weak = weak.clone();
                let head_read = head_read.clone();
                async move {
                    head_read.await;
                    let Some(db) = weak.upgrade().and_then(|i| i.db.borrow().clone()) else {
                        return;
                    };
                    let Ok(db) = db else { return };
                    let read = db.read().await;
                    let Some(inner) = weak.upgrade() else { return };
                    inner.head.borrow_mut().take();
                    match read {
                        Ok(stored) => {
                            let mut rows = stored.rows;
                            hitl_core::sorting::sort_stable(&mut rows, &|a, b| {
                                contract::compare(hitl_core::Sort::CreatedAtDesc, a, b)
                            });
                            let serving =
                                !rows.is_empty() && stored.synced_at.is_some() && !stored.mixed;
                            *inner.copy.borrow_mut() = Copy {
                                rows: Arc::new(rows),
                                synced_at: stored.synced_at,
                                serving,
                            };
                        }
                        Err(e) => *inner.db.borrow_mut() = Some(Err(e)),
                    }
                }
                .boxed_local()
                .shared()
            };
            Inner {
                live,
                name,
                copy: RefCell::new(Copy::default()),
                db: RefCell::new(None),
                head: RefCell::new(None),
                head_read,
                ready,
            }
        });
        // Started now, not on first use: the first view waits for it anyway.
        let ready = inner.ready.clone();
        leptos::task::spawn_local(ready);
        HistorySource { inner }
    }

    /// Waits until the copy's head has been read (before the whole copy).
    pub(crate) async fn head_read(&self) {
        self.inner.head_read.clone().await;
    }

    /// `Some(synced_at)` while the views are answered from this device: the copy serves, or,
    /// until it is read, its head does.
    pub(crate) fn answering(&self) -> Option<Option<f64>> {
        let copy = self.inner.copy.borrow();
        if copy.serving {
            return Some(copy.synced_at);
        }
        if self.inner.ready.peek().is_some() {
            return None;
        }
        self.inner.head.borrow().as_ref().map(|(_, at)| Some(*at))
    }

    /// The live client behind the copy.
    pub(crate) fn live(&self) -> &ApiClient {
        &self.inner.live
    }

    /// The database's name.
    pub(crate) fn name(&self) -> &str {
        &self.inner.name
    }

    /// Waits until the copy has been read.
    pub(crate) async fn ready(&self) {
        self.inner.ready.clone().await;
    }

    /// The open database, or why there is none (after [`HistorySource::ready`]).
    pub(crate) fn db(&self) -> Result<Rc<HistoryDb>, HistoryDbError> {
        match &*self.inner.db.borrow() {
            Some(Ok(db)) => Ok(Rc::clone(db)),
            Some(Err(e)) => Err(e.clone()),
            None => Err(HistoryDbError("The history is not open yet".to_owned())),
        }
    }

    /// Lets the database go (before it is deleted: an open connection would block that).
    pub(crate) fn close(&self) {
        self.inner.db.borrow_mut().take();
    }

    /// The copy as it stands.
    pub(crate) fn copy(&self) -> Copy {
        self.inner.copy.borrow().clone()
    }

    /// Replaces the copy (after a sync or another tab's), and whether lists are answered from it.
    pub(crate) fn serve(&self, copy: Copy) {
        *self.inner.copy.borrow_mut() = copy;
    }

    /// One page: from the copy while it serves, else from the live API.
    pub(crate) async fn list(
        &self,
        q: &RequestQuery,
        fresh: bool,
    ) -> Result<Arc<RequestPage>, ApiError> {
        if self.inner.ready.peek().is_none() {
            // Before the whole copy is read, its head answers the pages it holds.
            self.inner.head_read.clone().await;
            let page = self.inner.head.borrow().as_ref().and_then(|(head, _)| {
                q.validate().ok()?;
                head.list(q)
            });
            if let Some(page) = page {
                return Ok(Arc::new(page));
            }
        }
        self.ready().await;
        let copy = self.copy();
        if copy.serving {
            q.validate().map_err(ApiError::Invalid)?;
            return Ok(Arc::new(contract::list(&copy.rows, q)));
        }
        self.inner.live.list(q, fresh).await
    }

    /// One request with its detail fields: the copy holds list fields only, so the API.
    pub(crate) async fn request(&self, id: &str) -> Result<Arc<RequestDetail>, ApiError> {
        self.inner.live.request(id).await
    }

    /// Loop names and members, from the API.
    pub(crate) async fn loops(&self) -> Result<Arc<LoopList>, ApiError> {
        self.inner.live.loops().await
    }

    /// Cancels on the API; the copy takes the cancelled request.
    pub(crate) async fn cancel(&self, id: &str) -> Result<Cancelled, ApiError> {
        let done = self.inner.live.cancel(id).await?;
        if let Some(after) = done.request.as_ref().map(|d| d.request.clone()) {
            let stored = {
                let mut copy = self.inner.copy.borrow_mut();
                let i = copy.rows.iter().position(|r| r.id == after.id);
                if let Some(i) = i {
                    let mut rows = (*copy.rows).clone();
                    rows[i] = after.clone();
                    copy.rows = Arc::new(rows);
                }
                i.is_some()
            };
            if let (true, Ok(db)) = (stored, self.db()) {
                let _ = db.write(&[after], Written::Confirmed).await;
            }
        }
        Ok(done)
    }
}

impl std::fmt::Debug for HistorySource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HistorySource")
            .field("live", &self.inner.live)
            .finish_non_exhaustive()
    }
}
