//! The API's objects, as the vendor's "Get User Requests" page and its sibling pages describe
//! them.
//!
//! Decoding is deliberately lenient where the API could plausibly surprise us: enum fields keep
//! values outside the documented set (`Other`), timestamps that do not parse become `None`,
//! a numeric field sent as a string still counts, and missing fields take empty defaults (so do
//! page-level and list fields sent as `null`). One odd row must never fail a whole page.

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::Value;
use std::borrow::Borrow;

use crate::lenient::{self, at, count, flag, list, object, or_default, FromJson, Problem};

/// Declares an API enum: documented wire values map to variants, anything else is kept verbatim
/// in `Other` so it can be shown (and round-tripped) instead of failing the decode.
macro_rules! api_enum {
    (
        $(#[$meta:meta])*
        $name:ident { $( $(#[$vmeta:meta])* $variant:ident = $wire:literal / $label:literal ),+ $(,)? }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
            /// A value outside the documented set, kept as the API sent it.
            Other(String),
        }

        impl $name {
            /// Every documented value, in the API documentation's order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The value as the API spells it.
            pub fn as_str(&self) -> &str {
                match self {
                    $( $name::$variant => $wire, )+
                    $name::Other(raw) => raw,
                }
            }

            /// A short human label ("Time-sensitive", "Single select").
            pub fn label(&self) -> &str {
                match self {
                    $( $name::$variant => $label, )+
                    $name::Other(raw) if raw.is_empty() => "—",
                    $name::Other(raw) => raw,
                }
            }

            /// The documented variant for `wire`, or `None` when the API does not define it.
            pub fn known(wire: &str) -> Option<Self> {
                match wire {
                    $( $wire => Some($name::$variant), )+
                    _ => None,
                }
            }

            /// Any wire value: documented ones become their variant, the rest `Other`.
            pub fn from_wire(wire: &str) -> Self {
                Self::known(wire).unwrap_or_else(|| $name::Other(wire.to_owned()))
            }

            /// The documented values joined the way the API's error messages list them.
            pub fn documented_list() -> String {
                let values: &[&str] = &[$($wire),+];
                values.join(", ")
            }
        }

        impl Default for $name {
            fn default() -> Self {
                $name::Other(String::new())
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl $name {
            /// Any JSON value, read as text (see [`lenient::string`]): never fails.
            pub fn lenient(v: Value) -> Self {
                let wire = lenient::string(v);
                Self::known(&wire).unwrap_or($name::Other(wire))
            }
        }

        impl FromJson for $name {
            fn from_json(v: Value) -> Result<Self, Problem> {
                Ok(Self::lenient(v))
            }
        }

        lenient::deserialize_via_from_json!($name);
    };
}

api_enum! {
    /// Where a request is in its life (`status`).
    Status {
        Pending = "pending" / "Pending",
        Completed = "completed" / "Completed",
        Timeout = "timeout" / "Timeout",
        Cancelled = "cancelled" / "Cancelled",
    }
}

api_enum! {
    /// How urgent a request is (`priority`).
    Priority {
        Low = "low" / "Low",
        Medium = "medium" / "Medium",
        High = "high" / "High",
        Critical = "critical" / "Critical",
    }
}

api_enum! {
    /// Processing urgency (`processing_type`).
    ProcessingType {
        TimeSensitive = "time-sensitive" / "Time-sensitive",
        Deferred = "deferred" / "Deferred",
    }
}

api_enum! {
    /// Content type of the request (`type`).
    ContentType {
        Markdown = "markdown" / "Markdown",
        Image = "image" / "Image",
    }
}

api_enum! {
    /// The kind of answer the reviewer gives (`response_type`).
    ResponseType {
        Text = "text" / "Text",
        SingleSelect = "single_select" / "Single select",
        MultiSelect = "multi_select" / "Multi select",
        Rating = "rating" / "Rating",
        Number = "number" / "Number",
        Boolean = "boolean" / "Yes/no",
    }
}

impl Status {
    /// What the status means, in the words of the API documentation's status overview.
    pub fn meaning(&self) -> &'static str {
        match self {
            Status::Pending => "Waiting for reviewer response; can be cancelled",
            Status::Completed => "Reviewer submitted a response",
            Status::Timeout => "Timed out; default response used as final answer",
            Status::Cancelled => "Cancelled before completion; no response data",
            Status::Other(_) => "Status not described by the API documentation",
        }
    }

    /// Final statuses never change again.
    pub fn is_final(&self) -> bool {
        matches!(
            self,
            Status::Completed | Status::Timeout | Status::Cancelled
        )
    }
}

impl Priority {
    /// Rank for ordering: critical > high > medium > low > anything undocumented.
    pub fn rank(&self) -> i8 {
        match self {
            Priority::Low => 0,
            Priority::Medium => 1,
            Priority::High => 2,
            Priority::Critical => 3,
            Priority::Other(_) => -1,
        }
    }
}

/// One human-review request as the list endpoint returns it.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct HitlRequest {
    pub id: String,
    pub loop_id: String,
    pub processing_type: ProcessingType,
    #[serde(rename = "type")]
    pub content_type: ContentType,
    pub priority: Priority,
    pub request_text: String,
    pub response_type: ResponseType,
    pub status: Status,
    /// The reviewer's answer: any JSON (see [`crate::response::ResponseValue`]); `None` for null.
    pub response_data: Option<Value>,
    pub response_by: Option<String>,
    pub response_at: Option<DateTime<Utc>>,
    pub response_time_seconds: Option<f64>,
    pub timeout_at: Option<DateTime<Utc>>,
    pub created_at: Option<DateTime<Utc>>,
    pub updated_at: Option<DateTime<Utc>>,
}

/// `data.pagination` of a list response.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Pagination {
    pub limit: u64,
    pub offset: u64,
    pub next_offset: u64,
}

/// `data` of a successful list response.
///
/// `requests` and `total` must be present (without them the body is not a page), but any field
/// sent as `null` takes its empty default, like a missing optional one.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct RequestPage {
    pub requests: Vec<HitlRequest>,
    pub count: u64,
    /// Everything that matches the filters, not just this page.
    pub total: u64,
    pub has_more: bool,
    pub pagination: Pagination,
}

/// One entry of `broadcasted_to` in the single-request response.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Broadcast {
    pub user_id: String,
    pub email: String,
    pub role: String,
    pub notification_sent: bool,
    pub notification_error: Option<String>,
}

