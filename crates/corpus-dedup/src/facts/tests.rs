//! Facts of templated notices and of their copies.

use corpus_core::{Block, BlockKind, Document};

use super::{
    changed_share, rewrite_agrees, share_a_figure, tickers_agree, title_ticker, title_words,
    titles_agree,
};

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
    assert_eq!(changed_share(&s, &facts_of("nothing alike here")), None);
}

#[test]
fn facts_are_names_figures_and_dates_at_most_sixty_four() {
    let text = "The Fund paid 6.5 cts on Monday in Boston and the it of";
    // Fund, 6.5, Monday, Boston; `The` starts the text but names nothing.
    assert_eq!(facts_of(text).len(), 4);
    // Numbers between distinct plain words: 200 facts in 200 contexts.
    let word = |i: u8| format!("{}{}", (b'a' + i % 26) as char, (b'a' + i / 26) as char);
    let long: String = (0..200u8).map(|i| format!("{} {i} ", word(i))).collect();
    assert_eq!(facts_of(&long).len(), 64);
}

#[test]
fn a_rewrite_keeps_every_figure_and_most_names() {
    // Each look-alike below breaks one rule and keeps the others.
    let story = facts_of(
        "Halvorsen Marine Ltd said it will build 2 ferries with 600 seats for Tromso under a \
         contract worth 410 mln crowns, for delivery in 2027 from its yard at Ulsteinvik.",
    );
    let rewrite = facts_of(
        "Halvorsen Marine Limited has won a 410 mln crown order from Tromso for 2 ferries of \
         600 seats, due in 2027 from its yard at Ulsteinvik.",
    );
    let new_figure = facts_of(
        "Halvorsen Marine Limited has won an order of 380 mln crowns from Tromso for 2 \
         ferries of 600 seats, due in 2027 from its yard at Ulsteinvik.",
    );
    let other_yard = facts_of(
        "Brekke Verft AS has won a 410 mln crown order from Bodo for 2 ferries of 600 seats, \
         due in 2027 from the Brattvag yard.",
    );
    let changed = facts_of(
        "Halvorsen Marine Limited has won a 410 mln crown order from Tromso for 2 ferries of \
         600 seats, due in 2027 from its yard at Brattvag.",
    );
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
    let thin = |t| facts_of(t);
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

#[test]
fn numbers_written_as_words_are_figures() {
    let four = facts_of("Qtly div four cts vs four cts prior  Pay April 15  Record March 23");
    let digits = facts_of("Qtly div 4 cts vs 4 cts prior  Pay April 15  Record March 23");
    let other = facts_of("Qtly div 72 cts vs 72 cts prior  Pay April 15  Record March 23");
    // Without them, the two notices share only their dates: no fact changed.
    assert!(
        changed_share(&four, &other).is_some_and(|x| x > 0.3),
        "{:?}",
        changed_share(&four, &other)
    );
    assert_eq!(changed_share(&four, &digits), Some(0.0), "four is 4");
    // A number both spell alike is not counted as agreeing: `two-for-one` and `six mths` are
    // the template's words as often as the story's, and would outweigh a changed figure.
    let notice = |cts| {
        facts_of(&format!(
            "Shr {cts} cts vs {cts} cts for six mths after a two-for-one split"
        ))
    };
    assert_eq!(changed_share(&notice(13), &notice(20)), Some(1.0));
    // Prose numbers need not be kept by a rewrite.
    let units = facts_of(
        "Dexter Corp said its Hysol unit will license adhesives to Toyoda Gosei and the two \
         units will develop them.",
    );
    let months = facts_of(
        "Dexter Corp said Hysol will license its adhesives to Toyoda Gosei within the next \
         three months.",
    );
    assert!(rewrite_agrees(&units, &months));
}

/// The facts of a document of `text`.
fn facts_of(text: &str) -> Box<[u64]> {
    facts(&doc(text))
}

fn titled(title: &str, text: &str) -> (Box<[u32]>, Box<[u64]>) {
    (title_words(title), facts_of(text))
}

fn agree(a: &(Box<[u32]>, Box<[u64]>), b: &(Box<[u32]>, Box<[u64]>)) -> bool {
    titles_agree((&a.0, &a.1), (&b.0, &b.1))
}

#[test]
fn a_headline_names_what_a_notice_body_leaves_out() {
    let body = "Qtly div 13 cts vs 13 cts prior  Pay April 1  Record March 13";
    let acme = titled("ACME CORP <ACM> SETS PAYOUT", body);
    let beta = titled("BETA INDUSTRIES INC <BTI> SETS QUARTERLY", body);
    assert!(!agree(&acme, &beta), "two companies' notices");
    let again = titled("CORRECTED - ACME CORP <ACME> QTLY DIVIDEND", body);
    assert!(agree(&acme, &again), "the labels go, the subject stays");
    // No title, no evidence.
    assert!(agree(&acme, &(Box::default(), facts_of(body))));
    assert!(title_words("CORRECTED - 17").is_empty(), "no subject");
}

#[test]
fn a_rewrite_s_headline_in_other_words_agrees() {
    // Headline and text of the story, then of its rewrite.
    let rewrites = [
        // The rewrite's headline names its subject in other words; the other text does.
        [
            "STERIVET TO DEVELOP NEW HORSE DRUG",
            "Sterivet Laboratories Ltd said it will develop a horse drug with support from Ottawa.",
            "CANADA BACKS HORSE DRUG PROJECT",
            "Ottawa will support the horse drug project of Sterivet Laboratories Ltd.",
        ],
        // A headline word the text does not name (`EYES`) is not a name of the story.
        [
            "CONGRESS MAY CURB U.S. AID TO DEVELOPMENT BANKS",
            "Congress may limit U.S. aid to the World Bank and other lenders, aides said.",
            "CONGRESS EYES LOANS THAT AID U.S. COMPETITORS",
            "Congress is looking at World Bank loans that aid U.S. competitors, aides said.",
        ],
    ];
    for [title, text, rewrite_title, rewrite_text] in rewrites {
        let (story, rewrite) = (titled(title, text), titled(rewrite_title, rewrite_text));
        assert!(agree(&story, &rewrite), "{title} / {rewrite_title}");
    }
}

#[test]
fn headlines_that_each_name_what_the_other_never_does_are_two_stories() {
    let fund = |name: &str| {
        titled(
            &format!("FRANKLIN {} TAX-FREE SETS PAYOUT", name.to_uppercase()),
            &format!(
                "Mthly div 7.1 cts vs 7.1 cts prior  Pay March 31  Record March 16\n\nNOTE: \
                 Franklin {name} Tax-Free Income Fund."
            ),
        )
    };
    assert!(!agree(&fund("Insured"), &fund("Puerto Rico")));
    assert!(agree(&fund("Insured"), &fund("Insured")));
}

#[test]
fn characters_ocr_confuses_do_not_change_a_fact() {
    let clean = facts_of(
        "Halvorsen Marine said Tromso ordered 2 ferries for 410 mln crowns, payable in 1987.",
    );
    let scanned = facts_of(
        "Ha1vorscn Marinc said Trornso ordered 2 ferries for 4l0 mln crowns, payable in l987.",
    );
    let other =
        facts_of("Brekke Verft said Bodo ordered 2 ferries for 380 mln crowns, payable in 1988.");
    assert_eq!(changed_share(&clean, &scanned), Some(0.0));
    assert!(changed_share(&clean, &other).is_some_and(|x| x > 0.5));
    // A figure in words and in digits is one, in a headline too.
    let alive = |title: &str| titled(title, "Noranda Inc said the miners were found.");
    assert!(agree(
        &alive("17 MISSING NORANDA MINERS FOUND ALIVE"),
        &alive("SEVENTEEN MISSING COPPER MINERS FOUND ALIVE")
    ));
}

#[test]
fn two_tickers_before_two_names_are_two_companies() {
    let agree = |a: &str, b: &str| tickers_agree(title_ticker(a), title_ticker(b));
    // The same day, in the same words: two banks.
    assert!(!agree(
        "MANUFACTURERS HANOVER <MHC> RAISES PRIME RATE",
        "IRVING TRUST <V> RAISES PRIME RATE"
    ));
    // `FIRST` starts a name here, though a headline's subject skips it.
    assert!(!agree(
        "FIRST VALLEY CORP <FIVC> REGULAR DIVIDEND",
        "VALLEY RESOURCES <VR> SETS SPLIT, RAISES PAYOUT"
    ));
    // A corrected ticker keeps the name; an exchange suffix is not another ticker.
    assert!(agree(
        "MURRAY OHIO <MUR> SEES HIGHER FIRST QUARTER NET",
        "CORRECTED - MURRAY OHIO <MYO> SEES HIGHER 1ST QTR EARNINGS"
    ));
    let symbol = |title: &str| title_ticker(title).map(|[ticker, _]| ticker);
    assert_eq!(
        symbol("CRAZY EDDIE <CRZY> SETS DEFENSIVE RIGHTS"),
        symbol("(CORRECTED)-CRAZY EDDIE <CRZY.O> SETS RIGHTS")
    );
    // Today's forms, in parentheses with an exchange.
    assert_eq!(
        title_ticker("Acme Corp (ACM.N) beats forecasts"),
        title_ticker("ACME CORP <ACM> SETS PAYOUT")
    );
    assert_eq!(
        title_ticker("Acme (NASDAQ: ACM) beats forecasts"),
        title_ticker("Acme Corp (ACM.O) beats forecasts")
    );
    assert!(!agree(
        "Acme (ACM.N) beats forecasts",
        "Beta (BTI.N) beats forecasts"
    ));
    // Not tickers: a name in brackets, an acronym or a label in parentheses, nothing before.
    for title in [
        "<NATIONAL WESTMINSTER BANK PLC> 1ST QTR NET",
        "Talks with the European Union (EU) resume",
        "OIL PRICES RISE (UPDATE 1)",
        "<ACM> SETS PAYOUT",
        "17 <ACM> SETS PAYOUT",
    ] {
        assert_eq!(title_ticker(title), None, "{title}");
    }
    assert!(agree("ACME CORP <ACM> SETS PAYOUT", "BETA INC SETS PAYOUT"));
}

/// Figures in any script's digits are facts, and one figure whatever digits write it: an Arabic
/// notice with other figures is a look-alike, the same notice in ASCII digits a copy.
#[test]
fn figures_in_other_digits_are_figures() {
    let notice = |figures: [&str; 3]| {
        facts_of(&format!(
            "قالت الشركة إن أرباحها بلغت {} مليون دينار في عام {} مقابل {} مليون",
            figures[0], figures[1], figures[2]
        ))
    };
    let arabic = notice(["٤٥", "٢٠٢٠", "٣٨"]);
    let ascii = notice(["45", "2020", "38"]);
    let other = notice(["٧١", "٢٠٢١", "٦٤"]);
    assert_eq!(arabic.len(), 3, "three figures");
    assert_eq!(changed_share(&arabic, &ascii), Some(0.0));
    assert_eq!(changed_share(&arabic, &other), Some(1.0));
    // Chinese numerals are figures too, and one figure with the digits they stand for.
    assert_eq!(
        [
            super::cjk_number("三"),
            super::cjk_number("二十五"),
            super::cjk_number("十五")
        ],
        [Some(3), Some(25), Some(15)]
    );
    assert_eq!(super::cjk_number("三万五千"), Some(35_000));
    assert_eq!(super::cjk_number("两千零二十"), Some(2_020));
    assert_eq!(
        [super::cjk_number("一"), super::cjk_number("北京")],
        [None, None]
    );
    let quarters = |n: &str| facts_of(&format!("国家统计局公布的数据显示，今年前{n}个季度增长。"));
    assert_eq!(changed_share(&quarters("三"), &quarters("3")), Some(0.0));
    assert_eq!(changed_share(&quarters("三"), &quarters("两")), Some(1.0));
    // Full-width digits in Chinese text too.
    let zh = |n: &str| facts_of(&format!("公司表示，今年利润为{n}亿元，比去年增长。"));
    assert_eq!(changed_share(&zh("１２"), &zh("12")), Some(0.0));
    assert_eq!(changed_share(&zh("１２"), &zh("３４")), Some(1.0));
}
