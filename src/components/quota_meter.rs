//! The header's quota meter: remaining calls this hour, from the server's headers when exposed,
//! otherwise from our own count (and it says which).

use hitl_core::format::format_duration;
use hitl_core::quota::QuotaSource;
use leptos::prelude::*;

use crate::browser::clock::Clock;
use crate::state::Connection;

/// "87 / 100 calls left" with a bar; "Demo data: no calls" on demo.
#[component]
pub(crate) fn QuotaMeter() -> impl IntoView {
    let conn = expect_context::<Connection>();
    let clock = expect_context::<Clock>();
    move || match conn.quota.get() {
        None => {
            view! { <span class="quota quota-demo">"Demo data: no API calls"</span> }.into_any()
        }
        Some(store) => {
            let v = store.view(clock.secs());
            let share = if v.limit == 0 {
                0.0
            } else {
                v.remaining as f64 / v.limit as f64
            };
            let level = if v.paused || share < 0.1 {
                "low"
            } else if share < 0.3 {
                "mid"
            } else {
                "ok"
            };
            let source = match v.source {
                QuotaSource::Headers => "from the API's rate-limit headers",
                QuotaSource::LocalCount => {
                    "counted by this browser (no current rate-limit headers from the API)"
                }
            };
            let reset = v.reset_at.map(|t| {
                format!(
                    " Resets in {}.",
                    format_duration((t - clock.secs()).max(0) as f64)
                )
            });
            let title = format!(
                "{} of {} calls left this hour, {source}.{}",
                v.remaining,
                v.limit,
                reset.unwrap_or_default()
            );
            let label = title.clone();
            view! {
                <span class="quota" data-level=level title=title>
                    <span class="quota-text">
                        {v.remaining} " / " {v.limit} " calls left"
                        {(v.source == QuotaSource::LocalCount).then_some(" (est.)")}
                    </span>
                    <meter min="0" max=v.limit value=v.remaining aria-label=label></meter>
                </span>
            }
            .into_any()
        }
    }
}
