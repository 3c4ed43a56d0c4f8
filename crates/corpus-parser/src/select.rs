//! Subsets of a corpus: which documents a run reads, by metadata, language and date.

use std::fmt;

use corpus_core::{Date, Document, Lang};

/// Which documents a run reads ([`ReadOptions::select`](crate::ReadOptions)): those that meet
/// every condition of `wheres` and are dated within `since..=until`. A document left out is
/// parsed (its language told) and then dropped before anything is counted:
/// [`Parsed::left_out`](crate::Parsed) and [`Batch::left_out`](crate::Batch) count it. The
/// default selects every document.
///
/// ```
/// use corpus_core::{Date, Document};
/// use corpus_parser::{Selection, Where};
///
/// let mut doc = Document::new("a", "wire.jsonl", "Rain.");
/// doc.metadata.insert("topics".into(), serde_json::json!(["grain", "wheat"]));
/// doc.date = Date::parse("1987-03-02").ok();
/// let mut select = Selection::default();
/// select.wheres.push(Where::parse("meta.topics=wheat,corn")?);
/// select.since = Date::parse("1987-03-01").ok();
/// assert!(select.contains(&doc));
/// select.wheres.push(Where::parse("meta.topics!=grain")?);
/// assert!(!select.contains(&doc));
/// # Ok::<(), corpus_parser::SelectError>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Selection {
    /// Conditions a document meets, every one of them.
    pub wheres: Vec<Where>,
    /// The first day read: documents dated earlier are left out, and so are undated ones
    /// unless `undated`.
    pub since: Option<Date>,
    /// The last day read, as `since`.
    pub until: Option<Date>,
    /// With `since` or `until`, read the undated documents too.
    pub undated: bool,
}

impl Selection {
    /// Whether it selects every document.
    pub fn is_all(&self) -> bool {
        self.wheres.is_empty() && self.since.is_none() && self.until.is_none()
    }

    /// Whether `doc` is selected.
    pub fn contains(&self, doc: &Document) -> bool {
        let dated = match (doc.date, self.since.is_some() || self.until.is_some()) {
            (_, false) => true,
            (None, true) => self.undated,
            (Some(date), true) => {
                self.since.is_none_or(|s| date >= s) && self.until.is_none_or(|u| date <= u)
            }
        };
        dated && self.wheres.iter().all(|w| w.matches(doc))
    }
}

/// One condition: a field equal to one of some values (`meta.topic=sport,business`,
/// `lang=de`), or to none of them (`meta.source!=wire`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Where {
    field: Field,
    values: Vec<String>,
    negated: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Field {
    Meta(String),
    Lang,
}

/// A condition that does not parse: what was given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SelectError(pub String);

impl fmt::Display for SelectError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:?} is not a condition: meta.FIELD=VALUE, meta.FIELD!=VALUE, a list of values \
             (meta.topic=sport,business) or lang=CODE",
            self.0
        )
    }
}

impl std::error::Error for SelectError {}

impl Where {
    /// Parses `meta.FIELD=VALUES`, `meta.FIELD!=VALUES` or `lang=CODES` (`!=` too), VALUES
    /// separated by commas. A metadata value matches when its text is one of them
    /// ([`Document::meta_is`]); a missing or null field matches none (so `!=` keeps the
    /// documents without it).
    pub fn parse(expr: &str) -> Result<Where, SelectError> {
        let error = || SelectError(expr.to_owned());
        let (field, values, negated) = match expr.split_once("!=") {
            Some((field, values)) => (field, values, true),
            None => {
                let (field, values) = expr.split_once('=').ok_or_else(error)?;
                (field, values, false)
            }
        };
        let field = match field.trim() {
            "lang" => Field::Lang,
            other => match other.strip_prefix("meta.") {
                Some(name) if !name.is_empty() => Field::Meta(name.to_owned()),
                _ => return Err(error()),
            },
        };
        let mut values: Vec<String> = values.split(',').map(|v| v.trim().to_owned()).collect();
        if values.iter().any(String::is_empty) {
            return Err(error());
        }
        if field == Field::Lang {
            for v in &mut values {
                *v = Lang::from_tag(v).ok_or_else(error)?.to_string();
            }
        }
        Ok(Where {
            field,
            values,
            negated,
        })
    }

    /// Whether `doc` meets the condition.
    pub fn matches(&self, doc: &Document) -> bool {
        let is_one = |text: &str| self.values.iter().any(|v| v == text);
        let found = match &self.field {
            Field::Lang => is_one(doc.lang.code()),
            Field::Meta(name) => doc.meta_is(name, is_one),
        };
        found != self.negated
    }
}

#[cfg(test)]
mod tests;
