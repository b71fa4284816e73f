//! A small, non-generic DOM builder for large subtrees that are rebuilt as a whole when their
//! data changes (the analytics, the detail panel's content, the panels' lists).
//!
//! Why not `view!`: every distinct view tree and reactive closure is monomorphized into its own
//! build/rebuild/mount code, and these subtrees have hundreds of elements. Here an element is
//! one call with its attributes as data, so a chart costs a few hundred bytes of wasm instead of
//! tens of kilobytes.
//!
//! Text only ever becomes text nodes (never HTML), so untrusted text stays inert; attributes are
//! set one by one (never a `style` attribute: the Content-Security-Policy forbids inline styles).

use hitl_core::{Priority, Status};
use leptos::html::ElementType;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::Element;

const SVG_NS: &str = "http://www.w3.org/2000/svg";

fn finish(parent: &Element, el: Element, attrs: &[(&str, &str)]) -> Element {
    for (name, value) in attrs {
        let _ = el.set_attribute(name, value);
    }
    let _ = parent.append_child(&el);
    el
}

/// Appends `<tag attrs…>` (HTML) to `parent` and returns it.
pub(crate) fn el(parent: &Element, tag: &str, attrs: &[(&str, &str)]) -> Element {
    let el = document()
        .create_element(tag)
        .expect("a valid element name");
    finish(parent, el, attrs)
}

/// Appends an SVG element to `parent` and returns it.
pub(crate) fn svg(parent: &Element, tag: &str, attrs: &[(&str, &str)]) -> Element {
    let el = document()
        .create_element_ns(Some(SVG_NS), tag)
        .expect("a valid element name");
    finish(parent, el, attrs)
}

/// Appends a text node.
pub(crate) fn text(parent: &Element, text: &str) {
    let _ = parent.append_with_str_1(text);
}

/// Appends `<tag attrs…>text</tag>` (HTML) to `parent` and returns it.
pub(crate) fn el_text(
    parent: &Element,
    tag: &str,
    attrs: &[(&str, &str)],
    content: &str,
) -> Element {
    let el = el(parent, tag, attrs);
    text(&el, content);
    el
}

/// Appends a status badge, `<span class="badge" data-status="pending">Pending</span>`: the
/// stylesheet colours it by the value.
pub(crate) fn status_badge(parent: &Element, s: &Status) {
    el_text(
        parent,
        "span",
        &[("class", "badge"), ("data-status", s.as_str())],
        s.label(),
    );
}

/// Appends a priority badge, like [`status_badge`].
pub(crate) fn priority_badge(parent: &Element, p: &Priority) {
    el_text(
        parent,
        "span",
        &[("class", "badge"), ("data-priority", p.as_str())],
        p.label(),
    );
}

/// Appends an SVG element holding `content` as text.
pub(crate) fn svg_text(
    parent: &Element,
    tag: &str,
    attrs: &[(&str, &str)],
    content: &str,
) -> Element {
    let el = svg(parent, tag, attrs);
    text(&el, content);
    el
}

/// Keeps the children of the element behind `target` equal to what `build` appends to it: built
/// once the element is on the page, and again whenever a signal `build` reads changes.
pub(crate) fn fill<E>(target: NodeRef<E>, build: impl Fn(&Element) + 'static)
where
    E: ElementType,
    E::Output: JsCast + Clone + 'static,
{
    // Boxed: one effect type for every caller.
    let build: Box<dyn Fn(&Element)> = Box::new(build);
    Effect::new(move |_| {
        if let Some(el) = target.get() {
            let el: &Element = el.unchecked_ref();
            el.set_text_content(None);
            build(el);
        }
    });
}
