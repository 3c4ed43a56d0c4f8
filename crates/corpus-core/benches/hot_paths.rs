//! Micro-benchmarks of the text functions every command runs on every word:
//! `cargo bench -p corpus-core`.

use corpus_core::{for_each_normal_word, normalize, sentence_count, words};

fn main() {
    divan::main();
}

/// A news-like paragraph, repeated: ASCII, or with typographic quotes (the Unicode path).
fn text(unicode: bool) -> String {
    let p = if unicode {
        "The minister said the plan was \u{201C}what the country needed\u{201D}, and the city\u{2019}s mayor agreed on Monday. Shares rose 3.5 pct. "
    } else {
        "The minister said the plan was \"what the country needed\", and the city's mayor agreed on Monday. Shares rose 3.5 pct. "
    };
    p.repeat(200)
}

/// Benches `f` over [`text`], counting its bytes; the text goes through `black_box`.
fn per_byte<R>(bencher: divan::Bencher<'_, '_>, unicode: bool, f: impl Fn(&str) -> R + Sync) {
    let t = text(unicode);
    bencher
        .counter(divan::counter::BytesCount::of_str(&t))
        .bench(|| f(divan::black_box(&t)));
}

#[divan::bench(args = [false, true])]
fn word_count(bencher: divan::Bencher<'_, '_>, unicode: bool) {
    per_byte(bencher, unicode, |t| words(t).count());
}

#[divan::bench(args = [false, true])]
fn sentences(bencher: divan::Bencher<'_, '_>, unicode: bool) {
    per_byte(bencher, unicode, sentence_count);
}

#[divan::bench(args = [false, true])]
fn normalise(bencher: divan::Bencher<'_, '_>, unicode: bool) {
    per_byte(bencher, unicode, normalize);
}

#[divan::bench(args = [false, true])]
fn normal_words(bencher: divan::Bencher<'_, '_>, unicode: bool) {
    per_byte(bencher, unicode, |t| {
        let mut n = 0usize;
        for_each_normal_word(t, |w| n += w.len());
        n
    });
}
