//! Documents written as Parquet (feature `parquet`): the columns an input of this shape
//! has, the text, id and date under the names [`CsvOptions`] gives them, each metadata field
//! a column of its own, zstd-compressed, in row groups of bounded size.

use std::collections::HashMap;
use std::io::{self, Write};
use std::sync::Arc;

use arrow_array::builder::{
    ArrayBuilder, BooleanBuilder, Date32Builder, Float64Builder, Int64Builder, ListBuilder,
    StringBuilder,
};
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema};
use corpus_core::Document;
use parquet::arrow::ArrowWriter;
use parquet::basic::{Compression, ZstdLevel};
use parquet::file::properties::WriterProperties;
use serde_json::Value;

use crate::CsvOptions;

/// The type of a metadata column, from the values seen in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ColumnType {
    /// Only nulls seen so far.
    Null,
    Bool,
    Int,
    Float,
    /// Strings, or values of several kinds (written as their JSON text).
    Text,
    /// Arrays of strings (tags, topics).
    Strings,
}

impl ColumnType {
    fn of(value: &Value) -> ColumnType {
        match value {
            Value::Null => ColumnType::Null,
            Value::Bool(_) => ColumnType::Bool,
            Value::Number(n) if n.is_i64() => ColumnType::Int,
            // Past i64: kept exactly as text rather than rounded as a float.
            Value::Number(n) if n.is_u64() => ColumnType::Text,
            Value::Number(_) => ColumnType::Float,
            Value::Array(items) if items.iter().all(Value::is_string) => ColumnType::Strings,
            Value::String(_) | Value::Array(_) | Value::Object(_) => ColumnType::Text,
        }
    }

    fn join(self, other: ColumnType) -> ColumnType {
        use ColumnType::{Float, Int, Null, Text};
        match (self, other) {
            (a, b) if a == b => a,
            (Null, b) => b,
            (a, Null) => a,
            (Int, Float) | (Float, Int) => Float,
            _ => Text,
        }
    }

    fn data_type(self) -> DataType {
        match self {
            ColumnType::Bool => DataType::Boolean,
            ColumnType::Int => DataType::Int64,
            ColumnType::Float => DataType::Float64,
            ColumnType::Null | ColumnType::Text => DataType::Utf8,
            ColumnType::Strings => {
                DataType::List(Arc::new(Field::new_list_field(DataType::Utf8, true)))
            }
        }
    }
}

/// The columns a set of documents is written with, learnt by [`DocumentColumns::observe`]-ing
/// each of them before any is written (a Parquet file's schema comes before its rows).
///
/// The id and the text are always columns; the date is one when a document has a date; every
/// metadata field is one, in the order first seen, typed by its values: booleans, integers,
/// floats (integers and floats together), lists of strings, or strings (strings, or values of
/// several kinds, written as their JSON text). Metadata read from Parquet or CSV comes back under its own
/// column names, so a Parquet corpus written out keeps its columns.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DocumentColumns {
    dated: bool,
    fields: Vec<(String, ColumnType)>,
    index: HashMap<String, usize>,
}

impl DocumentColumns {
    /// No columns seen yet.
    pub fn new() -> DocumentColumns {
        DocumentColumns::default()
    }

    /// The columns one document needs, to be [merged](Self::merge) with others': what a
    /// worker observes of the document it parsed.
    pub fn of(doc: &Document) -> DocumentColumns {
        let mut columns = DocumentColumns::new();
        columns.observe(doc);
        columns
    }

    /// Takes in the fields of one document.
    pub fn observe(&mut self, doc: &Document) {
        self.dated |= doc.date.is_some();
        for (name, value) in &doc.metadata {
            self.add(name, ColumnType::of(value));
        }
    }

    /// Takes in the columns another set saw (after this one's, in order), as when the
    /// documents were observed in parts.
    pub fn merge(&mut self, other: &DocumentColumns) {
        self.dated |= other.dated;
        for (name, t) in &other.fields {
            self.add(name, *t);
        }
    }

    fn add(&mut self, name: &str, t: ColumnType) {
        match self.index.get(name) {
            Some(&i) => self.fields[i].1 = self.fields[i].1.join(t),
            None => {
                self.index.insert(name.to_owned(), self.fields.len());
                self.fields.push((name.to_owned(), t));
            }
        }
    }

    /// The names of the columns, in order, with `names` naming the text, id and date columns.
    pub fn names(&self, names: &CsvOptions) -> Vec<String> {
        self.schema(names)
            .fields()
            .iter()
            .map(|f| f.name().clone())
            .collect()
    }

