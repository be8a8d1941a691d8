//! Botocore `pattern`s are Java regular expressions; this translates them for the regex crate,
//! or for fancy-regex when they need lookaround (IAM's account alias forbids `--` that way).

use regex::Regex;

/// A compiled model pattern.
#[derive(Debug)]
pub enum Matcher {
    /// What the regex crate expresses: linear time, nearly every pattern.
    Plain(Regex),
    /// A pattern with lookaround or backreferences, by backtracking.
    Backtracking(fancy_regex::Regex),
    /// A literal then anything on one line (`^s3:\/\/.*$`), the same test as its regex
    /// without a regex search (a common shape of a model's location patterns).
    Prefix(String),
}

impl Matcher {
    /// Whether the whole of `text` matches. A backtracking match that exceeds fancy-regex's
    /// limit counts as a match: a value is refused only when it is known not to fit.
    pub fn is_match(&self, text: &str) -> bool {
        match self {
            Matcher::Plain(r) => r.is_match(text),
            Matcher::Backtracking(r) => r.is_match(text).unwrap_or(true),
            // `.` is any character but a line feed.
            Matcher::Prefix(p) => text
                .strip_prefix(p.as_str())
                .is_some_and(|rest| !rest.contains('\n')),
        }
    }
}

/// The literal a pattern of the form `^<literal>.*$` (anchors optional) starts with: ASCII
/// letters, digits and a few plain marks, or any ASCII mark escaped with a backslash.
fn literal_then_anything(java: &str) -> Option<String> {
    let body = java.strip_prefix('^').unwrap_or(java);
    let body = body.strip_suffix('$').unwrap_or(body);
    let body = body.strip_suffix(".*")?;
    let mut literal = String::new();
    let mut chars = body.chars();
    while let Some(c) = chars.next() {
        match c {
            // Only marks that an escape makes literal in both dialects (the regex crate reads
            // `\<` and `\>` as word boundaries).
            '\\' => match chars.next() {
                Some(e) if "/.-:_@,=%~$^*+?()[]{}|\\".contains(e) => literal.push(e),
                _ => return None,
            },
            c if c.is_ascii_alphanumeric() || ":/-_@,=%~".contains(c) => literal.push(c),
            _ => return None,
        }
    }
    Some(literal)
}

/// Compiles a model pattern with Java's whole-value `matches()` semantics, or `None` when
/// neither crate can express it or the service evidently does not enforce it: such values go
/// unchecked.
pub fn compile(java: &str) -> Option<Matcher> {
    if crate::amendments::UNENFORCED_PATTERNS.contains(&java) {
        return None;
    }
    if let Some(literal) = literal_then_anything(java) {
        return Some(Matcher::Prefix(literal));
    }
    let anchored = format!("^(?:{})$", translate(java));
    match Regex::new(&anchored) {
        Ok(r) => Some(Matcher::Plain(r)),
        Err(_) => fancy_regex::Regex::new(&anchored)
            .ok()
            .map(Matcher::Backtracking),
    }
}

