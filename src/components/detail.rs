//! The request detail panel (`?request=<id>`). Placeholder: filled in by the detail work.

use leptos::prelude::*;

/// Shows the request named by the URL's `request` parameter, if any.
#[component]
pub fn DetailPanel() -> impl IntoView {}
