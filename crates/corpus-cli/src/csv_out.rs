//! CSV rows written in time linear in their size.
//!
//! The `csv` crate's writer looks for quotes in the whole rest of a field every time its
//! 8 KB buffer fills, so one field of 64 MB takes seconds (quadratic); a document's id or text
//! can be that long. This writer quotes as that one does by default (a field holding `,`,
//! `"`, `\r` or `\n` is quoted, quotes doubled; lines end in `\n`), so the files read the same.

use std::io::{self, Write};

pub(crate) struct CsvWriter<W: Write> {
    inner: W,
}

impl<W: Write> CsvWriter<W> {
    pub(crate) fn new(inner: W) -> CsvWriter<W> {
        CsvWriter { inner }
    }

    pub(crate) fn write_record<I, T>(&mut self, fields: I) -> io::Result<()>
    where
        I: IntoIterator<Item = T>,
        T: AsRef<[u8]>,
    {
        let mut count = 0;
        let mut only_empty = true;
        for field in fields {
            let field = field.as_ref();
            if count > 0 {
                self.inner.write_all(b",")?;
            }
            count += 1;
            only_empty &= field.is_empty();
            write_field(&mut self.inner, field)?;
        }
        if count == 1 && only_empty {
            // A lone empty field would read back as an empty line, which CSV readers skip.
            self.inner.write_all(b"\"\"")?;
        }
        self.inner.write_all(b"\n")
    }

    pub(crate) fn into_inner(self) -> W {
        self.inner
    }
}

fn write_field(out: &mut impl Write, field: &[u8]) -> io::Result<()> {
    if memchr::memchr3(b',', b'"', b'\n', field).is_none() && memchr::memchr(b'\r', field).is_none()
    {
        return out.write_all(field);
    }
    out.write_all(b"\"")?;
    let mut rest = field;
    while let Some(q) = memchr::memchr(b'"', rest) {
        out.write_all(&rest[..=q])?;
        out.write_all(b"\"")?;
        rest = &rest[q + 1..];
    }
    out.write_all(rest)?;
    out.write_all(b"\"")
}

/// A CSV writer is where a report's table goes on standard output: one table, its header first.
impl<W: Write> corpus_report::tables::Tables for CsvWriter<W> {
    fn start(&mut self, _name: &str, header: &[&str]) -> io::Result<()> {
        self.write_record(header)
    }

    fn row(&mut self, fields: &[&str]) -> io::Result<()> {
        self.write_record(fields)
    }
}

/// A CSV file written whole by `write` (a report's table), to be committed with the run's
/// other outputs.
pub(crate) fn csv_file(
    path: &std::path::Path,
    write: impl FnOnce(&mut dyn corpus_report::tables::Tables) -> io::Result<()>,
) -> anyhow::Result<crate::output::AtomicFile> {
    let mut w = CsvWriter::new(crate::output::AtomicFile::create(path)?);
    write(&mut w)?;
    Ok(w.into_inner())
}

#[cfg(test)]
mod tests {
    use super::CsvWriter;

    /// The same bytes as the `csv` crate's writer with its defaults.
    #[test]
    fn quotes_as_the_csv_crate_does() {
        let rows: Vec<Vec<&str>> = vec![
            vec!["a", "b c", ""],
            vec!["with,comma", "with \"quote\"", "line\nbreak"],
            vec!["cr\r", " lead", "é\u{201C}"],
            vec![""],
        ];
        let mut ours = CsvWriter::new(Vec::new());
        let mut theirs = csv::WriterBuilder::new()
            .flexible(true)
            .from_writer(Vec::new());
        for row in &rows {
            ours.write_record(row).expect("in memory");
            theirs.write_record(row).expect("in memory");
        }
        let theirs = theirs.into_inner().expect("in memory");
        assert_eq!(
            String::from_utf8_lossy(&ours.into_inner()),
            String::from_utf8_lossy(&theirs)
        );
    }
}
