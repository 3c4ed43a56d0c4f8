//! Every document's language: the input's own field, the reader's option, or the text's.

use corpus_core::{Lang, ProblemKind};
use corpus_parser::{Input, ReadOptions, read_documents};

const ENGLISH: &str = "The government said on Monday that the schools would open again after \
                       the holidays, and that the teachers had been told.";

fn read_with(options: &ReadOptions, name: &str, bytes: String) -> Vec<corpus_parser::Parsed> {
    let mut out = Vec::new();
    let input = [Input::Memory {
        name: name.into(),
        bytes: bytes.into_bytes(),
    }];
    read_documents(&input, options, &mut |p| out.push(p));
    out
}

/// The languages of the documents read.
fn langs_of(parsed: &[corpus_parser::Parsed]) -> Vec<Lang> {
    parsed
        .iter()
        .filter_map(|p| p.document.as_ref())
        .map(|d| d.lang)
        .collect()
}

fn lang(code: &str) -> Lang {
    Lang::from_tag(code).expect("a code")
}

#[test]
fn a_field_names_the_language_and_the_text_tells_it_otherwise() {
    let line = |extra: &str| format!("{{\"text\": \"{ENGLISH}\"{extra}}}\n");
    let lines = [
        line(""),
        line(", \"lang\": \"de-DE\""),
        line(", \"language\": \"Spanish\""),
        line(", \"lang\": \"und\""),
        line(", \"lang\": \"klingon\""),
    ]
    .concat();
    let parsed = read_with(&ReadOptions::default(), "wire.jsonl", lines);
    let docs: Vec<_> = parsed.iter().filter_map(|p| p.document.as_ref()).collect();
    let langs: Vec<String> = docs.iter().map(|d| d.lang.to_string()).collect();
    assert_eq!(langs, ["en", "de", "es", "en", "en"]);
    // A field that names a language is the document's, not metadata; one that does not stays.
    assert!(docs[1].metadata.is_empty() && docs[2].metadata.is_empty());
    assert_eq!(docs[4].metadata["lang"], "klingon");
    let problems = crate::problems_in(&parsed);
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(
        (problems[0].kind, problems[0].line),
        (ProblemKind::Suspect, Some(5))
    );
    assert!(
        problems[0]
            .message
            .contains("\"klingon\" names no language"),
        "{}",
        problems[0]
    );
}

#[test]
fn a_csv_column_names_the_language_and_the_option_names_it_for_all() {
    let csv = format!("id,text,lang\na,\"{ENGLISH}\",pt\nb,\"{ENGLISH}\",\n");
    let parsed = read_with(&ReadOptions::default(), "rows.csv", csv.clone());
    assert_eq!(langs_of(&parsed), [lang("pt"), lang("en")]);
    assert!(
        crate::problems_in(&parsed).is_empty(),
        "an empty cell says nothing"
    );
    let mut options = ReadOptions::default();
    options.lang = Some(lang("fr"));
    let parsed = read_with(&options, "rows.csv", csv);
    assert_eq!(langs_of(&parsed), [lang("fr"), lang("fr")]);
}

#[test]
fn articles_and_the_parallel_reader_tell_the_language_alike() {
    let article = format!(" date 2021-03-08 {ENGLISH}\n");
    let parsed = read_with(&ReadOptions::default(), "a.txt", article.clone());
    assert_eq!(parsed[0].document.as_ref().map(|d| d.lang), Some(Lang::EN));
    let mut langs = Vec::new();
    corpus_parser::read_parallel(
        &[Input::Memory {
            name: "a.txt".into(),
            bytes: article.into_bytes(),
        }],
        &ReadOptions::default(),
        &corpus_parser::NoProgress,
        |doc| doc.lang,
        |batch| {
            langs.extend(batch.results);
            Ok::<(), ()>(())
        },
    )
    .expect("never fails");
    assert_eq!(langs, [Lang::EN]);
}

