//! One Parquet row made a document: its text, id and date from their columns (strings,
//! binaries, dictionaries, dates and timestamps with their zones), the other scalar columns as
//! metadata.

use arrow_array::cast::AsArray;
use arrow_array::types::{
    Date32Type, Date64Type, Decimal128Type, Decimal256Type, Float16Type, Float32Type, Float64Type,
    Int8Type, Int16Type, Int32Type, Int64Type, TimestampMicrosecondType, TimestampMillisecondType,
    TimestampNanosecondType, TimestampSecondType, UInt8Type, UInt16Type, UInt32Type, UInt64Type,
};
use arrow_array::{Array, ArrayRef, RecordBatch};
use arrow_schema::{DataType, TimeUnit};
use corpus_core::{Date, Problem, ProblemKind};
use serde_json::{Map, Value};

use super::{DateColumn, ParquetColumns, fixed_offset};
use crate::Parsed;
use crate::decode::{invalid_utf8, quoted};
use crate::jsonl::{parse_date_prefix, record_document};

/// How many bytes the row's text takes, for batching and progress.
pub(crate) fn row_size(columns: &ParquetColumns, batch: &RecordBatch, index: usize) -> usize {
    let array = batch.column(columns.text);
    if array.is_null(index) {
        return 0;
    }
    bytes_at(array, index).map_or(0, <[u8]>::len)
}

/// A string or binary value's bytes, in any of arrow's layouts (views, as the reader is asked
/// for, or offsets, should a writer's schema have kept them).
fn bytes_at(array: &dyn Array, index: usize) -> Option<&[u8]> {
    if let Some(a) = array.as_string_view_opt() {
        Some(a.value(index).as_bytes())
    } else if let Some(a) = array.as_binary_view_opt() {
        Some(a.value(index))
    } else if let Some(a) = array.as_string_opt::<i32>() {
        Some(a.value(index).as_bytes())
    } else if let Some(a) = array.as_string_opt::<i64>() {
        Some(a.value(index).as_bytes())
    } else if let Some(a) = array.as_binary_opt::<i32>() {
        Some(a.value(index))
    } else {
        array.as_binary_opt::<i64>().map(|a| a.value(index))
    }
}

/// A string-like value as text: lossily, with a warning, when it is not UTF-8.
fn text_at(
    array: &dyn Array,
    index: usize,
    path: &str,
    row: u64,
    problems: &mut Vec<Problem>,
) -> Option<String> {
    if array.is_null(index) {
        return None;
    }
    // Strings are valid UTF-8 already (arrow checked them); bytes are checked here.
    if let Some(a) = array.as_string_view_opt() {
        return Some(a.value(index).to_owned());
    }
    if let Some(a) = array.as_string_opt::<i32>() {
        return Some(a.value(index).to_owned());
    }
    if let Some(a) = array.as_string_opt::<i64>() {
        return Some(a.value(index).to_owned());
    }
    let bytes = bytes_at(array, index)?;
    Some(match std::str::from_utf8(bytes) {
        Ok(s) => s.to_owned(),
        Err(_) => {
            let mut w = invalid_utf8(bytes, path);
            w.line = Some(row);
            w.column = None;
            problems.push(w);
            String::from_utf8_lossy(bytes).into_owned()
        }
    })
}

/// Seconds since the epoch of a timestamp value.
fn timestamp_seconds(array: &dyn Array, index: usize, unit: TimeUnit) -> Option<i64> {
    Some(match unit {
        TimeUnit::Second => array
            .as_primitive_opt::<TimestampSecondType>()?
            .value(index),
        TimeUnit::Millisecond => array
            .as_primitive_opt::<TimestampMillisecondType>()?
            .value(index)
            .div_euclid(1_000),
        TimeUnit::Microsecond => array
            .as_primitive_opt::<TimestampMicrosecondType>()?
            .value(index)
            .div_euclid(1_000_000),
        TimeUnit::Nanosecond => array
            .as_primitive_opt::<TimestampNanosecondType>()?
            .value(index)
            .div_euclid(1_000_000_000),
    })
}

/// A date or timestamp value as a date: `Err` with what the value was when it is out of range.
fn date_of(array: &dyn Array, index: usize, how: DateColumn) -> Option<Result<Date, i64>> {
    let days = match how {
        DateColumn::Text => return None,
        DateColumn::Date32 => i64::from(array.as_primitive_opt::<Date32Type>()?.value(index)),
        DateColumn::Date64 => array
            .as_primitive_opt::<Date64Type>()?
            .value(index)
            .div_euclid(86_400_000),
        DateColumn::Timestamp(unit, offset) => timestamp_seconds(array, index, unit)?
            .saturating_add(offset)
            .div_euclid(86_400),
    };
    Some(Date::from_days(days).ok_or(days))
}

