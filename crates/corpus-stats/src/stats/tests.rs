//! Unit tests of grouping keys.

use super::*;
use corpus_core::Document;
use serde_json::json;

#[test]
fn groups_by_date_and_metadata() {
    let mut doc = Document::new("1", "1.txt", "x");
    assert_eq!(group_keys(&GroupBy::Year, &doc), ["undated"]);
    doc.date = Some(Date::parse("1987-03-02").unwrap());
    assert_eq!(group_keys(&GroupBy::Year, &doc), ["1987"]);
    assert_eq!(group_keys(&GroupBy::Month, &doc), ["1987-03"]);
    let field = GroupBy::Meta("topics".into());
    assert_eq!(group_keys(&field, &doc), ["(none)"]);
    doc.metadata
        .insert("topics".into(), json!(["wheat", "grain", "wheat"]));
    assert_eq!(group_keys(&field, &doc), ["grain", "wheat"]);
    doc.metadata.insert("topics".into(), json!([]));
    assert_eq!(group_keys(&field, &doc), ["(none)"]);
    doc.metadata.insert("topics".into(), json!(7));
    assert_eq!(group_keys(&field, &doc), ["7"]);
}
