//! One row of the table, built with plain DOM calls, and the parts of it that follow the clock,
//! the time zone, the names and the fresh set. Untrusted text only becomes text nodes.

use std::collections::HashSet;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use hitl_core::format::{
    format_duration, local_datetime, one_decimal, one_line, relative, stamp, Zone as _,
};
use hitl_core::response::ResponseValue;
use hitl_core::{HitlRequest, Status};
use leptos::prelude::*;
use web_sys::Element;

use crate::browser::time::ShownZone;
use crate::components::dom;
use crate::state::{Names, TimeDisplay};

/// Characters of request text shown in the one-line cell.
pub(crate) const TEXT_CHARS: usize = 90;

/// What a row's live parts show besides its request: the time, the zone, the known names and
/// the fresh rows.
pub(crate) struct Live {
    now: DateTime<Utc>,
    zone: ShownZone,
    names: Arc<Names>,
    fresh: Arc<HashSet<String>>,
}

impl Live {
    /// `now`, and the zone, names and fresh rows (tracked).
    pub(crate) fn read(
        now: DateTime<Utc>,
        time: TimeDisplay,
        names: Signal<Arc<Names>>,
        fresh: Signal<Arc<HashSet<String>>>,
    ) -> Self {
        Live {
            now,
            zone: time.zone(),
            names: names.get(),
            fresh: fresh.get(),
        }
    }
}

/// A changed row (e.g. cancelled) gets a new key and is built again.
pub(crate) fn row_key(r: &HitlRequest) -> String {
    format!(
        "{}:{}:{}",
        r.id,
        r.status,
        r.updated_at
            .map(|t| t.timestamp_millis())
            .unwrap_or_default()
    )
}

/// One rendered row and the parts of it that follow the clock, the time zone, the names and
/// the fresh set.
pub(crate) struct BuiltRow {
    pub key: String,
    id: String,
    pub tr: Element,
    created: Option<DateTime<Utc>>,
    created_el: Element,
    created_text: String,
    /// The creation date, shown under the age once that is more than a day.
    date_el: Element,
    old: bool,
    timeout_at: Option<DateTime<Utc>>,
    pending: bool,
    timeout_el: Element,
    timeout_text: String,
    reviewer: String,
    reviewer_el: Element,
    loop_id: String,
    loop_el: Element,
    fresh: bool,
}

impl BuiltRow {
    /// Builds the row of `r` (not yet on the page). Untrusted text only becomes text nodes.
    pub(crate) fn build(r: &HitlRequest, key: String, live: &Live) -> Self {
        let tr = document()
            .create_element("tr")
            .expect("a valid element name");
        for (name, value) in [
            ("data-id", r.id.as_str()),
            ("data-status", r.status.as_str()),
            ("tabindex", "-1"),
        ] {
            let _ = tr.set_attribute(name, value);
        }
        let created_td = dom::el(&tr, "td", &[("class", "c-created")]);
        let datetime = r.created_at.map(|t| t.to_rfc3339()).unwrap_or_default();
        let created_el = dom::el(&created_td, "time", &[("datetime", &datetime)]);
        let date_el = dom::el(&created_td, "span", &[("class", "c-date"), ("hidden", "")]);
        dom::status_badge(&dom::el(&tr, "td", &[("class", "c-status")]), &r.status);
        dom::priority_badge(&dom::el(&tr, "td", &[("class", "c-priority")]), &r.priority);
        dom::el_text(&tr, "td", &[("class", "c-type")], r.content_type.label());
        let text_td = dom::el(
            &tr,
            "td",
            &[("class", "c-text"), ("title", &r.request_text)],
        );
        let short = one_line(&r.request_text, TEXT_CHARS);
        if short.chars().count() < r.request_text.chars().count() {
            dom::el_text(
                &text_td,
                "button",
                &[
                    ("type", "button"),
                    ("class", "expand"),
                    ("aria-expanded", "false"),
                    ("aria-label", "Show full text"),
                    // Not a tab stop of its own: the rows are one (→ and ← on the row).
                    ("tabindex", "-1"),
                ],
                "▸",
            );
        }
        dom::el_text(&text_td, "span", &[("class", "text")], &short);
        let response = ResponseValue::interpret(&r.response_type, r.response_data.as_ref());
        dom::el_text(
            &tr,
            "td",
            &[("class", "c-response"), ("data-kind", response.kind())],
            &response.display(),
        );
        // Whole units as the seed writes them ("3 minutes" for 3 min 59 s); the exact time on
        // hover.
        let (response_time, exact) = r.response_time_seconds.map_or_else(Default::default, |t| {
            (format_duration(t), format!("{} seconds", one_decimal(t)))
        });
        dom::el_text(
            &tr,
            "td",
            &[("class", "c-rt"), ("title", &exact)],
            &response_time,
        );
        let reviewer = r.response_by.clone().unwrap_or_default();
        let reviewer_el = dom::el(&tr, "td", &[("class", "c-reviewer"), ("title", &reviewer)]);
        let loop_el = dom::el(&tr, "td", &[("class", "c-loop"), ("title", &r.loop_id)]);
        let timeout_el = dom::el(&tr, "td", &[("class", "c-timeout")]);
        let mut row = BuiltRow {
            key,
            id: r.id.clone(),
            tr,
            created: r.created_at,
            created_el,
            created_text: String::new(),
            date_el,
            old: false,
            timeout_at: r.timeout_at,
            pending: r.status == Status::Pending,
            timeout_el,
            timeout_text: String::new(),
            reviewer,
            reviewer_el,
            loop_id: r.loop_id.clone(),
            loop_el,
            fresh: false,
        };
        row.tick(live.now);
        row.restyle(live);
        row
    }

