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
//! - One call at a time: asked again while a call is on its way, it asks once more, with what
//!   is current, when that call ends (so a double Connect asks the last source once).
//!
//! It is an effect and a signal, not a `LocalResource`: an async derived's "changed" mark can
//! be cleared by any reader that checks its sources first (reactive_graph's
//! `AsyncDerived::update_if_necessary`), and the resource then keeps its old answer (seen: the
//! table kept the copy's rows under "Live API" after a sync stopped). An effect's mark is
//! its own.

use std::future::Future;

use hitl_core::ApiError;
use leptos::prelude::*;
use leptos::task::spawn_local;

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
    answer: RwSignal<Option<Stamped<A, T>>, LocalStorage>,
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
        let answer = RwSignal::new_local(None::<Stamped<A, T>>);
        let retry = RwSignal::new(0u32);
        // A call on its way, and whether the resource was asked again meanwhile.
        let running = StoredValue::new(false);
        let again = StoredValue::new(false);
        let next = RwSignal::new(0u32);
        Effect::new(move |_| {
            let source = conn.source.get();
            b.refresh.track();
            retry.track();
            next.track();
            let asked = ask();
            if running.get_value() {
                again.set_value(true);
                return;
            }
            let Some(asked) = asked else {
                answer.set(None);
                return;
            };
            let generation = conn.generation.get_untracked();
            let call = fetch(source, generation, asked.clone());
            running.set_value(true);
            spawn_local(async move {
                let result = call.await;
                let _ = running.try_set_value(false);
                let _ = answer.try_set(Some(Stamped {
                    generation,
                    at_ms: now_ms(),
                    asked,
                    answer: result,
                }));
                if again.try_update_value(std::mem::take) == Some(true) {
                    next.try_update(|n| *n = n.wrapping_add(1));
                }
            });
        });
        let paused = b.paused;
        Effect::new(move |was: Option<bool>| {
            let now = paused.get();
            let refused = || {
                answer.with_untracked(
                    |r| matches!(r, Some(Stamped { answer: Err(e), .. }) if e.is_quota()),
                )
            };
            if was == Some(true) && !now && refused() {
                retry.update(|n| *n = n.wrapping_add(1));
            }
            now
        });
        SourceBound {
            answer,
            generation: conn.generation,
        }
    }

    /// The latest answer if it came from the current source and was not aborted, else `None`
    /// (tracked): nothing asked, the first answer on its way, or only another source's.
    pub(crate) fn with_current<R>(&self, f: impl FnOnce(Option<&Stamped<A, T>>) -> R) -> R {
        let generation = self.generation.get();
        self.answer.with(|r| {
            f(r.as_ref().filter(|s| {
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
