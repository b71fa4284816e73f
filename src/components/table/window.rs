//! The table's order and window: the loaded rows sorted by the chosen header (as indices, rows
//! are never moved), and above [`WINDOW_THRESHOLD`] rows only the slice around the visible part.

use std::sync::Arc;

use hitl_core::sorting::{sort_permutation, sort_permutation_named, Column, SortState};
use hitl_core::HitlRequest;
use leptos::prelude::*;

use super::row::row_key;
use crate::state::Names;

/// Above this many rows only the visible window is rendered.
pub(crate) const WINDOW_THRESHOLD: usize = 1_000;
/// Row height in windowed mode (px); windowed rows are one line (see `.windowed` in the CSS).
pub(crate) const ROW_PX: f64 = 36.0;
/// Rows rendered above and below the visible window.
const OVERSCAN: usize = 15;

/// The display order as indices into `rows`.
pub(crate) fn order(
    rows: Signal<Arc<Vec<HitlRequest>>>,
    names: Signal<Arc<Names>>,
    sort: RwSignal<Option<SortState>>,
) -> Memo<Vec<u32>> {
    Memo::new(move |_| {
        let sort = sort.get();
        rows.with(|r| match sort {
            // These two show names where known: sorted by what is shown (and again when the
            // names arrive).
            Some(s) if matches!(s.column, Column::Reviewer | Column::Loop) => {
                names.with(|n| sort_permutation_named(r, s.column, s.direction, &n.loops, &n.users))
            }
            Some(s) => sort_permutation(r, s.column, s.direction),
            None => (0..r.len() as u32).collect(),
        })
    })
}

/// What to render: the window of `order` (all of it below the threshold) as row keys, in one
/// memo, which alone decides what the body shows. A body reading `order` beside a window memo
/// derived from it would be a diamond that reactive_graph can miss a change through (see the
/// reactive rules in ARCHITECTURE.md): a windowed table showed each sort one click late.
pub(crate) fn slice(
    rows: Signal<Arc<Vec<HitlRequest>>>,
    order: Memo<Vec<u32>>,
    scroll_top: RwSignal<f64>,
    viewport: RwSignal<f64>,
) -> Memo<Slice> {
    Memo::new(move |_| {
        order.with(|order| {
            let n = order.len();
            let (start, end) = if n > WINDOW_THRESHOLD {
                let first = (scroll_top.get() / ROW_PX) as usize;
                let start = first.saturating_sub(OVERSCAN).min(n);
                let count = (viewport.get() / ROW_PX).ceil() as usize + 2 * OVERSCAN;
                (start, (start + count).min(n))
            } else {
                (0, n)
            };
            let visible = rows.with(|rows| {
                order[start..end]
                    .iter()
                    .filter_map(|&i| rows.get(i as usize).map(|r| (row_key(r), i)))
                    .collect::<Vec<_>>()
            });
            Slice {
                hidden_above: start,
                hidden_below: n - end,
                visible,
            }
        })
    })
}

/// The rows to render (keys and indices into the loaded rows) and how many are windowed out
/// above and below.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Slice {
    pub hidden_above: usize,
    pub hidden_below: usize,
    pub visible: Vec<(String, u32)>,
}