/// Java's `\w`, `\d` and `\s` are ASCII-only; the regex crate's are Unicode-aware.
fn translate(java: &str) -> String {
    let mut out = String::with_capacity(java.len() + 16);
    let mut in_class = false;
    let mut chars = java.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                let Some(next) = chars.next() else {
                    out.push('\\');
                    break;
                };
                let ascii = match next {
                    'w' => Some("0-9A-Za-z_"),
                    'd' => Some("0-9"),
                    's' => Some(r" \t\n\x0B\x0C\r"),
                    _ => None,
                };
                match ascii {
                    Some(set) if in_class => out.push_str(set),
                    Some(set) => {
                        out.push('[');
                        out.push_str(set);
                        out.push(']');
                    }
                    None => {
                        out.push('\\');
                        out.push(next);
                    }
                }
            }
            '[' if !in_class => {
                in_class = true;
                out.push('[');
                // A leading `]` or `^]` is literal in Java classes.
                if chars.peek() == Some(&'^') {
                    out.push('^');
                    chars.next();
                }
            }
            ']' if in_class => {
                in_class = false;
                out.push(']');
            }
            // A bare `[` inside a class is literal in Java but nests in the regex crate.
            '[' => out.push_str(r"\["),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn java_classes_are_ascii_and_whole_value() {
        let r = compile(r"[\w+=,.@-]+").unwrap();
        assert!(r.is_match("alice+ops@example.com"));
        assert!(!r.is_match("bad name"));
        assert!(!r.is_match("é"));
        let d = compile(r"\d{12}").unwrap();
        assert!(d.is_match("123456789012"));
        assert!(!d.is_match("1234567890123"));
    }

    #[test]
    fn unicode_escapes_and_unsupported_features() {
        let r = compile(r"[\u0009\u000A\u000D\u0020-\u00FF]+").unwrap();
        assert!(r.is_match("{\"Version\":\"2012-10-17\"}"));
        let alias = compile(r"^[a-z0-9]([a-z0-9]|-(?!-)){1,61}[a-z0-9]$").unwrap();
        assert!(matches!(alias, Matcher::Backtracking(_)));
        for fits in ["abc", "my-company-1", "a-b-c", &"a".repeat(63)] {
            assert!(alias.is_match(fits), "{fits}");
        }
        for refused in ["BadAlias", "-bad", "bad-", "ab--cd", "ab", &"a".repeat(64)] {
            assert!(!alias.is_match(refused), "{refused}");
        }
        let p = compile(r"[\p{L}\p{Z}\p{N}_.:/=+\-@]*").unwrap();
        assert!(p.is_match("Team Ü:1"));
        assert!(compile(crate::amendments::UNENFORCED_PATTERNS[0]).is_none());
    }

    /// The regex a pattern compiles to without the fast paths.
    fn regex_of(java: &str) -> Regex {
        Regex::new(&format!("^(?:{})$", translate(java))).unwrap()
    }

    /// The patterns decided without a regex, and ones that are not.
    const FAST: [&str; 3] = [r"^s3:\/\/.*$", r"^https:\/\/.*$", r"ab\..*"];

    #[test]
    fn fast_paths_are_taken_only_for_their_patterns() {
        assert!(matches!(compile(r"^s3:\/\/.*$"), Some(Matcher::Prefix(p)) if p == "s3://"));
        assert!(matches!(compile(r"ab\..*"), Some(Matcher::Prefix(p)) if p == "ab."));
        for slow in [
            r"^s3:\/\/.+$",
            r"a.*b",
            r"[a].*",
            r"a\.*",
            r"^a.*\$",
            r"a\w.*",
            r"(a).*",
            r"a\<.*",
            r"a\>.*",
        ] {
            assert!(matches!(compile(slow), Some(Matcher::Plain(_))), "{slow}");
        }
    }

    #[test]
    fn fast_paths_agree_with_the_regex_on_chosen_values() {
        let values = [
            "",
            "s3://",
            "s3:///",
            "s3://b",
            "s3://b/",
            "s3://b/k",
            "s3://b//k/x",
            "s3:///b/k",
            "s3://b\n/k",
            "s3://b/k\n",
            "S3://b/k",
            "s3:/b/k",
            "http://",
            "http://a",
            "http://ab",
            "https://ab",
            "https:///ab",
            "http://a&",
            "http://a\nb",
            "http://\nb",
            "http://a\n",
            "https://é/x?y=1",
            "https://ab&",
            "ftp://a/b",
            "https://x/y\nz",
            "ab.",
            "ab.x",
            "abx",
            "ab.\n",
            "s3://\n",
        ];
        for java in FAST {
            let (fast, re) = (compile(java).unwrap(), regex_of(java));
            for v in values {
                assert_eq!(fast.is_match(v), re.is_match(v), "{java} on {v:?}");
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn fast_paths_agree_with_the_regex(
            head in proptest::sample::select(vec!["", "s3://", "http://", "https://", "ab.", "s3:/"]),
            tail in "[s3:/htpab.&\n\\/é x]{0,12}",
        ) {
            let text = format!("{head}{tail}");
            for java in FAST {
                let (fast, re) = (compile(java).unwrap(), regex_of(java));
                proptest::prop_assert_eq!(fast.is_match(&text), re.is_match(&text), "{} on {:?}", java, text);
            }
        }
    }
}
