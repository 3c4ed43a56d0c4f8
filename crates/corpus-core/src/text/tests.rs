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
