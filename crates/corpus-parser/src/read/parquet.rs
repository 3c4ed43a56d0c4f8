//! Parquet files (feature `parquet`): the text, id and date columns and the other scalar
//! columns as metadata, read row group by row group in batches of bounded size, projected to
//! those columns; each row is a record that any thread turns into a document.
//!
//! A file on disk is read in place, page by page. A Parquet file in a stream (standard input,
//! an archive member, a compressed file) has its footer at the end, so it is held in memory
//! whole, as one record would be: up to `--max-record-bytes`.
//!
//! Rows are numbered from 1 across the file; a row's number is where its problems are placed
//! (the `line` of a problem) and what names a document without an id (`<stem>:<row>`).

use std::fs::File;
use std::io::{self, Read};
use std::sync::Arc;

use arrow_schema::{DataType, Field, Schema, TimeUnit};
use corpus_core::{Problem, ProblemKind};
use parquet::arrow::ProjectionMask;
use parquet::arrow::arrow_reader::{
    ArrowReaderMetadata, ArrowReaderOptions, ParquetRecordBatchReaderBuilder,
};
use parquet::file::reader::ChunkReader;

use super::{Kind, Reader, Record, lowercase_first};
use crate::decode::{listed, quoted};

/// The text a batch holds at most, about: rows per batch are chosen from the row group's
/// size so that a batch of long documents stays near this.
const BATCH_BYTES: u64 = 16 << 20;
/// Rows per batch at most (arrow-rs's default).
const BATCH_ROWS: usize = 1024;

/// Which columns of one Parquet file hold what, as indices into its projected batches.
#[derive(Debug)]
pub(crate) struct ParquetColumns {
    path: String,
    stem: String,
    text_name: String,
    text: usize,
    id: Option<usize>,
    date: Option<(usize, String, DateColumn)>,
    /// The other scalar columns: their names, batch indices and how their values are read.
    metadata: Vec<(String, usize)>,
    limit: u64,
}

/// How a date column's values are read.
#[derive(Debug, Clone, Copy)]
enum DateColumn {
    Text,
    Date32,
    Date64,
    /// A timestamp in the unit, shifted by a fixed offset (seconds east of UTC) when its time
    /// zone is one; a zone named (`Europe/Paris`) is taken as UTC.
    Timestamp(TimeUnit, i64),
}

/// A source of Parquet bytes that can be opened again, for one reader per row group.
pub(super) trait Reopen: ChunkReader + Sized + 'static {
    fn reopen(&self) -> io::Result<Self>;
}

impl Reopen for File {
    fn reopen(&self) -> io::Result<File> {
        self.try_clone()
    }
}

impl Reopen for bytes::Bytes {
    fn reopen(&self) -> io::Result<bytes::Bytes> {
        Ok(self.clone())
    }
}

