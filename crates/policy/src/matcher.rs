//! Compiled `*`/`?` wildcard patterns, the matching primitive behind actions, resources,
//! `StringLike` and `ArnLike`.

/// One element of a compiled pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Piece {
    /// A character that must match itself.
    Lit(char),
    /// `?`: exactly one character.
    One,
    /// `*`: any run of characters, including none.
    Many,
    /// `*` inside an ARN segment: any run of characters without a `:`.
    SegmentMany,
    /// `?` in an ARN: one character other than `:`.
    SegmentOne,
}

/// A wildcard pattern compiled once at parse time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Wildcard {
    pieces: Vec<Piece>,
    ignore_case: bool,
    /// Set when the pattern is `*` alone: matches everything without a scan.
    any: bool,
    /// Set when it has segment-bound wildcards, which need the general matcher.
    segmented: bool,
    /// Its literal ASCII head when that is the whole pattern (`false`) or is followed only by
    /// one `*` (`true`): most action and resource patterns (`ivs:*`, `arn:aws:s3:::in/*`),
    /// matched against ASCII text by comparing bytes.
    head: Option<(Box<str>, bool)>,
    /// Otherwise, the pattern as bytes (`*` for each `*`) when it is only ASCII literals and
    /// `*`s (`arn:aws:iam::*:role/x`): matched against ASCII text by comparing runs of bytes.
    bytes: Option<Box<[u8]>>,
}

impl Wildcard {
    /// Compiles `pattern`, where `*` and `?` are wildcards.
    pub(crate) fn new(pattern: &str, ignore_case: bool) -> Self {
        let pieces = pattern
            .chars()
            .map(|c| match c {
                '*' => Piece::Many,
                '?' => Piece::One,
                c => Piece::Lit(c),
            })
            .collect();
        Wildcard::from_pieces(pieces, ignore_case)
    }

    /// A pattern from already-resolved pieces (policy variables substituted).
    pub(crate) fn from_pieces(mut pieces: Vec<Piece>, ignore_case: bool) -> Self {
        if ignore_case {
            for p in &mut pieces {
                if let Piece::Lit(c) = p {
                    *c = fold(*c);
                }
            }
        }
        // Runs of `*` are one `*`; collapsing keeps backtracking linear-ish.
        pieces.dedup_by(|a, b| *a == Piece::Many && *b == Piece::Many);
        let any = pieces == [Piece::Many];
        let segmented = pieces
            .iter()
            .any(|p| matches!(p, Piece::SegmentMany | Piece::SegmentOne));
        let literal: String = pieces
            .iter()
            .map_while(|p| match p {
                Piece::Lit(c) if c.is_ascii() => Some(*c),
                _ => None,
            })
            .collect();
        let head = match &pieces[literal.len()..] {
            [] => Some((literal.into_boxed_str(), false)),
            [Piece::Many] => Some((literal.into_boxed_str(), true)),
            _ => None,
        };
        // A literal `*` (from a policy variable's value) would read as a wildcard.
        let bytes = head.is_none().then(|| {
            pieces
                .iter()
                .map(|p| match p {
                    Piece::Many => Some(b'*'),
                    Piece::Lit(c) if c.is_ascii() && *c != '*' => Some(*c as u8),
                    _ => None,
                })
                .collect()
        });
        Wildcard {
            pieces,
            ignore_case,
            any,
            segmented,
            head,
            bytes: bytes.flatten(),
        }
    }

    /// Whether the pattern matches all of `text`.
    pub(crate) fn matches(&self, text: &str) -> bool {
        self.matches_known(text, text.is_ascii())
    }

