//! The table's body: rows kept by key between renders (a sort moves them, a scroll of the
//! windowed table builds only the rows entering the window, a changed request gets a new key
//! and a new row), spacers for the windowed-out rows, and the skeleton of the first load.

use std::collections::HashMap;

use hitl_core::HitlRequest;
use leptos::prelude::document;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement};

use super::row::{BuiltRow, Live};
use super::window::{Slice, ROW_PX};
use crate::components::dom;

/// What the body holds: its rows in order, the spacers standing in for windowed-out rows, the
/// skeleton shown while the first answer is awaited.
#[derive(Default)]
pub(crate) struct Body {
    pub rows: Vec<BuiltRow>,
    top: Option<Element>,
    bottom: Option<Element>,
    skeleton: Vec<Element>,
}

impl Body {
    pub(crate) fn render(
        &mut self,
        tbody: &Element,
        slice: &Slice,
        rows: &[HitlRequest],
        show_skeleton: bool,
        live: &Live,
    ) {
        // Rows leaving the slice go; the others are kept, in the slice's order.
        let mut kept: HashMap<String, BuiltRow> = self
            .rows
            .drain(..)
            .map(|row| (row.key.clone(), row))
            .collect();
        let mut order = Vec::with_capacity(slice.visible.len());
        for (key, index) in &slice.visible {
            if let Some(row) = kept.remove(key) {
                order.push(row);
            } else if let Some(request) = rows.get(*index as usize) {
                order.push(BuiltRow::build(request, key.clone(), live));
            }
        }
        for gone in kept.into_values() {
            gone.tr.remove();
        }
        if !show_skeleton {
            for el in self.skeleton.drain(..) {
                el.remove();
            }
        }
        spacer(
            tbody,
            &mut self.top,
            slice.hidden_above,
            tbody.first_child(),
        );
        let mut cursor = match &self.top {
            Some(top) => top.next_sibling(),
            None => tbody.first_child(),
        };
        for row in &order {
            let node: &web_sys::Node = &row.tr;
            if cursor.as_ref() == Some(node) {
                cursor = node.next_sibling();
            } else {
                let _ = tbody.insert_before(node, cursor.as_ref());
            }
        }
        spacer(tbody, &mut self.bottom, slice.hidden_below, cursor);
        if show_skeleton && self.skeleton.is_empty() {
            self.skeleton = skeleton(tbody);
        }
        self.rows = order;
    }
}

/// Keeps a spacer row of `hidden` rows' height before `before`, or none when `hidden` is 0.
fn spacer(
    tbody: &Element,
    slot: &mut Option<Element>,
    hidden: usize,
    before: Option<web_sys::Node>,
) {
    if hidden == 0 {
        if let Some(el) = slot.take() {
            el.remove();
        }
        return;
    }
    let tr = slot.get_or_insert_with(|| {
        let tr = document()
            .create_element("tr")
            .expect("a valid element name");
        let _ = tr.set_attribute("class", "spacer");
        let _ = tr.set_attribute("aria-hidden", "true");
        dom::el(&tr, "td", &[("colspan", "10")]);
        tr
    });
    let node: &web_sys::Node = tr;
    if before.as_ref() != Some(node) {
        let _ = tbody.insert_before(node, before.as_ref());
    }
    // Through the CSSOM: the Content-Security-Policy forbids style attributes.
    if let Some(td) = tr
        .first_element_child()
        .and_then(|td| td.dyn_into::<HtmlElement>().ok())
    {
        let _ = td
            .style()
            .set_property("height", &format!("{}px", hidden * ROW_PX as usize));
    }
}

/// Placeholder rows while the first page loads, so the layout does not jump.
fn skeleton(tbody: &Element) -> Vec<Element> {
    (0..8)
        .map(|_| {
            let tr = dom::el(
                tbody,
                "tr",
                &[("class", "skeleton"), ("aria-hidden", "true")],
            );
            for _ in 0..10 {
                dom::el(&dom::el(&tr, "td", &[]), "span", &[]);
            }
            tr
        })
        .collect()
}
