//! A tiny, safe Markdown subset for `request_text`, which is untrusted.
//!
//! The output is an AST that the view renders with elements and text nodes only, so nothing in
//! the input is ever interpreted as HTML: `<script>` stays the text "<script>". Supported:
//! paragraphs, line breaks (every newline inside a paragraph), `**bold**`, `*italic*` /
//! `_italic_`, `` `code` ``, fenced code blocks, bullet (`-`, `*`, `+`) and numbered (`1.`, `1)`)
//! lists, backslash escapes, and `[links](url)` — where only `http://` and `https://` URLs
//! become links and anything else (`javascript:`, `data:`, relative) stays literal text.
//!
//! Why not a Markdown crate: the app is a wasm download and this is all the request text needs.
//! The parser never panics, runs in linear time on hostile input (unclosed markers, long runs),
//! and never drops a character that is not markup (property-tested).

/// One block of text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Block {
    /// Consecutive non-blank lines; newlines inside become [`Inline::Break`].
    Paragraph(Vec<Inline>),
    /// A bullet (`ordered: false`) or numbered list.
    List { ordered: bool, items: Vec<ListItem> },
    /// A fenced code block: its info string (e.g. a language) and its lines, verbatim.
    Code { lang: String, text: String },
}

/// One list item.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListItem {
    /// The number as written, for numbered lists.
    pub number: Option<u64>,
    pub content: Vec<Inline>,
}

/// Inline content.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Inline {
    Text(String),
    /// A line break.
    Break,
    Bold(Vec<Inline>),
    Italic(Vec<Inline>),
    /// Inline code, verbatim.
    Code(String),
    /// A link; `href` is always an `http://` or `https://` URL (see [`safe_href`]).
    Link {
        href: String,
        content: Vec<Inline>,
    },
}

/// How deeply emphasis and links may nest; deeper markers stay literal text. Bounds the work on
/// hostile input and the depth of the rendered tree.
pub const MAX_NESTING: usize = 16;

/// Parses `src` into blocks.
pub fn parse(src: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut para: Vec<&str> = Vec::new();
    let mut list: Option<OpenList> = None;
    let mut lines = src.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l));
    while let Some(line) = lines.next() {
        if let Some((fence, lang)) = fence_open(line) {
            flush_paragraph(&mut blocks, &mut para);
            flush_list(&mut blocks, &mut list);
            let mut body: Vec<&str> = Vec::new();
            for l in lines.by_ref() {
                if is_fence_close(l, fence) {
                    break;
                }
                body.push(l);
            }
            blocks.push(Block::Code {
                lang: lang.to_owned(),
                text: body.join("\n"),
            });
        } else if line.trim().is_empty() {
            flush_paragraph(&mut blocks, &mut para);
            flush_list(&mut blocks, &mut list);
        } else if let Some((number, rest)) = list_marker(line) {
            flush_paragraph(&mut blocks, &mut para);
            let ordered = number.is_some();
            if list.as_ref().is_some_and(|(o, _)| *o != ordered) {
                flush_list(&mut blocks, &mut list);
            }
            list.get_or_insert_with(|| (ordered, Vec::new()))
                .1
                .push((number, vec![rest]));
        } else if let Some((_, items)) = &mut list {
            // A plain line right after an item continues it.
            if let Some((_, item)) = items.last_mut() {
                item.push(line.trim());
            }
        } else {
            para.push(line.trim());
        }
    }
    flush_paragraph(&mut blocks, &mut para);
    flush_list(&mut blocks, &mut list);
    blocks
}

fn flush_paragraph(blocks: &mut Vec<Block>, para: &mut Vec<&str>) {
    if !para.is_empty() {
        blocks.push(Block::Paragraph(parse_inline(&para.join("\n"))));
        para.clear();
    }
}

/// A list being read: ordered or not, and its items as (number, lines).
type OpenList<'a> = (bool, Vec<(Option<u64>, Vec<&'a str>)>);

