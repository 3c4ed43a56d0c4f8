//! Options every command shares: inputs, format, CSV columns, threads, problems, strictness.

use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use corpus_parser::{Format, Input, ReadOptions};
use corpus_stats::{GroupBy, StopWords};

use crate::output::Outputs;
use crate::report::Problems;
use crate::sample;
use crate::ui::Outcome;

/// The heading of the reading options in `--help`.
const READING: &str = "Reading options";

/// The options of every command that reads a corpus, listed in `--help` after the command's
/// own, under [`READING`].
#[derive(Debug, clap::Args)]
pub(crate) struct InputArgs {
    /// Files, folders (walked recursively) or `-` for standard input; none reads the built-in
    /// sample corpus
    #[arg(value_name = "INPUT")]
    pub(crate) inputs: Vec<String>,
    /// Read every file as this format instead of choosing by extension
    #[arg(long, value_enum, help_heading = READING)]
    pub(crate) format: Option<FormatArg>,
    /// CSV or Parquet column holding the text
    #[arg(long, default_value = "text", value_name = "NAME", help_heading = READING)]
    pub(crate) text_col: String,
    /// CSV or Parquet column holding the id
    #[arg(long, default_value = "id", value_name = "NAME", help_heading = READING)]
    pub(crate) id_col: String,
    /// CSV or Parquet column holding the date
    #[arg(long, default_value = "date", value_name = "NAME", help_heading = READING)]
    pub(crate) date_col: String,
    /// Write every problem (file, line, reason) to FILE as CSV
    #[arg(long, value_name = "FILE", help_heading = READING)]
    pub(crate) problems: Option<PathBuf>,
    /// Exit with status 1 when any input had a problem
    #[arg(long, help_heading = READING)]
    pub(crate) strict: bool,
    /// Longest record (article, JSON line, CSV row) read, in bytes (suffixes K, M, G); a
    /// longer one is a problem and left out
    #[arg(long, default_value = "256M", value_name = "N", value_parser = parse_size, help_heading = READING)]
    pub(crate) max_record_bytes: u64,
    /// The encoding of text that is not UTF-8: latin1, windows-1252, utf-16, shift_jis, ...
    /// (WHATWG labels) [default: UTF-8, or UTF-16 by its byte-order mark]
    #[arg(long, value_name = "LABEL", value_parser = parse_encoding, help_heading = READING)]
    pub(crate) encoding: Option<&'static corpus_parser::Encoding>,
    /// The language of every document (a code such as en, de, zh-TW), instead of each
    /// document's own lang or language field or, without one, the language told from its text
    #[arg(long, value_name = "CODE", value_parser = parse_lang, help_heading = READING)]
    pub(crate) lang: Option<corpus_core::Lang>,
    /// Read only the documents whose field has one of these values: `meta.FIELD=VALUE`,
    /// `meta.FIELD=A,B`, `meta.FIELD!=VALUE` or `lang=CODE`; repeated, every condition holds
    #[arg(long = "where", value_name = "COND", value_parser = parse_where, help_heading = READING)]
    pub(crate) wheres: Vec<corpus_parser::Where>,
    /// Read only the documents dated on or after this day (YYYY-MM-DD, YYYY-MM or YYYY);
    /// undated ones are left out unless --undated
    #[arg(long, value_name = "DATE", value_parser = parse_since, help_heading = READING)]
    pub(crate) since: Option<corpus_core::Date>,
    /// Read only the documents dated on or before this day (YYYY-MM-DD, or the last day of
    /// YYYY-MM or YYYY); undated ones are left out unless --undated
    #[arg(long, value_name = "DATE", value_parser = parse_until, help_heading = READING)]
    pub(crate) until: Option<corpus_core::Date>,
    /// With --since or --until, read the undated documents too
    #[arg(long, help_heading = READING)]
    pub(crate) undated: bool,
    /// Print nothing on stderr but what stops the run: no progress, problems or summary (the
    /// problems are in the counts and in --problems FILE)
    #[arg(short, long, help_heading = READING)]
    pub(crate) quiet: bool,
}

