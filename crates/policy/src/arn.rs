//! ARN patterns: `Resource` elements and `Arn*` condition values, matched per ARN segment.

use crate::context::Context;
use crate::matcher::{Piece, Wildcard};
use crate::variables::Template;

/// A compiled ARN pattern, possibly with policy variables. AWS: wildcards work within
/// the colon-separated segments; a `*` that ends a segment may also match past colons.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ArnPattern {
    template: Template,
    /// Present when the pattern has no variables, so nothing is compiled per request.
    compiled: Option<Wildcard>,
}

impl ArnPattern {
    /// Compiles `raw`; `variables` is whether `${…}` is recognised (policy version).
    pub(crate) fn new(raw: &str, variables: bool) -> Self {
        let template = Template::parse(raw, variables);
        let compiled = if template.has_vars() {
            None
        } else {
            template.resolve_pieces(&Context::new()).map(compile)
        };
        ArnPattern { template, compiled }
    }

    /// The template, for the context keys its variables read.
    pub(crate) fn template(&self) -> &Template {
        &self.template
    }

    /// Whether the pattern matches `arn` (variables resolved from `ctx`; an unresolvable
    /// variable matches nothing).
    pub(crate) fn matches(&self, arn: &str, ctx: &Context) -> bool {
        match &self.compiled {
            Some(w) => w.matches(arn),
            None => self
                .template
                .resolve_pieces(ctx)
                .is_some_and(|p| compile(p).matches(arn)),
        }
    }
}

/// Makes wildcards segment-bound unless a `*` ends its segment.
fn compile(pieces: Vec<Piece>) -> Wildcard {
    let bound = pieces
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let ends_segment = matches!(pieces.get(i + 1), None | Some(Piece::Lit(':')));
            match p {
                Piece::Many if !ends_segment => Piece::SegmentMany,
                Piece::One => Piece::SegmentOne,
                other => other.clone(),
            }
        })
        .collect();
    Wildcard::from_pieces(bound, false)
}

#[cfg(test)]
mod tests {
    use super::*;
    use service::ContextValue;

    #[test]
    fn segments_match_independently() {
        let p = ArnPattern::new("arn:aws:ivs:*:111122223333:channel/*", true);
        let c = Context::new();
        assert!(p.matches("arn:aws:ivs:us-west-2:111122223333:channel/abc", &c));
        assert!(!p.matches("arn:aws:ivs:us-west-2:444455556666:channel/abc", &c));
        assert!(!p.matches("arn:aws:ivs:us-west-2:111122223333:stream-key/abc", &c));
        // A `*` ending its segment may match past colons (AWS documents this).
        let q = ArnPattern::new("arn:aws:ivs:*:channel/*", true);
        assert!(q.matches("arn:aws:ivs:us-west-2:111122223333:channel/abc", &c));
        // One inside a segment may not.
        let r = ArnPattern::new("arn:aws:ivs:us-*2:channel/*", true);
        assert!(!r.matches("arn:aws:ivs:us-west-2:111122223333:channel/abc", &c));
        assert!(ArnPattern::new("arn:aws:ivs:us-*2:*:channel/*", true)
            .matches("arn:aws:ivs:us-west-2:111122223333:channel/abc", &c));
    }

    #[test]
    fn star_matches_everything_and_resource_segment_spans_colons() {
        let c = Context::new();
        assert!(ArnPattern::new("*", true).matches("anything", &c));
        let p = ArnPattern::new("arn:aws:logs:*:*:log-group:*", true);
        assert!(p.matches("arn:aws:logs:us-east-1:1:log-group:a:log-stream:b", &c));
        assert!(ArnPattern::new("arn:aws:iam::*", true).matches("arn:aws:iam::1:user/a", &c));
    }

    #[test]
    fn variables_resolve_per_request() {
        let p = ArnPattern::new("arn:aws:iam::1:user/${aws:username}", true);
        let mut c = Context::new();
        assert!(!p.matches("arn:aws:iam::1:user/alice", &c));
        c.set("aws:username", ContextValue::String("alice".into()));
        assert!(p.matches("arn:aws:iam::1:user/alice", &c));
        assert!(!p.matches("arn:aws:iam::1:user/bob", &c));
    }

    #[test]
    fn question_mark_is_one_character() {
        let c = Context::new();
        let p = ArnPattern::new("arn:aws:ivs:us-west-?:1:channel/a?c", true);
        assert!(p.matches("arn:aws:ivs:us-west-2:1:channel/abc", &c));
        assert!(!p.matches("arn:aws:ivs:us-west-2:1:channel/ac", &c));
    }
}