fn flush_list(blocks: &mut Vec<Block>, list: &mut Option<OpenList>) {
    if let Some((ordered, items)) = list.take() {
        let items = items
            .into_iter()
            .map(|(number, lines)| ListItem {
                number,
                content: parse_inline(&lines.join("\n")),
            })
            .collect();
        blocks.push(Block::List { ordered, items });
    }
}

/// An opening fence (three or more backticks, info without backticks): its length and info.
fn fence_open(line: &str) -> Option<(usize, &str)> {
    let t = line.trim_start();
    let n = t.bytes().take_while(|&b| b == b'`').count();
    let info = &t[n..];
    (n >= 3 && !info.contains('`')).then(|| (n, info.trim()))
}

fn is_fence_close(line: &str, fence: usize) -> bool {
    let t = line.trim();
    t.len() >= fence && t.bytes().all(|b| b == b'`')
}

/// A list item marker (`- `, `* `, `+ `, `12. `, `3) `): the number if ordered, and the rest.
fn list_marker(line: &str) -> Option<(Option<u64>, &str)> {
    let t = line.trim_start();
    let b = t.as_bytes();
    let spaced = |i: usize| matches!(b.get(i), Some(b' ' | b'\t'));
    if matches!(b.first(), Some(b'-' | b'*' | b'+')) && spaced(1) {
        return Some((None, t[2..].trim()));
    }
    let digits = b.iter().take_while(|c| c.is_ascii_digit()).count();
    // Up to nine digits, no leading zero: the number then prints exactly as written.
    if (1..=9).contains(&digits)
        && (digits == 1 || b[0] != b'0')
        && matches!(b.get(digits), Some(b'.' | b')'))
        && spaced(digits + 1)
    {
        let number = t[..digits].parse().ok()?;
        return Some((Some(number), t[digits + 2..].trim()));
    }
    None
}

/// `dest` when it is a URL we let become a link: `http://` or `https://` (any case) with
/// something after the scheme and no whitespace or control characters. Everything else —
/// `javascript:`, `data:`, `vbscript:`, relative paths, protocol-relative `//host` — is refused.
pub fn safe_href(dest: &str) -> Option<&str> {
    let d = dest.trim();
    let has_prefix =
        |p: &str| d.len() > p.len() && d.as_bytes()[..p.len()].eq_ignore_ascii_case(p.as_bytes());
    let ok = (has_prefix("http://") || has_prefix("https://"))
        && !d.chars().any(|c| c.is_whitespace() || c.is_control());
    ok.then_some(d)
}

/// The text a reader sees, on one line (markers removed, link targets omitted): for summaries.
pub fn plain_text(blocks: &[Block]) -> String {
    fn inlines(out: &mut String, items: &[Inline]) {
        for i in items {
            match i {
                Inline::Text(t) | Inline::Code(t) => out.push_str(t),
                Inline::Break => out.push(' '),
                Inline::Bold(c) | Inline::Italic(c) | Inline::Link { content: c, .. } => {
                    inlines(out, c)
                }
            }
        }
    }
    let mut out = String::new();
    for b in blocks {
        if !out.is_empty() {
            out.push(' ');
        }
        match b {
            Block::Paragraph(c) => inlines(&mut out, c),
            Block::Code { text, .. } => out.push_str(text),
            Block::List { items, .. } => {
                for (k, item) in items.iter().enumerate() {
                    if k > 0 {
                        out.push(' ');
                    }
                    if let Some(n) = item.number {
                        out.push_str(&format!("{n}. "));
                    }
                    inlines(&mut out, &item.content);
                }
            }
        }
    }
    out
}

/// What an open frame is waiting for.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Root,
    /// A run of `*` or `_` of length 1 (italic), 2 (bold) or 3 (both).
    Emphasis(u8, usize),
    Link,
}

struct Frame {
    kind: Kind,
    /// The opening marker, restored as text if the frame never closes.
    marker: &'static str,
    children: Vec<Inline>,
}

