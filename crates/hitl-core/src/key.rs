//! What an API key and an API base URL may look like before they are used.
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

/// The documented API base, used when the field is left empty.
pub const DEFAULT_BASE: &str = "https://api.hitl.sh";

/// An API base URL as the dashboard uses it, and what was changed in the one typed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Base {
    /// Without a trailing slash or API path: the dashboard adds `/v1/api/…` itself.
    pub url: String,
    /// Said to the user when the typed URL was changed (a path the dashboard adds itself).
    pub note: Option<String>,
}

/// The base URL for `typed`: empty means [`DEFAULT_BASE`]; trailing slashes go, and so does a
/// trailing `/v1`, `/v1/api` or `/v1/api/requests` (pasted from the API's documentation), which
/// would otherwise make every call go to `/v1/v1/api/…` and answer "Not found".
pub fn normalize_base(typed: &str) -> Base {
    let trimmed = typed.trim().trim_end_matches('/');
    if trimmed.is_empty() {
        return Base {
            url: DEFAULT_BASE.to_owned(),
            note: None,
        };
    }
    for suffix in ["/v1/api/requests", "/v1/api", "/v1"] {
        let cut = trimmed.len().saturating_sub(suffix.len());
        if trimmed.len() > suffix.len()
            && trimmed.is_char_boundary(cut)
            && trimmed[cut..].eq_ignore_ascii_case(suffix)
        {
            let url = trimmed[..cut].trim_end_matches('/').to_owned();
            let note = format!(
                "Using {url}: the dashboard adds {} itself.",
                &trimmed[cut..]
            );
            return Base {
                url,
                note: Some(note),
            };
        }
    }
    Base {
        url: trimmed.to_owned(),
        note: None,
    }
}

#[cfg(test)]
mod tests {
    use super::{key_problem, normalize_base, DEFAULT_BASE};

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

    #[test]
    fn a_base_url_loses_the_api_path_the_dashboard_adds_itself() {
        let b = |s: &str| normalize_base(s);
        assert_eq!(b("").url, DEFAULT_BASE);
        assert_eq!(b("  https://api.hitl.sh/ ").url, "https://api.hitl.sh");
        assert_eq!(b("https://api.hitl.sh").note, None);
        for typed in [
            "https://api.hitl.sh/v1",
            "https://api.hitl.sh/v1/",
            "https://api.hitl.sh/V1",
            "https://api.hitl.sh/v1/api",
            "https://api.hitl.sh/v1/api/requests/",
        ] {
            let base = b(typed);
            assert_eq!(base.url, "https://api.hitl.sh", "{typed}");
            assert!(base
                .note
                .unwrap()
                .starts_with("Using https://api.hitl.sh: the dashboard adds /"));
        }
        // A proxy under a path keeps it; a path merely ending in "v1" is not cut.
        assert_eq!(
            b("https://example.com/hitl/v1").url,
            "https://example.com/hitl"
        );
        assert_eq!(
            b("https://example.com/apiv1").url,
            "https://example.com/apiv1"
        );
        assert_eq!(b("/v1").url, "/v1");
    }
}