fn parse_where(expr: &str) -> Result<corpus_parser::Where, String> {
    corpus_parser::Where::parse(expr).map_err(|e| e.to_string())
}

/// The first day of `YYYY-MM-DD`, `YYYY-MM` or `YYYY`.
fn parse_since(text: &str) -> Result<corpus_core::Date, String> {
    period_bounds(text).map(|(first, _)| first)
}

/// The last day of `YYYY-MM-DD`, `YYYY-MM` or `YYYY`.
fn parse_until(text: &str) -> Result<corpus_core::Date, String> {
    period_bounds(text).map(|(_, last)| last)
}

/// The first and last day of a day, month or year.
fn period_bounds(text: &str) -> Result<(corpus_core::Date, corpus_core::Date), String> {
    corpus_core::Date::period(text)
        .ok_or_else(|| format!("{text:?} is not a day, month or year (1987-03-02, 1987-03, 1987)"))
}

/// An encoding by its WHATWG label (`latin1`, `utf-16le`, `gbk`).
fn parse_lang(code: &str) -> Result<corpus_core::Lang, String> {
    corpus_core::Lang::from_tag(code)
        .ok_or_else(|| format!("{code:?} is not a language code (en, de, zh-TW, fil, ...)"))
}

fn parse_encoding(label: &str) -> Result<&'static corpus_parser::Encoding, String> {
    let encoding =
        corpus_parser::Encoding::for_label(label.trim().as_bytes()).ok_or_else(|| {
            format!("no encoding is called {label:?} (try latin1, windows-1252, utf-16)")
        })?;
    if corpus_parser::decodes_nothing(encoding) {
        // WHATWG maps these labels (iso-2022-kr, hz-gb-2312, ...) to an encoding that makes
        // every text one U+FFFD: no text could be read.
        return Err(format!(
            "{label:?} names an encoding no text is decoded from (WHATWG's \"replacement\": every text would be one U+FFFD); convert the files with iconv first"
        ));
    }
    Ok(encoding)
}

/// The `--format` values.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub(crate) enum FormatArg {
    /// Dated-article text, one article per file
    Article,
    /// JSON Lines
    Jsonl,
    /// CSV with a header row
    Csv,
    /// Plain text, each non-empty line a document (`<file stem>:<line>`)
    Lines,
    /// Parquet, columns as for CSV
    Parquet,
}

impl InputArgs {
    /// The inputs named, or the sample corpus. A path that does not exist is a usage error
    /// before any work: a typo, not an input that failed.
    pub(crate) fn inputs(&self) -> Result<Vec<Input>> {
        if self.inputs.is_empty() {
            return Ok(sample::inputs());
        }
        for arg in self.inputs.iter().filter(|a| *a != "-") {
            if let Err(err) = std::fs::symlink_metadata(arg)
                && err.kind() == std::io::ErrorKind::NotFound
            {
                anyhow::bail!("{arg}: no such file or folder");
            }
        }
        Ok(self.inputs.iter().map(|a| Input::from_arg(a)).collect())
    }

    pub(crate) fn read_options(&self) -> ReadOptions {
        let mut options = ReadOptions::default();
        options.format = self.format.map(|f| match f {
            FormatArg::Article => Format::Article,
            FormatArg::Jsonl => Format::JsonLines,
            FormatArg::Csv => Format::Csv,
            FormatArg::Lines => Format::Lines,
            FormatArg::Parquet => Format::Parquet,
        });
        options.csv.text_col = self.text_col.clone();
        options.csv.id_col = self.id_col.clone();
        options.csv.date_col = self.date_col.clone();
        options.max_record_bytes = self.max_record_bytes;
        options.check_ids = true;
        options.encoding = self.encoding;
        options.shard = None;
        options.lang = self.lang;
        options.select.wheres = self.wheres.clone();
        options.select.since = self.since;
        options.select.until = self.until;
        options.select.undated = self.undated;
        options
    }