    /// The columns in order: id, date (when dated), lang, text, the derived `body` and `path`
    /// ([`DERIVED_COLUMNS`]), then the metadata fields; a field named as one of the first is
    /// written as `metadata.<name>`.
    fn schema(&self, names: &CsvOptions) -> Schema {
        let mut fields = vec![Field::new(&names.id_col, DataType::Utf8, false)];
        if self.dated {
            fields.push(Field::new(&names.date_col, DataType::Date32, true));
        }
        fields.push(Field::new("lang", DataType::Utf8, false));
        fields.push(Field::new(&names.text_col, DataType::Utf8, false));
        let mut derived = Vec::new();
        for name in ["body", "path"] {
            let name = if fields.iter().any(|f| f.name() == name) {
                format!("corpus.{name}")
            } else {
                name.to_owned()
            };
            fields.push(Field::new(&name, DataType::Utf8, false));
            derived.push(name);
        }
        for (name, t) in &self.fields {
            let taken = fields.iter().any(|f| f.name() == name);
            let name = if taken {
                format!("metadata.{name}")
            } else {
                name.clone()
            };
            fields.push(Field::new(name, t.data_type(), true));
        }
        let marked = [(DERIVED_COLUMNS.to_owned(), derived.join(","))];
        Schema::new_with_metadata(fields, marked.into_iter().collect::<HashMap<_, _>>())
    }
}

/// The key of the Parquet schema's metadata that lists, comma-separated, the columns derived
/// from a document rather than read with it: `body` (the paragraphs and headings, as
/// `Document::body_text` joins them) and `path` (where it was read). Reading the file back
/// leaves them out of the documents' metadata.
pub const DERIVED_COLUMNS: &str = "corpus.derived_columns";

/// Rows gathered before they are handed to the Parquet writer as one batch.
const BATCH_ROWS: usize = 4096;
/// Text gathered before a batch is handed over, however few its rows.
const BATCH_BYTES: usize = 32 << 20;
/// Rows per row group at most; row groups are also cut at [`ROW_GROUP_BYTES`].
const ROW_GROUP_ROWS: usize = 128 * 1024;
/// The encoded size at which a row group is written out, so that memory stays bounded.
const ROW_GROUP_BYTES: usize = 128 << 20;

/// One metadata column being filled.
enum Builder {
    Bool(BooleanBuilder),
    Int(Int64Builder),
    Float(Float64Builder),
    Text(StringBuilder),
    Strings(ListBuilder<StringBuilder>),
}

impl Builder {
    fn new(t: ColumnType) -> Builder {
        match t {
            ColumnType::Bool => Builder::Bool(BooleanBuilder::new()),
            ColumnType::Int => Builder::Int(Int64Builder::new()),
            ColumnType::Float => Builder::Float(Float64Builder::new()),
            ColumnType::Null | ColumnType::Text => Builder::Text(StringBuilder::new()),
            ColumnType::Strings => Builder::Strings(ListBuilder::new(StringBuilder::new())),
        }
    }

    fn append(&mut self, value: Option<&Value>) {
        let value = value.filter(|v| !v.is_null());
        match self {
            Builder::Bool(b) => b.append_option(value.and_then(Value::as_bool)),
            Builder::Int(b) => b.append_option(value.and_then(Value::as_i64)),
            Builder::Float(b) => b.append_option(value.and_then(Value::as_f64)),
            Builder::Text(b) => match value {
                None => b.append_null(),
                Some(Value::String(s)) => b.append_value(s),
                Some(other) => b.append_value(other.to_string()),
            },
            Builder::Strings(b) => match value.and_then(Value::as_array) {
                None => b.append_null(),
                Some(items) => {
                    for item in items {
                        b.values().append_option(item.as_str());
                    }
                    b.append(true);
                }
            },
        }
    }

    fn finish(&mut self) -> ArrayRef {
        match self {
            Builder::Bool(b) => Arc::new(b.finish()),
            Builder::Int(b) => Arc::new(b.finish()),
            Builder::Float(b) => Arc::new(b.finish()),
            Builder::Text(b) => Arc::new(b.finish()),
            Builder::Strings(b) => Arc::new(b.finish()),
        }
    }
}

/// Writes documents as a Parquet file, zstd-compressed, with the [`DocumentColumns`] given.
///
/// Rows are gathered into batches of a few thousand and row groups of at most 128 Ki rows or
/// about 128 MB, so memory stays bounded whatever the number of documents. Nothing is valid
/// until [`ParquetWriter::finish`] has written the footer.
///
/// # Example
///
/// ```
/// use corpus_core::Document;
/// use corpus_parser::{CsvOptions, DocumentColumns, Input, ParquetWriter, ReadOptions};
///
/// let mut doc = Document::new("a1", "a.txt", "Rain is forecast for Tuesday.");
/// doc.metadata.insert("outlet".into(), "Courier".into());
/// let mut columns = DocumentColumns::new();
/// columns.observe(&doc);
/// let names = CsvOptions::default();
/// assert_eq!(columns.names(&names), ["id", "lang", "text", "body", "path", "outlet"]);
///
/// let mut writer = ParquetWriter::new(Vec::new(), &columns, &names)?;
/// writer.write(&doc)?;
/// let bytes = writer.finish()?;
///
/// // Read back, it is the same document.
/// let inputs = [Input::Memory { name: "kept.parquet".into(), bytes }];
/// let mut back = Vec::new();
/// corpus_parser::read_documents(&inputs, &ReadOptions::default(), &mut |p| back.extend(p.document));
/// assert_eq!(back[0].id, "a1");
/// assert_eq!(back[0].text, doc.text);
/// assert_eq!(back[0].metadata["outlet"], "Courier");
/// // The derived columns (body, path) are not read back as metadata.
/// assert_eq!(back[0].metadata.len(), 1);
/// # Ok::<(), std::io::Error>(())
/// ```
pub struct ParquetWriter<W: Write + Send> {
    writer: ArrowWriter<W>,
    schema: Arc<Schema>,
    /// The metadata fields, by name, in column order.
    fields: Vec<String>,
    dated: bool,
    id: StringBuilder,
    date: Date32Builder,
    lang: StringBuilder,
    text: StringBuilder,
    body: StringBuilder,
    path: StringBuilder,
    metadata: Vec<Builder>,
    rows: usize,
    bytes: usize,
}