/// The single-request object (`GET /v1/api/requests/{id}`): every list field plus detail.
///
/// On the wire it is one flat object. It is serialised through [`FlatDetail`] rather than
/// `#[serde(flatten)]`, whose buffering of every field compiles a great deal of wasm, and decoded
/// field by field like [`HitlRequest`], whose fields it shares.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(into = "FlatDetail")]
pub struct RequestDetail {
    pub request: HitlRequest,
    pub creator_id: Option<String>,
    pub api_key_id: Option<String>,
    pub image_url: Option<String>,
    pub context: Option<Value>,
    pub platform: Option<String>,
    pub platform_version: Option<String>,
    pub response_config: Option<Value>,
    pub default_response: Option<Value>,
    pub callback_url: Option<String>,
    pub broadcasted_to: Vec<Broadcast>,
    pub broadcasted_at: Option<DateTime<Utc>>,
}

/// The wire form of [`RequestDetail`]: every field side by side.
#[derive(Clone, Default, Serialize)]
struct FlatDetail {
    id: String,
    loop_id: String,
    processing_type: ProcessingType,
    #[serde(rename = "type")]
    content_type: ContentType,
    priority: Priority,
    request_text: String,
    response_type: ResponseType,
    status: Status,
    response_data: Option<Value>,
    response_by: Option<String>,
    response_at: Option<DateTime<Utc>>,
    response_time_seconds: Option<f64>,
    timeout_at: Option<DateTime<Utc>>,
    created_at: Option<DateTime<Utc>>,
    updated_at: Option<DateTime<Utc>>,
    creator_id: Option<String>,
    api_key_id: Option<String>,
    image_url: Option<String>,
    context: Option<Value>,
    platform: Option<String>,
    platform_version: Option<String>,
    response_config: Option<Value>,
    default_response: Option<Value>,
    callback_url: Option<String>,
    broadcasted_to: Vec<Broadcast>,
    broadcasted_at: Option<DateTime<Utc>>,
}

impl From<RequestDetail> for FlatDetail {
    fn from(d: RequestDetail) -> Self {
        let r = d.request;
        FlatDetail {
            id: r.id,
            loop_id: r.loop_id,
            processing_type: r.processing_type,
            content_type: r.content_type,
            priority: r.priority,
            request_text: r.request_text,
            response_type: r.response_type,
            status: r.status,
            response_data: r.response_data,
            response_by: r.response_by,
            response_at: r.response_at,
            response_time_seconds: r.response_time_seconds,
            timeout_at: r.timeout_at,
            created_at: r.created_at,
            updated_at: r.updated_at,
            creator_id: d.creator_id,
            api_key_id: d.api_key_id,
            image_url: d.image_url,
            context: d.context,
            platform: d.platform,
            platform_version: d.platform_version,
            response_config: d.response_config,
            default_response: d.default_response,
            callback_url: d.callback_url,
            broadcasted_to: d.broadcasted_to,
            broadcasted_at: d.broadcasted_at,
        }
    }
}