/// Language identification on the SemEval 2022 news pairs: at least 98 % of the texts of 200
/// characters or more get the language of their label, and 95 % in each of the ten languages.
/// The labels are not all right (a German text labelled French, a Spanish one Chinese, a Hindi
/// one English): the confusion table, in the message, shows where.
#[test]
fn languages_of_the_semeval_texts_are_found() {
    let Some(path) = crate::shared::data("semeval2022_task8_news_similarity/training_set.csv.gz")
    else {
        return;
    };
    let input = Input::Path(path);
    let mut confusion: std::collections::BTreeMap<(String, String), u32> = Default::default();
    for side in ["1", "2"] {
        let mut options = ReadOptions::default();
        options.csv.text_col = format!("text{side}");
        options.check_ids = false;
        let mut docs = Vec::new();
        read_documents(std::slice::from_ref(&input), &options, &mut |p| {
            docs.extend(p.document);
        });
        for doc in docs.iter().filter(|d| d.text.chars().count() >= 200) {
            let label = doc.metadata[&format!("lang{side}")].as_str().unwrap_or("?");
            let found = corpus_core::lang::detect(&doc.text).to_string();
            *confusion.entry((label.to_owned(), found)).or_default() += 1;
        }
    }
    let table: String = confusion
        .iter()
        .map(|((label, found), n)| format!("{label} -> {found}: {n}\n"))
        .collect();
    let mut by_label: std::collections::BTreeMap<&str, (u32, u32)> = Default::default();
    for ((label, found), n) in &confusion {
        let e = by_label.entry(label).or_default();
        e.1 += n;
        if label == found {
            e.0 += n;
        }
    }
    assert_eq!(by_label.len(), 10, "{table}");
    let (right, all) = by_label
        .values()
        .fold((0, 0), |(r, a), (right, all)| (r + right, a + all));
    assert!(all > 2400, "{all} texts");
    assert!(
        f64::from(right) >= 0.98 * f64::from(all),
        "{right} of {all}:\n{table}"
    );
    for (label, (right, all)) in by_label {
        assert!(
            f64::from(right) >= 0.95 * f64::from(all),
            "{label}: {right} of {all}:\n{table}"
        );
    }
}

/// Words of the SemEval Chinese news (every text labelled `zh`, both sides of the pairs) within
/// 15 % of jieba's count of the same texts: 36,593 words by jieba 0.42.1
/// (`xtask/peers/word_referees.py semeval zh training_set.csv.gz`). Counted by characters, as
/// UAX #29 alone does, they were about 60,000.
#[test]
fn words_of_the_semeval_chinese_texts_agree_with_jieba() {
    const JIEBA: usize = 36_593;
    let Some(path) = crate::shared::data("semeval2022_task8_news_similarity/training_set.csv.gz")
    else {
        return;
    };
    let input = Input::Path(path);
    let (mut texts, mut words) = (0, 0);
    for side in ["1", "2"] {
        let mut options = ReadOptions::default();
        options.csv.text_col = format!("text{side}");
        options.check_ids = false;
        read_documents(std::slice::from_ref(&input), &options, &mut |p| {
            if let Some(doc) = p.document
                && doc.metadata[&format!("lang{side}")] == "zh"
            {
                texts += 1;
                words += corpus_core::words(&doc.text).count();
            }
        });
    }
    assert_eq!(texts, 241);
    let ratio = words as f64 / JIEBA as f64;
    assert!(
        (0.85..=1.15).contains(&ratio),
        "{words} words, jieba {JIEBA}"
    );
}

/// A selection is applied after the language is told, in both readers: a document left out
/// is counted (`Parsed::left_out`, `Batch::left_out`), neither a result nor a problem.
#[test]
fn a_selection_leaves_documents_out_after_their_language_is_told() {
    let german = "Der Stadtrat hat am Dienstag beschlossen, eine neue Brücke über den Fluss zu \
                  bauen, und die Bürgermeisterin sagte, die Arbeiten würden beginnen.";
    let lines = format!(
        "{{\"id\": \"en\", \"text\": \"{ENGLISH}\"}}\n{{\"id\": \"de\", \"text\": \"{german}\"}}\nnot json\n"
    );
    let mut options = ReadOptions::default();
    options
        .select
        .wheres
        .push(corpus_parser::Where::parse("lang=de").expect("parses"));
    let parsed = read_with(&options, "wire.jsonl", lines.clone());
    let ids: Vec<&str> = parsed
        .iter()
        .filter_map(|p| p.document.as_ref())
        .map(|d| d.id.as_str())
        .collect();
    assert_eq!(ids, ["de"]);
    assert_eq!(parsed.iter().filter(|p| p.left_out).count(), 1);
    assert_eq!(
        crate::problems_in(&parsed).len(),
        1,
        "the bad line is still a problem"
    );
    let (mut results, mut left_out, mut problems) = (Vec::new(), 0, 0);
    corpus_parser::read_parallel(
        &[Input::Memory {
            name: "wire.jsonl".into(),
            bytes: lines.into_bytes(),
        }],
        &options,
        &corpus_parser::NoProgress,
        |doc| doc.id,
        |batch| {
            results.extend(batch.results);
            left_out += batch.left_out;
            problems += batch.problems.len();
            Ok::<(), ()>(())
        },
    )
    .expect("never fails");
    assert_eq!((results, left_out, problems), (vec!["de".to_owned()], 1, 1));
}
