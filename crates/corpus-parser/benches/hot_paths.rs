//! Micro-benchmarks of article parsing: `cargo bench -p corpus-parser`.

use corpus_parser::{Source, parse_article, parse_json_line};

fn main() {
    divan::main();
}

/// An article in the seed's format: header, paragraphs, links, a heading and a credit.
fn article() -> String {
    let paragraph = "The council voted on Monday to close the old river ferry at the end of the summer, ending a crossing that has run for more than ninety years.";
    let mut blocks = vec![format!(" date 2021-03-08 {paragraph}")];
    for i in 0..12 {
        blocks.push(paragraph.to_owned());
        if i % 4 == 0 {
            blocks.push("Read: Harbourton Budget Gap Widens As Tourism Slows".to_owned());
            blocks.push("Commuters say the bridge is too far".to_owned());
        }
    }
    blocks.push("Image: AP".to_owned());
    blocks.join("\n\n")
}

#[divan::bench]
fn article_text(bencher: divan::Bencher<'_, '_>) {
    let a = article();
    bencher
        .counter(divan::counter::BytesCount::of_str(&a))
        .bench(|| parse_article(Source::of_file("id.txt"), divan::black_box(a.clone())));
}

#[divan::bench]
fn json_line(bencher: divan::Bencher<'_, '_>) {
    let line = serde_json::json!({ "id": "x", "date": "2021-03-08", "text": article(), "metadata": { "source": "wire" } }).to_string();
    bencher
        .counter(divan::counter::BytesCount::of_str(&line))
        .bench(|| {
            parse_json_line(
                Source::of_file("x.jsonl"),
                1,
                divan::black_box(line.as_bytes()),
            )
        });
}