    /// [`Wildcard::matches`] of text known to be ASCII or not (`ascii`), for a caller trying
    /// several patterns on one text.
    pub(crate) fn matches_known(&self, text: &str, ascii: bool) -> bool {
        debug_assert_eq!(ascii, text.is_ascii());
        if self.any {
            return true;
        }
        // Only ASCII text: a non-ASCII character may fold to an ASCII one (the Kelvin sign
        // to `k`), which only the general matcher sees.
        if let Some((head, star)) = self.head.as_ref().filter(|_| ascii) {
            let (t, h) = (text.as_bytes(), head.as_bytes());
            let part = if *star { t.get(..h.len()) } else { Some(t) };
            return part.is_some_and(|part| {
                if self.ignore_case {
                    // `head` was folded to lowercase at compile time: only the text's
                    // letters need folding.
                    part.len() == h.len()
                        && part
                            .iter()
                            .zip(h)
                            .all(|(a, b)| a.to_ascii_lowercase() == *b)
                } else {
                    part == h
                }
            });
        }
        if let Some(pattern) = self.bytes.as_deref().filter(|_| ascii) {
            return glob_bytes(pattern, text.as_bytes(), self.ignore_case);
        }
        if self.segmented {
            segmented_glob(&self.pieces, text)
        } else if ascii {
            glob_ascii(&self.pieces, text.as_bytes(), self.ignore_case)
        } else {
            glob(&self.pieces, text, self.ignore_case)
        }
    }
}

impl Wildcard {
    /// Whether some text starting with `prefix` matches the pattern: the prefix can be read
    /// along the pattern, whatever is left of it a suffix can then satisfy.
    pub(crate) fn matches_some_text_starting(&self, prefix: &str) -> bool {
        if self.any {
            return true;
        }
        let same = |a: char, b: char| {
            if self.ignore_case {
                fold(a) == fold(b)
            } else {
                a == b
            }
        };
        // The positions in the pattern reachable after the characters read so far.
        let close = |mut at: Vec<usize>| {
            let mut i = 0;
            while i < at.len() {
                if matches!(
                    self.pieces.get(at[i]),
                    Some(Piece::Many | Piece::SegmentMany)
                ) && !at.contains(&(at[i] + 1))
                {
                    at.push(at[i] + 1);
                }
                i += 1;
            }
            at
        };
        let mut at = close(vec![0]);
        for c in prefix.chars() {
            let mut next = Vec::new();
            for &i in &at {
                let step = match self.pieces.get(i) {
                    Some(Piece::Many) => Some(i),
                    Some(Piece::SegmentMany) if c != ':' => Some(i),
                    Some(Piece::One) => Some(i + 1),
                    Some(Piece::SegmentOne) if c != ':' => Some(i + 1),
                    Some(Piece::Lit(l)) if same(*l, c) => Some(i + 1),
                    _ => None,
                };
                if let Some(j) = step.filter(|j| !next.contains(j)) {
                    next.push(j);
                }
            }
            at = close(next);
            if at.is_empty() {
                return false;
            }
        }
        true
    }
}

/// Case folding for the case-insensitive comparisons (actions, `StringEqualsIgnoreCase`).
pub(crate) fn fold(c: char) -> char {
    if c.is_ascii() {
        c.to_ascii_lowercase()
    } else {
        c.to_lowercase().next().unwrap_or(c)
    }
}

/// Whether `text` matches `pattern`, where `*` is any run of characters and `?` one
/// character, case-sensitively: IAM's wildcards outside policy documents (the simulator's
/// policy identifiers).
pub fn wildcard_matches(pattern: &str, text: &str) -> bool {
    Wildcard::new(pattern, false).matches(text)
}