impl Borrow<HitlRequest> for RequestDetail {
    fn borrow(&self) -> &HitlRequest {
        &self.request
    }
}

/// `data` of the single-request response.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct RequestEnvelopeData {
    pub request: RequestDetail,
}

/// A member of a loop.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct LoopMember {
    pub user_id: String,
    pub email: String,
    pub status: String,
    pub joined_at: Option<DateTime<Utc>>,
}

/// A loop: a group of reviewers requests are routed to.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Loop {
    pub id: String,
    pub name: String,
    pub description: String,
    pub icon: String,
    pub creator_id: String,
    pub members: Vec<LoopMember>,
    pub member_count: u64,
    pub pending_count: u64,
    pub created_at: Option<DateTime<Utc>>,
    pub updated_at: Option<DateTime<Utc>>,
}

/// `data` of the loops response.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct LoopList {
    pub loops: Vec<Loop>,
    pub count: u64,
}

impl LoopList {
    /// The id of the one loop named `typed` (trimmed, ASCII letters in any case), for a Loop ID
    /// field where a name was typed instead of an id. `None` when `typed` is already some
    /// loop's id, or no loop or more than one has that name.
    pub fn id_named(&self, typed: &str) -> Option<&str> {
        let typed = typed.trim();
        if typed.is_empty() || self.loops.iter().any(|l| l.id == typed) {
            return None;
        }
        // ASCII case only: Unicode's case tables would weigh on the wasm for names that are ids.
        let mut named = self
            .loops
            .iter()
            .filter(|l| l.name.trim().eq_ignore_ascii_case(typed));
        match (named.next(), named.next()) {
            (Some(l), None) => Some(&l.id),
            _ => None,
        }
    }
}

impl HitlRequest {
    /// Sets the list field `key` from `v`; gives `v` back when `key` is not one (the detail
    /// object's own fields, or anything the documentation does not list).
    fn set(&mut self, key: &str, v: Value) -> Option<Value> {
        use lenient::{opt_f64, opt_string, opt_time, string};
        match key {
            "id" => self.id = string(v),
            "loop_id" => self.loop_id = string(v),
            "processing_type" => self.processing_type = ProcessingType::lenient(v),
            "type" => self.content_type = ContentType::lenient(v),
            "priority" => self.priority = Priority::lenient(v),
            "request_text" => self.request_text = string(v),
            "response_type" => self.response_type = ResponseType::lenient(v),
            "status" => self.status = Status::lenient(v),
            "response_data" => self.response_data = lenient::opt_value(v),
            "response_by" => self.response_by = opt_string(v),
            "response_at" => self.response_at = opt_time(v),
            "response_time_seconds" => self.response_time_seconds = opt_f64(v),
            "timeout_at" => self.timeout_at = opt_time(v),
            "created_at" => self.created_at = opt_time(v),
            "updated_at" => self.updated_at = opt_time(v),
            _ => return Some(v),
        }
        None
    }
}

/// Every field of a request is read leniently, so only a row that is not an object fails.
impl FromJson for HitlRequest {
    fn from_json(v: Value) -> Result<Self, Problem> {
        let mut r = HitlRequest::default();
        for (key, v) in object(v, "a request")? {
            r.set(&key, v);
        }
        Ok(r)
    }
}

impl FromJson for Pagination {
    fn from_json(v: Value) -> Result<Self, Problem> {
        let mut p = Pagination::default();
        for (key, v) in object(v, "pagination")? {
            let field = match key.as_str() {
                "limit" => &mut p.limit,
                "offset" => &mut p.offset,
                "next_offset" => &mut p.next_offset,
                _ => continue,
            };
            *field = count(v).map_err(|e| at(&key, e))?;
        }
        Ok(p)
    }
}

impl FromJson for RequestPage {
    fn from_json(v: Value) -> Result<Self, Problem> {
        let mut page = RequestPage::default();
        let (mut has_requests, mut has_total) = (false, false);
        for (key, v) in object(v, "a page of requests")? {
            let read = match key.as_str() {
                "requests" => {
                    has_requests = true;
                    list(v).map(|rows| page.requests = rows)
                }
                "total" => {
                    has_total = true;
                    count(v).map(|n| page.total = n)
                }
                "count" => count(v).map(|n| page.count = n),
                "has_more" => flag(v).map(|b| page.has_more = b),
                "pagination" => or_default(v).map(|p| page.pagination = p),
                _ => Ok(()),
            };
            read.map_err(|e| at(&key, e))?;
        }
        match (has_requests, has_total) {
            (true, true) => Ok(page),
            (false, _) => Err("missing field \"requests\"".to_owned()),
            (_, false) => Err("missing field \"total\"".to_owned()),
        }
    }
}