impl Reader<'_> {
    /// Reads a Parquet file held in a stream: whole into memory, up to the record limit.
    pub(super) fn parquet_stream(&mut self, shown: &str, id_name: &str, input: impl Read) {
        let limit = self.options.max_record_bytes;
        let mut bytes = Vec::new();
        match input.take(limit.saturating_add(1)).read_to_end(&mut bytes) {
            Ok(_) if bytes.len() as u64 > limit => {
                let problem = Problem::new(
                    ProblemKind::TooLong,
                    shown,
                    format!(
                        "Parquet file longer than {limit} bytes (--max-record-bytes) in a stream, where it must be held in memory whole; unpack it to read it from disk"
                    ),
                );
                self.fail(problem);
            }
            Ok(_) => self.parquet(shown, id_name, bytes::Bytes::from(bytes)),
            Err(err) => self.fail(super::corrupt_problem(shown, None, &err)),
        }
    }

    /// Reads a Parquet file: checks its schema, then hands over its rows, row group by row
    /// group. A row group that cannot be decoded is a problem naming its rows; the others
    /// are read.
    pub(super) fn parquet<R: Reopen>(&mut self, shown: &str, id_name: &str, input: R) {
        let loaded = match guarded(|| ArrowReaderMetadata::load(&input, ArrowReaderOptions::new()))
            .and_then(|loaded| loaded)
        {
            Ok(m) => m,
            Err(err) => return self.fail(unreadable(shown, &err)),
        };
        let file_bytes = input.len();
        let plan = match Plan::new(loaded.schema(), self, shown, id_name) {
            Ok(plan) => plan,
            Err(problem) => return self.fail(*problem),
        };
        for warning in &plan.warnings {
            self.fail(warning.clone());
        }
        let options = ArrowReaderOptions::new().with_schema(plan.hinted.clone());
        let metadata = match ArrowReaderMetadata::try_new(loaded.metadata().clone(), options) {
            Ok(m) => m,
            Err(err) => return self.fail(unreadable(shown, &err)),
        };
        let mask = ProjectionMask::roots(metadata.parquet_schema(), plan.roots.iter().copied());
        let columns = Arc::new(plan.columns);
        let groups = metadata.metadata().row_groups();
        let mut first_row = 1u64;
        let mut any = false;
        for (group, meta) in groups.iter().enumerate() {
            if self.budget.stopped() {
                return;
            }
            let rows = u64::try_from(meta.num_rows()).unwrap_or(0);
            let end = first_row + rows;
            // Rows per batch from the bytes a row of the projected columns takes, uncompressed.
            let (per_row, total) = row_bytes(meta, &plan.leaves, rows);
            let limit = self.options.max_record_bytes;
            // Rows that average more than the limit, in a group of less than four times the
            // limit (one huge row beside a few small ones): decoded a row at a time, the huge
            // one a problem of its own and the small ones read. Decoding such a group holds
            // at most four times the limit; a larger one is left out below.
            let batch_rows = if per_row > limit {
                1
            } else {
                (BATCH_BYTES / per_row.max(1)).clamp(1, BATCH_ROWS as u64) as usize
            };
            let mut row = first_row;
            // A row group left out whole, before any of it is decoded: why, its rows named.
            let skipped = left_out(
                meta,
                group,
                &plan.leaves,
                (per_row, total, limit),
                file_bytes,
            );
            if let Some((kind, why)) = skipped {
                any = true;
                let last = end.saturating_sub(1).max(row);
                let message = format!("{why}; its rows {row} to {last} were not read");
                self.fail(Problem::new(kind, shown, message).at(row, None));
                first_row = end;
                continue;
            }
            let reader = input
                .reopen()
                .map_err(parquet::errors::ParquetError::from)
                .and_then(|input| {
                    guarded(|| {
                        ParquetRecordBatchReaderBuilder::new_with_metadata(input, metadata.clone())
                            .with_projection(mask.clone())
                            .with_row_groups(vec![group])
                            .with_batch_size(batch_rows)
                            .build()
                    })?
                });
            let result = reader.and_then(|mut batches| {
                // Each batch decoded under `guarded`: a panic of the decoder on a corrupt
                // file is this row group's problem, not the end of the run.
                while let Some(batch) = guarded(|| batches.next())? {
                    let batch = batch.map_err(parquet::errors::ParquetError::from)?;
                    for index in 0..batch.num_rows() {
                        any = true;
                        self.emit(Record::from(Kind::ParquetRow {
                            columns: columns.clone(),
                            batch: batch.clone(),
                            index,
                            row,
                        }));
                        row += 1;
                    }
                }
                Ok(())
            });
            if let Err(err) = result {
                any = true;
                let last = end.saturating_sub(1).max(row);
                let problem = Problem::new(
                    ProblemKind::Corrupt,
                    shown,
                    format!(
                        "corrupt row group {}: {}; its rows {row} to {last} were not read",
                        group + 1,
                        message(&err)
                    ),
                )
                .at(row, None);
                self.fail(problem);
            }
            first_row = end;
        }
        if !any {
            self.fail(Problem::new(
                ProblemKind::Empty,
                shown,
                "empty: the Parquet file has no rows",
            ));
        }
    }
}

/// The uncompressed bytes of a row group's projected columns (`leaves`): a row's on average,
/// and all of them.
fn row_bytes(
    meta: &parquet::file::metadata::RowGroupMetaData,
    leaves: &[usize],
    rows: u64,
) -> (u64, u64) {
    let projected: i64 = leaves
        .iter()
        .filter_map(|&leaf| meta.columns().get(leaf))
        .map(|c| c.uncompressed_size())
        .sum();
    let total = u64::try_from(projected).unwrap_or(0);
    (total / rows.max(1), total)
}

