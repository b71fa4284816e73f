//! Deterministic, realistic generated data: loops with members, and requests across every
//! status, priority, processing type and response type, with detail fields. The same generator
//! feeds the native mock server and the in-browser demo source.
//!
//! Deterministic for a given `(seed, count, now)`: tests can compute the expected answer from
//! the same call the server made.

use chrono::{DateTime, Duration, Utc};
use serde_json::{json, Value};

use crate::model::{
    Broadcast, ContentType, HitlRequest, Loop, LoopMember, Priority, ProcessingType, RequestDetail,
    ResponseType, Status,
};

/// The default number of generated requests: "a few hundred".
pub const DEFAULT_COUNT: usize = 240;
/// The default seed.
pub const DEFAULT_SEED: u64 = 7;

/// The benchmarks' rows, one definition so that the native (criterion) and the wasm timings
/// measure the same data: `count` list objects from [`DEFAULT_SEED`], ending 2026-11-28 12:00 UTC.
pub fn bench_requests(count: usize) -> Vec<HitlRequest> {
    let now = DateTime::from_timestamp(1_795_867_200, 0).unwrap_or_default();
    Dataset::generate(DEFAULT_SEED, count, now)
        .list_objects()
        .cloned()
        .collect()
}

/// The body the API sends for the first `limit` rows of `rows` (default filters and order).
pub fn page_body(rows: &[HitlRequest], limit: u32) -> String {
    let page = crate::contract::list(
        rows,
        &crate::query::RequestQuery {
            limit,
            ..Default::default()
        },
    );
    serde_json::to_string(&crate::model::Envelope::ok(
        "Requests retrieved successfully",
        page,
    ))
    .unwrap_or_default()
}

/// SplitMix64: tiny, fast, good enough for test data, and identical on every target.
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    /// A generator for `seed`.
    pub fn new(seed: u64) -> Self {
        Rng(seed ^ 0x9E37_79B9_7F4A_7C15)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Uniform in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        (self.unit() * n as f64) as usize % n.max(1)
    }

    /// One element of a non-empty slice.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// Log-normal with the given median and spread (sigma of the underlying normal).
    pub fn log_normal(&mut self, median: f64, sigma: f64) -> f64 {
        median * (sigma * self.normal()).exp()
    }

    /// A standard normal deviate by Marsaglia's polar method: a point drawn uniformly in the
    /// unit disc gives one without any trigonometry (Box–Muller needs a cosine).
    pub fn normal(&mut self) -> f64 {
        loop {
            let u = 2.0 * self.unit() - 1.0;
            let v = 2.0 * self.unit() - 1.0;
            let s = u * u + v * v;
            if s > 0.0 && s < 1.0 {
                return u * (-2.0 * s.ln() / s).sqrt();
            }
        }
    }
}

/// A generated world: loops and the requests routed to them (newest first).
#[derive(Clone, Debug, Default)]
pub struct Dataset {
    pub loops: Vec<Loop>,
    pub requests: Vec<RequestDetail>,
}

struct LoopKind {
    name: &'static str,
    description: &'static str,
    icon: &'static str,
    response_type: ResponseType,
    options: &'static [&'static str],
    texts: &'static [&'static str],
}

