//! The safe Markdown subset: every construct, nesting, unclosed markers, hostile input, and
//! properties (never panics, never loses a character that is not markup).

use std::time::{Duration, Instant};

use hitl_core::markdown::{parse, parse_inline, plain_text, safe_href, Block, Inline, ListItem};
use proptest::prelude::*;

fn text(s: &str) -> Inline {
    Inline::Text(s.to_owned())
}

fn para(items: Vec<Inline>) -> Vec<Block> {
    vec![Block::Paragraph(items)]
}

/// Every string in the AST, in source order: text, code, link text then href, code block info
/// then body, list numbers.
fn all_text(blocks: &[Block]) -> String {
    fn inlines(out: &mut String, items: &[Inline]) {
        for i in items {
            match i {
                Inline::Text(t) | Inline::Code(t) => out.push_str(t),
                Inline::Break => out.push('\n'),
                Inline::Bold(c) | Inline::Italic(c) => inlines(out, c),
                Inline::Link { href, content } => {
                    inlines(out, content);
                    out.push_str(href);
                }
            }
        }
    }
    let mut out = String::new();
    for b in blocks {
        match b {
            Block::Paragraph(c) => inlines(&mut out, c),
            Block::Code { lang, text } => {
                out.push_str(lang);
                out.push_str(text);
            }
            Block::List { items, .. } => {
                for item in items {
                    if let Some(n) = item.number {
                        out.push_str(&n.to_string());
                    }
                    inlines(&mut out, &item.content);
                }
            }
        }
        out.push('\n');
    }
    out
}

/// Characters the parser may consume as markup; everything else must survive.
fn significant(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace() && !"*_`[]()\\.-+".contains(*c))
        .collect()
}

/// No link anywhere in the tree.
fn has_link(blocks: &[Block]) -> bool {
    fn any(items: &[Inline]) -> bool {
        items.iter().any(|i| match i {
            Inline::Link { .. } => true,
            Inline::Bold(c) | Inline::Italic(c) => any(c),
            _ => false,
        })
    }
    blocks.iter().any(|b| match b {
        Block::Paragraph(c) => any(c),
        Block::List { items, .. } => items.iter().any(|i| any(&i.content)),
        Block::Code { .. } => false,
    })
}

// ---- constructs -------------------------------------------------------------------------------

#[test]
fn empty_and_blank_input_have_no_blocks() {
    assert_eq!(parse(""), vec![]);
    assert_eq!(parse("  \n\t\n \r\n"), vec![]);
}

#[test]
fn paragraphs_split_on_blank_lines_and_keep_line_breaks() {
    assert_eq!(
        parse("one\ntwo\n\n  three  \r\n"),
        vec![
            Block::Paragraph(vec![text("one"), Inline::Break, text("two")]),
            Block::Paragraph(vec![text("three")]),
        ]
    );
}

#[test]
fn bold_italic_and_both() {
    assert_eq!(
        parse("a **b** c"),
        para(vec![text("a "), Inline::Bold(vec![text("b")]), text(" c")])
    );
    assert_eq!(
        parse("*i* and _j_"),
        para(vec![
            Inline::Italic(vec![text("i")]),
            text(" and "),
            Inline::Italic(vec![text("j")]),
        ])
    );
    assert_eq!(parse("__u__"), para(vec![Inline::Bold(vec![text("u")])]));
    assert_eq!(
        parse("***x***"),
        para(vec![Inline::Bold(vec![Inline::Italic(vec![text("x")])])])
    );
}

#[test]
fn emphasis_nests() {
    assert_eq!(
        parse("**bold _it_ more**"),
        para(vec![Inline::Bold(vec![
            text("bold "),
            Inline::Italic(vec![text("it")]),
            text(" more"),
        ])])
    );
    assert_eq!(
        parse("*a **b** c*"),
        para(vec![Inline::Italic(vec![
            text("a "),
            Inline::Bold(vec![text("b")]),
            text(" c"),
        ])])
    );
}

#[test]
fn emphasis_spans_a_line_break() {
    assert_eq!(
        parse("**a\nb**"),
        para(vec![Inline::Bold(vec![
            text("a"),
            Inline::Break,
            text("b")
        ])])
    );
}