impl FromJson for Broadcast {
    fn from_json(v: Value) -> Result<Self, Problem> {
        let mut b = Broadcast::default();
        for (key, v) in object(v, "a notified reviewer")? {
            match key.as_str() {
                "user_id" => b.user_id = lenient::string(v),
                "email" => b.email = lenient::string(v),
                "role" => b.role = lenient::string(v),
                "notification_sent" => {
                    b.notification_sent = flag(v).map_err(|e| at(&key, e))?;
                }
                "notification_error" => b.notification_error = lenient::opt_string(v),
                _ => {}
            }
        }
        Ok(b)
    }
}

impl FromJson for RequestDetail {
    fn from_json(v: Value) -> Result<Self, Problem> {
        use lenient::{opt_string, opt_value};
        let mut d = RequestDetail::default();
        for (key, v) in object(v, "a request")? {
            let Some(v) = d.request.set(&key, v) else {
                continue;
            };
            match key.as_str() {
                "creator_id" => d.creator_id = opt_string(v),
                "api_key_id" => d.api_key_id = opt_string(v),
                "image_url" => d.image_url = opt_string(v),
                "context" => d.context = opt_value(v),
                "platform" => d.platform = opt_string(v),
                "platform_version" => d.platform_version = opt_string(v),
                "response_config" => d.response_config = opt_value(v),
                "default_response" => d.default_response = opt_value(v),
                "callback_url" => d.callback_url = opt_string(v),
                "broadcasted_to" => d.broadcasted_to = list(v).map_err(|e| at(&key, e))?,
                "broadcasted_at" => d.broadcasted_at = lenient::opt_time(v),
                _ => {}
            }
        }
        Ok(d)
    }
}

impl FromJson for RequestEnvelopeData {
    fn from_json(v: Value) -> Result<Self, Problem> {
        match object(v, "the request's data")?.remove("request") {
            Some(request) => Ok(RequestEnvelopeData {
                request: RequestDetail::from_json(request).map_err(|e| at("request", e))?,
            }),
            None => Err("missing field \"request\"".to_owned()),
        }
    }
}

impl FromJson for LoopMember {
    fn from_json(v: Value) -> Result<Self, Problem> {
        let mut m = LoopMember::default();
        for (key, v) in object(v, "a loop member")? {
            match key.as_str() {
                "user_id" => m.user_id = lenient::string(v),
                "email" => m.email = lenient::string(v),
                "status" => m.status = lenient::string(v),
                "joined_at" => m.joined_at = lenient::opt_time(v),
                _ => {}
            }
        }
        Ok(m)
    }
}

impl FromJson for Loop {
    fn from_json(v: Value) -> Result<Self, Problem> {
        use lenient::{opt_time, string};
        let mut l = Loop::default();
        for (key, v) in object(v, "a loop")? {
            match key.as_str() {
                "id" => l.id = string(v),
                "name" => l.name = string(v),
                "description" => l.description = string(v),
                "icon" => l.icon = string(v),
                "creator_id" => l.creator_id = string(v),
                "members" => l.members = list(v).map_err(|e| at(&key, e))?,
                "member_count" => l.member_count = count(v).map_err(|e| at(&key, e))?,
                "pending_count" => l.pending_count = count(v).map_err(|e| at(&key, e))?,
                "created_at" => l.created_at = opt_time(v),
                "updated_at" => l.updated_at = opt_time(v),
                _ => {}
            }
        }
        Ok(l)
    }
}

impl FromJson for LoopList {
    fn from_json(v: Value) -> Result<Self, Problem> {
        let mut list_ = LoopList::default();
        for (key, v) in object(v, "the loops' data")? {
            let read = match key.as_str() {
                "loops" => list(v).map(|l| list_.loops = l),
                "count" => count(v).map(|n| list_.count = n),
                _ => Ok(()),
            };
            read.map_err(|e| at(&key, e))?;
        }
        Ok(list_)
    }
}

lenient::deserialize_via_from_json!(
    HitlRequest,
    Pagination,
    RequestPage,
    Broadcast,
    RequestDetail,
    RequestEnvelopeData,
    LoopMember,
    Loop,
    LoopList,
);

/// The envelope every response shares: `{"error": bool, "msg": "...", "data": ...}`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Envelope<T> {
    pub error: bool,
    pub msg: String,
    pub data: T,
}

impl<T> Envelope<T> {
    /// A success envelope.
    pub fn ok(msg: impl Into<String>, data: T) -> Self {
        Envelope {
            error: false,
            msg: msg.into(),
            data,
        }
    }
}

impl Envelope<Value> {
    /// An error envelope; `data` is arbitrary JSON (string, object or null).
    pub fn err(msg: impl Into<String>, data: Value) -> Self {
        Envelope {
            error: true,
            msg: msg.into(),
            data,
        }
    }
}
