//! The news preset in other languages: corpora generated from the SemEval 2022 texts of five
//! languages (`--lang XX --from FILE`), deduplicated by the library, scored against their truth.

use corpus_dedup::{DedupOptions, Deduplicator, evaluate, evaluate_pairs};

use super::*;

/// The SemEval training texts labelled `lang`, as JSON Lines of `text` in `dir`.
fn semeval_texts(semeval: &Path, lang: &str, dir: &Path) -> PathBuf {
    let out = dir.join(format!("semeval-{lang}.jsonl"));
    let mut lines = String::new();
    for side in ["1", "2"] {
        let mut options = ReadOptions::default();
        options.csv.text_col = format!("text{side}");
        options.check_ids = false;
        read_documents(&[Input::Path(semeval.to_owned())], &options, &mut |p| {
            if let Some(doc) = p.document
                && doc.metadata[&format!("lang{side}")] == lang
            {
                lines.push_str(&serde_json::json!({ "text": doc.text }).to_string());
                lines.push('\n');
            }
        });
    }
    fs::write(&out, lines).expect("written");
    out
}

/// F1 against the truth and hard negatives merged, `--preset news`, of a generated corpus.
fn news_scores(dir: &Path) -> (f64, u64, u64) {
    let mut dedup = Deduplicator::new(DedupOptions::news()).expect("valid options");
    let preparer = dedup.preparer();
    read_documents(
        &[Input::Path(dir.join("corpus.jsonl"))],
        &ReadOptions::default(),
        &mut |p| {
            if let Some(doc) = p.document {
                dedup.add(preparer.prepare(&doc));
            }
        },
    );
    let done = dedup.finish();
    let predicted: Vec<(String, String)> = done
        .cluster_rows()
        .iter()
        .map(|r| (r.document.to_owned(), r.cluster.to_owned()))
        .collect();
    let rows = |file: &str| -> Vec<Vec<String>> {
        fs::read_to_string(dir.join(file))
            .expect("written")
            .lines()
            .skip(1)
            .map(|l| l.splitn(4, ',').map(str::to_owned).collect())
            .collect()
    };
    let truth: Vec<(String, String)> = rows("truth.csv")
        .into_iter()
        .map(|r| (r[0].clone(), r[1].clone()))
        .collect();
    let pairs: Vec<(String, String, bool)> = rows("pairs.csv")
        .into_iter()
        .map(|r| (r[0].clone(), r[1].clone(), r[2] == "COPY"))
        .collect();
    let negatives = pairs.iter().filter(|p| !p.2).count() as u64;
    let merged = evaluate_pairs(&pairs, &predicted).false_merges;
    (evaluate(&truth, &predicted).f1, merged, negatives)
}

/// Copies found with F1 0.97 or more and no hard negative merged, in German, Spanish,
/// Chinese, Arabic and Russian (600 documents each: Arabic and Russian have about a hundred
/// base texts, and more documents would reuse their paragraphs until originals overlap).
#[test]
fn the_news_preset_finds_copies_in_five_languages() {
    let Some(semeval) =
        crate::shared_data::data("semeval2022_task8_news_similarity/training_set.csv.gz")
    else {
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let mut report = String::new();
    let mut failed = false;
    for lang in ["de", "es", "zh", "ar", "ru"] {
        let from = semeval_texts(&semeval, lang, dir.path());
        let out = dir.path().join(lang);
        let options = GenOptions {
            docs: 600,
            seed: 1,
            out: out.clone(),
            format: OutFormat::Jsonl,
            copy_rate: 0.3,
            hard: true,
            foreign: Some(Foreign {
                lang: Lang::from_tag(lang).expect("a code"),
                from,
            }),
        };
        run(&options, Path::new("unused")).expect("generates");
        let (f1, merged, negatives) = news_scores(&out);
        report.push_str(&format!(
            "{lang}: F1 {f1:.4}, {merged} of {negatives} hard negatives merged\n"
        ));
        failed |= f1 < 0.97 || merged > 0 || negatives == 0;
    }
    assert!(!failed, "{report}");
    eprintln!("{report}");
}