/// Matches `pieces` against `text` with the classic single-backtrack-point algorithm:
/// on a mismatch, the last `*` absorbs one more character.
pub(crate) fn glob(pieces: &[Piece], text: &str, ignore_case: bool) -> bool {
    let mut p = 0usize;
    let mut t = 0usize;
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        let Some(c) = text.get(t..).and_then(|s| s.chars().next()) else {
            return false;
        };
        let c = if ignore_case { fold(c) } else { c };
        let clen = text
            .get(t..)
            .and_then(|s| s.chars().next())
            .map_or(1, char::len_utf8);
        match pieces.get(p) {
            Some(Piece::Many | Piece::SegmentMany) => {
                star = Some((p, t));
                p += 1;
                continue;
            }
            Some(Piece::One | Piece::SegmentOne) => {
                p += 1;
                t += clen;
                continue;
            }
            Some(Piece::Lit(x)) if *x == c => {
                p += 1;
                t += clen;
                continue;
            }
            _ => {}
        }
        match star {
            Some((sp, st)) => {
                let step = text
                    .get(st..)
                    .and_then(|s| s.chars().next())
                    .map_or(1, char::len_utf8);
                p = sp + 1;
                t = st + step;
                star = Some((sp, t));
            }
            None => return false,
        }
    }
    pieces.get(p..).is_some_and(|rest| {
        rest.iter()
            .all(|x| matches!(x, Piece::Many | Piece::SegmentMany))
    })
}

/// [`glob`] for ASCII text (one byte a character), without backtracking: the pattern's `*`s
/// cut it into parts of fixed length (literals and `?`), matched by [`leftmost_parts`].
/// Resource patterns such as `arn:aws:iam::*:role/x` are matched this way on every request,
/// where the general matcher decoded and folded each character again at every step.
fn glob_ascii(pieces: &[Piece], text: &[u8], ignore_case: bool) -> bool {
    // Whether `part` matches `t` (of the same length). A non-ASCII literal never equals an
    // ASCII character, folded or not, as in `glob`.
    let fits = |part: &[Piece], t: &[u8]| {
        part.iter().zip(t).all(|(p, &b)| match p {
            Piece::Lit(x) if ignore_case => *x == char::from(b.to_ascii_lowercase()),
            Piece::Lit(x) => *x == char::from(b),
            _ => true,
        })
    };
    leftmost_parts(pieces.split(|p| matches!(p, Piece::Many)), text, fits)
}

/// [`glob_ascii`] of a pattern of ASCII literals and `*`s given as bytes (`*` for `*`;
/// folded to lowercase if `ignore_case`): its parts are compared as runs of bytes.
fn glob_bytes(pattern: &[u8], text: &[u8], ignore_case: bool) -> bool {
    let fits = |part: &[u8], t: &[u8]| {
        if ignore_case {
            // Only the text's letters need folding.
            part.len() == t.len()
                && part
                    .iter()
                    .zip(t)
                    .all(|(p, b)| *p == b.to_ascii_lowercase())
        } else {
            part == t
        }
    };
    leftmost_parts(pattern.split(|b| *b == b'*'), text, fits)
}

/// Whether `text` is the pattern whose parts between `*`s are `parts` (each of fixed
/// length; `fits` compares one with text of its length): the first must begin the text, the
/// last end it, and each one between is taken at its leftmost place, which leaves the most
/// text for the parts after it.
fn leftmost_parts<'p, P: 'p>(
    mut parts: impl DoubleEndedIterator<Item = &'p [P]>,
    text: &[u8],
    fits: impl Fn(&[P], &[u8]) -> bool,
) -> bool {
    let first = parts.next().unwrap_or_default();
    let Some(last) = parts.next_back() else {
        // No `*`: the one part is the whole text.
        return text.len() == first.len() && fits(first, text);
    };
    if text.len() < first.len() + last.len()
        || !fits(first, &text[..first.len()])
        || !fits(last, &text[text.len() - last.len()..])
    {
        return false;
    }
    let mut middle = &text[first.len()..text.len() - last.len()];
    for part in parts {
        let Some(room) = middle.len().checked_sub(part.len()) else {
            return false;
        };
        match (0..=room).find(|&i| fits(part, &middle[i..i + part.len()])) {
            Some(i) => middle = &middle[i + part.len()..],
            None => return false,
        }
    }
    true
}