/// Why a row group is left out whole, before any of it is decoded: rows averaging more than
/// `limit` in a group of four times it or more (a page is decoded whole: a bomb of one huge
/// value), offsets the decoder would trust (arrow-rs asserts on some and panics), or a codec
/// not read. `per_row` and `total` are the projected columns' uncompressed bytes.
fn left_out(
    meta: &parquet::file::metadata::RowGroupMetaData,
    group: usize,
    leaves: &[usize],
    (per_row, total, limit): (u64, u64, u64),
    file_bytes: u64,
) -> Option<(ProblemKind, String)> {
    if per_row > limit && total >= limit.saturating_mul(4) {
        return Some((
            ProblemKind::TooLong,
            format!(
                "row group {} holds {per_row} bytes a row, more than {limit} (--max-record-bytes)",
                group + 1,
            ),
        ));
    }
    if let Some(why) = bad_chunk(meta, leaves, file_bytes) {
        return Some((
            ProblemKind::Corrupt,
            format!("corrupt row group {}: {why}", group + 1),
        ));
    }
    unsupported_codec(meta, leaves).map(|codec| {
        (
            ProblemKind::BadParquet,
            format!(
                "unsupported compression: row group {} is {codec}-compressed (snappy, gzip, lz4 and zstd are read)",
                group + 1
            ),
        )
    })
}

/// An error of the parquet crate as a message: without the prefixes its layers of errors add.
fn message(err: &parquet::errors::ParquetError) -> String {
    let mut text = err.to_string();
    loop {
        let lower = text.to_ascii_lowercase();
        let Some(prefix) = [
            "external: ",
            "parquet argument error: ",
            "parquet error: ",
            "arrow: ",
        ]
        .into_iter()
        .find(|p| lower.starts_with(p)) else {
            break;
        };
        text.drain(..prefix.len());
    }
    lowercase_first(&text)
}

/// Runs a step of the third-party decoder, turning a panic in it into an error: a corrupt file
/// can reach an assertion of arrow-rs, and one file's bytes must not end a run over many.
fn guarded<T>(step: impl FnOnce() -> T) -> Result<T, parquet::errors::ParquetError> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(step)).map_err(|panic| {
        let why = panic
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "no reason given".to_owned());
        parquet::errors::ParquetError::General(format!("the Parquet decoder failed: {why}"))
    })
}

/// Why a column chunk read of a row group cannot be where its metadata says, if it cannot: an
/// offset or length that is negative or past the end of the file (a flipped byte in the
/// footer), checked before the decoder is handed them.
fn bad_chunk(
    meta: &parquet::file::metadata::RowGroupMetaData,
    leaves: &[usize],
    file_bytes: u64,
) -> Option<String> {
    leaves
        .iter()
        .filter_map(|&leaf| meta.columns().get(leaf))
        .find_map(|c| {
            let start = c.dictionary_page_offset().unwrap_or(c.data_page_offset());
            let length = c.compressed_size();
            let end = u64::try_from(start)
                .ok()
                .zip(u64::try_from(length).ok())
                .and_then(|(s, l)| s.checked_add(l));
            match end {
                Some(end) if end <= file_bytes && c.data_page_offset() >= 0 => None,
                _ => Some(format!(
                    "column {:?} is said to be {length} bytes at offset {start}, outside the file's {file_bytes} bytes",
                    c.column_path().string()
                )),
            }
        })
}

/// The first compression codec of the columns read that this build cannot decode, if any.
fn unsupported_codec(
    meta: &parquet::file::metadata::RowGroupMetaData,
    leaves: &[usize],
) -> Option<String> {
    use parquet::basic::Compression as C;
    leaves
        .iter()
        .filter_map(|&leaf| meta.columns().get(leaf))
        .map(|c| c.compression())
        .find(|c| {
            !matches!(
                c,
                C::UNCOMPRESSED | C::SNAPPY | C::GZIP(_) | C::LZ4 | C::LZ4_RAW | C::ZSTD(_)
            )
        })
        .map(|c| match c {
            C::BROTLI(_) => "brotli".to_owned(),
            C::LZO => "LZO".to_owned(),
            other => other.to_string(),
        })
}

fn unreadable(shown: &str, err: &parquet::errors::ParquetError) -> Problem {
    Problem::new(
        ProblemKind::Corrupt,
        shown,
        format!("not a readable Parquet file: {}", message(err)),
    )
}

/// What to read of one file: the columns, the schema hint that reads strings as views, and the
/// warnings about the schema.
struct Plan {
    columns: ParquetColumns,
    hinted: Arc<Schema>,
    /// The top-level columns read, in schema order.
    roots: Vec<usize>,
    /// Their leaf columns in the row groups' column chunks.
    leaves: Vec<usize>,
    warnings: Vec<Problem>,
}

/// What a column's type is to us.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    /// Strings, in any of arrow's layouts or dictionary-encoded.
    Text,
    /// Bytes that are not declared text: readable as a text column, not kept as metadata.
    Bytes,
    /// A number, boolean, date, timestamp or decimal: kept as metadata.
    Scalar,
    /// Nested or otherwise not representable as one metadata value: not read.
    Other,
}

