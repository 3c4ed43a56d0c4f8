//! Datelines told from openings that are not.

use super::dateline_len;

#[test]
fn datelines_are_told_from_openings_that_are_not() {
    for (text, rest) in [
        ("LONDON (Reuters) - Shares fell.", "Shares fell."),
        (
            "WASHINGTON, March 3 (AP) \u{2014} The Senate voted.",
            "The Senate voted.",
        ),
        ("NEW DELHI (PTI) -- Rains came.", "Rains came."),
        ("ST. LOUIS (Bloomberg) - Corn rose.", "Corn rose."),
    ] {
        assert_eq!(&text[dateline_len(text)..], rest, "{text}");
    }
    for text in [
        "Shares fell (sharply) - then rose.",
        "The USA (and others) - agreed.",
        "IBM said (in a filing) it would.",
        "LONDON - no agency here.",
    ] {
        assert_eq!(dateline_len(text), 0, "{text}");
    }
}
