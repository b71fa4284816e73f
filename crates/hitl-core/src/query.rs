//! `RequestQuery`: the list endpoint's parameters, their query-string form, and the API's own
//! validation rules (with the API's own error wording), so an invalid view is explained before
//! a call is spent on it.

use chrono::{DateTime, SecondsFormat, Utc};

use crate::lenient::parse_time;
use crate::model::{Priority, Status};

/// The API's default and bounds for `limit`.
pub const DEFAULT_LIMIT: u32 = 50;
/// The largest page the API serves.
pub const MAX_LIMIT: u32 = 100;
/// The page sizes the filter bar offers.
pub const PAGE_SIZES: [u32; 4] = [10, 20, 50, 100];

/// The page sizes to offer when the view's `limit` is `current`: [`PAGE_SIZES`], and `current`
/// in its place among them when a URL asked for another valid size (`?limit=25`), so that the
/// choice shows what the table does instead of a blank select.
pub fn page_sizes(current: u32) -> Vec<u32> {
    let mut sizes = PAGE_SIZES.to_vec();
    if (1..=MAX_LIMIT).contains(&current) && !sizes.contains(&current) {
        let at = sizes.partition_point(|&n| n < current);
        sizes.insert(at, current);
    }
    sizes
}

/// A server-side sort order (`sort`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Sort {
    /// Newest first (the API's default).
    #[default]
    CreatedAtDesc,
    /// Oldest first.
    CreatedAtAsc,
    /// Critical first.
    PriorityDesc,
    /// By status name, A to Z.
    StatusAsc,
}

impl Sort {
    /// Every documented order, the default first.
    pub const ALL: [Sort; 4] = [
        Sort::CreatedAtDesc,
        Sort::CreatedAtAsc,
        Sort::PriorityDesc,
        Sort::StatusAsc,
    ];

    /// The value as the API spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            Sort::CreatedAtDesc => "created_at_desc",
            Sort::CreatedAtAsc => "created_at_asc",
            Sort::PriorityDesc => "priority_desc",
            Sort::StatusAsc => "status_asc",
        }
    }

    /// A readable name for the Sort select.
    pub fn label(self) -> &'static str {
        match self {
            Sort::CreatedAtDesc => "Newest first",
            Sort::CreatedAtAsc => "Oldest first",
            Sort::PriorityDesc => "Priority, critical first",
            Sort::StatusAsc => "Status, A–Z",
        }
    }

    /// Parses a documented value.
    pub fn parse(s: &str) -> Option<Sort> {
        Sort::ALL.into_iter().find(|v| v.as_str() == s)
    }
}

/// A parameter value the API would refuse, worded as the API's 400 body words it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueryError {
    /// The envelope's `msg`, e.g. "Invalid status filter value".
    pub msg: &'static str,
    /// The envelope's `data`, e.g. "status must be one of: pending, completed, timeout, cancelled".
    pub data: String,
}

impl std::fmt::Display for QueryError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.msg, self.data)
    }
}

impl std::error::Error for QueryError {}

impl QueryError {
    /// One error that states every problem of a view, for a person reading a URL: the first
    /// problem's `msg` (or "Invalid parameters" when they differ) and each `data` once, joined
    /// by "; ". `None` when there is none. (The API itself answers the first one only.)
    pub fn all(errors: Vec<QueryError>) -> Option<QueryError> {
        let first = errors.first()?;
        let msg = if errors.iter().all(|e| e.msg == first.msg) {
            first.msg
        } else {
            "Invalid parameters"
        };
        let mut data: Vec<&str> = Vec::new();
        for e in &errors {
            if !data.contains(&e.data.as_str()) {
                data.push(&e.data);
            }
        }
        Some(QueryError {
            msg,
            data: data.join("; "),
        })
    }