impl<W: Write + Send> std::fmt::Debug for ParquetWriter<W> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ParquetWriter")
            .field("schema", &self.schema)
            .field("rows", &self.rows)
            .finish_non_exhaustive()
    }
}

fn io_error(err: parquet::errors::ParquetError) -> io::Error {
    match err {
        parquet::errors::ParquetError::External(e) => match e.downcast::<io::Error>() {
            Ok(e) => *e,
            Err(e) => io::Error::other(e),
        },
        other => io::Error::other(other),
    }
}

impl<W: Write + Send> ParquetWriter<W> {
    /// A writer of documents with these columns to `out`; `names` names the id, date and
    /// text columns (`--id-col`, `--date-col`, `--text-col`).
    pub fn new(
        out: W,
        columns: &DocumentColumns,
        names: &CsvOptions,
    ) -> io::Result<ParquetWriter<W>> {
        let schema = Arc::new(columns.schema(names));
        let zstd = ZstdLevel::try_new(3).map_err(io_error)?;
        let properties = WriterProperties::builder()
            .set_compression(Compression::ZSTD(zstd))
            .set_max_row_group_row_count(Some(ROW_GROUP_ROWS))
            .set_max_row_group_bytes(Some(ROW_GROUP_BYTES))
            .build();
        let writer =
            ArrowWriter::try_new(out, schema.clone(), Some(properties)).map_err(io_error)?;
        Ok(ParquetWriter {
            writer,
            schema,
            fields: columns.fields.iter().map(|(n, _)| n.clone()).collect(),
            dated: columns.dated,
            id: StringBuilder::new(),
            date: Date32Builder::new(),
            lang: StringBuilder::new(),
            text: StringBuilder::new(),
            body: StringBuilder::new(),
            path: StringBuilder::new(),
            metadata: columns
                .fields
                .iter()
                .map(|(_, t)| Builder::new(*t))
                .collect(),
            rows: 0,
            bytes: 0,
        })
    }

    /// Adds one document. A metadata field the columns were not told of is left out; a value
    /// of another type than its column's is written as null (as text, in a text column).
    pub fn write(&mut self, doc: &Document) -> io::Result<()> {
        self.id.append_value(&doc.id);
        if self.dated {
            let days = doc
                .date
                .map(|d| d.days())
                .and_then(|d| i32::try_from(d).ok());
            self.date.append_option(days);
        }
        self.lang.append_value(doc.lang.code());
        self.text.append_value(&doc.text);
        self.body.append_value(doc.body_text());
        self.path.append_value(&doc.origin.path);
        for (name, builder) in self.fields.iter().zip(&mut self.metadata) {
            builder.append(doc.metadata.get(name));
        }
        self.rows += 1;
        self.bytes += doc.text.len();
        if self.rows >= BATCH_ROWS || self.bytes >= BATCH_BYTES {
            self.flush_batch()?;
        }
        Ok(())
    }

    fn flush_batch(&mut self) -> io::Result<()> {
        if self.id.is_empty() {
            return Ok(());
        }
        let mut arrays: Vec<ArrayRef> = vec![Arc::new(self.id.finish())];
        if self.dated {
            arrays.push(Arc::new(self.date.finish()));
        }
        arrays.push(Arc::new(self.lang.finish()));
        arrays.push(Arc::new(self.text.finish()));
        arrays.push(Arc::new(self.body.finish()));
        arrays.push(Arc::new(self.path.finish()));
        arrays.extend(self.metadata.iter_mut().map(Builder::finish));
        let batch = RecordBatch::try_new(self.schema.clone(), arrays).map_err(io::Error::other)?;
        self.writer.write(&batch).map_err(io_error)?;
        self.rows = 0;
        self.bytes = 0;
        Ok(())
    }

    /// Writes what is gathered and the footer, and gives back the output.
    pub fn finish(mut self) -> io::Result<W> {
        self.flush_batch()?;
        self.writer.into_inner().map_err(io_error)
    }
}