/// A scalar or string value as a metadata value (dates as `YYYY-MM-DD`, timestamps in RFC 3339,
/// decimals as their digits).
fn metadata_value(
    array: &dyn Array,
    index: usize,
    path: &str,
    row: u64,
    problems: &mut Vec<Problem>,
) -> Value {
    if array.is_null(index) {
        return Value::Null;
    }
    macro_rules! number {
        ($t:ty) => {
            array
                .as_primitive_opt::<$t>()
                .map(|a| Value::from(a.value(index)))
        };
    }
    let float = |f: f64| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number);
    let items = |values: ArrayRef, problems: &mut Vec<Problem>| {
        let values = values.as_ref();
        Value::Array(
            (0..values.len())
                .map(|i| metadata_value(values, i, path, row, problems))
                .collect(),
        )
    };
    let value = match array.data_type() {
        DataType::Utf8View | DataType::BinaryView => {
            text_at(array, index, path, row, problems).map(Value::String)
        }
        // Inside lists, strings are as arrow read them (not hinted to views).
        DataType::Utf8 => array
            .as_string_opt::<i32>()
            .map(|a| Value::String(a.value(index).to_owned())),
        DataType::LargeUtf8 => array
            .as_string_opt::<i64>()
            .map(|a| Value::String(a.value(index).to_owned())),
        DataType::List(_) => array
            .as_list_opt::<i32>()
            .map(|a| items(a.value(index), problems)),
        DataType::LargeList(_) => array
            .as_list_opt::<i64>()
            .map(|a| items(a.value(index), problems)),
        DataType::FixedSizeList(_, _) => array
            .as_fixed_size_list_opt()
            .map(|a| items(a.value(index), problems)),
        DataType::Struct(fields) => array.as_struct_opt().map(|a| {
            let object = fields
                .iter()
                .zip(a.columns())
                .map(|(f, column)| {
                    let value = metadata_value(column.as_ref(), index, path, row, problems);
                    (f.name().clone(), value)
                })
                .collect();
            Value::Object(object)
        }),
        DataType::Boolean => Some(Value::Bool(array.as_boolean().value(index))),
        DataType::Int8 => number!(Int8Type),
        DataType::Int16 => number!(Int16Type),
        DataType::Int32 => number!(Int32Type),
        DataType::Int64 => number!(Int64Type),
        DataType::UInt8 => number!(UInt8Type),
        DataType::UInt16 => number!(UInt16Type),
        DataType::UInt32 => number!(UInt32Type),
        DataType::UInt64 => number!(UInt64Type),
        DataType::Float16 => array
            .as_primitive_opt::<Float16Type>()
            .map(|a| float(f64::from(a.value(index)))),
        DataType::Float32 => array
            .as_primitive_opt::<Float32Type>()
            .map(|a| float(f64::from(a.value(index)))),
        DataType::Float64 => array
            .as_primitive_opt::<Float64Type>()
            .map(|a| float(a.value(index))),
        DataType::Date32 => date_of(array, index, DateColumn::Date32)
            .map(|d| d.map_or(Value::Null, |d| Value::String(d.to_string()))),
        DataType::Date64 => date_of(array, index, DateColumn::Date64)
            .map(|d| d.map_or(Value::Null, |d| Value::String(d.to_string()))),
        DataType::Timestamp(unit, zone) => {
            let offset = zone.as_deref().and_then(fixed_offset).unwrap_or(0);
            timestamp_seconds(array, index, *unit).map(|s| rfc3339(s, offset))
        }
        DataType::Decimal128(_, _) => array
            .as_primitive_opt::<Decimal128Type>()
            .map(|a| Value::String(a.value_as_string(index))),
        DataType::Decimal256(_, _) => array
            .as_primitive_opt::<Decimal256Type>()
            .map(|a| Value::String(a.value_as_string(index))),
        _ => None,
    };
    value.unwrap_or(Value::Null)
}

