//! ARN patterns: `Resource` elements and `Arn*` condition values, matched per ARN segment.

use crate::context::Context;
use crate::matcher::{Piece, Wildcard};
use crate::variables::Template;

/// A compiled ARN pattern, possibly with policy variables. AWS: wildcards work within
/// the colon-separated segments; in a `Resource` element a `*` that ends a segment may also
/// match past colons.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ArnPattern {
    template: Template,
    /// Whether it is an `Arn*` condition's value, whose six segments are each matched alone.
    condition: bool,
    /// Present when the pattern has no variables, so nothing is compiled per request.
    compiled: Option<Wildcard>,
}

impl ArnPattern {
    /// Compiles a `Resource` element's `raw`; `variables` is whether `${…}` is recognised
    /// (policy version).
    pub(crate) fn new(raw: &str, variables: bool) -> Self {
        Self::compiled(raw, variables, false)
    }

    /// Compiles an `Arn*` condition's value: "Each of the six colon-delimited components of
    /// the ARN is checked separately" (the IAM User Guide's condition operators, whose
    /// example `arn:aws:someservice:*:111122223333:finance/*` does not match
    /// `arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt`),
    /// so only the resource segment's wildcards match past colons.
    pub(crate) fn condition(raw: &str, variables: bool) -> Self {
        Self::compiled(raw, variables, true)
    }

    fn compiled(raw: &str, variables: bool, condition: bool) -> Self {
        let template = Template::parse(raw, variables);
        let compiled = if template.has_vars() {
            None
        } else {
            template
                .resolve_pieces(&Context::new())
                .map(|p| compile(p, condition))
        };
        ArnPattern {
            template,
            condition,
            compiled,
        }
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
                .is_some_and(|p| compile(p, self.condition).matches(arn)),
        }
    }
}

/// Colons before an ARN's last (resource) segment.
const SEGMENT_COLONS: usize = 5;

/// Makes wildcards segment-bound unless a `*` ends its segment; for a condition's pattern of
/// all six segments, every wildcard before the resource segment is bound.
fn compile(pieces: Vec<Piece>, condition: bool) -> Wildcard {
    let six =
        condition && pieces.iter().filter(|p| **p == Piece::Lit(':')).count() >= SEGMENT_COLONS;
    let mut colons = 0;
    let bound = pieces
        .iter()
        .enumerate()
        .map(|(i, p)| {
            if *p == Piece::Lit(':') {
                colons += 1;
            }
            let ends_segment = matches!(pieces.get(i + 1), None | Some(Piece::Lit(':')));
            let spans = ends_segment && !(six && colons < SEGMENT_COLONS);
            match p {
                Piece::Many if !spans => Piece::SegmentMany,
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
    fn a_conditions_six_segments_are_matched_alone() {
        let c = Context::new();
        // The IAM User Guide's ArnLike example: StringLike would match, ArnLike does not.
        let p = ArnPattern::condition("arn:aws:someservice:*:111122223333:finance/*", true);
        let spoof =
            "arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt";
        assert!(!p.matches(spoof, &c));
        assert!(p.matches(
            "arn:aws:someservice:us-east-2:111122223333:finance/document.txt",
            &c
        ));
        // The resource segment's own colons are still matched by its wildcards.
        let q = ArnPattern::condition("arn:aws:mediaconnect:*:111122223333:flow:*", true);
        assert!(q.matches(
            "arn:aws:mediaconnect:us-east-1:111122223333:flow:1-abc:Game",
            &c
        ));
        // A pattern of fewer segments keeps its trailing `*` spanning.
        assert!(ArnPattern::condition("arn:aws:ivs:*", true)
            .matches("arn:aws:ivs:us-west-2:1:channel/a", &c));
        // A Resource element is matched as before.
        assert!(
            ArnPattern::new("arn:aws:someservice:*:111122223333:finance/*", true)
                .matches(spoof, &c)
        );
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