fn role(data_type: &DataType) -> Role {
    match data_type {
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => Role::Text,
        DataType::Binary | DataType::LargeBinary | DataType::BinaryView => Role::Bytes,
        DataType::Dictionary(_, value) => match role(value) {
            Role::Text => Role::Text,
            Role::Bytes => Role::Bytes,
            _ => Role::Other,
        },
        t if plain(t) => Role::Scalar,
        _ => Role::Other,
    }
}

/// Whether values of this type are kept as metadata values as arrow reads them: numbers,
/// booleans, dates, timestamps, decimals, strings, and lists and structs of those (tags, a
/// `metadata` struct as datatrove writes it).
fn plain(t: &DataType) -> bool {
    match t {
        DataType::Null
        | DataType::Boolean
        | DataType::Int8
        | DataType::Int16
        | DataType::Int32
        | DataType::Int64
        | DataType::UInt8
        | DataType::UInt16
        | DataType::UInt32
        | DataType::UInt64
        | DataType::Float16
        | DataType::Float32
        | DataType::Float64
        | DataType::Date32
        | DataType::Date64
        | DataType::Timestamp(_, _)
        | DataType::Decimal128(_, _)
        | DataType::Decimal256(_, _)
        | DataType::Utf8
        | DataType::LargeUtf8
        | DataType::Utf8View => true,
        DataType::List(item) | DataType::LargeList(item) | DataType::FixedSizeList(item, _) => {
            plain(item.data_type())
        }
        DataType::Struct(fields) => fields.iter().all(|f| plain(f.data_type())),
        _ => false,
    }
}

/// A type as messages name it.
fn type_name(data_type: &DataType) -> String {
    match data_type {
        DataType::Dictionary(_, value) => format!("dictionary of {}", type_name(value)),
        other => other.to_string(),
    }
}

impl Plan {
    fn new(
        schema: &Schema,
        reader: &Reader<'_>,
        shown: &str,
        stem: &str,
    ) -> Result<Plan, Box<Problem>> {
        let options = &reader.options.csv;
        let fields = schema.fields();
        let find = |name: &str| fields.iter().position(|f| f.name() == name);
        let bad = |message: String| Box::new(Problem::new(ProblemKind::BadParquet, shown, message));
        let Some(text) = find(&options.text_col) else {
            return Err(bad(format!(
                "no text column {} in the Parquet schema (columns: {})",
                quoted(&options.text_col),
                listed(fields.iter().map(|f| f.name().as_str()))
            )));
        };
        let text_type = fields[text].data_type();
        if !matches!(role(text_type), Role::Text | Role::Bytes) {
            return Err(bad(format!(
                "column {} is {}, expected a string",
                quoted(&options.text_col),
                type_name(text_type)
            )));
        }
        let mut warnings = Vec::new();
        let warn = |warnings: &mut Vec<Problem>, message: String| {
            warnings.push(Problem::new(ProblemKind::Suspect, shown, message));
        };
        // The default id and date columns are often absent; one named on purpose is a typo.
        let defaults = crate::CsvOptions::default();
        let mut id = find(&options.id_col).filter(|&i| i != text);
        if let Some(i) = id {
            let t = fields[i].data_type();
            let integer = t.is_integer();
            if role(t) != Role::Text && !integer {
                warn(
                    &mut warnings,
                    format!(
                        "column {} is {}, expected a string or an integer; ids are <file>:<row>",
                        quoted(&options.id_col),
                        type_name(t)
                    ),
                );
                id = None;
            }
        } else if options.id_col != defaults.id_col {
            warn(
                &mut warnings,
                format!(
                    "no column {} in the Parquet schema; ids are <file>:<row>",
                    quoted(&options.id_col)
                ),
            );
        }
        let mut date = None;
        if let Some(i) = find(&options.date_col).filter(|&i| i != text && Some(i) != id) {
            let how = date_column(fields[i].data_type());
            if how.is_none() {
                warn(
                    &mut warnings,
                    format!(
                        "column {} is {}, expected a string, date or timestamp; documents are undated",
                        quoted(&options.date_col),
                        type_name(fields[i].data_type())
                    ),
                );
            }
            date = how.map(|how| (i, how));
        } else if options.date_col != defaults.date_col {
            warn(
                &mut warnings,
                format!(
                    "no column {} in the Parquet schema; documents are undated",
                    quoted(&options.date_col)
                ),
            );
        }
        // The columns `ParquetWriter` derived from each document (its body, its path) are
        // not the document's metadata: left out, and not read.
        let derived: Vec<&str> = schema
            .metadata()
            .get(crate::parquet_write::DERIVED_COLUMNS)
            .map(|names| names.split(',').collect())
            .unwrap_or_default();
        let metadata: Vec<usize> = (0..fields.len())
            .filter(|&i| i != text && Some(i) != id && date.is_none_or(|(d, _)| d != i))
            .filter(|&i| !derived.contains(&fields[i].name().as_str()))
            .filter(|&i| matches!(role(fields[i].data_type()), Role::Text | Role::Scalar))
            .collect();
        let mut roots: Vec<usize> = metadata.clone();
        roots.push(text);
        roots.extend(id);
        roots.extend(date.map(|(d, _)| d));
        roots.sort_unstable();
        let at = |root: usize| roots.iter().position(|&r| r == root).unwrap_or(0);
        let hinted = with_views(schema);
        let leaves = leaf_columns(schema, &roots);
        let columns = ParquetColumns {
            path: shown.to_owned(),
            stem: stem.to_owned(),
            text_name: options.text_col.clone(),
            text: at(text),
            id: id.map(at),
            date: date.map(|(d, how)| (at(d), fields[d].name().clone(), how)),
            metadata: metadata
                .iter()
                .map(|&i| (fields[i].name().clone(), at(i)))
                .collect(),
            limit: reader.options.max_record_bytes,
        };
        Ok(Plan {
            columns,
            hinted,
            roots,
            leaves,
            warnings,
        })
    }
}