fn push_text(children: &mut Vec<Inline>, text: &str) {
    if text.is_empty() {
        return;
    }
    match children.last_mut() {
        Some(Inline::Text(t)) => t.push_str(text),
        _ => children.push(Inline::Text(text.to_owned())),
    }
}

fn push_inline(children: &mut Vec<Inline>, item: Inline) {
    match item {
        Inline::Text(t) => push_text(children, &t),
        other => children.push(other),
    }
}

fn top(stack: &mut [Frame]) -> &mut Vec<Inline> {
    // The root frame is never popped.
    &mut stack.last_mut().expect("root frame").children
}

/// Closes every frame above `pos` as literal text, then pops and returns the frame at `pos`.
fn unwind_to(stack: &mut Vec<Frame>, pos: usize) -> Frame {
    while stack.len() > pos + 1 {
        let f = stack.pop().expect("frame above pos");
        let parent = top(stack);
        push_text(parent, f.marker);
        for c in f.children {
            push_inline(parent, c);
        }
    }
    stack.pop().expect("frame at pos")
}

fn marker(ch: u8, n: usize) -> &'static str {
    match (ch, n) {
        (b'*', 1) => "*",
        (b'*', 2) => "**",
        (b'*', _) => "***",
        (_, 1) => "_",
        (_, 2) => "__",
        _ => "___",
    }
}

fn run_len(b: &[u8], i: usize, ch: u8) -> usize {
    b[i..].iter().take_while(|&&c| c == ch).count()
}

/// Every backtick run as `(start, length)`, in order.
fn backtick_runs(b: &[u8]) -> Vec<(usize, usize)> {
    let mut runs = Vec::new();
    let mut k = 0;
    while k < b.len() {
        if b[k] == b'`' {
            let m = run_len(b, k, b'`');
            runs.push((k, m));
            k += m;
        } else {
            k += 1;
        }
    }
    runs
}

/// After a `]` at `i`: `(dest)` with optional spaces around dest. Returns the destination and
/// the index just past `)`. Stops at the next `]` or whitespace after the destination, so the
/// scans from successive `]` never overlap (linear time).
fn link_dest(s: &str, i: usize) -> Option<(&str, usize)> {
    let b = s.as_bytes();
    if b.get(i + 1) != Some(&b'(') {
        return None;
    }
    let blank = |c: u8| c == b' ' || c == b'\t';
    let mut k = i + 2;
    while k < b.len() && blank(b[k]) {
        k += 1;
    }
    let start = k;
    let mut depth = 0usize;
    while k < b.len() {
        match b[k] {
            b' ' | b'\t' | b'\n' => break,
            b']' => return None,
            b'(' => depth += 1,
            b')' if depth == 0 => break,
            b')' => depth -= 1,
            _ => {}
        }
        k += 1;
    }
    let dest = &s[start..k];
    while k < b.len() && blank(b[k]) {
        k += 1;
    }
    (b.get(k) == Some(&b')')).then(|| (dest, k + 1))
}