/// Matches pieces that include segment-bound wildcards. The greedy algorithm above is only
/// correct with one kind of `*`, so this uses the row-by-row table instead (patterns are
/// short and such patterns rare).
fn segmented_glob(pieces: &[Piece], text: &str) -> bool {
    let chars: Vec<char> = text.chars().collect();
    let n = chars.len();
    let mut row = vec![false; n + 1];
    row[0] = true;
    let mut next = vec![false; n + 1];
    for piece in pieces {
        next[0] = matches!(piece, Piece::Many | Piece::SegmentMany) && row[0];
        for j in 1..=n {
            let c = chars[j - 1];
            next[j] = match piece {
                Piece::Lit(x) => row[j - 1] && *x == c,
                Piece::One => row[j - 1],
                Piece::SegmentOne => row[j - 1] && c != ':',
                Piece::Many => row[j] || next[j - 1],
                Piece::SegmentMany => row[j] || (next[j - 1] && c != ':'),
            };
        }
        std::mem::swap(&mut row, &mut next);
    }
    row[n]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn some_text_with_a_prefix_may_match() {
        let starts = |pattern: &str, prefix: &str| {
            Wildcard::new(pattern, true).matches_some_text_starting(prefix)
        };
        assert!(starts("ivs:*", "ivs:"));
        assert!(starts("IVS:Get*", "ivs:"));
        assert!(starts("*", "s3:"));
        assert!(starts("iv?:List", "ivs:"));
        assert!(!starts("ivs:*", "s3:"));
        assert!(!starts("ivs", "ivs:"));
        assert!(starts("*Channel", "ivs:"));
        let segmented = Wildcard::from_pieces(
            vec![Piece::SegmentMany, Piece::Lit(':'), Piece::Lit('x')],
            false,
        );
        assert!(segmented.matches_some_text_starting("ab:"));
        assert!(!segmented.matches_some_text_starting("a:b:"));
    }

    #[test]
    fn star_and_question_mark() {
        let w = Wildcard::new("ivs:Get*", true);
        assert!(w.matches("ivs:GetChannel"));
        assert!(w.matches("IVS:getchannel"));
        assert!(!w.matches("ivs:ListChannels"));
        let q = Wildcard::new("ivs:?etChannel", false);
        assert!(q.matches("ivs:GetChannel"));
        assert!(!q.matches("ivs:etChannel"));
        assert!(!q.matches("ivs:GGetChannel"));
    }

    #[test]
    fn case_sensitive_when_asked() {
        let w = Wildcard::new("arn:aws:ivs:*:channel/Abc", false);
        assert!(w.matches("arn:aws:ivs:us-west-2:1:channel/Abc"));
        assert!(!w.matches("arn:aws:ivs:us-west-2:1:channel/abc"));
    }

    #[test]
    fn backtracks_over_several_stars() {
        let w = Wildcard::new("a*b*c", false);
        assert!(w.matches("abc"));
        assert!(w.matches("axxbyybzzc"));
        assert!(!w.matches("axxbyyc d"));
        assert!(Wildcard::new("*", false).matches(""));
        assert!(!Wildcard::new("?", false).matches(""));
        assert!(Wildcard::new("é?", false).matches("éü"));
    }

    #[test]
    fn ascii_text_is_matched_part_by_part() {
        let w = Wildcard::new("arn:aws:iam::*:role/bench-*", false);
        assert!(w.matches("arn:aws:iam::123456789012:role/bench-mediaconvert"));
        assert!(w.matches("arn:aws:iam:::role/bench-"));
        assert!(!w.matches("arn:aws:iam::1:role/Bench-x"));
        assert!(!w.matches("arn:aws:iam::1:user/bench-x"));
        let overlapping = Wildcard::new("ab*ba", false);
        assert!(!overlapping.matches("aba"));
        assert!(overlapping.matches("abba"));
        let mid = Wildcard::new("*a?c*a?c", true);
        assert!(mid.matches("xAbcyaXC"));
        assert!(!mid.matches("xabcy"));
    }

    #[test]
    fn segment_wildcards_stop_at_colons() {
        let w = Wildcard::from_pieces(
            vec![
                Piece::Lit('a'),
                Piece::SegmentMany,
                Piece::Lit('b'),
                Piece::Many,
            ],
            false,
        );
        assert!(w.matches("axxb:yy"));
        assert!(!w.matches("ax:xb"));
        let q = Wildcard::from_pieces(vec![Piece::SegmentOne, Piece::Many], false);
        assert!(q.matches("a:"));
        assert!(!q.matches(":a"));
    }

    #[test]
    fn literal_heads_match_as_the_general_matcher_does() {
        for (pattern, text, ignore_case) in [
            ("ivs:*", "IVS:GetChannel", true),
            ("ivs:*", "IVS:GetChannel", false),
            ("ivs:*", "ivs:", true),
            ("ivs:*", "ivs", true),
            ("iam:PassRole", "iam:passrole", true),
            ("iam:PassRole", "iam:passrole", false),
            ("iam:PassRole", "iam:PassRoles", true),
            ("s3:getobject", "s3:GetObject", true),
            // The Kelvin sign folds to `k`: the bytes differ, the general matcher decides.
            ("kms:*", "\u{212A}ms:Decrypt", true),
            ("kms:Decrypt", "\u{212A}ms:Decrypt", true),
            ("kms:Decrypt", "\u{212A}ms:Decrypt", false),
            ("a\u{212A}*", "ak", true),
        ] {
            let w = Wildcard::new(pattern, ignore_case);
            assert_eq!(
                w.matches(text),
                glob(&w.pieces, text, ignore_case),
                "{pattern} {text} {ignore_case}"
            );
        }
        assert!(Wildcard::new("kms:*", true).matches("\u{212A}ms:Decrypt"));
        assert!(Wildcard::new("a\u{212A}*", true).matches("ak"));
    }

    proptest::proptest! {
        #[test]
        fn the_byte_comparison_agrees_with_the_general_matcher(
            p in "[aAkK:\u{212A}é?]{0,6}\\*?",
            t in "[aAkK:\u{212A}éxX]{0,8}",
            ignore_case in proptest::bool::ANY,
        ) {
            let w = Wildcard::new(&p, ignore_case);
            proptest::prop_assert_eq!(w.matches(&t), glob(&w.pieces, &t, ignore_case));
        }

        #[test]
        fn the_ascii_matcher_agrees_with_the_general_matcher(
            p in "[aAbB:?*\u{212A}é]{0,10}",
            t in "[aAbB:x]{0,12}",
            ignore_case in proptest::bool::ANY,
        ) {
            let w = Wildcard::new(&p, ignore_case);
            proptest::prop_assert_eq!(
                glob_ascii(&w.pieces, t.as_bytes(), ignore_case),
                glob(&w.pieces, &t, ignore_case)
            );
            proptest::prop_assert_eq!(w.matches(&t), glob(&w.pieces, &t, ignore_case));
        }

        #[test]
        fn the_byte_runs_agree_with_the_general_matcher(
            p in "[aAbB:*\u{212A}]{0,10}",
            t in "[aAbBkK:x]{0,12}",
            ignore_case in proptest::bool::ANY,
        ) {
            let w = Wildcard::new(&p, ignore_case);
            proptest::prop_assert_eq!(w.matches(&t), glob(&w.pieces, &t, ignore_case));
            // A policy variable's `*` is a literal.
            let mut pieces = w.pieces.clone();
            pieces.push(Piece::Lit('*'));
            let v = Wildcard::from_pieces(pieces, ignore_case);
            proptest::prop_assert!(v.bytes.is_none());
            proptest::prop_assert_eq!(v.matches(&t), glob(&v.pieces, &t, ignore_case));
        }

        #[test]
        fn literal_patterns_match_only_themselves(s in "[a-zA-Z0-9:/_-]{0,20}", t in "[a-zA-Z0-9:/_-]{0,20}") {
            let w = Wildcard::new(&s, false);
            proptest::prop_assert!(w.matches(&s));
            proptest::prop_assert_eq!(w.matches(&t), s == t);
        }
    }
}
