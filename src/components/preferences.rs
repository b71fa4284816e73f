//! The header's display preferences, remembered on this device: colour theme (system, light,
//! dark) and times in local time or UTC ([`TimeDisplay`]).

use leptos::prelude::*;

use crate::browser::{storage_get, storage_set};
use crate::state::TimeDisplay;

const THEME_ENTRY: &str = "hitl.theme";

/// The colour theme.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Theme {
    System,
    Light,
    Dark,
}

impl Theme {
    fn from_entry(s: Option<&str>) -> Self {
        match s {
            Some("light") => Theme::Light,
            Some("dark") => Theme::Dark,
            _ => Theme::System,
        }
    }
    fn entry(self) -> &'static str {
        match self {
            Theme::System => "system",
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }
    fn next(self) -> Self {
        match self {
            Theme::System => Theme::Light,
            Theme::Light => Theme::Dark,
            Theme::Dark => Theme::System,
        }
    }
    fn label(self) -> &'static str {
        match self {
            Theme::System => "Theme: system",
            Theme::Light => "Theme: light",
            Theme::Dark => "Theme: dark",
        }
    }
    /// Applies the theme to `<html data-theme>`; "system" leaves it to prefers-color-scheme.
    fn apply(self) {
        if let Some(root) = crate::browser::document().and_then(|d| d.document_element()) {
            let _ = match self {
                Theme::System => root.remove_attribute("data-theme"),
                other => root.set_attribute("data-theme", other.entry()),
            };
        }
    }
}

/// The header's theme and time-zone toggles.
#[component]
pub(crate) fn PreferenceToggles() -> impl IntoView {
    let time = expect_context::<TimeDisplay>();
    let theme = RwSignal::new(Theme::from_entry(storage_get(THEME_ENTRY).as_deref()));
    theme.get_untracked().apply();
    let cycle = move |_| {
        let next = theme.get_untracked().next();
        theme.set(next);
        next.apply();
        storage_set(THEME_ENTRY, next.entry());
    };
    view! {
        <button type="button" class="pref" on:click=cycle
            title="Switch between the system's colour scheme, light and dark">
            {move || theme.get().label()}
        </button>
        <button type="button" class="pref" on:click=move |_| time.toggle()
            aria-pressed=move || time.utc.get().to_string()
            title="Show times in UTC instead of this browser's time zone">
            // "local" says which state this is even where the local zone is UTC itself.
            {move || if time.utc.get() {
                "Times: UTC".to_owned()
            } else {
                format!("Times: local ({})", time.zone().label_now())
            }}
        </button>
    }
}