    fn status() -> Self {
        QueryError {
            msg: "Invalid status filter value",
            data: format!("status must be one of: {}", Status::documented_list()),
        }
    }
    fn priority() -> Self {
        QueryError {
            msg: "Invalid priority filter value",
            data: format!("priority must be one of: {}", Priority::documented_list()),
        }
    }
    fn sort() -> Self {
        let values: Vec<&str> = Sort::ALL.iter().map(|s| s.as_str()).collect();
        QueryError {
            msg: "Invalid sort value",
            data: format!("sort must be one of: {}", values.join(", ")),
        }
    }
    fn limit() -> Self {
        QueryError {
            msg: "Invalid pagination parameters",
            data: format!("limit must be between 1 and {MAX_LIMIT}"),
        }
    }
    fn offset() -> Self {
        QueryError {
            msg: "Invalid pagination parameters",
            data: "offset must be 0 or more".to_owned(),
        }
    }
    fn created_before() -> Self {
        QueryError {
            msg: "Invalid pagination parameters",
            data: "created_before must be an ISO-8601 timestamp".to_owned(),
        }
    }
}

/// The parameters of `GET /v1/api/requests`. `Default` is the API's default view.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct RequestQuery {
    pub status: Option<Status>,
    pub priority: Option<Priority>,
    pub loop_id: Option<String>,
    pub sort: Sort,
    /// 1 to [`MAX_LIMIT`].
    pub limit: u32,
    pub offset: u64,
    /// Cursor paging: only requests created strictly before this instant.
    pub created_before: Option<DateTime<Utc>>,
}

impl Default for RequestQuery {
    fn default() -> Self {
        RequestQuery {
            status: None,
            priority: None,
            loop_id: None,
            sort: Sort::default(),
            limit: DEFAULT_LIMIT,
            offset: 0,
            created_before: None,
        }
    }
}

/// The names of the parameters [`RequestQuery`] owns; other query-string keys belong to the app.
pub const PARAMS: [&str; 7] = [
    "status",
    "priority",
    "loop_id",
    "sort",
    "limit",
    "offset",
    "created_before",
];

impl RequestQuery {
    /// Parses `key=value&…` (with or without a leading `?`), ignoring keys it does not own and
    /// treating empty values as absent. The first rule broken is reported, as the API would.
    pub fn from_query_string(qs: &str) -> Result<Self, QueryError> {
        let qs = qs.strip_prefix('?').unwrap_or(qs);
        Self::from_pairs(form_urlencoded::parse(qs.as_bytes()))
    }

    /// Like [`RequestQuery::from_query_string`], from decoded pairs.
    pub fn from_pairs<K, V>(pairs: impl IntoIterator<Item = (K, V)>) -> Result<Self, QueryError>
    where
        K: AsRef<str>,
        V: AsRef<str>,
    {
        let (q, mut errors) = Self::parse_pairs(pairs);
        if errors.is_empty() {
            Ok(q)
        } else {
            Err(errors.swap_remove(0))
        }
    }

    /// Keeps every valid parameter and reports each invalid one: the filter bar starts from
    /// what is usable while the banner explains what is not.
    pub fn from_query_string_lenient(qs: &str) -> (Self, Vec<QueryError>) {
        let qs = qs.strip_prefix('?').unwrap_or(qs);
        Self::parse_pairs(form_urlencoded::parse(qs.as_bytes()))
    }

