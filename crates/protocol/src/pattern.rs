//! Botocore `pattern`s are Java regular expressions; this translates them for the regex crate.

use regex::Regex;

/// Compiles a model pattern with Java's whole-value `matches()` semantics, or `None` when the
/// regex crate cannot express it (lookaround, backreferences): such values go unchecked.
pub fn compile(java: &str) -> Option<Regex> {
    if UNENFORCED.contains(&java) {
        return None;
    }
    let translated = translate(java);
    Regex::new(&format!("^(?:{translated})$")).ok()
}

/// Model patterns that real ARNs cannot satisfy, so the service evidently does not enforce
/// them: IVS's tagging ARN allows a one-letter resource type (`channel/…` would fail).
const UNENFORCED: &[&str] = &["arn:aws:ivs:[a-z0-9-]+:[0-9]+:[a-z-]/[a-zA-Z0-9-]+"];

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
        assert!(compile(r"^[a-z0-9]([a-z0-9]|-(?!-)){1,61}[a-z0-9]$").is_none());
        let p = compile(r"[\p{L}\p{Z}\p{N}_.:/=+\-@]*").unwrap();
        assert!(p.is_match("Team Ü:1"));
        assert!(compile(UNENFORCED[0]).is_none());
    }
}