/// How a column of `data_type` is read as a date: `None` when it cannot be one.
fn date_column(data_type: &DataType) -> Option<DateColumn> {
    match data_type {
        t if role(t) == Role::Text => Some(DateColumn::Text),
        DataType::Date32 => Some(DateColumn::Date32),
        DataType::Date64 => Some(DateColumn::Date64),
        DataType::Timestamp(unit, zone) => Some(DateColumn::Timestamp(
            *unit,
            zone.as_deref().and_then(fixed_offset).unwrap_or(0),
        )),
        _ => None,
    }
}

/// The schema with its strings and binaries read as views: no offsets to build, one copy
/// fewer.
fn with_views(schema: &Schema) -> Arc<Schema> {
    let hinted: Vec<Field> = schema
        .fields()
        .iter()
        .map(|f| {
            let view = match role(f.data_type()) {
                Role::Text => Some(DataType::Utf8View),
                Role::Bytes => Some(DataType::BinaryView),
                _ => None,
            };
            match view {
                Some(t) => f.as_ref().clone().with_data_type(t),
                None => f.as_ref().clone(),
            }
        })
        .collect();
    Arc::new(Schema::new_with_metadata(hinted, schema.metadata().clone()))
}

/// The leaf (column chunk) indices of the top-level columns `roots`: a top-level column of
/// nested type has as many leaves as it has primitive fields.
fn leaf_columns(schema: &Schema, roots: &[usize]) -> Vec<usize> {
    fn leaves(t: &DataType) -> usize {
        match t {
            DataType::Struct(fields) => fields.iter().map(|f| leaves(f.data_type())).sum(),
            DataType::List(f)
            | DataType::LargeList(f)
            | DataType::ListView(f)
            | DataType::LargeListView(f)
            | DataType::FixedSizeList(f, _)
            | DataType::Map(f, _) => leaves(f.data_type()),
            _ => 1,
        }
    }
    let mut out = Vec::new();
    let mut next = 0;
    for (i, f) in schema.fields().iter().enumerate() {
        let n = leaves(f.data_type());
        if roots.contains(&i) {
            out.extend(next..next + n);
        }
        next += n;
    }
    out
}

/// The offset in seconds of a fixed time zone such as `+05:30`, `-0800` or `UTC`.
fn fixed_offset(zone: &str) -> Option<i64> {
    if matches!(zone, "UTC" | "utc" | "Z" | "z" | "Etc/UTC" | "GMT") {
        return Some(0);
    }
    let (sign, rest) = match zone.as_bytes().first()? {
        b'+' => (1, &zone[1..]),
        b'-' => (-1, &zone[1..]),
        _ => return None,
    };
    let digits: String = rest.chars().filter(|&c| c != ':').collect();
    if digits.len() != 4 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let hours: i64 = digits[..2].parse().ok()?;
    let minutes: i64 = digits[2..].parse().ok()?;
    Some(sign * (hours * 3600 + minutes * 60))
}

mod row;
pub(crate) use self::row::{parse_parquet_row, row_size};
