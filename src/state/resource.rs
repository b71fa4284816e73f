//! The one guard for every resource whose answer comes from the connected source: the page,
//! the status cards, the panels and the request detail all load through [`SourceBound`].
//!
//! Its rules:
//! - It asks again when the source changes (Connect, Demo data), on Refresh, and at the end of
//!   a quota pause when its own answer was a quota refusal (what arrived stays: a pause's end
//!   costs calls only for what it refused).
//! - Every answer carries the source generation it came from; readers see only the current
//!   generation's ([`SourceBound::with_current`]). Right after Connect the resource still holds
//!   the demo's (or the previous key's) answer, which must not be shown, or acted on, as the
//!   live API's.
//! - A future that was in flight while it was asked for again (another source, Refresh, another
//!   question) marks the resource again as it ends. Leptos' resource awaits a running future
//!   before it looks at a newer key, and meanwhile a reader that checks its sources
//!   (`AsyncDerived::update_if_necessary`) can clear the change's dirty mark: the resource would
//!   then keep the old answer and never ask again (found by a double Connect: the table stayed
//!   empty; a Refresh while a detail loaded kept the detail as it was).
//! - A change meant to re-run these resources bumps its trigger first, before it changes
//!   anything their readers track ([`super::Dashboard::refresh`]): woken tasks run in order, and
//!   a reader woken first would clear the resource's mark the same way.

use std::future::Future;
use std::rc::Rc;

use hitl_core::ApiError;
use leptos::prelude::*;

use super::connection::Connection;
use crate::api::Source;
use crate::browser::time::now_ms;

/// An answer with what was asked, the source generation it came from and when it arrived.
#[derive(Clone, Debug)]
pub(crate) struct Stamped<A, T> {
    pub generation: u64,
    /// When the answer arrived (ms since the epoch).
    pub at_ms: f64,
    pub asked: A,
    pub answer: Result<T, ApiError>,
}

/// What a source-bound resource follows: the connection (source and generation), the Refresh
/// counter and the quota pause. Copy; made by [`super::Dashboard::binding`].
#[derive(Clone, Copy)]
pub(crate) struct Binding {
    pub conn: Connection,
    pub refresh: RwSignal<u64>,
    pub paused: Memo<bool>,
}

/// A resource bound to the connected source. Copy.
pub(crate) struct SourceBound<A: 'static, T: 'static> {
    resource: LocalResource<Option<Stamped<A, T>>>,
    generation: RwSignal<u64>,
}

impl<A, T> Clone for SourceBound<A, T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<A, T> Copy for SourceBound<A, T> {}

impl<A: Clone + PartialEq + 'static, T: Clone + 'static> SourceBound<A, T> {
    /// A resource that asks `fetch(source, generation, asked)` whenever `ask` (tracked) gives
    /// `Some(asked)`, and holds nothing while it gives `None`.
    pub(crate) fn new<Fut>(
        b: Binding,
        ask: impl Fn() -> Option<A> + 'static,
        fetch: impl Fn(Source, u64, A) -> Fut + 'static,
    ) -> Self
    where
        Fut: Future<Output = Result<T, ApiError>> + 'static,
    {
        let conn = b.conn;
        let retry = RwSignal::new(0u32);
        let rerun = RwSignal::new(0u32);
        let ask = Rc::new(ask);
        let resource = LocalResource::new(move || {
            let source = conn.source.get();
            let triggers = (
                conn.generation.get_untracked(),
                b.refresh.get(),
                retry.get(),
            );
            rerun.track();
            let generation = triggers.0;
            let call = ask().map(|asked| (asked.clone(), fetch(source, generation, asked)));
            let ask = Rc::clone(&ask);
            async move {
                let (asked, call) = call?;
                let answer = call.await;
                // Asked for again meanwhile (another source, Refresh, another question): see
                // the module's third rule.
                let now = (
                    conn.generation.get_untracked(),
                    b.refresh.get_untracked(),
                    retry.get_untracked(),
                );
                if now != triggers || untrack(|| ask()).as_ref() != Some(&asked) {
                    rerun.update(|n| *n = n.wrapping_add(1));
                }
                Some(Stamped {
                    generation,
                    at_ms: now_ms(),
                    asked,
                    answer,
                })
            }
        });
        let paused = b.paused;
        Effect::new(move |was: Option<bool>| {
            let now = paused.get();
            let refused = || {
                resource.with_untracked(
                    |r| matches!(r, Some(Some(Stamped { answer: Err(e), .. })) if e.is_quota()),
                )
            };
            if was == Some(true) && !now && refused() {
                retry.update(|n| *n = n.wrapping_add(1));
            }
            now
        });
        SourceBound {
            resource,
            generation: conn.generation,
        }
    }

    /// The latest answer if it came from the current source and was not aborted, else `None`
    /// (tracked): nothing asked, the first answer on its way, or only another source's.
    pub(crate) fn with_current<R>(&self, f: impl FnOnce(Option<&Stamped<A, T>>) -> R) -> R {
        let generation = self.generation.get();
        self.resource.with(|r| {
            f(r.as_ref().and_then(Option::as_ref).filter(|s| {
                s.generation == generation && !matches!(s.answer, Err(ApiError::Aborted))
            }))
        })
    }

    /// [`Self::with_current`], untracked.
    pub(crate) fn with_current_untracked<R>(
        &self,
        f: impl FnOnce(Option<&Stamped<A, T>>) -> R,
    ) -> R {
        untrack(|| self.with_current(f))
    }
}
