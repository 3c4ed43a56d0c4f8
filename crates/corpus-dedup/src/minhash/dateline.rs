//! Wire datelines at the start of a story, left out of what copies are compared on.

/// The length of a wire dateline at the start of `text`, or 0: a place in capitals (or in a
/// script without case), optionally a comma and a date, an agency in parentheses or between
/// slashes, a dash (after a full stop too), within the first 80 bytes: `LONDON (Reuters) - `,
/// `WASHINGTON, March 3 (AP) — `, `BERLIN (dpa) - `, `MADRID, 8 mar (EFE).- `,
/// `МОСКВА, 8 марта. /ТАСС/. `, `القاهرة (رويترز) - `; or a Chinese agency's dispatch line,
/// `新华社北京3月8日电` with its `（记者 …）`.
pub(crate) fn dateline_len(text: &str) -> usize {
    let head = &text[..text.floor_char_boundary(80)];
    if let Some(len) = dispatch_len(head) {
        return len;
    }
    let (open, close, closer) = match (head.find(" ("), head.find(" /")) {
        (Some(open), _) => match head[open..].find(')') {
            Some(c) => (open, open + c, ')'),
            None => return 0,
        },
        (None, Some(open)) => match head[open + 2..].find('/') {
            Some(c) => (open, open + 2 + c, '/'),
            None => return 0,
        },
        (None, None) => return 0,
    };
    let place = head[..open].split(',').next().unwrap_or_default();
    // A place in capitals: no small letter, three letters at least (capitals where the script
    // has case).
    let letters = place.chars().filter(|c| c.is_alphabetic()).count();
    let capitals = place.chars().filter(|c| c.is_uppercase()).count();
    let caseless = place
        .chars()
        .any(|c| c.is_alphabetic() && !c.is_uppercase() && !c.is_lowercase());
    let place_ok = letters >= 3
        && (capitals >= 3 || caseless)
        && place
            .chars()
            .all(|c| (c.is_alphabetic() && !c.is_lowercase()) || " .-'".contains(c));
    let agency = &head[open + 2..close];
    let agency_ok = (2..=25).contains(&agency.len())
        && agency
            .chars()
            .all(|c| c.is_alphanumeric() || c == ' ' || c == '.');
    if !(place_ok && agency_ok) {
        return 0;
    }
    let after_close = head[close + 1..].trim_start();
    // `(EFE).-` and `/ТАСС/.`: a full stop after the agency.
    let (stopped, rest) = match after_close.strip_prefix('.') {
        Some(rest) => (true, rest),
        None => (false, after_close),
    };
    let dashes = ["--", "-", "\u{2013}", "\u{2014}"];
    if closer == '/' && stopped && !dashes.iter().any(|d| rest.starts_with(d)) {
        return head.len() - rest.trim_start().len();
    }
    for dash in dashes {
        if let Some(after) = rest.strip_prefix(dash)
            && (after.starts_with(' ') || after.is_empty() || stopped)
        {
            // `after` ends where `head` does: its trimmed start is the body's.
            return head.len() - after.trim_start().len();
        }
    }
    0
}

/// A Chinese agency's dispatch line (`新华社北京3月8日电`, `中新网上海12月1日电`): an agency
/// ending in `社` or `网`, a place, a month and day, `电`, and a reporter's credit in
/// parentheses after it, within the first 40 characters.
fn dispatch_len(head: &str) -> Option<usize> {
    let end = head.char_indices().take(40).find(|&(_, c)| c == '电')?.0;
    let line = &head[..end];
    let agency = line.find(['社', '网'])?;
    if agency == 0 || agency > 12 || !line.contains('月') || !line.ends_with('日') {
        return None;
    }
    if !line.chars().all(|c| c.is_alphanumeric()) {
        return None;
    }
    let mut len = end + '电'.len_utf8();
    let rest = &head[len..];
    for (open, close) in [('（', '）'), ('(', ')')] {
        if let Some(inner) = rest.strip_prefix(open)
            && let Some(c) = inner.find(close)
        {
            len += open.len_utf8() + c + close.len_utf8();
            break;
        }
    }
    let rest = &head[len..];
    Some(
        len + (rest.len()
            - rest
                .trim_start_matches([' ', '　', '，', ',', ':', '：'])
                .len()),
    )
}
