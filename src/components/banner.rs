//! The one error banner (role="alert"): the API's `msg`, its `data` detail, and what to do.
//! Quota errors add the usage figures and a countdown to the reset.

use hitl_core::format::format_duration;
use hitl_core::quota::QuotaSource;
use hitl_core::ApiError;
use leptos::prelude::*;

use crate::browser::clock::Clock;
use crate::state::Connection;

/// Shows `error` when there is one; renders nothing otherwise.
#[component]
pub(crate) fn ErrorBanner(#[prop(into)] error: Signal<Option<ApiError>>) -> impl IntoView {
    let clock = expect_context::<Clock>();
    let conn = expect_context::<Connection>();
    move || {
        error.get().map(|e| {
            let reset_at = match &e {
                ApiError::QuotaExceeded { reset_at, .. }
                | ApiError::QuotaPaused { reset_at, .. } => *reset_at,
                _ => None,
            };
            let status = e.status().map(|s| format!("HTTP {s}"));
            let quota_kind = matches!(
                e,
                ApiError::QuotaExceeded { .. } | ApiError::QuotaPaused { .. }
            );
            let countdown = move || {
                // The header's reset time, else what the quota record inferred from our log.
                let from_record =
                    move || conn.quota.get().and_then(|q| q.paused_until(clock.secs()));
                let reset_at = if quota_kind {
                    reset_at.or_else(from_record)
                } else {
                    None
                };
                // Without the API's rate-limit headers the reset is this browser's estimate (an
                // hour after the first call it counted), and the banner says so.
                let estimated = conn.quota.get().is_some_and(|q| {
                    q.view(clock.secs()).source == QuotaSource::LocalCount
                });
                reset_at.map(|t| {
                    let left = (t - clock.secs()).max(0);
                    if left == 0 {
                        "The quota has reset; loading resumes.".to_owned()
                    } else if estimated {
                        format!(
                            "Quota resets in about {} (estimated from this browser's own count of calls).",
                            format_duration(left as f64)
                        )
                    } else {
                        format!("Quota resets in {}.", format_duration(left as f64))
                    }
                })
            };
            view! {
                <div class="banner" role="alert" data-kind=banner_kind(&e)>
                    <p class="banner-title">
                        <strong>{e.title()}</strong>
                        {status.map(|s| view! { <span class="banner-status">{s}</span> })}
                    </p>
                    {e.detail().map(|d| view! { <p class="banner-detail">{d}</p> })}
                    <p class="banner-countdown">{countdown}</p>
                    <p class="banner-advice">{e.advice()}</p>
                </div>
            }
        })
    }
}

fn banner_kind(e: &ApiError) -> &'static str {
    match e {
        ApiError::QuotaExceeded { .. } | ApiError::QuotaPaused { .. } => "quota",
        ApiError::Network { .. } => "network",
        ApiError::Invalid(_) => "invalid",
        _ => "error",
    }
}
