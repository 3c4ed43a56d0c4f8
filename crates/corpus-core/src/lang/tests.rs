//! Unit tests of language codes and detection, on sentences written for them.

use super::{Lang, detect};

fn code(text: &str) -> String {
    detect(text).to_string()
}

#[test]
fn each_script_and_vote_finds_its_language() {
    for (text, want) in [
        (
            "The government said on Monday that the schools would open again after the holidays, \
             and that the teachers had been told.",
            "en",
        ),
        (
            "Die Regierung hat am Montag beschlossen, dass die Schulen nach den Ferien wieder \
             geöffnet werden, und die Lehrer sind informiert.",
            "de",
        ),
        (
            "El gobierno dijo el lunes que las escuelas volverán a abrir después de las \
             vacaciones y que los maestros ya fueron informados.",
            "es",
        ),
        (
            "O governo disse na segunda-feira que as escolas vão reabrir depois das férias e que \
             os professores já foram avisados pela direção.",
            "pt",
        ),
        (
            "Le gouvernement a annoncé lundi que les écoles rouvriront après les vacances et que \
             les enseignants ont été informés par le ministère.",
            "fr",
        ),
        (
            "Il governo ha detto lunedì che le scuole riapriranno dopo le vacanze e che gli \
             insegnanti sono stati informati dal ministero della scuola.",
            "it",
        ),
        (
            "Rząd poinformował w poniedziałek, że szkoły zostaną ponownie otwarte po wakacjach, \
             a nauczyciele są już o tym powiadomieni przez ministerstwo.",
            "pl",
        ),
        (
            "Hükümet pazartesi günü yaptığı açıklamada okulların tatilden sonra yeniden \
             açılacağını ve öğretmenlerin de bu konuda bilgilendirildiğini söyledi.",
            "tr",
        ),
        (
            "Правительство заявило в понедельник, что школы снова откроются после каникул, и \
             что учителя уже были об этом предупреждены.",
            "ru",
        ),
        (
            "Уряд заявив у понеділок, що школи знову відкриються після канікул, і що вчителі \
             вже про це були попереджені міністерством.",
            "uk",
        ),
        (
            "قالت الحكومة يوم الاثنين إن المدارس ستفتح أبوابها من جديد بعد العطلة، وإن المعلمين \
             قد تم إبلاغهم بذلك من قبل الوزارة.",
            "ar",
        ),
        (
            "国务院3月8日召开常务会议，研究部署今年的经济工作。会议指出，要稳定就业，\
             支持中小企业发展。Reuters 记者报道。",
            "zh",
        ),
        (
            "政府は月曜日、休み明けに学校を再開すると発表した。教師にはすでに通知されている。",
            "ja",
        ),
        (
            "정부는 월요일 방학이 끝나면 학교를 다시 열겠다고 밝혔으며 교사들에게도 이미 알렸다.",
            "ko",
        ),
    ] {
        assert_eq!(code(text), want, "{text}");
    }
}

#[test]
fn languages_the_vote_does_not_know_go_to_the_trigram_model() {
    let czech = "Vláda v pondělí oznámila, že školy se po prázdninách znovu otevřou a že učitelé \
                 již byli o této změně informováni ministerstvem školství.";
    assert_eq!(code(czech), "cs");
    let greek = "Η κυβέρνηση ανακοίνωσε τη Δευτέρα ότι τα σχολεία θα ανοίξουν ξανά μετά τις \
                 διακοπές και ότι οι δάσκαλοι έχουν ήδη ενημερωθεί.";
    assert_eq!(code(greek), "el");
}

#[test]
fn letters_a_language_does_not_write_overrule_its_function_words() {
    // Dutch `de`, `van` and `en` in a Turkish text: `ı`, `ş` and `ğ` are not Dutch.
    let turkish = "İstanbul'dan Van'a giden yolcular de en az iki saat beklediklerini, \
                   otobüslerin geç kalktığını ve şoförlerin açıklama yapmadığını söyledi.";
    assert_eq!(code(turkish), "tr");
}

#[test]
fn too_little_text_is_undetermined() {
    for text in ["", "Shr 20 cts", "12,345 vs 11,234", "REUTER"] {
        assert_eq!(detect(text), Lang::UND, "{text:?}");
    }
}

#[test]
fn tags_are_codes_in_any_form() {
    for (tag, want) in [
        ("en", Some("en")),
        ("EN", Some("en")),
        ("en-US", Some("en")),
        ("zh_Hant", Some("zh")),
        ("eng", Some("en")),
        ("ger", Some("de")),
        ("deu", Some("de")),
        ("German", Some("de")),
        ("fil", Some("fil")),
        ("und", Some("und")),
        ("", None),
        ("e", None),
        ("english language", None),
    ] {
        assert_eq!(
            Lang::from_tag(tag).map(|l| l.to_string()),
            want.map(String::from),
            "{tag:?}"
        );
    }
}

#[test]
fn a_lang_serialises_as_its_code() {
    let lang = Lang::from_tag("pt-BR").expect("a code");
    assert_eq!(serde_json::to_string(&lang).expect("json"), "\"pt\"");
    let back: Lang = serde_json::from_str("\"pt\"").expect("json");
    assert_eq!(back, lang);
    assert!(serde_json::from_str::<Lang>("\"not a language\"").is_err());
    assert_eq!(Lang::default(), Lang::UND);
    assert!(!Lang::UND.is_known() && Lang::EN.is_known());
}

#[test]
fn no_ascii_function_word_is_longer_than_the_vote_looks() {
    for (code, words, _) in super::FUNCTION_WORDS {
        for word in words.split_whitespace().filter(|w| w.is_ascii()) {
            assert!(
                word.len() <= super::LONGEST_ASCII_FUNCTION_WORD,
                "{code}: {word}"
            );
        }
    }
}

#[test]
fn every_function_word_has_a_key() {
    for (code, words, _) in super::FUNCTION_WORDS {
        for word in words.split_whitespace() {
            assert!(super::word_key(word.as_bytes()).is_some(), "{code}: {word}");
        }
    }
}
