//! Settings: API key (password input), API base URL, Connect, Remember, Demo data, Forget key.
//! The key is read from the input on submit and handed to the client; it is never put in a
//! signal, the URL, or the console, and stored only when "Remember on this device" is ticked.

use hitl_core::key::key_problem;
use leptos::html;
use leptos::prelude::*;

use hitl_core::key::DEFAULT_BASE;

use crate::components::history::HistoryControls;
use crate::state::{Connection, Dashboard};

/// The settings form.
#[component]
pub(crate) fn SettingsPanel() -> impl IntoView {
    let conn = expect_context::<Connection>();
    let dash = expect_context::<Dashboard>();
    let key_input = NodeRef::<html::Input>::new();
    let base_input = NodeRef::<html::Input>::new();
    let remember_input = NodeRef::<html::Input>::new();
    let (problem, set_problem) = signal(None::<&'static str>);
    // Once the key works the form folds into one line, out of the way of the data; "Change"
    // opens it again. It stays open while there is no working connection.
    let editing = RwSignal::new(false);
    let folded = move || dash.connected() && !editing.get();

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (Some(key_el), Some(base_el)) = (key_input.get(), base_input.get()) else {
            return;
        };
        let key = key_el.value();
        let base = base_el.value();
        // Checked before anything is stored or sent: a browser throws on a header holding a
        // character it cannot carry, which would leave the table waiting forever.
        if let Some(problem) = key_problem(&key) {
            set_problem.set(Some(problem));
            return;
        }
        let base_ok = base.trim().is_empty()
            || base.trim().starts_with("https://")
            || base.trim().starts_with("http://")
            || base.trim().starts_with('/');
        if !base_ok {
            set_problem.set(Some(
                "The API base URL must start with https:// (or http:// for a local server).",
            ));
            return;
        }
        set_problem.set(None);
        let remember = remember_input.get().is_some_and(|el| el.checked());
        dash.connect(&base, &key, remember);
        editing.set(false);
        // The key now lives in the client only; the field is emptied so it is not left on screen.
        key_el.set_value("");
    };

    let mode = move || {
        if conn.is_demo() {
            "Showing demo data generated in your browser: no key needed, no API calls.".to_owned()
        } else {
            // Not "connected": the key is only judged by the API's first answer (see the banner).
            format!("Live: calls go to {}.", conn.base_url.get())
        }
    };

    let host = move || {
        conn.base_url.with(|b| {
            let rest = b.split_once("://").map_or(b.as_str(), |(_, rest)| rest);
            rest.to_owned()
        })
    };

    view! {
        <section class="settings" class:folded=folded aria-labelledby="settings-title">
            <h2 id="settings-title">"Connection"</h2>
            <p class="settings-line" hidden=move || !folded()>
                "Live API · " <span class="settings-host">{host}</span>
                <span class="nowrap">
                    " · "
                    <button type="button" class="link" aria-expanded="false"
                        on:click=move |_| editing.set(true)>"Change"</button>
                </span>
            </p>
            <p class="settings-mode" role="status" hidden=folded>{mode}</p>
            {move || conn.base_note.get().map(|n| view! { <p class="settings-note" hidden=folded>{n}</p> })}
            <HistoryControls folded=Signal::derive(folded)/>
            <form on:submit=on_submit autocomplete="off" hidden=folded>
                <div class="field">
                    <label for="api-key">"API key"</label>
                    <input
                        id="api-key"
                        name="api-key"
                        type="password"
                        node_ref=key_input
                        autocomplete="off"
                        spellcheck="false"
                        placeholder="Your HITL.sh API key"
                    />
                </div>
                <div class="field">
                    <label for="api-base">"API base URL"</label>
                    <input
                        id="api-base"
                        name="api-base"
                        type="url"
                        node_ref=base_input
                        prop:value=move || conn.base_url.get()
                        placeholder=DEFAULT_BASE
                        spellcheck="false"
                    />
                </div>
                <div class="field field-check">
                    <input
                        id="remember"
                        type="checkbox"
                        node_ref=remember_input
                        prop:checked=move || conn.remembered.get()
                    />
                    <label for="remember">"Remember on this device"</label>
                    <small class="hint">
                        "Stores the key in this browser's local storage; anyone using this browser profile can use it."
                    </small>
                </div>
                {move || problem.get().map(|p| view! { <p class="field-error">{p}</p> })}
                <div class="actions">
                    <button type="submit" class="primary">"Connect"</button>
                    // Opened with Change while the key works: folded again as it is.
                    <Show when=move || editing.get() && dash.connected()>
                        <button type="button" on:click=move |_| editing.set(false)>"Close"</button>
                    </Show>
                    <button type="button" on:click=move |_| dash.use_demo(false)>
                        "Demo data"
                    </button>
                    <Show when=move || conn.remembered.get()>
                        <button type="button" on:click=move |_| dash.use_demo(true)>
                            "Forget key"
                        </button>
                    </Show>
                </div>
            </form>
        </section>
    }
}