    /// Whether `--where`, `--since` or `--until` leave documents out.
    pub(crate) fn selects(&self) -> bool {
        !self.wheres.is_empty() || self.since.is_some() || self.until.is_some()
    }

    /// The reading options that change what a sharded run reads, by name, as its manifest
    /// records them: every task of the run must read alike.
    pub(crate) fn manifest_options(&self) -> serde_json::Map<String, serde_json::Value> {
        let mut options = serde_json::Map::new();
        options.insert("format".into(), format!("{:?}", self.format).into());
        options.insert("text_col".into(), self.text_col.clone().into());
        options.insert("id_col".into(), self.id_col.clone().into());
        options.insert("date_col".into(), self.date_col.clone().into());
        options.insert("max_record_bytes".into(), self.max_record_bytes.into());
        options.insert("encoding".into(), self.encoding.map(|e| e.name()).into());
        if let Some(lang) = self.lang {
            options.insert("lang".into(), lang.to_string().into());
        }
        options
    }

    /// A shard task's reading: the options that read `shard` (ids are checked by the merge,
    /// across shards), and its problems, streamed to `temp/problems.csv` for the merge.
    pub(crate) fn shard_reading(
        &self,
        shard: corpus_parser::Shard,
        temp: &std::path::Path,
    ) -> Result<(ReadOptions, Problems)> {
        let mut read_options = self.read_options();
        read_options.shard = Some(shard);
        read_options.check_ids = false;
        let mut problems = self.problems()?;
        problems.stream_to(&temp.join("problems.csv"))?;
        Ok((read_options, problems))
    }

    /// Where the run's problems go: counted, and streamed to `--problems FILE` when given.
    pub(crate) fn problems(&self) -> Result<Problems> {
        let mut problems = Problems::default();
        if let Some(path) = &self.problems {
            problems.stream_to(path)?;
        }
        Ok(problems)
    }

    /// Reports the problems and the summary line on stderr, and decides the exit status.
    /// `documents` is how many the run read: none at all is a failed run (exit 1), said even
    /// with `--quiet`.
    /// The end of a run that read a corpus: its `outputs` committed with the problems files,
    /// all of them or none, then [`finish`](Self::finish).
    pub(crate) fn end(
        &self,
        mut problems: Problems,
        outputs: Outputs,
        documents: u64,
        summary: &str,
    ) -> Result<Outcome> {
        problems.commit_with(outputs)?;
        Ok(self.finish(&problems, documents, summary))
    }

    pub(crate) fn finish(&self, problems: &Problems, documents: u64, summary: &str) -> Outcome {
        // A run that read nothing stops on its problems: they are said even with `-q`.
        problems.print(self.problems.as_deref(), self.quiet && documents > 0);
        if !self.quiet {
            crate::ui::say(summary);
        }
        if documents == 0 && problems.left_out() > 0 {
            crate::ui::say("error: every document read was left out by --where, --since, --until");
            return Outcome::Problems;
        }
        if documents == 0 {
            crate::ui::say("error: no document was read from the input");
            return Outcome::Problems;
        }
        if self.strict && problems.total() > 0 {
            Outcome::Problems
        } else {
            Outcome::Success
        }
    }
}

/// A dedup preset by name (`--preset`, and the views' and the report's `--dedup`): the
/// library's [`corpus_dedup::Preset`], as an argument.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum PresetArg {
    /// Wire copies in news, cut and re-edited: 2-grams, containment 0.7, at most 30 % of
    /// shared facts changed, headlines read, a 3-day window
    News,
    /// Web and LLM data, as datatrove and text-dedup do: 5-grams, threshold 0.8, no window
    Web,
}

impl From<PresetArg> for corpus_dedup::Preset {
    fn from(arg: PresetArg) -> corpus_dedup::Preset {
        match arg {
            PresetArg::News => corpus_dedup::Preset::News,
            PresetArg::Web => corpus_dedup::Preset::Web,
        }
    }
}

