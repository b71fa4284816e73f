//! The API's objects, as the vendor's "Get User Requests" page and its sibling pages describe
//! them.
//!
//! Decoding is deliberately lenient where the API could plausibly surprise us: enum fields keep
//! values outside the documented set (`Other`), timestamps that do not parse become `None`,
//! a numeric field sent as a string still counts, and missing fields take empty defaults (so do
//! page-level and list fields sent as `null`). One odd row must never fail a whole page.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::borrow::Borrow;

use crate::lenient;

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

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                lenient::string_like(d).map(|raw| $name::from_wire(&raw))
            }
        }
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
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct HitlRequest {
    #[serde(deserialize_with = "lenient::string")]
    pub id: String,
    #[serde(deserialize_with = "lenient::string")]
    pub loop_id: String,
    pub processing_type: ProcessingType,
    #[serde(rename = "type")]
    pub content_type: ContentType,
    pub priority: Priority,
    #[serde(deserialize_with = "lenient::string")]
    pub request_text: String,
    pub response_type: ResponseType,
    pub status: Status,
    /// The reviewer's answer: any JSON (see [`crate::response::ResponseValue`]); `None` for null.
    pub response_data: Option<Value>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub response_by: Option<String>,
    #[serde(deserialize_with = "lenient::opt_time")]
    pub response_at: Option<DateTime<Utc>>,
    #[serde(deserialize_with = "lenient::opt_f64")]
    pub response_time_seconds: Option<f64>,
    #[serde(deserialize_with = "lenient::opt_time")]
    pub timeout_at: Option<DateTime<Utc>>,
    #[serde(deserialize_with = "lenient::opt_time")]
    pub created_at: Option<DateTime<Utc>>,
    #[serde(deserialize_with = "lenient::opt_time")]
    pub updated_at: Option<DateTime<Utc>>,
}

/// `data.pagination` of a list response.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Pagination {
    #[serde(deserialize_with = "lenient::null_default")]
    pub limit: u64,
    #[serde(deserialize_with = "lenient::null_default")]
    pub offset: u64,
    #[serde(deserialize_with = "lenient::null_default")]
    pub next_offset: u64,
}

/// `data` of a successful list response.
///
/// `requests` and `total` must be present (without them the body is not a page), but any field
/// sent as `null` takes its empty default, like a missing optional one.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RequestPage {
    #[serde(deserialize_with = "lenient::null_default")]
    pub requests: Vec<HitlRequest>,
    #[serde(default, deserialize_with = "lenient::null_default")]
    pub count: u64,
    /// Everything that matches the filters, not just this page.
    #[serde(deserialize_with = "lenient::null_default")]
    pub total: u64,
    #[serde(default, deserialize_with = "lenient::null_default")]
    pub has_more: bool,
    #[serde(default, deserialize_with = "lenient::null_default")]
    pub pagination: Pagination,
}

/// One entry of `broadcasted_to` in the single-request response.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Broadcast {
    #[serde(deserialize_with = "lenient::string")]
    pub user_id: String,
    #[serde(deserialize_with = "lenient::string")]
    pub email: String,
    #[serde(deserialize_with = "lenient::string")]
    pub role: String,
    #[serde(deserialize_with = "lenient::null_default")]
    pub notification_sent: bool,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub notification_error: Option<String>,
}