/// Parses inline content (newlines become [`Inline::Break`]).
pub fn parse_inline(s: &str) -> Vec<Inline> {
    let b = s.as_bytes();
    let mut stack = vec![Frame {
        kind: Kind::Root,
        marker: "",
        children: Vec::new(),
    }];
    // Backtick runs, a cursor into them (the scan only moves forward), and the lengths known
    // to have no closing run ahead: together they keep hostile input near linear.
    let mut runs: Option<Vec<(usize, usize)>> = None;
    let mut run_cursor = 0;
    let mut unclosed_code: Vec<usize> = Vec::new();
    // Text since the last token, flushed as one slice. Every split point is an ASCII byte, so
    // slicing never cuts a UTF-8 sequence.
    let mut plain = 0;
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\\' if b.get(i + 1).is_some_and(u8::is_ascii_punctuation) => {
                push_text(top(&mut stack), &s[plain..i]);
                push_text(top(&mut stack), &s[i + 1..i + 2]);
                i += 2;
                plain = i;
            }
            b'\n' => {
                push_text(top(&mut stack), &s[plain..i]);
                top(&mut stack).push(Inline::Break);
                i += 1;
                plain = i;
            }
            b'`' => {
                let n = run_len(b, i, b'`');
                let runs = runs.get_or_insert_with(|| backtick_runs(b));
                while runs.get(run_cursor).is_some_and(|r| r.0 < i + n) {
                    run_cursor += 1;
                }
                let close = if unclosed_code.contains(&n) {
                    None
                } else {
                    runs[run_cursor..].iter().find(|r| r.1 == n).map(|r| r.0)
                };
                match close {
                    Some(end) => {
                        push_text(top(&mut stack), &s[plain..i]);
                        let code = s[i + n..end].replace('\n', " ");
                        let code = match code.strip_prefix(' ').and_then(|c| c.strip_suffix(' ')) {
                            Some(inner) if !inner.trim().is_empty() => inner.to_owned(),
                            _ => code,
                        };
                        top(&mut stack).push(Inline::Code(code));
                        i = end + n;
                        plain = i;
                    }
                    None => {
                        unclosed_code.push(n);
                        i += n; // literal backticks stay in the plain run
                    }
                }
            }
            ch @ (b'*' | b'_') => {
                let n = run_len(b, i, ch);
                let prev = s[..i].chars().next_back();
                let next = s[i + n..].chars().next();
                let mut can_open = next.is_some_and(|c| !c.is_whitespace());
                let mut can_close = prev.is_some_and(|c| !c.is_whitespace());
                if ch == b'_' {
                    // snake_case_words are not emphasis.
                    can_open &= !prev.is_some_and(char::is_alphanumeric);
                    can_close &= !next.is_some_and(char::is_alphanumeric);
                }
                if n <= 3 {
                    let kind = Kind::Emphasis(ch, n);
                    let opener = if can_close {
                        stack.iter().rposition(|f| f.kind == kind)
                    } else {
                        None
                    };
                    if let Some(pos) = opener {
                        push_text(top(&mut stack), &s[plain..i]);
                        let f = unwind_to(&mut stack, pos);
                        let node = match n {
                            1 => Inline::Italic(f.children),
                            2 => Inline::Bold(f.children),
                            _ => Inline::Bold(vec![Inline::Italic(f.children)]),
                        };
                        top(&mut stack).push(node);
                        plain = i + n;
                    } else if can_open && stack.len() <= MAX_NESTING {
                        push_text(top(&mut stack), &s[plain..i]);
                        stack.push(Frame {
                            kind,
                            marker: marker(ch, n),
                            children: Vec::new(),
                        });
                        plain = i + n;
                    }
                }
                i += n;
            }
            b'[' => {
                // Links do not nest; the inner bracket stays text.
                if stack.len() <= MAX_NESTING && !stack.iter().any(|f| f.kind == Kind::Link) {
                    push_text(top(&mut stack), &s[plain..i]);
                    stack.push(Frame {
                        kind: Kind::Link,
                        marker: "[",
                        children: Vec::new(),
                    });
                    plain = i + 1;
                }
                i += 1;
            }
            b']' => match link_dest(s, i) {
                Some((dest, end)) => {
                    push_text(top(&mut stack), &s[plain..i]);
                    let raw = &s[i..end];
                    match stack.iter().rposition(|f| f.kind == Kind::Link) {
                        Some(pos) => {
                            let f = unwind_to(&mut stack, pos);
                            let parent = top(&mut stack);
                            match safe_href(dest) {
                                Some(href) => parent.push(Inline::Link {
                                    href: href.to_owned(),
                                    content: f.children,
                                }),
                                None => {
                                    push_text(parent, "[");
                                    for c in f.children {
                                        push_inline(parent, c);
                                    }
                                    push_text(parent, raw);
                                }
                            }
                        }
                        None => push_text(top(&mut stack), raw),
                    }
                    i = end;
                    plain = i;
                }
                None => i += 1,
            },
            _ => i += 1,
        }
    }
    push_text(top(&mut stack), &s[plain..]);
    unwind_to(&mut stack, 0).children
}