const LOOP_KINDS: [LoopKind; 5] = [
    LoopKind {
        name: "Content moderation",
        description: "User-generated posts flagged by the classifier",
        icon: "🛡️",
        response_type: ResponseType::SingleSelect,
        options: &["Approve", "Reject", "Escalate"],
        texts: &[
            "Please review this user-generated content for community guidelines compliance.",
            "A post was flagged for **possible harassment**. Does it break the rules?",
            // Longer than the table's one-line cell, on two lines: the cell's expand button.
            "Comment reported by 3 users as spam. Review the text and links.\nComment: \"Great \
             deals on watches, limited stock!!! Visit my profile for the link and DM me now.\"",
            "Profile bio contains a link shortener. Approve or reject the profile.",
        ],
    },
    LoopKind {
        name: "Refund approvals",
        description: "Refunds above the automatic threshold",
        icon: "💳",
        response_type: ResponseType::Boolean,
        options: &[],
        texts: &[
            "Approve a refund of **$184.20** for order #{n}? The customer reports a damaged item.",
            "Refund request for order #{n}: delivered late by 9 days. Approve?",
            "Partial refund of $42.00 requested for order #{n} (missing accessory).",
        ],
    },
    LoopKind {
        name: "Answer quality",
        description: "Spot checks of assistant answers",
        icon: "⭐",
        response_type: ResponseType::Rating,
        options: &[],
        texts: &[
            "Rate the quality of this AI-generated response for accuracy and helpfulness.",
            "Rate this summary of ticket #{n} from 1 to 5.",
            "How well does this answer follow the style guide? (1–5)",
        ],
    },
    LoopKind {
        name: "Claims triage",
        description: "Insurance claims that need a human label",
        icon: "🩺",
        response_type: ResponseType::MultiSelect,
        options: &[
            "Fraud risk",
            "Missing documents",
            "Fast track",
            "Needs adjuster",
        ],
        texts: &[
            "Label claim #{n}: water damage, photos attached, policy active since 2021.",
            "Which labels apply to claim #{n}? Claimant changed address last week.",
            "Triage claim #{n} (vehicle, two parties, police report pending). The two \
             statements differ on who had the right of way.",
        ],
    },
    LoopKind {
        name: "Pricing checks",
        description: "Prices the model was unsure about",
        icon: "🏷️",
        response_type: ResponseType::Number,
        options: &[],
        texts: &[
            "What should the list price be for SKU {n}? Competitors range $18–$26.",
            "Confirm the discount percentage for bundle {n}.",
        ],
    },
];

const TEXT_REPLIES: [&str; 4] = [
    "Looks fine, approved with minor edits.",
    "Please resend with the full transcript.",
    "Escalated to the legal team.",
    "Correct, but the tone is too informal.",
];

const FIRST_NAMES: [&str; 10] = [
    "ana", "ben", "chloe", "dev", "emma", "femi", "grace", "hugo", "ines", "jun",
];

fn hex_id(prefix: u32, n: u64) -> String {
    format!("{prefix:08x}{n:016x}")
}

