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
}

impl Matcher {
    /// Whether the whole of `text` matches. A backtracking match that exceeds fancy-regex's
    /// limit counts as a match: a value is refused only when it is known not to fit.
    pub fn is_match(&self, text: &str) -> bool {
        match self {
            Matcher::Plain(r) => r.is_match(text),
            Matcher::Backtracking(r) => r.is_match(text).unwrap_or(true),
        }
    }
}

/// Compiles a model pattern with Java's whole-value `matches()` semantics, or `None` when
/// neither crate can express it or the service evidently does not enforce it: such values go
/// unchecked.
pub fn compile(java: &str) -> Option<Matcher> {
    if crate::amendments::UNENFORCED_PATTERNS.contains(&java) {
        return None;
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
}
