//! Unit tests of the header and of each block-classification rule, one rule per test.

use super::*;

fn kinds(text: &str) -> Vec<(BlockKind, &str)> {
    classify_blocks(text, 0)
        .iter()
        .map(|b| (b.kind, &text[b.range()]))
        .collect()
}

#[test]
fn header_takes_the_date_and_leaves_the_first_paragraph() {
    let text = " date 2021-03-08 First paragraph here.\n\nSecond one.";
    let h = header(text).unwrap();
    assert_eq!(&text[h.value.clone()], "2021-03-08");
    assert_eq!(&text[h.body_start..h.body_start + 5], "First");
}

#[test]
fn header_needs_the_word_date_and_a_digit() {
    assert!(header("Date 2021-03-08 x").is_none());
    assert!(header("date night ideas for 2021.").is_none());
    assert!(header("dated 2021-03-08 x").is_none());
    assert!(header("date2021-03-08 x").is_none());
    assert!(header("date 21-3-8 x").is_some());
}

#[test]
fn blank_lines_separate_blocks_and_lines_join() {
    let text = "One sentence here.\nstill the same paragraph.\n\n  \nAnother paragraph.";
    assert_eq!(
        kinds(text),
        [
            (
                BlockKind::Paragraph,
                "One sentence here.\nstill the same paragraph."
            ),
            (BlockKind::Paragraph, "Another paragraph."),
        ]
    );
}

#[test]
fn a_long_line_opening_with_a_label_is_prose() {
    // A credit run into the lead paragraph, as scraped (SemEval 2022), is body text.
    let lead = "Photo: Hailey BollingerIn light of the global COVID-19 outbreak, CityBeat has \
                made the decision to postpone our annual Best of Cincinnati event, which was \
                scheduled for April.";
    assert!(lead.chars().count() > 150);
    assert_eq!(kinds(lead), [(BlockKind::Paragraph, lead)]);
    // At the bound it is still a caption; one character past it, not.
    let caption = format!("Image: {}", "x".repeat(143));
    assert_eq!(caption.chars().count(), 150);
    assert_eq!(kinds(&caption)[0].0, BlockKind::ImageCredit);
    let longer = format!("{caption}x");
    assert_eq!(kinds(&longer)[0].0, BlockKind::Paragraph);
    // Characters, not bytes: 150 accented letters are a caption.
    let accented = format!("Photo: {}", "é".repeat(143));
    assert_eq!(kinds(&accented)[0].0, BlockKind::ImageCredit);
}

#[test]
fn label_lines_are_links_and_credits_even_without_blank_lines() {
    let text =
        "A long enough paragraph.\nRead: Other story\nPHOTO: Reuters\nImage:\nread more: Third";
    assert_eq!(
        kinds(text),
        [
            (BlockKind::Paragraph, "A long enough paragraph."),
            (BlockKind::RelatedLink, "Read: Other story"),
            (BlockKind::ImageCredit, "PHOTO: Reuters"),
            (BlockKind::Paragraph, "Image:"),
            (BlockKind::RelatedLink, "read more: Third"),
        ]
    );
}

#[test]
fn short_unpunctuated_line_before_a_paragraph_is_a_heading() {
    let text =
        "Opening paragraph.\n\nUS can 'strike' anytime\n\nSpeaking to the network, he said so.";
    assert_eq!(
        kinds(text)[1],
        (BlockKind::Heading, "US can 'strike' anytime")
    );
}

#[test]
fn punctuated_lowercase_or_long_lines_are_not_headings() {
    for line in [
        "He said so.",
        "He said \u{201C}no.\u{201D}",
        "lowercase start here",
        "One two three four five six seven eight nine ten eleven twelve thirteen",
    ] {
        let text = format!("{line}\n\nA paragraph follows, as it should.");
        assert_eq!(kinds(&text)[0].0, BlockKind::Paragraph, "{line}");
    }
}

#[test]
fn runs_of_short_lines_are_tables_not_headings() {
    let text = "Shr 20 cts\n\nNet income rose\n\nRevs grew\n\nThe company said results were good.";
    assert!(kinds(text).iter().all(|(k, _)| *k == BlockKind::Paragraph));
}

#[test]
fn figures_are_not_headings() {
    let text = "Net 807,000 vs 2,858,000\n\nThe bank said profit fell.";
    assert_eq!(kinds(text)[0].0, BlockKind::Paragraph);
    let text = "Top 10 takeaways\n\nThe summit ended.";
    assert_eq!(kinds(text)[0].0, BlockKind::Heading);
}

#[test]
fn a_last_short_line_heads_nothing() {
    let text = "A paragraph, the only one.\n\nThe End";
    assert_eq!(kinds(text)[1].0, BlockKind::Paragraph);
}

#[test]
fn links_between_a_heading_and_its_paragraph_are_skipped() {
    let text = "Headline words here\n\nImage: AP\n\nThe story starts now.";
    assert_eq!(kinds(text)[0].0, BlockKind::Heading);
}

#[test]
fn crlf_is_not_part_of_spans() {
    let text = "Para one.\r\n\r\nPara two.\r\n";
    assert_eq!(
        kinds(text),
        [
            (BlockKind::Paragraph, "Para one."),
            (BlockKind::Paragraph, "Para two.")
        ]
    );
}

#[test]
fn a_label_before_figures_is_not_a_heading() {
    let text = "The company reported results.\n\nYear\n\nShr 1.53 dlrs vs 1.21 dlrs\nNet 6,635,318 vs 5,050,044";
    assert!(kinds(text).iter().all(|(k, _)| *k == BlockKind::Paragraph));
}

/// `label_kind` only looks for labels where a colon falls within the longest label's length.
#[test]
fn labels_end_in_a_colon_within_the_longest_label() {
    for label in LINK_LABELS.iter().chain(CREDIT_LABELS) {
        assert!(
            label.ends_with(':') && label.len() <= LONGEST_LABEL,
            "{label}"
        );
    }
    assert_eq!(label_kind("Image credit: AP"), Some(BlockKind::ImageCredit));
    assert_eq!(label_kind("See also: Floods"), Some(BlockKind::RelatedLink));
    assert_eq!(label_kind("The minister: no"), None);
}
