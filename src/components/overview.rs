//! Status cards, panels and analytics. Placeholder: filled in by the overview work.

use leptos::prelude::*;

/// One card per status with its total for the current non-status filters.
#[component]
pub fn StatusCards() -> impl IntoView {}

/// Analytics over the loaded set, and the "Analyze all matching" control.
#[component]
pub fn Overview() -> impl IntoView {}
