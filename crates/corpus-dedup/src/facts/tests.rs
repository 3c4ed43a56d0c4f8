//! Facts of templated notices and of their copies.

use corpus_core::{Block, BlockKind, Document};

use super::{changed_share, rewrite_agrees, share_a_figure};

fn doc(text: &str) -> Document {
    let mut d = Document::new("x", "x", text);
    d.blocks = vec![Block::new(BlockKind::Paragraph, 0..text.len())];
    d
}

fn facts(d: &Document) -> Box<[u64]> {
    let body: Vec<&str> = d.body().collect();
    super::facts(&body, &corpus_core::normalize(&d.text)).0
}

#[test]
fn a_template_filled_twice_changes_its_facts_a_cut_copy_does_not() {
    let stokely = doc(
        "Stokely USA Inc said its board declared a regular quarterly dividend of five cts \
         a share, payable April 1 to holders of record March 15. The company paid five \
         cts in the prior quarter.",
    );
    let atcor = doc(
        "Atcor Inc said its board declared a regular quarterly dividend of eight cts a \
         share, payable May 4 to holders of record April 20. The company paid eight cts \
         in the prior quarter.",
    );
    let cut = doc(
        "Stokely USA Inc said its board declared a regular quarterly dividend of five cts \
         a share, payable April 1 to holders of record March 15.",
    );
    let (s, a, c) = (facts(&stokely), facts(&atcor), facts(&cut));
    assert!(
        changed_share(&s, &a).is_some_and(|x| x >= 0.5),
        "{:?}",
        changed_share(&s, &a)
    );
    assert_eq!(changed_share(&s, &c), Some(0.0));
    assert_eq!(changed_share(&s, &facts(&doc("nothing alike here"))), None);
}

#[test]
fn facts_are_names_figures_and_dates_at_most_sixty_four() {
    let text = "The Fund paid 6.5 cts on Monday in Boston and the it of";
    // Fund, 6.5, Monday, Boston; `The` starts the text but names nothing.
    assert_eq!(facts(&doc(text)).len(), 4);
    // Numbers between distinct plain words: 200 facts in 200 contexts.
    let word = |i: u8| format!("{}{}", (b'a' + i % 26) as char, (b'a' + i / 26) as char);
    let long: String = (0..200u8).map(|i| format!("{} {i} ", word(i))).collect();
    assert_eq!(facts(&doc(&long)).len(), 64);
}

#[test]
fn a_rewrite_keeps_every_figure_and_most_names() {
    // Each look-alike below breaks one rule and keeps the others.
    let story = facts(&doc(
        "Halvorsen Marine Ltd said it will build 2 ferries with 600 seats for Tromso under a \
         contract worth 410 mln crowns, for delivery in 2027 from its yard at Ulsteinvik.",
    ));
    let rewrite = facts(&doc(
        "Halvorsen Marine Limited has won a 410 mln crown order from Tromso for 2 ferries of \
         600 seats, due in 2027 from its yard at Ulsteinvik.",
    ));
    let new_figure = facts(&doc(
        "Halvorsen Marine Limited has won an order of 380 mln crowns from Tromso for 2 \
         ferries of 600 seats, due in 2027 from its yard at Ulsteinvik.",
    ));
    let other_yard = facts(&doc(
        "Brekke Verft AS has won a 410 mln crown order from Bodo for 2 ferries of 600 seats, \
         due in 2027 from the Brattvag yard.",
    ));
    let changed = facts(&doc(
        "Halvorsen Marine Limited has won a 410 mln crown order from Tromso for 2 ferries of \
         600 seats, due in 2027 from its yard at Brattvag.",
    ));
    assert!(rewrite_agrees(&story, &rewrite));
    assert_eq!(changed_share(&story, &new_figure), Some(0.0));
    assert!(!rewrite_agrees(&story, &new_figure), "410 is gone");
    assert_eq!(changed_share(&story, &other_yard), Some(0.0));
    assert!(
        !rewrite_agrees(&story, &other_yard),
        "the names of one are not the other's"
    );
    assert!(changed_share(&story, &changed).is_some_and(|x| x > 0.0));
    assert!(
        !rewrite_agrees(&story, &changed),
        "the yard is another in the same place"
    );
    // Too few facts to tell: two names and no figure.
    let thin = |t| facts(&doc(t));
    assert!(!rewrite_agrees(
        &thin("Oslo said yes to Bergen."),
        &thin("Oslo told Bergen yes.")
    ));
    assert!(share_a_figure(&story, &new_figure), "2027");
    assert!(!share_a_figure(
        &thin("It paid 5 cts."),
        &thin("It paid 7 cts.")
    ));
    assert!(
        share_a_figure(&thin("It paid 5 cts."), &thin("It paid.")),
        "none to share"
    );
}