#[test]
fn underscores_inside_words_are_not_emphasis() {
    assert_eq!(
        parse("snake_case_name"),
        para(vec![text("snake_case_name")])
    );
    assert_eq!(parse("a * b * c"), para(vec![text("a * b * c")]));
    assert_eq!(
        parse("2*3*4"),
        para(vec![text("2"), Inline::Italic(vec![text("3")]), text("4")])
    );
}

#[test]
fn unclosed_markers_stay_literal() {
    for s in [
        "**bold",
        "*it",
        "_it",
        "`code",
        "[text",
        "[text](https://x.example",
        "a ** b",
        "****x****",
        "**a*",
        "[a]",
        "[a] (https://x.example)",
    ] {
        assert_eq!(parse(s), para(vec![text(s)]), "{s}");
    }
}

#[test]
fn inner_unclosed_marker_inside_closed_one() {
    assert_eq!(
        parse("**a *b**"),
        para(vec![Inline::Bold(vec![text("a *b")])])
    );
}

#[test]
fn inline_code_is_verbatim() {
    assert_eq!(
        parse("run `**not bold** <b>` now"),
        para(vec![
            text("run "),
            Inline::Code("**not bold** <b>".into()),
            text(" now")
        ])
    );
    assert_eq!(
        parse("`` a ` b ``"),
        para(vec![Inline::Code("a ` b".into())])
    );
    assert_eq!(parse("` x `"), para(vec![Inline::Code("x".into())]));
    assert_eq!(parse("`a\nb`"), para(vec![Inline::Code("a b".into())]));
    assert_eq!(
        parse("`[x](https://a.example)`"),
        para(vec![Inline::Code("[x](https://a.example)".into())])
    );
}

#[test]
fn backslash_escapes_markup() {
    assert_eq!(parse(r"\*not\* \[x\]"), para(vec![text("*not* [x]")]));
    assert_eq!(parse(r"C:\path"), para(vec![text(r"C:\path")]));
}

#[test]
fn fenced_code_blocks_keep_lines_verbatim() {
    assert_eq!(
        parse("before\n```json\n{\"a\": \"<b>\"}\n  **x**\n```\nafter"),
        vec![
            Block::Paragraph(vec![text("before")]),
            Block::Code {
                lang: "json".into(),
                text: "{\"a\": \"<b>\"}\n  **x**".into()
            },
            Block::Paragraph(vec![text("after")]),
        ]
    );
    // Unclosed: runs to the end.
    assert_eq!(
        parse("````\na\n```\nb"),
        vec![Block::Code {
            lang: String::new(),
            text: "a\n```\nb".into()
        }]
    );
    // Backticks in the info string: not a fence.
    assert_eq!(parse("```a`b"), para(vec![text("```a`b")]));
}

#[test]
fn bullet_lists() {
    assert_eq!(
        parse("Options:\n- **Approve**\n* Reject\n+ Escalate\n  to legal"),
        vec![
            Block::Paragraph(vec![text("Options:")]),
            Block::List {
                ordered: false,
                items: vec![
                    ListItem {
                        number: None,
                        content: vec![Inline::Bold(vec![text("Approve")])]
                    },
                    ListItem {
                        number: None,
                        content: vec![text("Reject")]
                    },
                    ListItem {
                        number: None,
                        content: vec![text("Escalate"), Inline::Break, text("to legal")]
                    },
                ]
            },
        ]
    );
}

#[test]
fn numbered_lists_keep_their_numbers() {
    assert_eq!(
        parse("1. one\n2) two\n\n7. seven"),
        vec![
            Block::List {
                ordered: true,
                items: vec![
                    ListItem {
                        number: Some(1),
                        content: vec![text("one")]
                    },
                    ListItem {
                        number: Some(2),
                        content: vec![text("two")]
                    },
                ]
            },
            Block::List {
                ordered: true,
                items: vec![ListItem {
                    number: Some(7),
                    content: vec![text("seven")]
                }]
            },
        ]
    );
    // A switch of kind starts a new list; not-quite markers are text.
    assert_eq!(parse("1. a\n- b").len(), 2);
    for s in [
        "1.5 litres",
        "01. x",
        "1234567890. x",
        "-no space",
        "*emphasis*",
    ] {
        assert!(matches!(&parse(s)[..], [Block::Paragraph(_)]), "{s}");
    }
}

