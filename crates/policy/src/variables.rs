//! Policy variables (`${aws:username}`, `${aws:PrincipalTag/team, 'none'}`, `${*}`), resolved
//! from the request context at evaluation time.

use crate::context::Context;
use crate::matcher::Piece;
use service::ContextValue;
use std::borrow::Cow;

/// One part of a policy string.
#[derive(Debug, Clone, PartialEq)]
enum Part {
    /// Text as written; `*` and `?` in it are wildcards where the operator allows them.
    Text(String),
    /// `${*}`, `${?}`, `${$}`: the character itself, never a wildcard.
    Literal(char),
    /// A context key (lowercased) with an optional default.
    Var {
        key: String,
        default: Option<String>,
    },
}

/// A policy string that may contain variables, parsed once.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Template {
    parts: Vec<Part>,
    has_vars: bool,
}

impl Template {
    /// Parses `raw`; with `variables` false (policy version 2008-10-17) `${…}` is plain text.
    pub(crate) fn parse(raw: &str, variables: bool) -> Self {
        if !variables || !raw.contains("${") {
            return Template {
                parts: vec![Part::Text(raw.to_string())],
                has_vars: false,
            };
        }
        let mut parts = Vec::new();
        let mut rest = raw;
        let mut has_vars = false;
        while let Some(start) = rest.find("${") {
            let Some(len) = rest.get(start + 2..).and_then(|s| s.find('}')) else {
                break;
            };
            let inner = rest.get(start + 2..start + 2 + len).unwrap_or_default();
            if let Some(before) = rest.get(..start) {
                if !before.is_empty() {
                    parts.push(Part::Text(before.to_string()));
                }
            }
            parts.push(parse_variable(inner));
            has_vars |= matches!(parts.last(), Some(Part::Var { .. }));
            rest = rest.get(start + 3 + len..).unwrap_or_default();
        }
        if !rest.is_empty() {
            parts.push(Part::Text(rest.to_string()));
        }
        Template { parts, has_vars }
    }

    /// Whether any part needs the context.
    pub(crate) fn has_vars(&self) -> bool {
        self.has_vars
    }

    /// The context keys the variables read (lowercased).
    pub(crate) fn variable_keys(&self) -> impl Iterator<Item = &str> {
        self.parts.iter().filter_map(|p| match p {
            Part::Var { key, .. } => Some(key.as_str()),
            _ => None,
        })
    }

    /// The string with variables substituted, `*`/`?` as plain characters; `None` when a
    /// variable has no value and no default (AWS: that value then matches nothing).
    pub(crate) fn resolve_text(&self, ctx: &Context) -> Option<Cow<'_, str>> {
        if let [Part::Text(t)] = self.parts.as_slice() {
            return Some(Cow::Borrowed(t));
        }
        let mut out = String::new();
        for p in &self.parts {
            match p {
                Part::Text(t) => out.push_str(t),
                Part::Literal(c) => out.push(*c),
                Part::Var { key, default } => out.push_str(&lookup(ctx, key, default.as_deref())?),
            }
        }
        Some(Cow::Owned(out))
    }

    /// Wildcard pieces with variables substituted as literal text.
    pub(crate) fn resolve_pieces(&self, ctx: &Context) -> Option<Vec<Piece>> {
        let mut out = Vec::new();
        for p in &self.parts {
            match p {
                Part::Text(t) => out.extend(t.chars().map(|c| match c {
                    '*' => Piece::Many,
                    '?' => Piece::One,
                    c => Piece::Lit(c),
                })),
                Part::Literal(c) => out.push(Piece::Lit(*c)),
                Part::Var { key, default } => out.extend(
                    lookup(ctx, key, default.as_deref())?
                        .chars()
                        .map(Piece::Lit),
                ),
            }
        }
        Some(out)
    }
}

/// Parses the inside of `${…}`.
fn parse_variable(inner: &str) -> Part {
    let inner = inner.trim();
    match inner {
        "*" => return Part::Literal('*'),
        "?" => return Part::Literal('?'),
        "$" => return Part::Literal('$'),
        _ => {}
    }
    let (key, default) = match inner.split_once(',') {
        Some((k, d)) => {
            let d = d.trim();
            let d = d
                .strip_prefix('\'')
                .and_then(|x| x.strip_suffix('\''))
                .unwrap_or(d);
            (k.trim(), Some(d.to_string()))
        }
        None => (inner, None),
    };
    Part::Var {
        key: key.to_lowercase(),
        default,
    }
}

/// A single-valued context key as text; multivalued keys cannot be variables.
fn lookup(ctx: &Context, key: &str, default: Option<&str>) -> Option<String> {
    match ctx.get_lower(key) {
        Some(ContextValue::String(s)) => Some(s.clone()),
        Some(ContextValue::Bool(b)) => Some(b.to_string()),
        Some(ContextValue::Number(n)) => Some(number_text(*n)),
        Some(ContextValue::Strings(_)) | None => default.map(str::to_string),
    }
}

/// How a numeric context value reads as text (integers without a fraction).
pub(crate) fn number_text(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        n.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx() -> Context {
        let mut c = Context::new();
        c.set("aws:username", ContextValue::String("alice".into()));
        c
    }

    #[test]
    fn substitutes_and_defaults() {
        let t = Template::parse("home/${aws:username}/*", true);
        assert!(t.has_vars());
        assert_eq!(t.resolve_text(&ctx()).as_deref(), Some("home/alice/*"));
        let d = Template::parse("${aws:PrincipalTag/team, 'none'}", true);
        assert_eq!(d.resolve_text(&ctx()).as_deref(), Some("none"));
        let missing = Template::parse("x/${aws:PrincipalTag/team}", true);
        assert_eq!(missing.resolve_text(&ctx()), None);
    }

    #[test]
    fn special_characters_are_literal() {
        let t = Template::parse("a${*}b${?}${$}", true);
        assert_eq!(
            t.resolve_pieces(&ctx()),
            Some(vec![
                Piece::Lit('a'),
                Piece::Lit('*'),
                Piece::Lit('b'),
                Piece::Lit('?'),
                Piece::Lit('$')
            ])
        );
    }

    #[test]
    fn old_version_has_no_variables() {
        let t = Template::parse("home/${aws:username}", false);
        assert!(!t.has_vars());
        assert_eq!(
            t.resolve_text(&ctx()).as_deref(),
            Some("home/${aws:username}")
        );
    }
}
