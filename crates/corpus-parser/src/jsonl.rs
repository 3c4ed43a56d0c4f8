//! JSON Lines records: `id`, `text`, `date` or `created`, `metadata`, other fields kept.

use corpus_core::{Block, Date, Document, Lang, Origin, Problem, ProblemKind};
use serde::Deserialize;
use serde_json::{Map, Value};

use crate::article::classify_blocks;
use crate::decode::{invalid_utf8, line_column, quoted};
use crate::{Parsed, Source};

/// Parses one line of a JSON Lines file (`line` is 1-based; a document without an `id` is
/// named `<name>:<line>` after the source's name).
///
/// The object's `text` (a string) is required; `id` may be a string or a number; `date`, or
/// else `created`, may be `YYYY-MM-DD` or an RFC 3339 timestamp (its date is kept) or null;
/// `metadata`, when an object, has its entries kept as metadata, and so has every other field.
pub fn parse_json_line(source: Source<'_>, line: u64, bytes: &[u8]) -> Parsed {
    let Source { path, name: stem } = source;
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
            left_out: false,
        }
    };
    let Top {
        mut object,
        raw_id,
        duplicates,
    } = match parse_top(text.trim_end()) {
        Ok(Ok(top)) => top,
        Ok(Err(what)) => {
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
    for key in duplicates {
        problems.push(
            Problem::new(
                ProblemKind::Suspect,
                path,
                format!("duplicate key {}: the last value was kept", quoted(&key)),
            )
            .at(line, None),
        );
    }
    let body = match take_text(&mut object) {
        Ok(body) => body,
        Err((kind, message)) => return reject(problems, kind, message, None),
    };
    let id = match object.remove("id") {
        Some(Value::String(s)) if !s.is_empty() => s,
        // The digits as written: a number too large for 64 bits would be rounded as a float.
        Some(Value::Number(n)) => raw_id.unwrap_or_else(|| n.to_string()),
        Some(other) => {
            object.insert("id".into(), other);
            format!("{stem}:{line}")
        }
        None => format!("{stem}:{line}"),
    };
    let date = take_date(&mut object, path, line, &mut problems);
    let canonical = Canonical::take(&mut object, &body, path, line, &mut problems);
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
    let record = Record {
        id,
        path,
        line,
        text: body,
        date,
        metadata,
        blocks: canonical.blocks,
    };
    let mut parsed = record_document(record, problems);
    if let (Some(doc), Some(origin)) = (parsed.document.as_mut(), canonical.origin) {
        doc.origin = origin;
    }
    parsed
}

/// The document's text from its `text` field: a string that holds more than white space, or
/// why the line is rejected.
fn take_text(object: &mut Map<String, Value>) -> Result<String, (ProblemKind, String)> {
    let body = match object.remove("text") {
        Some(Value::String(s)) => s,
        Some(other) => {
            let what = json_type(&other);
            return Err((
                ProblemKind::BadJson,
                format!("field \"text\" is {what}, expected a string"),
            ));
        }
        None => return Err((ProblemKind::BadJson, "no \"text\" field".into())),
    };
    if body.trim().is_empty() {
        return Err((
            ProblemKind::Empty,
            "empty: field \"text\" holds no text".into(),
        ));
    }
    Ok(body)
}

/// The document's date from its `date` field, or else `created`: `None` when it has none, or
/// one that is not a date (a problem then says so, and the document is kept).
fn take_date(
    object: &mut Map<String, Value>,
    path: &str,
    line: u64,
    problems: &mut Vec<Problem>,
) -> Option<Date> {
    let date_field = if object.contains_key("date") {
        "date"
    } else {
        "created"
    };
    match object.remove(date_field) {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => match parse_date_prefix(&s) {
            Ok((d, warning)) => {
                if let Some(w) = warning {
                    problems.push(
                        Problem::new(
                            ProblemKind::BadDate,
                            path,
                            format!("field \"{date_field}\": {w}"),
                        )
                        .at(line, None),
                    );
                }
                Some(d)
            }
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
    }
}

/// Parses one line of a plain-text file read a document a line ([`crate::Format::Lines`]):
/// the document `<name>:<line>`, its text the line without its line end.
pub(crate) fn parse_text_line(source: Source<'_>, line: u64, bytes: Vec<u8>) -> Parsed {
    let Source { path, name } = source;
    let mut problems = Vec::new();
    let mut text = match String::from_utf8(bytes) {
        Ok(s) => s,
        Err(e) => {
            let mut w = invalid_utf8(e.as_bytes(), path);
            w.line = Some(line);
            problems.push(w);
            String::from_utf8_lossy(e.as_bytes()).into_owned()
        }
    };
    let end = text.trim_end_matches(['\n', '\r']).len();
    text.truncate(end);
    let record = Record {
        id: format!("{name}:{line}"),
        path,
        line,
        text,
        date: None,
        metadata: Map::new(),
        blocks: None,
    };
    record_document(record, problems)
}

/// What a line in our canonical form (`corpus parse` output) carries beyond id, date, text and
/// metadata, taken as given so that the document reads back the same: its blocks (the spans
/// of a text that may begin with a date header, which classifying again would count as body)
/// and its origin (where it was first read).
#[derive(Default)]
struct Canonical {
    blocks: Option<Vec<Block>>,
    origin: Option<Origin>,
}

impl Canonical {
    /// Takes `blocks` and `origin` out of the object when they have the canonical shape; a
    /// field of another shape stays, as metadata. Blocks that do not fit the text are a
    /// warning, and the text is classified again.
    fn take(
        object: &mut Map<String, Value>,
        text: &str,
        path: &str,
        line: u64,
        problems: &mut Vec<Problem>,
    ) -> Canonical {
        let mut canonical = Canonical::default();
        if let Some(Ok(blocks)) = object.get("blocks").map(Vec::<Block>::deserialize) {
            object.remove("blocks");
            match misfit(&blocks, text) {
                None => canonical.blocks = Some(blocks),
                Some(why) => problems.push(
                    Problem::new(
                        ProblemKind::Suspect,
                        path,
                        format!("field \"blocks\" does not fit the text ({why}); blocks classified again"),
                    )
                    .at(line, None),
                ),
            }
        }
        // The body `corpus parse` writes beside the text (`Document::with_body`) is the
        // blocks' again: left out when it is theirs, kept as metadata when it is another.
        if let Some(blocks) = &canonical.blocks
            && let Some(Value::String(written)) = object.get("body")
            && is_body_of(written, blocks, text)
        {
            object.remove("body");
        }
        if let Some(Ok(origin)) = object.get("origin").map(Origin::deserialize) {
            let only_origin_keys = object["origin"]
                .as_object()
                .is_some_and(|o| o.keys().all(|k| k == "path" || k == "line"));
            if only_origin_keys {
                object.remove("origin");
                canonical.origin = Some(origin);
            }
        }
        canonical
    }
}

/// Whether `written` is the body of `blocks` of `text` as `Document::body_text` joins it.
fn is_body_of(written: &str, blocks: &[Block], text: &str) -> bool {
    let mut rest = written;
    let mut first = true;
    for b in blocks.iter().filter(|b| b.kind.is_body()) {
        if !first {
            let Some(r) = rest.strip_prefix("\n\n") else {
                return false;
            };
            rest = r;
        }
        first = false;
        let Some(r) = rest.strip_prefix(&text[b.range()]) else {
            return false;
        };
        rest = r;
    }
    rest.is_empty()
}

/// Why `blocks` cannot be spans of `text`, if they cannot: each must be non-empty, within the
/// text, on character boundaries, and after the one before.
fn misfit(blocks: &[Block], text: &str) -> Option<String> {
    let mut end = 0;
    for (i, b) in blocks.iter().enumerate() {
        let fits = end <= b.start
            && b.start < b.end
            && b.end <= text.len()
            && text.is_char_boundary(b.start)
            && text.is_char_boundary(b.end);
        if !fits {
            return Some(format!(
                "block {} spans {}..{} of {} bytes",
                i + 1,
                b.start,
                b.end,
                text.len()
            ));
        }
        end = b.end;
    }
    None
}

/// One record of a line-oriented format, read.
pub(crate) struct Record<'a> {
    pub(crate) id: String,
    pub(crate) path: &'a str,
    pub(crate) line: u64,
    pub(crate) text: String,
    pub(crate) date: Option<Date>,
    pub(crate) metadata: Map<String, Value>,
    /// The blocks, when the record gave them; classified otherwise.
    pub(crate) blocks: Option<Vec<Block>>,
}

/// The document of one record of a line-oriented format.
pub(crate) fn record_document(record: Record<'_>, mut problems: Vec<Problem>) -> Parsed {
    let Record {
        id,
        path,
        line,
        text,
        date,
        metadata,
        blocks,
    } = record;
    // One rule for every format: a text holding a NUL byte is not text (as a `.txt` file).
    if let Some(at) = memchr::memchr(0, text.as_bytes()) {
        let (text_line, column) = line_column(text.as_bytes(), at);
        problems.push(
            Problem::new(
                ProblemKind::Binary,
                path,
                format!(
                    "binary: the text holds a NUL byte (its line {text_line}, character {column}), not text"
                ),
            )
            .at(line, None),
        );
        return Parsed {
            document: None,
            problems,
            left_out: false,
        };
    }
    let blocks = blocks.unwrap_or_else(|| classify_blocks(&text, 0));
    let mut document = Document::new(id, path, text);
    document.origin.line = Some(line);
    document.date = date;
    document.blocks = blocks;
    document.metadata = metadata;
    take_lang_field(&mut document, &mut problems);
    Parsed {
        document: Some(document),
        problems,
        left_out: false,
    }
}

/// The document's `lang` or `language` field (a JSON field, a CSV or Parquet column) as its
/// language, taken out of the metadata; a field that names no language stays there, with a
/// warning, and the reader tells the language from the text.
fn take_lang_field(doc: &mut Document, problems: &mut Vec<Problem>) {
    for key in ["lang", "language"] {
        let Some(Value::String(tag)) = doc.metadata.get(key) else {
            continue;
        };
        if tag.trim().is_empty() {
            continue;
        }
        if let Some(lang) = Lang::from_tag(tag) {
            doc.lang = lang;
            doc.metadata.remove(key);
            return;
        }
        let mut problem = Problem::new(
            ProblemKind::Suspect,
            doc.origin.path.as_str(),
            format!(
                "field \"{key}\" {} names no language; the language is told from the text",
                quoted(tag)
            ),
        );
        problem.line = doc.origin.line;
        problems.push(problem);
        return;
    }
}

/// Parses `YYYY-MM-DD`, alone or as the start of a timestamp (`T` or a space, then a time).
///
/// Returns the date and, when what follows the day is not a time (`2021-03-08 xx`), a warning
/// for the caller to report: the day is kept, since it was written as one.
pub(crate) fn parse_date_prefix(s: &str) -> Result<(Date, Option<String>), String> {
    let s = s.trim();
    let malformed = || {
        format!(
            "malformed date {}, expected YYYY-MM-DD or an RFC 3339 timestamp",
            quoted(s)
        )
    };
    let head = match s.get(..10) {
        Some(head) if s.len() == 10 || s[10..].starts_with(['T', 't', ' ']) => head,
        _ => return Err(malformed()),
    };
    let date = Date::parse(head).map_err(|e| match e {
        corpus_core::DateError::Impossible(_) => {
            format!("impossible date {}, no such day", quoted(s))
        }
        _ => malformed(),
    })?;
    let rest = &s[10..];
    let warning = (!rest.is_empty() && !is_time(&rest[1..])).then(|| {
        format!(
            "date {} has text after the day that is not a time; the day was kept",
            quoted(s)
        )
    });
    Ok((date, warning))
}

/// Whether `s` is a time of day as timestamps write it: `HH:MM`, optional `:SS` and fraction,
/// then optionally a zone (`Z`, `+HH:MM`, `+HHMM`, `+HH`, `UTC`, `GMT`, after an optional space).
fn is_time(s: &str) -> bool {
    let b = s.as_bytes();
    let two_digits = |at: usize| {
        b.get(at..at + 2)
            .is_some_and(|d| d.iter().all(u8::is_ascii_digit))
    };
    if !(two_digits(0) && b.get(2) == Some(&b':') && two_digits(3)) {
        return false;
    }
    let mut at = 5;
    if b.get(at) == Some(&b':') && two_digits(at + 1) {
        at += 3;
        if matches!(b.get(at), Some(b'.' | b',')) {
            at += 1;
            let digits = b[at..].iter().take_while(|c| c.is_ascii_digit()).count();
            if digits == 0 {
                return false;
            }
            at += digits;
        }
    }
    let zone = s[at..].trim_start();
    match zone.as_bytes() {
        [] | [b'Z' | b'z'] => true,
        [b'+' | b'-', rest @ ..] => {
            let digits: Vec<u8> = rest.iter().copied().filter(|c| *c != b':').collect();
            matches!(digits.len(), 2 | 4) && digits.iter().all(u8::is_ascii_digit)
        }
        _ => zone.eq_ignore_ascii_case("utc") || zone.eq_ignore_ascii_case("gmt"),
    }
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

/// A top-level JSON object, the `id` value's text when it is a number (its digits as written),
/// and the keys that appeared more than once.
struct Top {
    object: Map<String, Value>,
    raw_id: Option<String>,
    duplicates: Vec<String>,
}

/// Parses a JSON line: the object, or the kind of value it is instead.
fn parse_top(text: &str) -> serde_json::Result<Result<Top, &'static str>> {
    let mut de = serde_json::Deserializer::from_str(text);
    let top = serde::Deserializer::deserialize_any(&mut de, TopVisitor)?;
    de.end()?;
    Ok(top)
}

struct TopVisitor;

impl<'de> serde::de::Visitor<'de> for TopVisitor {
    type Value = Result<Top, &'static str>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut object = Map::new();
        let mut raw_id = None;
        let mut duplicates = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            let value = if key == "id" {
                // Borrowed from the line: no copy unless it is kept.
                let raw: &'de serde_json::value::RawValue = map.next_value()?;
                let text = raw.get();
                raw_id = text
                    .starts_with(|c: char| c == '-' || c.is_ascii_digit())
                    .then(|| text.to_owned());
                serde_json::from_str(text).map_err(serde::de::Error::custom)?
            } else {
                map.next_value::<Value>()?
            };
            if object.insert(key.clone(), value).is_some() && !duplicates.contains(&key) {
                duplicates.push(key);
            }
        }
        Ok(Ok(Top {
            object,
            raw_id,
            duplicates,
        }))
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<serde::de::IgnoredAny>()?.is_some() {}
        Ok(Err("an array"))
    }

    fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
        Ok(Err("a boolean"))
    }

    fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
        Ok(Err("a number"))
    }

    fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
        Ok(Err("a number"))
    }

    fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
        Ok(Err("a number"))
    }

    fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
        Ok(Err("a string"))
    }

    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(Err("null"))
    }
}