/// A size in bytes: a whole number, optionally followed by `K`, `M` or `G` (powers of 1024;
/// `KiB`, `MB` and the like are read the same way).
fn parse_size(arg: &str) -> Result<u64, String> {
    let arg = arg.trim();
    let digits = arg.find(|c: char| !c.is_ascii_digit()).unwrap_or(arg.len());
    let (number, unit) = arg.split_at(digits);
    let shift = match unit
        .trim()
        .to_ascii_lowercase()
        .trim_end_matches(['b', 'i'])
    {
        "" => 0,
        "k" => 10,
        "m" => 20,
        "g" => 30,
        _ => {
            return Err(format!(
                "expected a number of bytes such as 1048576 or 256M, not {arg:?}"
            ));
        }
    };
    let n: u64 = number
        .parse()
        .map_err(|_| format!("expected a number of bytes such as 1048576 or 256M, not {arg:?}"))?;
    match n.checked_mul(1 << shift) {
        Some(0) => Err("must be at least 1 byte".to_owned()),
        Some(bytes) => Ok(bytes),
        None => Err(format!("{arg:?} is too large")),
    }
}

/// The FIELD of a `meta.FIELD` argument (`--group-by`, `--key`); an error naming `option` and
/// what else it takes (`names`) when the argument has another shape.
pub(crate) fn meta_field(option: &str, names: &str, arg: &str) -> Result<String> {
    match arg.strip_prefix("meta.").filter(|f| !f.is_empty()) {
        Some(field) => Ok(field.to_owned()),
        None => bail!("{option} takes {names} or meta.FIELD, not {arg:?}"),
    }
}

/// The stop words `--stopwords LIST` names: `auto` (English in every document, and each
/// document's own language's list beside it), `english`, `none`, a language's code (`de`: the
/// stopwords-iso list), a file of words, or a language and a file (`auto+FILE`,
/// `english+FILE`, `de+FILE`). The list every document uses, and whether each document's
/// language adds its own.
pub(crate) fn stopwords(arg: &str) -> Result<(StopWords, bool)> {
    match arg.split_once('+') {
        Some(("auto", file)) => Ok((stopword_list(&format!("english+{file}"))?, true)),
        _ if arg == "auto" => Ok((StopWords::english(), true)),
        _ => Ok((stopword_list(arg)?, false)),
    }
}

/// The one list `--stopwords LIST` names, `auto` aside.
pub(crate) fn stopword_list(arg: &str) -> Result<StopWords> {
    let read = |file: &str| {
        std::fs::read_to_string(file)
            .map(|list| StopWords::from_list(&list))
            .with_context(|| format!("cannot read stop words from {file:?}"))
    };
    // A language's list: `english` or a code stopwords-iso has a list for.
    let language = |name: &str| match name {
        "english" => Some(StopWords::english()),
        code => corpus_core::Lang::from_tag(code).and_then(StopWords::for_language),
    };
    if arg == "none" {
        return Ok(StopWords::none());
    }
    if let Some((name, file)) = arg.split_once('+')
        && let Some(list) = language(name)
    {
        return Ok(list.with(&read(file)?));
    }
    if std::path::Path::new(arg).is_file() {
        return read(arg);
    }
    match language(arg) {
        Some(list) => Ok(list),
        None if arg.len() <= 3 || corpus_core::Lang::from_tag(arg).is_some() => {
            bail!("--stopwords {arg:?}: no stop-word list for that language (and no such file)")
        }
        None => read(arg),
    }
}

/// The groups `--group-by KEY` names: `year`, `month`, `lang` or `meta.FIELD`.
pub(crate) fn group_by(arg: Option<&str>) -> Result<Option<GroupBy>> {
    let Some(arg) = arg else {
        return Ok(None);
    };
    Ok(Some(match arg {
        "year" => GroupBy::Year,
        "month" => GroupBy::Month,
        "lang" => GroupBy::Lang,
        other => GroupBy::Meta(meta_field("--group-by", "year, month, lang", other)?),
    }))
}
