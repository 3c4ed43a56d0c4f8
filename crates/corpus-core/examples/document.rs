//! Builds a document by hand, reads its structure, and prints its canonical JSON: the form
//! `corpus parse` writes, one document per line.

#![allow(clippy::print_stdout)]

use corpus_core::{Block, BlockKind, Date, Document, normalize, words};

fn main() {
    let text = "Rockets hit the base, officials said.\n\nRead: Earlier story\n\nImage: AP";
    let mut doc = Document::new("001", "001.txt", text);
    doc.date = Date::parse("2021-03-08").ok();
    doc.blocks = vec![
        Block::new(BlockKind::Paragraph, 0..37),
        Block::new(BlockKind::RelatedLink, 39..58),
        Block::new(BlockKind::ImageCredit, 60..69),
    ];
    let body: Vec<&str> = doc.body().collect();
    println!("body: {body:?}");
    println!(
        "words: {}",
        body.iter().map(|b| words(b).count()).sum::<usize>()
    );
    println!("normal form: {}", normalize(body[0]));
    println!("related: {:?}", doc.related_links().collect::<Vec<_>>());
    println!("credits: {:?}", doc.image_credits().collect::<Vec<_>>());
    let json = serde_json::to_string(&doc).expect("a document serialises");
    println!("{json}");
}