impl Dataset {
    /// Generates `count` requests over the 30 days before `now`.
    pub fn generate(seed: u64, count: usize, now: DateTime<Utc>) -> Dataset {
        let mut rng = Rng::new(seed);
        // Ids look like the API's 24-hex-digit ids and stay unique across seeds.
        let id_prefix = 0x65f0_0000u32 | (seed as u32 & 0xffff);
        let creator_id = hex_id(id_prefix, 0xC0FFEE);
        let api_key_id = hex_id(id_prefix, 0xA11CE);
        let mut next_user = 0u64;
        let loops: Vec<Loop> = LOOP_KINDS
            .iter()
            .enumerate()
            .map(|(i, kind)| {
                let created = now - Duration::days(90 + i as i64 * 7);
                let members = (0..3 + rng.below(3))
                    .map(|_| {
                        next_user += 1;
                        let name = FIRST_NAMES[(next_user as usize - 1) % FIRST_NAMES.len()];
                        LoopMember {
                            user_id: hex_id(id_prefix, 0x5000 + next_user),
                            email: format!("{name}{next_user}@reviewers.example"),
                            status: "active".to_owned(),
                            joined_at: Some(created + Duration::hours(next_user as i64)),
                        }
                    })
                    .collect::<Vec<_>>();
                Loop {
                    id: hex_id(id_prefix, 0x1000 + i as u64),
                    name: kind.name.to_owned(),
                    description: kind.description.to_owned(),
                    icon: kind.icon.to_owned(),
                    creator_id: creator_id.clone(),
                    member_count: members.len() as u64,
                    members,
                    pending_count: 0,
                    created_at: Some(created),
                    updated_at: Some(created),
                }
            })
            .collect();

        let span_secs = 30 * 24 * 3600;
        let mut requests: Vec<RequestDetail> = (0..count)
            .map(|i| {
                let loop_index = rng.below(loops.len());
                let lp = &loops[loop_index];
                let kind = &LOOP_KINDS[loop_index];
                // More recent requests are more common: square the uniform draw.
                let age = (rng.unit().powi(2) * span_secs as f64) as i64 + 30;
                let created_at = now - Duration::seconds(age);
                let priority = match rng.below(20) {
                    0..=4 => Priority::Low,
                    5..=12 => Priority::Medium,
                    13..=17 => Priority::High,
                    _ => Priority::Critical,
                };
                let processing_type = if rng.below(10) < 6 {
                    ProcessingType::TimeSensitive
                } else {
                    ProcessingType::Deferred
                };
                let timeout_at = created_at
                    + match processing_type {
                        ProcessingType::TimeSensitive => Duration::hours(2),
                        _ => Duration::days(3),
                    };
                let response_type = if rng.below(12) == 0 {
                    ResponseType::Text
                } else {
                    kind.response_type.clone()
                };
                let content_type = if rng.below(10) == 0 {
                    ContentType::Image
                } else {
                    ContentType::Markdown
                };
                let order_no = 10_000 + rng.below(90_000);
                let request_text = rng.pick(kind.texts).replace("{n}", &order_no.to_string());
                // Reviewers answer critical work faster; a long tail crosses every range.
                let median = match priority {
                    Priority::Critical => 240.0,
                    Priority::High => 600.0,
                    Priority::Medium => 1500.0,
                    _ => 3000.0,
                };
                let answer_secs = rng.log_normal(median, 1.3).clamp(4.0, 5.0 * 24.0 * 3600.0);
                let answer_secs = (answer_secs * 10.0).round() / 10.0;
                let answered_at =
                    created_at + Duration::milliseconds((answer_secs * 1000.0) as i64);
                let cancel_roll = rng.below(25) == 0;
                let cancel_at = created_at + Duration::seconds(60 + rng.below(3000) as i64);

                let (options, config) = response_config(kind, &response_type);
                let default_response = default_answer(&response_type, &options);
                let member = &lp.members[rng.below(lp.members.len())];
                let answer = answer_value(&mut rng, &response_type, &options);

                let mut r = HitlRequest {
                    id: hex_id(id_prefix, 0x0010_0000 + i as u64),
                    loop_id: lp.id.clone(),
                    processing_type,
                    content_type: content_type.clone(),
                    priority,
                    request_text,
                    response_type,
                    status: Status::Pending,
                    response_data: None,
                    response_by: None,
                    response_at: None,
                    response_time_seconds: None,
                    timeout_at: Some(timeout_at),
                    created_at: Some(created_at),
                    updated_at: Some(created_at),
                };
                if cancel_roll && cancel_at < now && cancel_at < answered_at.min(timeout_at) {
                    r.status = Status::Cancelled;
                    r.updated_at = Some(cancel_at);
                } else if answered_at < timeout_at && answered_at < now {
                    let by = Some(member.user_id.clone());
                    complete(&mut r, answer, by, answered_at, Some(answer_secs));
                } else if timeout_at < now {
                    r.status = Status::Timeout;
                    r.response_data = Some(default_response.clone());
                    r.updated_at = Some(timeout_at);
                }
                let failed = rng.below(15) == 0;
                let broadcasted_to = lp
                    .members
                    .iter()
                    .enumerate()
                    .map(|(k, m)| Broadcast {
                        user_id: m.user_id.clone(),
                        email: m.email.clone(),
                        role: if k == 0 { "owner" } else { "reviewer" }.to_owned(),
                        notification_sent: !(failed && k == 1),
                        notification_error: (failed && k == 1)
                            .then(|| "Push token expired; reviewer notified by email".to_owned()),
                    })
                    .collect();
                RequestDetail {
                    creator_id: Some(creator_id.clone()),
                    api_key_id: Some(api_key_id.clone()),
                    image_url: (content_type == ContentType::Image)
                        .then(|| format!("https://images.hitl.example/review/{}.png", r.id)),
                    context: Some(json!({
                        "source": rng.pick(&["web", "ios", "android", "batch"]),
                        "reference": order_no,
                        "model_confidence": (rng.unit() * 50.0 + 40.0).round() / 100.0,
                    })),
                    platform: Some("api".to_owned()),
                    platform_version: Some("1.0".to_owned()),
                    response_config: Some(config),
                    default_response: Some(default_response),
                    callback_url: (rng.below(3) == 0)
                        .then(|| "https://hooks.customer.example/hitl".to_owned()),
                    broadcasted_to,
                    broadcasted_at: r.created_at.map(|c| c + Duration::seconds(1)),
                    request: r,
                }
            })
            .collect();
        crate::sorting::sort_stable(&mut requests, &|a, b| {
            crate::contract::compare(crate::query::Sort::CreatedAtDesc, &a.request, &b.request)
        });
        let mut loops = loops;
        for lp in &mut loops {
            lp.pending_count = requests
                .iter()
                .filter(|r| r.request.loop_id == lp.id && r.request.status == Status::Pending)
                .count() as u64;
        }
        Dataset { loops, requests }
    }

