//! `response_data` read according to `response_type`, as the API documentation's response types
//! define it, with every other JSON shape kept and shown as compact JSON.

use serde_json::{Number, Value};

use crate::format::json_number;
use crate::model::ResponseType;

/// A reviewer's answer, typed.
#[derive(Clone, Debug, PartialEq)]
pub enum ResponseValue {
    /// No answer (null or absent).
    None,
    /// Free text (`text`).
    Text(String),
    /// One option (`single_select`).
    Choice(String),
    /// Several options (`multi_select`).
    Choices(Vec<String>),
    /// A rating (`rating`), as the API sent it (an integer stays exact).
    Rating(Number),
    /// A number (`number`), as the API sent it (an integer stays exact).
    Number(Number),
    /// Yes or no (`boolean`).
    YesNo(bool),
    /// Any other shape: shown as compact JSON.
    Json(String),
}

impl ResponseValue {
    /// Reads `data` as `response_type` says it should be; falls back to the value's own shape.
    pub fn interpret(response_type: &ResponseType, data: Option<&Value>) -> ResponseValue {
        let Some(data) = data else {
            return ResponseValue::None;
        };
        match (response_type, data) {
            (_, Value::Null) => ResponseValue::None,
            (ResponseType::SingleSelect, Value::String(s)) => ResponseValue::Choice(s.clone()),
            (ResponseType::MultiSelect, Value::Array(items))
                if items.iter().all(Value::is_string) =>
            {
                ResponseValue::Choices(
                    items
                        .iter()
                        .filter_map(|v| v.as_str().map(str::to_owned))
                        .collect(),
                )
            }
            (ResponseType::Rating, Value::Number(n)) => ResponseValue::Rating(n.clone()),
            (_, Value::Bool(b)) => ResponseValue::YesNo(*b),
            (_, Value::String(s)) => ResponseValue::Text(s.clone()),
            (_, Value::Number(n)) => ResponseValue::Number(n.clone()),
            (_, other) => ResponseValue::Json(other.to_string()),
        }
    }

    /// One line of text for tables and exports.
    pub fn display(&self) -> String {
        match self {
            ResponseValue::None => String::new(),
            ResponseValue::Text(s) | ResponseValue::Choice(s) | ResponseValue::Json(s) => s.clone(),
            ResponseValue::Choices(items) if items.is_empty() => "(none selected)".to_owned(),
            ResponseValue::Choices(items) => items.join(", "),
            ResponseValue::Rating(r) => format!("★ {}", json_number(r)),
            ResponseValue::Number(n) => json_number(n),
            ResponseValue::YesNo(true) => "Yes".to_owned(),
            ResponseValue::YesNo(false) => "No".to_owned(),
        }
    }

    /// A stable name of the variant, e.g. for a CSS class.
    pub fn kind(&self) -> &'static str {
        match self {
            ResponseValue::None => "none",
            ResponseValue::Text(_) => "text",
            ResponseValue::Choice(_) => "choice",
            ResponseValue::Choices(_) => "choices",
            ResponseValue::Rating(_) => "rating",
            ResponseValue::Number(_) => "number",
            ResponseValue::YesNo(_) => "yesno",
            ResponseValue::Json(_) => "json",
        }
    }
}
