//! Markdown to DOM: [`hitl_core::markdown`]'s AST as elements and text nodes, never as HTML.

use hitl_core::markdown::{Block, Inline};
use web_sys::Element;

use crate::components::dom::{self, el, el_text};

/// One markdown block as elements and text nodes.
pub(crate) fn block(parent: &Element, b: Block) {
    match b {
        Block::Paragraph(items) => inlines(&el(parent, "p", &[]), items),
        Block::Code { text, .. } => {
            el_text(&el(parent, "pre", &[]), "code", &[], &text);
        }
        Block::List { ordered, items } => {
            let list = el(parent, if ordered { "ol" } else { "ul" }, &[]);
            for i in items {
                let li = el(&list, "li", &[]);
                if let Some(n) = i.number {
                    let _ = li.set_attribute("value", &n.to_string());
                }
                inlines(&li, i.content);
            }
        }
    }
}

fn inlines(parent: &Element, items: Vec<Inline>) {
    for i in items {
        match i {
            Inline::Text(t) => dom::text(parent, &t),
            Inline::Break => {
                el(parent, "br", &[]);
            }
            Inline::Bold(c) => inlines(&el(parent, "strong", &[]), c),
            Inline::Italic(c) => inlines(&el(parent, "em", &[]), c),
            Inline::Code(t) => {
                el_text(parent, "code", &[], &t);
            }
            // `href` is http(s) only (hitl_core::markdown::safe_href).
            Inline::Link { href, content } => inlines(
                &el(
                    parent,
                    "a",
                    &[
                        ("href", &href),
                        ("rel", "noopener noreferrer"),
                        ("target", "_blank"),
                    ],
                ),
                content,
            ),
        }
    }
}