    /// The list objects, newest first.
    pub fn list_objects(&self) -> impl Iterator<Item = &HitlRequest> {
        self.requests.iter().map(|r| &r.request)
    }

    /// Answers the `count` newest pending requests at `now`, as a reviewer would: status
    /// `completed`, an answer of the request's response type (from its options), `response_by`
    /// the loop's first member, `response_at`/`updated_at` = `now` and the response time since
    /// `created_at`. Returns their ids, newest first. Loops' `pending_count` is left to the
    /// caller. The mock's `--churn-after` uses it to change the data while a client pages.
    pub fn answer_newest_pending(&mut self, count: usize, now: DateTime<Utc>) -> Vec<String> {
        let Dataset { loops, requests } = self;
        let mut answered = Vec::new();
        for (i, d) in requests.iter_mut().enumerate() {
            if answered.len() == count {
                break;
            }
            if d.request.status != Status::Pending {
                continue;
            }
            let options: Vec<String> = d
                .response_config
                .as_ref()
                .and_then(|c| c.get("options"))
                .and_then(Value::as_array)
                .map(|o| {
                    o.iter()
                        .filter_map(|v| v.as_str().map(str::to_owned))
                        .collect()
                })
                .unwrap_or_default();
            let mut rng = Rng::new(0xA5_5EED ^ i as u64);
            let r = &mut d.request;
            let secs = r
                .created_at
                .map(|c| ((now - c).num_milliseconds().max(0) as f64 / 100.0).round() / 10.0);
            let answer = answer_value(&mut rng, &r.response_type, &options);
            let by = loops
                .iter()
                .find(|l| l.id == r.loop_id)
                .and_then(|l| l.members.first())
                .map(|m| m.user_id.clone());
            complete(r, answer, by, now, secs);
            answered.push(r.id.clone());
        }
        answered
    }

    /// Creates `count` new pending requests at `now` (a millisecond apart, the last at `now`),
    /// each like an existing request (loop, type, text, configuration) with a new id. Returns
    /// their ids, newest first. Loops' `pending_count` is left to the caller.
    pub fn create_pending(&mut self, count: usize, now: DateTime<Utc>) -> Vec<String> {
        if self.requests.is_empty() {
            return Vec::new();
        }
        let prefix = u32::from_str_radix(self.requests[0].request.id.get(..8).unwrap_or("0"), 16)
            .unwrap_or(0x65f0_0000);
        let mut created = Vec::with_capacity(count);
        for j in 0..count {
            let n = self.requests.len() as u64;
            let mut d =
                self.requests[(n as usize).wrapping_mul(7919) % self.requests.len()].clone();
            let at = now - Duration::milliseconds((count - 1 - j) as i64);
            let r = &mut d.request;
            r.id = hex_id(prefix, 0x0080_0000 + n);
            r.status = Status::Pending;
            r.response_data = None;
            r.response_by = None;
            r.response_at = None;
            r.response_time_seconds = None;
            r.created_at = Some(at);
            r.updated_at = Some(at);
            r.timeout_at = Some(
                at + match r.processing_type {
                    ProcessingType::TimeSensitive => Duration::hours(2),
                    _ => Duration::days(3),
                },
            );
            d.broadcasted_at = Some(at + Duration::seconds(1));
            created.push(r.id.clone());
            self.requests.insert(0, d);
        }
        created.reverse();
        created
    }

    /// Times out the `count` oldest pending requests at `now`: status `timeout`, the default
    /// response as the answer, `updated_at` (and a later `timeout_at`) = `now`. Returns their
    /// ids.
    pub fn time_out_oldest_pending(&mut self, count: usize, now: DateTime<Utc>) -> Vec<String> {
        let mut done = Vec::new();
        for d in self.requests.iter_mut().rev() {
            if done.len() == count {
                break;
            }
            if d.request.status != Status::Pending {
                continue;
            }
            let r = &mut d.request;
            r.status = Status::Timeout;
            r.response_data = d.default_response.clone();
            r.updated_at = Some(now);
            r.timeout_at = r.timeout_at.map(|t| t.min(now));
            done.push(r.id.clone());
        }
        done
    }