/// A timestamp as RFC 3339 to the second, at the offset (`Z` for UTC).
fn rfc3339(seconds: i64, offset: i64) -> Value {
    let local = seconds.saturating_add(offset);
    let Some(date) = Date::from_days(local.div_euclid(86_400)) else {
        return Value::Null;
    };
    let s = local.rem_euclid(86_400);
    let zone = if offset == 0 {
        "Z".to_owned()
    } else {
        let sign = if offset < 0 { '-' } else { '+' };
        let o = offset.abs();
        format!("{sign}{:02}:{:02}", o / 3600, o % 3600 / 60)
    };
    Value::String(format!(
        "{date}T{:02}:{:02}:{:02}{zone}",
        s / 3600,
        s % 3600 / 60,
        s % 60
    ))
}

/// The row's date from the date column, if there is one: `None` for none, or for one that is not
/// a date in years 1 to 9999 (a problem then says so, and the document is kept).
fn row_date(
    columns: &ParquetColumns,
    batch: &RecordBatch,
    (index, row): (usize, u64),
    problems: &mut Vec<Problem>,
) -> Option<Date> {
    let path = columns.path.as_str();
    let (i, name, how) = columns.date.as_ref()?;
    let mut date = None;
    {
        let array = batch.column(*i).as_ref();
        let column = quoted(name);
        let bad = |message: String| {
            Problem::new(
                ProblemKind::BadDate,
                path,
                format!("column {column}: {message}"),
            )
            .at(row, None)
        };
        match how {
            DateColumn::Text => {
                let s = text_at(array, index, path, row, problems).unwrap_or_default();
                if !s.trim().is_empty() {
                    match parse_date_prefix(&s) {
                        Ok((d, warning)) => {
                            date = Some(d);
                            problems.extend(warning.map(bad));
                        }
                        Err(message) => problems
                            .push(bad(format!("{message}; document kept without a date"))),
                    }
                }
            }
            how if !array.is_null(index) => match date_of(array, index, *how) {
                Some(Ok(d)) => date = Some(d),
                Some(Err(days)) => problems.push(bad(format!(
                    "date {days} days from 1970-01-01 is outside years 1 to 9999; document kept without a date"
                ))),
                None => {}
            },
            _ => {}
        }
    }
    date
}

/// Parses one row of a Parquet file.
pub(crate) fn parse_parquet_row(
    columns: &ParquetColumns,
    batch: &RecordBatch,
    index: usize,
    row: u64,
) -> Parsed {
    let path = columns.path.as_str();
    let mut problems = Vec::new();
    let reject = |mut problems: Vec<Problem>, kind, message: String| {
        problems.push(Problem::new(kind, path, message).at(row, None));
        Parsed {
            document: None,
            problems,
            left_out: false,
        }
    };
    let size = row_size(columns, batch, index) as u64;
    if size > columns.limit {
        return reject(
            problems,
            ProblemKind::TooLong,
            format!(
                "Parquet row longer than {} bytes (--max-record-bytes); left out",
                columns.limit
            ),
        );
    }
    let text = text_at(
        batch.column(columns.text).as_ref(),
        index,
        path,
        row,
        &mut problems,
    )
    .unwrap_or_default();
    if text.trim().is_empty() {
        return reject(
            problems,
            ProblemKind::Empty,
            format!("empty: column {} holds no text", quoted(&columns.text_name)),
        );
    }
    let id = columns
        .id
        .and_then(|i| {
            let array = batch.column(i).as_ref();
            if array.data_type().is_integer() {
                match metadata_value(array, index, path, row, &mut problems) {
                    Value::Number(n) => Some(n.to_string()),
                    _ => None,
                }
            } else {
                text_at(array, index, path, row, &mut problems)
            }
        })
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| format!("{}:{row}", columns.stem));
    let date = row_date(columns, batch, (index, row), &mut problems);
    let mut metadata = Map::new();
    let mut nested = None;
    for (name, i) in &columns.metadata {
        let value = metadata_value(batch.column(*i).as_ref(), index, path, row, &mut problems);
        match value {
            // A null is no value: the field is left out, as a column cannot leave it out.
            Value::Null => {}
            // As in JSON Lines: the entries of a `metadata` struct are metadata, and win over
            // columns of the same name.
            Value::Object(entries) if name == "metadata" => nested = Some(entries),
            value => {
                metadata.insert(name.clone(), value);
            }
        }
    }
    if let Some(entries) = nested {
        for (k, v) in entries.into_iter().filter(|(_, v)| !v.is_null()) {
            metadata.insert(k, v);
        }
    }
    let record = crate::jsonl::Record {
        id,
        path,
        line: row,
        text,
        date,
        metadata,
        blocks: None,
    };
    record_document(record, problems)
}
