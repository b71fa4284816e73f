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
pub fn el(parent: &Element, tag: &str, attrs: &[(&str, &str)]) -> Element {
    let el = document()
        .create_element(tag)
        .expect("a valid element name");
    finish(parent, el, attrs)
}

/// Appends an SVG element to `parent` and returns it.
pub fn svg(parent: &Element, tag: &str, attrs: &[(&str, &str)]) -> Element {
    let el = document()
        .create_element_ns(Some(SVG_NS), tag)
        .expect("a valid element name");
    finish(parent, el, attrs)
}

/// Appends a text node.
pub fn text(parent: &Element, text: &str) {
    let _ = parent.append_with_str_1(text);
}

/// Appends `<tag attrs…>text</tag>` (HTML) to `parent` and returns it.
pub fn el_text(parent: &Element, tag: &str, attrs: &[(&str, &str)], content: &str) -> Element {
    let el = el(parent, tag, attrs);
    text(&el, content);
    el
}

/// Appends a status badge, `<span class="badge" data-status="pending">Pending</span>`: the
/// stylesheet colours it by the value.
pub fn status_badge(parent: &Element, s: &Status) {
    el_text(
        parent,
        "span",
        &[("class", "badge"), ("data-status", s.as_str())],
        s.label(),
    );
}

/// Appends a priority badge, like [`status_badge`].
pub fn priority_badge(parent: &Element, p: &Priority) {
    el_text(
        parent,
        "span",
        &[("class", "badge"), ("data-priority", p.as_str())],
        p.label(),
    );
}

/// Appends an SVG element holding `content` as text.
pub fn svg_text(parent: &Element, tag: &str, attrs: &[(&str, &str)], content: &str) -> Element {
    let el = svg(parent, tag, attrs);
    text(&el, content);
    el
}

/// Keeps the children of the element behind `target` equal to what `build` appends to it: built
/// once the element is on the page, and again whenever a signal `build` reads changes.
pub fn fill<E>(target: NodeRef<E>, build: impl Fn(&Element) + 'static)
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

/// What [`bind`] keeps current on an element.
#[derive(Clone, Copy)]
pub enum Bound {
    /// An attribute, removed while the value is `None` (for `disabled`, `hidden`: [`flag`]).
    Attr(&'static str),
    /// The text content (`None`: empty).
    Text,
    /// An input's `value` property (what it shows), not its attribute.
    Value,
}

/// `Some("")` when `on`: the value of a boolean attribute for [`bind`].
pub fn flag(on: bool) -> Option<String> {
    on.then(String::new)
}

/// Keeps `what` of `el` equal to `value()`: set once the current render is done, and again
/// whenever a signal `value` reads changes (only when the value changed). The fine-grained
/// update of a `view!` attribute, but one compiled effect for every binding in the app.
pub fn bind(el: &Element, what: Bound, value: impl Fn() -> Option<String> + 'static) {
    // Boxed: one effect type for every caller.
    let value: Box<dyn Fn() -> Option<String>> = Box::new(value);
    let el = el.clone();
    Effect::new(move |prev: Option<Option<String>>| {
        let now = value();
        if prev.as_ref() != Some(&now) {
            match (what, &now) {
                (Bound::Attr(name), Some(v)) => {
                    let _ = el.set_attribute(name, v);
                }
                (Bound::Attr(name), None) => {
                    let _ = el.remove_attribute(name);
                }
                (Bound::Text, v) => el.set_text_content(v.as_deref()),
                (Bound::Value, v) => {
                    if let Some(input) = el.dyn_ref::<web_sys::HtmlInputElement>() {
                        input.set_value(v.as_deref().unwrap_or_default());
                    }
                }
            }
        }
        now
    });
}

/// Appends `<button type="button" data-action=action attrs…>label</button>`: a click on it
/// reaches the delegated handler of an ancestor as `action` (see [`action`]).
pub fn button(parent: &Element, action: &str, label: &str, attrs: &[(&str, &str)]) -> Element {
    let b = el_text(
        parent,
        "button",
        &[("type", "button"), ("data-action", action)],
        label,
    );
    for (name, value) in attrs {
        let _ = b.set_attribute(name, value);
    }
    b
}

/// The `data-action` of the enabled button an event happened in, if any: for one delegated
/// click handler per DOM-built view instead of a listener per button.
pub fn action(ev: &web_sys::Event) -> Option<String> {
    let button = ev
        .target()
        .and_then(|t| t.dyn_into::<Element>().ok())?
        .closest("button[data-action]")
        .ok()??;
    (!button.has_attribute("disabled")).then(|| button.get_attribute("data-action"))?
}