#[test]
fn links_with_http_and_https() {
    assert_eq!(
        parse("see [the **docs**](https://docs.hitl.sh/a_(b)) now"),
        para(vec![
            text("see "),
            Inline::Link {
                href: "https://docs.hitl.sh/a_(b)".into(),
                content: vec![text("the "), Inline::Bold(vec![text("docs")])]
            },
            text(" now"),
        ])
    );
    assert_eq!(
        parse("[x]( HTTP://A.example )"),
        para(vec![Inline::Link {
            href: "HTTP://A.example".into(),
            content: vec![text("x")]
        }])
    );
}

#[test]
fn links_do_not_nest() {
    assert_eq!(
        parse("[a [b](https://b.example)](https://a.example)"),
        para(vec![
            Inline::Link {
                href: "https://b.example".into(),
                content: vec![text("a [b")]
            },
            text("](https://a.example)"),
        ])
    );
}

// ---- hostile input ----------------------------------------------------------------------------

#[test]
fn raw_html_is_text() {
    for s in [
        "<img src=x onerror=alert(1)>",
        "<script>alert(1)</script>",
        "<img src=x onerror=\"window.__xss=1\"> please review",
        "<a href=\"javascript:alert(1)\">x</a>",
        "&lt;script&gt;",
    ] {
        assert_eq!(parse(s), para(vec![text(s)]), "{s}");
    }
}

#[test]
fn only_http_links_become_links() {
    for s in [
        "[x](javascript:alert(1))",
        "[x](JAVASCRIPT:alert(1))",
        "[x](JaVaScRiPt:alert(1))",
        "[x]( javascript:alert(1))",
        "[x](\tjavascript:alert(1) )",
        "[x](data:text/html,<script>alert(1)</script>)",
        "[x](vbscript:msgbox(1))",
        "[x](/relative/path)",
        "[x](//evil.example)",
        "[x](https://)",
        "[x](http:)",
        "[x](https:evil.example)",
        "[x](ftp://files.example)",
        "[x](java\u{0}script:alert(1))",
    ] {
        let blocks = parse(s);
        assert!(!has_link(&blocks), "{s} became a link: {blocks:?}");
        assert_eq!(significant(&all_text(&blocks)), significant(s), "{s}");
    }
    // The seed's hostile string: the link is text, the bold still works, the HTML is text.
    assert_eq!(
        parse("[click me](javascript:window.__xss=3) **bold** <b>raw</b>"),
        para(vec![
            text("[click me](javascript:window.__xss=3) "),
            Inline::Bold(vec![text("bold")]),
            text(" <b>raw</b>"),
        ])
    );
}

#[test]
fn safe_href_rules() {
    assert_eq!(
        safe_href("https://a.example/x?y=1"),
        Some("https://a.example/x?y=1")
    );
    assert_eq!(safe_href(" http://a.example "), Some("http://a.example"));
    assert_eq!(safe_href("HTTPS://A.EXAMPLE"), Some("HTTPS://A.EXAMPLE"));
    for bad in [
        "javascript:alert(1)",
        " javascript:alert(1)",
        "https://a.example/\u{7}",
        "https://a b",
        "https://",
        "",
        "é",
        "httpé://x",
    ] {
        assert_eq!(safe_href(bad), None, "{bad:?}");
    }
}

#[test]
fn unicode_survives() {
    let s = "Prüfe **Größe** — 日本語 _テスト_ 🛡️ [lien é](https://exemple.fr/é)";
    let blocks = parse(s);
    assert_eq!(
        blocks,
        para(vec![
            text("Prüfe "),
            Inline::Bold(vec![text("Größe")]),
            text(" — 日本語 "),
            Inline::Italic(vec![text("テスト")]),
            text(" 🛡️ "),
            Inline::Link {
                href: "https://exemple.fr/é".into(),
                content: vec![text("lien é")]
            },
        ])
    );
    assert_eq!(plain_text(&blocks), "Prüfe Größe — 日本語 テスト 🛡️ lien é");
}