    fn parse_pairs<K, V>(pairs: impl IntoIterator<Item = (K, V)>) -> (Self, Vec<QueryError>)
    where
        K: AsRef<str>,
        V: AsRef<str>,
    {
        let mut q = RequestQuery::default();
        let mut errors = Vec::new();
        for (key, value) in pairs {
            let value = value.as_ref().trim();
            if value.is_empty() {
                continue;
            }
            let result = match key.as_ref() {
                "status" => Status::known(value)
                    .map(|s| q.status = Some(s))
                    .ok_or_else(QueryError::status),
                "priority" => Priority::known(value)
                    .map(|p| q.priority = Some(p))
                    .ok_or_else(QueryError::priority),
                "loop_id" => {
                    q.loop_id = Some(value.to_owned());
                    Ok(())
                }
                "sort" => Sort::parse(value)
                    .map(|s| q.sort = s)
                    .ok_or_else(QueryError::sort),
                "limit" => value
                    .parse::<u32>()
                    .ok()
                    .filter(|l| (1..=MAX_LIMIT).contains(l))
                    .map(|l| q.limit = l)
                    .ok_or_else(QueryError::limit),
                "offset" => value
                    .parse::<u64>()
                    .map(|o| q.offset = o)
                    .map_err(|_| QueryError::offset()),
                "created_before" => parse_time(value)
                    .map(|t| q.created_before = Some(t))
                    .ok_or_else(QueryError::created_before),
                _ => Ok(()),
            };
            if let Err(e) = result {
                errors.push(e);
            }
        }
        (q, errors)
    }

    /// Checks a query built in code against the same rules the parser applies.
    pub fn validate(&self) -> Result<(), QueryError> {
        if matches!(self.status, Some(Status::Other(_))) {
            return Err(QueryError::status());
        }
        if matches!(self.priority, Some(Priority::Other(_))) {
            return Err(QueryError::priority());
        }
        if !(1..=MAX_LIMIT).contains(&self.limit) {
            return Err(QueryError::limit());
        }
        Ok(())
    }

    /// The canonical pairs: fixed order, defaults left out. Equal queries give equal strings,
    /// which makes the string a cache key.
    pub fn to_pairs(&self) -> Vec<(&'static str, String)> {
        let mut pairs = Vec::with_capacity(PARAMS.len());
        if let Some(s) = &self.status {
            pairs.push(("status", s.as_str().to_owned()));
        }
        if let Some(p) = &self.priority {
            pairs.push(("priority", p.as_str().to_owned()));
        }
        if let Some(l) = self.loop_id.as_deref().filter(|l| !l.is_empty()) {
            pairs.push(("loop_id", l.to_owned()));
        }
        if self.sort != Sort::default() {
            pairs.push(("sort", self.sort.as_str().to_owned()));
        }
        if self.limit != DEFAULT_LIMIT {
            pairs.push(("limit", self.limit.to_string()));
        }
        if self.offset != 0 {
            pairs.push(("offset", self.offset.to_string()));
        }
        if let Some(t) = self.created_before {
            pairs.push(("created_before", format_time(t)));
        }
        pairs
    }

    /// The canonical query string, without `?`; empty for the default view.
    pub fn to_query_string(&self) -> String {
        encode_pairs(self.to_pairs().iter().map(|(k, v)| (*k, v.as_str())))
    }

    /// The same filters with another offset.
    pub fn with_offset(&self, offset: u64) -> Self {
        RequestQuery {
            offset,
            ..self.clone()
        }
    }

    /// The filters only (status, priority, loop): first page, default sort and size, no cursor.
    pub fn filters_only(&self) -> Self {
        RequestQuery {
            status: self.status.clone(),
            priority: self.priority.clone(),
            loop_id: self.loop_id.clone(),
            ..RequestQuery::default()
        }
    }

    /// True when any of status, priority or loop narrows the set.
    pub fn is_filtered(&self) -> bool {
        self.status.is_some() || self.priority.is_some() || self.loop_id.is_some()
    }
}

/// Formats an instant the way the API writes timestamps (`2024-03-15T10:45:00Z`).
pub fn format_time(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::AutoSi, true)
}

/// `application/x-www-form-urlencoded` serialisation of pairs.
pub fn encode_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    let mut ser = form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        ser.append_pair(k, v);
    }
    ser.finish()
}

/// Decodes a query string (with or without `?`) into owned pairs.
pub fn decode_pairs(qs: &str) -> Vec<(String, String)> {
    let qs = qs.strip_prefix('?').unwrap_or(qs);
    form_urlencoded::parse(qs.as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}
