//! Unit tests of word and sentence segmentation and normalisation, with expectations by hand.

use super::*;

#[test]
fn words_follow_uax29() {
    let w: Vec<_> = words("The U.S. can’t “strike” B-52s, 3.5 times!").collect();
    assert_eq!(
        w,
        ["The", "U.S", "can’t", "strike", "B", "52s", "3.5", "times"]
    );
    assert_eq!(words("  ... — !! ").count(), 0);
    assert_eq!(words("naïve café Zürich").count(), 3);
}

#[test]
fn sentences_follow_uax29() {
    let s: Vec<_> = sentences("He left. She stayed! Did they? Yes.").collect();
    assert_eq!(s, ["He left. ", "She stayed! ", "Did they? ", "Yes."]);
    assert_eq!(sentences("   ").count(), 0);
}

#[test]
fn normalize_folds_case_space_and_punctuation() {
    assert_eq!(normalize("  Hello,\r\n  WORLD!! "), "hello world");
    assert_eq!(normalize("Hello world"), normalize("hello — world."));
    assert_eq!(normalize("Iraq’s can't"), "iraq's can't");
    assert_eq!(normalize("ÉCOLE Straße"), "école straße");
    assert_eq!(normalize(""), "");
    assert_eq!(normalize("?!"), "");
}

#[test]
fn normalize_into_appends_with_a_space() {
    let mut out = String::from("first");
    normalize_into("Second PART", &mut out);
    assert_eq!(out, "first second part");
}

proptest::proptest! {
    #[test]
    fn normalize_is_idempotent(s in "\\PC{0,60}") {
        let once = normalize(&s);
        proptest::prop_assert_eq!(normalize(&once), once.clone());
        proptest::prop_assert!(!once.starts_with(' ') && !once.ends_with(' ') && !once.contains("  "));
    }
}

/// ASCII strings built from the bytes that matter to UAX #29 word and sentence rules.
fn ascii_text() -> impl proptest::strategy::Strategy<Value = String> {
    use proptest::prelude::*;
    let piece = prop_oneof![
        Just("a"),
        Just("Z"),
        Just("x"),
        Just("Q"),
        Just("7"),
        Just("0"),
        Just("_"),
        Just("."),
        Just("!"),
        Just("?"),
        Just(","),
        Just(";"),
        Just(":"),
        Just("'"),
        Just("\""),
        Just("-"),
        Just("("),
        Just(")"),
        Just("["),
        Just("}"),
        Just(" "),
        Just("\t"),
        Just("\n"),
        Just("\r"),
        Just("\r\n"),
        Just("\u{0B}"),
        Just("\u{0C}"),
        Just("#"),
        Just("$"),
        Just("/"),
        Just("word"),
        Just("U.S."),
        Just("3.5"),
        Just("Mr. smith"),
        Just(". the"),
        Just("..."),
    ];
    proptest::collection::vec(piece, 0..40).prop_map(|p| p.concat())
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(5000))]

    #[test]
    fn ascii_words_match_unicode_segmentation(s in ascii_text()) {
        let fast: Vec<&str> = ascii::words(&s).collect();
        let reference: Vec<&str> = s.unicode_words().collect();
        proptest::prop_assert_eq!(fast, reference);
    }

    #[test]
    fn ascii_sentences_match_unicode_segmentation(s in ascii_text()) {
        proptest::prop_assert_eq!(ascii::sentence_count(&s), s.unicode_sentences().count(), "{:?}", s);
    }

    #[test]
    fn any_ascii_matches_too(s in "[\\x00-\\x7F]{0,80}") {
        let fast: Vec<&str> = ascii::words(&s).collect();
        proptest::prop_assert_eq!(fast, s.unicode_words().collect::<Vec<_>>());
        proptest::prop_assert_eq!(ascii::sentence_count(&s), s.unicode_sentences().count());
    }
}
