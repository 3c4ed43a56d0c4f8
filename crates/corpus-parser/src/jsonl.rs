//! JSON Lines records: `id`, `text`, `date` or `created`, `metadata`, other fields kept.

use corpus_core::{Date, Document, Problem, ProblemKind};
use serde_json::{Map, Value};

use crate::Parsed;
use crate::article::classify_blocks;
use crate::decode::invalid_utf8;

/// Parses one line of a JSON Lines file (`line` is 1-based, `stem` names documents that have
/// no `id`: `<stem>:<line>`).
///
/// The object's `text` (a string) is required; `id` may be a string or a number; `date`, or
/// else `created`, may be `YYYY-MM-DD` or an RFC 3339 timestamp (its date is kept) or null;
/// `metadata`, when an object, has its entries kept as metadata, and so has every other field.
pub fn parse_json_line(path: &str, stem: &str, line: u64, bytes: &[u8]) -> Parsed {
    let mut problems = Vec::new();
    let text = match std::str::from_utf8(bytes) {
        Ok(s) => std::borrow::Cow::Borrowed(s),
        Err(_) => {
            let mut w = invalid_utf8(bytes, path);
            w.line = Some(line);
            problems.push(w);
            String::from_utf8_lossy(bytes)
        }
    };
    let reject = |mut problems: Vec<Problem>, kind, message: String, column: Option<u64>| {
        problems.push(Problem::new(kind, path, message).at(line, column));
        Parsed {
            document: None,
            problems,
        }
    };
    let mut object: Map<String, Value> = match serde_json::from_str(text.trim_end()) {
        Ok(Value::Object(o)) => o,
        Ok(other) => {
            let what = json_type(&other);
            return reject(
                problems,
                ProblemKind::BadJson,
                format!("expected a JSON object, found {what}"),
                None,
            );
        }
        Err(e) => {
            // serde_json appends "at line L column C"; the problem carries the place already.
            let message = e.to_string();
            let message = message
                .rsplit_once(" at line ")
                .map_or(message.as_str(), |(m, _)| m);
            let column = Some(e.column().max(1) as u64);
            return reject(
                problems,
                ProblemKind::BadJson,
                format!("invalid JSON: {message}"),
                column,
            );
        }
    };
    let body = match object.remove("text") {
        Some(Value::String(s)) => s,
        Some(other) => {
            let what = json_type(&other);
            return reject(
                problems,
                ProblemKind::BadJson,
                format!("field \"text\" is {what}, expected a string"),
                None,
            );
        }
        None => {
            return reject(
                problems,
                ProblemKind::BadJson,
                "no \"text\" field".into(),
                None,
            );
        }
    };
    if body.trim().is_empty() {
        return reject(
            problems,
            ProblemKind::Empty,
            "empty: field \"text\" holds no text".into(),
            None,
        );
    }
    let id = match object.remove("id") {
        Some(Value::String(s)) if !s.is_empty() => s,
        Some(Value::Number(n)) => n.to_string(),
        Some(other) => {
            object.insert("id".into(), other);
            format!("{stem}:{line}")
        }
        None => format!("{stem}:{line}"),
    };
    let date_field = if object.contains_key("date") {
        "date"
    } else {
        "created"
    };
    let date = match object.remove(date_field) {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => match parse_date_prefix(&s) {
            Ok(d) => Some(d),
            Err(message) => {
                problems.push(
                    Problem::new(
                        ProblemKind::BadDate,
                        path,
                        format!("field \"{date_field}\": {message}; document kept without a date"),
                    )
                    .at(line, None),
                );
                None
            }
        },
        Some(other) => {
            let what = json_type(&other);
            problems.push(Problem::new(ProblemKind::BadDate, path, format!("field \"{date_field}\" is {what}, expected a date string; document kept without a date")).at(line, None));
            None
        }
    };
    let mut metadata = match object.remove("metadata") {
        Some(Value::Object(m)) => m,
        Some(other) => {
            object.insert("metadata".into(), other);
            Map::new()
        }
        None => Map::new(),
    };
    // Entries of `metadata` win over top-level fields of the same name: they were put there
    // on purpose.
    for (k, v) in object {
        metadata.entry(k).or_insert(v);
    }
    record_document(id, path, line, body, date, metadata, problems)
}

/// The document of one record of a line-oriented format, with its blocks classified.
pub(crate) fn record_document(
    id: String,
    path: &str,
    line: u64,
    text: String,
    date: Option<Date>,
    metadata: Map<String, Value>,
    problems: Vec<Problem>,
) -> Parsed {
    let blocks = classify_blocks(&text, 0);
    let mut document = Document::new(id, path, text);
    document.origin.line = Some(line);
    document.date = date;
    document.blocks = blocks;
    document.metadata = metadata;
    Parsed {
        document: Some(document),
        problems,
    }
}

/// Parses `YYYY-MM-DD`, alone or as the start of a timestamp (`T` or a space follows).
pub(crate) fn parse_date_prefix(s: &str) -> Result<Date, String> {
    let s = s.trim();
    let head = match s.get(..10) {
        Some(head) if s.len() == 10 || s[10..].starts_with(['T', 't', ' ']) => head,
        _ => {
            return Err(format!(
                "malformed date {s:?}, expected YYYY-MM-DD or an RFC 3339 timestamp"
            ));
        }
    };
    Date::parse(head).map_err(|e| match e {
        corpus_core::DateError::Impossible(_) => format!("impossible date {s:?}, no such day"),
        _ => format!("malformed date {s:?}, expected YYYY-MM-DD or an RFC 3339 timestamp"),
    })
}

fn json_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}
