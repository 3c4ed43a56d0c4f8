//! Reads corpora in parallel and says what they hold: documents, words of body text, and
//! every problem with its file, line and reason.
//!
//! `cargo run --release -p corpus-parser --example read -- ../shared/data/bbc/bbc-articles.tar.gz`

#![allow(clippy::print_stdout)]

use corpus_parser::{Input, NoProgress, ReadOptions, read_parallel};

fn main() {
    let inputs: Vec<Input> = std::env::args()
        .skip(1)
        .map(|a| Input::from_arg(&a))
        .collect();
    let (mut documents, mut words, mut problems) = (0u64, 0usize, Vec::new());
    // Words are counted on the pool, in the task that parsed the document.
    let count =
        |doc: corpus_core::Document| doc.body().map(|b| corpus_core::words(b).count()).sum();
    let read = read_parallel(
        &inputs,
        &ReadOptions::default(),
        &NoProgress,
        count,
        |batch| {
            problems.extend(batch.problems);
            documents += batch.results.len() as u64;
            words += batch.results.iter().sum::<usize>();
            Ok::<(), std::convert::Infallible>(())
        },
    );
    let Ok(()) = read;
    for p in &problems {
        println!("{}:{}: {}", p.path, p.line.unwrap_or(0), p.message);
    }
    println!(
        "documents {documents}\nwords {words}\nproblems {}",
        problems.len()
    );
}
