//! What an API key may look like before it is sent.
//!
//! The key travels in an HTTP header (`Authorization: Bearer <key>`). A browser refuses, with an
//! exception rather than an error status, to set a header holding a character above U+00FF, and
//! a key pasted from a chat or a document easily carries an invisible one (a zero-width space, a
//! non-breaking space, curly quotes). So a key is checked when it is entered and when a
//! remembered one is restored: printable ASCII only, without spaces. HITL.sh keys are such
//! strings; anything else could only earn a 401 anyway.

/// Why `key` (as typed or pasted) cannot be used, or `None` when it can. Surrounding whitespace
/// is ignored: it is trimmed before use.
pub fn key_problem(key: &str) -> Option<&'static str> {
    let key = key.trim();
    if key.is_empty() {
        return Some("Enter an API key to connect, or use the demo data.");
    }
    if key.chars().all(|c| c.is_ascii_graphic()) {
        None
    } else {
        Some(
            "This API key contains a space, an invisible or a non-ASCII character (often picked \
             up when copying). Copy the key again from HITL.sh, or type it.",
        )
    }
}

#[cfg(test)]
mod tests {
    use super::key_problem;

    #[test]
    fn plain_keys_pass_and_surrounding_whitespace_is_ignored() {
        assert_eq!(key_problem("hitl_live_0123456789abcdef"), None);
        assert_eq!(key_problem("  sk-AbC.def_123~!  \n"), None);
    }

    #[test]
    fn empty_keys_ask_for_one() {
        for key in ["", "   ", "\t\n"] {
            assert!(
                key_problem(key).unwrap().starts_with("Enter an API key"),
                "{key:?}"
            );
        }
    }

    #[test]
    fn characters_a_header_cannot_carry_are_named_not_sent() {
        // Zero-width space, non-breaking space, curly quote, inner space, accented letter,
        // a control character: each would make the browser throw or the server answer 401.
        for key in [
            "abc\u{200b}",
            "abc\u{a0}def",
            "\u{201c}abc\u{201d}",
            "abc def",
            "clé",
            "a\u{7}b",
        ] {
            let problem = key_problem(key).unwrap_or_else(|| panic!("{key:?} passed"));
            assert!(problem.contains("invisible"), "{key:?}: {problem}");
        }
    }
}