    /// Sets the status of request `id` as given (any value, undocumented ones included), at
    /// `now`. False when there is no such request.
    pub fn set_status(&mut self, id: &str, status: Status, now: DateTime<Utc>) -> bool {
        match self.requests.iter_mut().find(|d| d.request.id == id) {
            Some(d) => {
                d.request.status = status;
                d.request.updated_at = Some(now);
                true
            }
            None => false,
        }
    }

    /// Replaces the text of every `every`-th request with a hostile string (HTML/script
    /// injection attempts), to prove the dashboard renders untrusted text inertly.
    pub fn inject_hostile_text(&mut self, every: usize) {
        for (i, r) in self.requests.iter_mut().enumerate() {
            if every > 0 && i % every == 0 {
                let text = HOSTILE[(i / every) % HOSTILE.len()];
                r.request.request_text = text.to_owned();
                if r.request.status == Status::Completed {
                    r.request.response_data = Some(Value::String(text.to_owned()));
                }
            }
        }
    }
}

/// Injection attempts used by [`Dataset::inject_hostile_text`].
pub const HOSTILE: [&str; 4] = [
    "<img src=x onerror=\"window.__xss=1\"> please review",
    "<script>window.__xss=2</script> urgent",
    "[click me](javascript:window.__xss=3) **bold** <b>raw</b>",
    "=HYPERLINK(\"http://evil.example\",\"x\") spreadsheet bait",
];

fn response_config(kind: &LoopKind, response_type: &ResponseType) -> (Vec<String>, Value) {
    match response_type {
        ResponseType::SingleSelect | ResponseType::MultiSelect => {
            let options: Vec<String> = kind.options.iter().map(|s| (*s).to_owned()).collect();
            let config = json!({ "options": options });
            (options, config)
        }
        ResponseType::Rating => (Vec::new(), json!({ "scale": 5 })),
        ResponseType::Number => (Vec::new(), json!({ "min": 0, "max": 1000 })),
        ResponseType::Boolean => (Vec::new(), json!({ "labels": ["No", "Yes"] })),
        _ => (Vec::new(), json!({ "max_length": 500 })),
    }
}

fn default_answer(response_type: &ResponseType, options: &[String]) -> Value {
    match response_type {
        ResponseType::SingleSelect => json!(options.last().cloned().unwrap_or_default()),
        ResponseType::MultiSelect => json!([]),
        ResponseType::Rating => json!(3),
        ResponseType::Number => json!(0),
        ResponseType::Boolean => json!(false),
        _ => json!("No response before timeout"),
    }
}

/// `r` answered: completed with `answer` by `by` at `at`, `secs` after it was created.
fn complete(
    r: &mut HitlRequest,
    answer: Value,
    by: Option<String>,
    at: DateTime<Utc>,
    secs: Option<f64>,
) {
    r.status = Status::Completed;
    r.response_data = Some(answer);
    r.response_by = by;
    r.response_at = Some(at);
    r.response_time_seconds = secs;
    r.updated_at = Some(at);
}

fn answer_value(rng: &mut Rng, response_type: &ResponseType, options: &[String]) -> Value {
    match response_type {
        ResponseType::SingleSelect if !options.is_empty() => {
            // Mostly the first option (e.g. "Approve").
            let i = if rng.below(3) == 0 {
                rng.below(options.len())
            } else {
                0
            };
            json!(options[i])
        }
        ResponseType::MultiSelect if !options.is_empty() => {
            let chosen: Vec<&String> = options.iter().filter(|_| rng.below(3) == 0).collect();
            json!(chosen)
        }
        ResponseType::Rating => json!(1 + rng.below(5)),
        ResponseType::Number => json!((rng.unit() * 400.0).round() / 4.0),
        ResponseType::Boolean => json!(rng.below(4) != 0),
        _ => json!(*rng.pick(&TEXT_REPLIES)),
    }
}
