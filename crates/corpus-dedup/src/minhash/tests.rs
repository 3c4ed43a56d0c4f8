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
        (
            "BERLIN (dpa) - Die Regierung hat beschlossen.",
            "Die Regierung hat beschlossen.",
        ),
        (
            "MADRID, 8 mar (EFE).- El Gobierno aprobó.",
            "El Gobierno aprobó.",
        ),
        (
            "MADRID, 8 mar (EFE).-El Gobierno aprobó.",
            "El Gobierno aprobó.",
        ),
        (
            "PARÍS, 8 mar (AFP) - Le gouvernement a annoncé.",
            "Le gouvernement a annoncé.",
        ),
        (
            "МОСКВА, 8 марта. /ТАСС/. Правительство решило.",
            "Правительство решило.",
        ),
        ("القاهرة (رويترز) - قالت الحكومة", "قالت الحكومة"),
        ("新华社北京3月8日电 国务院召开会议。", "国务院召开会议。"),
        (
            "新华社北京3月8日电（记者张三）国务院召开会议。",
            "国务院召开会议。",
        ),
        ("中新网上海12月1日电 上海市政府表示。", "上海市政府表示。"),
    ] {
        assert_eq!(&text[dateline_len(text)..], rest, "{text}");
    }
    for text in [
        "Shares fell (sharply) - then rose.",
        "The USA (and others) - agreed.",
        "IBM said (in a filing) it would.",
        "LONDON - no agency here.",
        "Berlin (dpa) - a place in small letters is a sentence.",
        "Die Regierung (Berlin) - sagte.",
        "他说（新华社）北京的天气很好，3月8日电力供应正常。",
        "國家統計局3月8日電",
        "The ratio /2/ - fell.",
    ] {
        assert_eq!(dateline_len(text), 0, "{text}");
    }
}