#[test]
fn deep_nesting_is_bounded() {
    let s = "*a _b ".repeat(200) + &"c_ d* ".repeat(200);
    let blocks = parse(&s);
    fn depth(items: &[Inline]) -> usize {
        items
            .iter()
            .map(|i| match i {
                Inline::Bold(c) | Inline::Italic(c) | Inline::Link { content: c, .. } => {
                    1 + depth(c)
                }
                _ => 0,
            })
            .max()
            .unwrap_or(0)
    }
    let Block::Paragraph(items) = &blocks[0] else {
        panic!("one paragraph")
    };
    assert!(depth(items) <= hitl_core::markdown::MAX_NESTING);
    assert_eq!(significant(&all_text(&blocks)), significant(&s));
}

#[test]
fn long_hostile_input_is_fast() {
    let n = 200_000;
    let inputs = [
        "*".repeat(n),
        "*a ".repeat(n / 3),
        "a* ".repeat(n / 3),
        "_a ".repeat(n / 3),
        "[".repeat(n),
        "](".repeat(n / 2),
        "[a](".repeat(n / 4),
        "](((".repeat(n / 4),
        "`".repeat(n),
        (1..700).map(|k| "`".repeat(k) + " ").collect::<String>(),
        "\\".repeat(n),
        "- ".repeat(n / 2),
        "1. x\n".repeat(n / 5),
        "```\n".repeat(n / 4),
        "**[*_`".repeat(n / 6),
        format!("[x]({})", "(".repeat(n)),
        "<img src=x onerror=alert(1)>".repeat(n / 28),
    ];
    for s in &inputs {
        let start = Instant::now();
        let blocks = parse(s);
        let took = start.elapsed();
        // Generous: debug builds on a slow shared core. Quadratic behaviour would take minutes.
        assert!(
            took < Duration::from_secs(3),
            "{took:?} for {}…",
            &s[..20.min(s.len())]
        );
        assert_eq!(significant(&all_text(&blocks)), significant(s));
    }
}

#[test]
fn plain_text_for_summaries() {
    assert_eq!(
        plain_text(&parse(
            "Approve **$184.20**\nfor order\n\n- a\n- [b](https://b.example)"
        )),
        "Approve $184.20 for order a b"
    );
    assert_eq!(plain_text(&parse("1. x\n2. y")), "1. x 2. y");
}

#[test]
fn parse_inline_alone() {
    assert_eq!(
        parse_inline("a\n*b*"),
        vec![text("a"), Inline::Break, Inline::Italic(vec![text("b")])]
    );
}

// ---- properties -------------------------------------------------------------------------------

/// Strings built from markup pieces and arbitrary characters, so markers meet each other often.
fn markdownish() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        4 => "\\PC{0,6}",
        3 => prop::sample::select(vec![
            "*", "**", "***", "_", "__", "`", "``", "```", "[", "]", "(", ")", "](", "\\", "\n",
            "\n\n", "- ", "* ", "1. ", "12) ", " ", "\t", "\r\n", "https://a.example",
            "javascript:", "<script>", "é", "日本", "🛡️",
        ])
        .prop_map(str::to_owned),
    ];
    prop::collection::vec(piece, 0..40).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn never_panics_on_arbitrary_strings(s in "\\PC{0,200}") {
        let _ = parse(&s);
    }

    #[test]
    fn never_panics_on_any_chars(s in any::<String>()) {
        let _ = parse(&s);
    }

    #[test]
    fn keeps_every_character_that_is_not_markup(s in markdownish()) {
        let blocks = parse(&s);
        prop_assert_eq!(significant(&all_text(&blocks)), significant(&s));
    }

    #[test]
    fn every_link_is_http_or_https(s in markdownish()) {
        fn check(items: &[Inline]) -> bool {
            items.iter().all(|i| match i {
                Inline::Link { href, content } => {
                    let h = href.to_ascii_lowercase();
                    (h.starts_with("http://") || h.starts_with("https://")) && check(content)
                }
                Inline::Bold(c) | Inline::Italic(c) => check(c),
                _ => true,
            })
        }
        for b in parse(&s) {
            match b {
                Block::Paragraph(c) => prop_assert!(check(&c)),
                Block::List { items, .. } => {
                    for i in items {
                        prop_assert!(check(&i.content));
                    }
                }
                Block::Code { .. } => {}
            }
        }
    }
}