/// The single-request object (`GET /v1/api/requests/{id}`): every list field plus detail.
///
/// On the wire it is one flat object. It is (de)serialised through [`FlatDetail`] rather than
/// `#[serde(flatten)]`, whose buffering of every field costs tens of KB of wasm.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(from = "FlatDetail", into = "FlatDetail")]
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
#[derive(Clone, Default, Serialize, Deserialize)]
#[serde(default)]
struct FlatDetail {
    #[serde(deserialize_with = "lenient::string")]
    id: String,
    #[serde(deserialize_with = "lenient::string")]
    loop_id: String,
    processing_type: ProcessingType,
    #[serde(rename = "type")]
    content_type: ContentType,
    priority: Priority,
    #[serde(deserialize_with = "lenient::string")]
    request_text: String,
    response_type: ResponseType,
    status: Status,
    response_data: Option<Value>,
    #[serde(deserialize_with = "lenient::opt_string")]
    response_by: Option<String>,
    #[serde(deserialize_with = "lenient::opt_time")]
    response_at: Option<DateTime<Utc>>,
    #[serde(deserialize_with = "lenient::opt_f64")]
    response_time_seconds: Option<f64>,
    #[serde(deserialize_with = "lenient::opt_time")]
    timeout_at: Option<DateTime<Utc>>,
    #[serde(deserialize_with = "lenient::opt_time")]
    created_at: Option<DateTime<Utc>>,
    #[serde(deserialize_with = "lenient::opt_time")]
    updated_at: Option<DateTime<Utc>>,
    #[serde(deserialize_with = "lenient::opt_string")]
    creator_id: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    api_key_id: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    image_url: Option<String>,
    context: Option<Value>,
    #[serde(deserialize_with = "lenient::opt_string")]
    platform: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    platform_version: Option<String>,
    response_config: Option<Value>,
    default_response: Option<Value>,
    #[serde(deserialize_with = "lenient::opt_string")]
    callback_url: Option<String>,
    #[serde(deserialize_with = "lenient::null_default")]
    broadcasted_to: Vec<Broadcast>,
    #[serde(deserialize_with = "lenient::opt_time")]
    broadcasted_at: Option<DateTime<Utc>>,
}

impl From<FlatDetail> for RequestDetail {
    fn from(f: FlatDetail) -> Self {
        RequestDetail {
            request: HitlRequest {
                id: f.id,
                loop_id: f.loop_id,
                processing_type: f.processing_type,
                content_type: f.content_type,
                priority: f.priority,
                request_text: f.request_text,
                response_type: f.response_type,
                status: f.status,
                response_data: f.response_data,
                response_by: f.response_by,
                response_at: f.response_at,
                response_time_seconds: f.response_time_seconds,
                timeout_at: f.timeout_at,
                created_at: f.created_at,
                updated_at: f.updated_at,
            },
            creator_id: f.creator_id,
            api_key_id: f.api_key_id,
            image_url: f.image_url,
            context: f.context,
            platform: f.platform,
            platform_version: f.platform_version,
            response_config: f.response_config,
            default_response: f.default_response,
            callback_url: f.callback_url,
            broadcasted_to: f.broadcasted_to,
            broadcasted_at: f.broadcasted_at,
        }
    }
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
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RequestEnvelopeData {
    pub request: RequestDetail,
}

/// A member of a loop.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct LoopMember {
    #[serde(deserialize_with = "lenient::string")]
    pub user_id: String,
    #[serde(deserialize_with = "lenient::string")]
    pub email: String,
    #[serde(deserialize_with = "lenient::string")]
    pub status: String,
    #[serde(deserialize_with = "lenient::opt_time")]
    pub joined_at: Option<DateTime<Utc>>,
}

/// A loop: a group of reviewers requests are routed to.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Loop {
    #[serde(deserialize_with = "lenient::string")]
    pub id: String,
    #[serde(deserialize_with = "lenient::string")]
    pub name: String,
    #[serde(deserialize_with = "lenient::string")]
    pub description: String,
    #[serde(deserialize_with = "lenient::string")]
    pub icon: String,
    #[serde(deserialize_with = "lenient::string")]
    pub creator_id: String,
    #[serde(deserialize_with = "lenient::null_default")]
    pub members: Vec<LoopMember>,
    #[serde(deserialize_with = "lenient::null_default")]
    pub member_count: u64,
    #[serde(deserialize_with = "lenient::null_default")]
    pub pending_count: u64,
    #[serde(deserialize_with = "lenient::opt_time")]
    pub created_at: Option<DateTime<Utc>>,
    #[serde(deserialize_with = "lenient::opt_time")]
    pub updated_at: Option<DateTime<Utc>>,
}

/// `data` of the loops response.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct LoopList {
    #[serde(deserialize_with = "lenient::null_default")]
    pub loops: Vec<Loop>,
    #[serde(deserialize_with = "lenient::null_default")]
    pub count: u64,
}

/// The envelope every response shares: `{"error": bool, "msg": "...", "data": ...}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
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