    /// The texts that follow the clock: the age and a pending request's time left.
    pub(crate) fn tick(&mut self, now: DateTime<Utc>) {
        let created = self
            .created
            .map(|t| relative(t, now))
            .unwrap_or_else(|| "—".to_owned());
        set_text(&self.created_el, &mut self.created_text, created);
        // "1 mo ago" on every row of an older set says little: the date goes under the age.
        let old = self.created.is_some_and(|t| (now - t).num_hours() >= 24);
        if old != self.old {
            self.old = old;
            let _ = if old {
                self.date_el.remove_attribute("hidden")
            } else {
                self.date_el.set_attribute("hidden", "")
            };
        }
        if let (true, Some(t)) = (self.pending, self.timeout_at) {
            let left = (t - now).num_seconds();
            let text = if left > 0 {
                format!("{} left", format_duration(left as f64))
            } else {
                "due".to_owned()
            };
            set_text(&self.timeout_el, &mut self.timeout_text, text);
        }
    }

    /// What follows the time zone, the names and the fresh set.
    pub(crate) fn restyle(&mut self, live: &Live) {
        let Live { names, fresh, .. } = live;
        let stamp = |t: Option<DateTime<Utc>>| t.map(|t| stamp(t, &live.zone)).unwrap_or_default();
        let _ = self.created_el.set_attribute("title", &stamp(self.created));
        if let Some(t) = self.created {
            let date = local_datetime(t, live.zone.offset_at(t));
            let day = date.split(' ').next().unwrap_or_default();
            if self.date_el.text_content().as_deref() != Some(day) {
                self.date_el.set_text_content(Some(day));
            }
        }
        let _ = self
            .timeout_el
            .set_attribute("title", &stamp(self.timeout_at));
        match (self.pending, self.timeout_at) {
            (true, Some(_)) => {}
            (false, Some(t)) => set_text(
                &self.timeout_el,
                &mut self.timeout_text,
                local_datetime(t, live.zone.offset_at(t)),
            ),
            _ => set_text(&self.timeout_el, &mut self.timeout_text, "—".to_owned()),
        }
        let reviewer = names.users.get(&self.reviewer).unwrap_or(&self.reviewer);
        if self.reviewer_el.text_content().as_deref() != Some(reviewer.as_str()) {
            self.reviewer_el.set_text_content(Some(reviewer));
        }
        // A known loop shows its name, otherwise its id as code.
        let (tag, shown) = match names.loops.get(&self.loop_id) {
            Some(name) => ("SPAN", name),
            None => ("CODE", &self.loop_id),
        };
        let current = self.loop_el.first_element_child();
        if !current.is_some_and(|c| c.tag_name() == tag && c.text_content().as_ref() == Some(shown))
        {
            self.loop_el.set_text_content(None);
            dom::el_text(&self.loop_el, &tag.to_ascii_lowercase(), &[], shown);
        }
        let is_fresh = fresh.contains(&self.id);
        if is_fresh != self.fresh {
            self.fresh = is_fresh;
            let _ = if is_fresh {
                self.tr.set_attribute("class", "fresh")
            } else {
                self.tr.remove_attribute("class")
            };
        }
    }
}

/// Sets `el`'s text to `text` unless it already shows it (`shown`: what it shows).
fn set_text(el: &Element, shown: &mut String, text: String) {
    if *shown != text {
        el.set_text_content(Some(&text));
        *shown = text;
    }
}
