//! Conditions and dates, by hand.

use super::*;

fn doc(date: Option<&str>, meta: serde_json::Value) -> Document {
    let mut d = Document::new("a", "x", "Text.");
    d.date = date.and_then(|d| Date::parse(d).ok());
    if let serde_json::Value::Object(m) = meta {
        d.metadata = m.into_iter().collect();
    }
    d
}

#[test]
fn conditions_match_strings_numbers_arrays_and_missing_fields() {
    let d = doc(
        None,
        serde_json::json!({"topic": "sport", "year": 1987, "tags": ["a", "b"], "none": null}),
    );
    let yes = [
        "meta.topic=sport",
        "meta.topic=news,sport",
        "meta.year=1987",
        "meta.tags=b",
        "meta.topic!=news",
        "meta.missing!=x",
        "meta.none!=x",
        "lang=und",
    ];
    let no = [
        "meta.topic=news",
        "meta.topic!=sport",
        "meta.tags!=a",
        "meta.missing=x",
        "meta.none=x",
        "lang=en",
    ];
    for expr in yes {
        assert!(Where::parse(expr).unwrap().matches(&d), "{expr}");
    }
    for expr in no {
        assert!(!Where::parse(expr).unwrap().matches(&d), "{expr}");
    }
    for bad in [
        "topic=sport",
        "meta.=x",
        "meta.topic",
        "meta.topic=",
        "meta.topic=a,,b",
        "lang=xx!",
    ] {
        assert!(Where::parse(bad).is_err(), "{bad}");
    }
    assert!(Where::parse("lang=German").unwrap().matches(&{
        let mut g = d.clone();
        g.lang = Lang::from_tag("de").unwrap();
        g
    }));
}

#[test]
fn dates_bound_the_days_and_leave_undated_documents_out_unless_asked() {
    let mut s = Selection::default();
    assert!(s.is_all() && s.contains(&doc(None, serde_json::json!({}))));
    s.since = Date::parse("1987-03-01").ok();
    s.until = Date::parse("1987-03-31").ok();
    let on = |day: &str| s.contains(&doc(Some(day), serde_json::json!({})));
    assert!(on("1987-03-01") && on("1987-03-31") && on("1987-03-15"));
    assert!(!on("1987-02-28") && !on("1987-04-01"));
    assert!(!s.contains(&doc(None, serde_json::json!({}))));
    s.undated = true;
    assert!(s.contains(&doc(None, serde_json::json!({}))));
}
