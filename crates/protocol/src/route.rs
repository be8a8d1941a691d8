//! rest-json routing: a trie over path segments per HTTP method, so a request walks its own
//! segments instead of testing every operation's template.

use crate::http::decode;
use percent_encoding::percent_decode;
use smallvec::SmallVec;
use std::borrow::Cow;

/// One piece of a `requestUri` template's path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Segment {
    Literal(String),
    Label(String),
    Greedy(String),
}

/// A parsed `requestUri` template.
#[derive(Debug, Clone)]
pub(crate) struct Template {
    pub segments: Vec<Segment>,
    /// Query-string literals (`?tags`, `?x=y`) that must be present.
    pub query: Vec<(String, Option<String>)>,
}

impl Template {
    /// Parses `/v1/flows/{FlowArn}/outputs?tagging`.
    pub fn parse(uri: &str) -> Template {
        let (path, query) = uri.split_once('?').unwrap_or((uri, ""));
        let segments = path
            .split('/')
            .filter(|s| !s.is_empty())
            .map(
                |s| match s.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                    Some(name) => match name.strip_suffix('+') {
                        Some(greedy) => Segment::Greedy(greedy.to_string()),
                        None => Segment::Label(name.to_string()),
                    },
                    None => Segment::Literal(s.to_string()),
                },
            )
            .collect();
        let query = query
            .split('&')
            .filter(|p| !p.is_empty())
            .map(|p| match p.split_once('=') {
                Some((k, v)) => (k.to_string(), Some(v.to_string())),
                None => (p.to_string(), None),
            })
            .collect();
        Template { segments, query }
    }
}

/// Nodes by name, searched in order: a node has a few names under it (a method, a dozen
/// literal segments), which a scan compares by length first, cheaper than hashing the name.
#[derive(Debug)]
struct Named<T>(Vec<(String, T)>);

impl<T> Default for Named<T> {
    fn default() -> Self {
        Named(Vec::new())
    }
}

impl<T: Default> Named<T> {
    fn get(&self, name: &str) -> Option<&T> {
        self.0.iter().find(|(n, _)| n == name).map(|(_, t)| t)
    }

    fn entry(&mut self, name: &str) -> &mut T {
        let at = match self.0.iter().position(|(n, _)| n == name) {
            Some(at) => at,
            None => {
                self.0.push((name.to_string(), T::default()));
                self.0.len() - 1
            }
        };
        &mut self.0[at].1
    }
}

#[derive(Debug, Default)]
struct Node {
    literal: Named<Node>,
    label: Option<Box<Node>>,
    /// Routes whose template ends here with a greedy label.
    greedy: Vec<usize>,
    /// Routes whose template ends exactly here.
    ends: Vec<usize>,
}

/// A routed request: the operation index and its decoded URI labels.
#[derive(Debug, PartialEq)]
pub(crate) struct Matched {
    pub op: usize,
    pub labels: Vec<(String, String)>,
}

/// All routes of one model.
#[derive(Debug, Default)]
pub(crate) struct Router {
    by_method: Named<Node>,
    /// Per route: its operation and template.
    routes: Vec<(usize, Template)>,
}

impl Router {
    /// Adds operation `op` under `method` and `uri`.
    pub fn add(&mut self, method: &str, uri: &str, op: usize) {
        let template = Template::parse(uri);
        let id = self.routes.len();
        let mut node = self.by_method.entry(method);
        for seg in &template.segments {
            node = match seg {
                Segment::Literal(l) => node.literal.entry(l),
                Segment::Label(_) => node.label.get_or_insert_with(Box::default),
                Segment::Greedy(_) => {
                    node.greedy.push(id);
                    break;
                }
            };
        }
        if !matches!(template.segments.last(), Some(Segment::Greedy(_))) {
            node.ends.push(id);
        }
        self.routes.push((op, template));
    }

    /// Finds the most specific route for a request (literal segments beat labels, labels beat
    /// greedy labels, more query literals beat fewer).
    pub fn find(
        &self,
        method: &str,
        raw_path: &str,
        query: &[(String, String)],
    ) -> Option<Matched> {
        let root = self.by_method.get(method)?;
        let raw = || raw_path.split('/').filter(|s| !s.is_empty());
        let mut segments = Segments::default();
        for s in raw() {
            segments.push(decode_segment(s));
        }
        let decoded = segments.as_slice();
        let id = self.walk(root, decoded, 0, query)?;
        let (op, template) = self.routes.get(id)?;
        let mut labels = Vec::new();
        for (i, seg) in template.segments.iter().enumerate() {
            match seg {
                Segment::Label(name) => {
                    let value = decoded.get(i).map(|d| d.to_string()).unwrap_or_default();
                    labels.push((name.clone(), value));
                }
                Segment::Greedy(name) => {
                    let rest = raw().skip(i).collect::<Vec<_>>().join("/");
                    labels.push((name.clone(), decode(&rest, false)));
                }
                Segment::Literal(_) => {}
            }
        }
        Some(Matched { op: *op, labels })
    }

    fn walk(
        &self,
        node: &Node,
        segs: &[Cow<str>],
        at: usize,
        query: &[(String, String)],
    ) -> Option<usize> {
        if at == segs.len() {
            if let Some(id) = self.best(&node.ends, query) {
                return Some(id);
            }
        } else if let Some(seg) = segs.get(at) {
            if let Some(next) = node.literal.get(seg) {
                if let Some(id) = self.walk(next, segs, at + 1, query) {
                    return Some(id);
                }
            }
            if let Some(next) = &node.label {
                if let Some(id) = self.walk(next, segs, at + 1, query) {
                    return Some(id);
                }
            }
        }
        if at < segs.len() {
            return self.best(&node.greedy, query);
        }
        None
    }

    fn best(&self, candidates: &[usize], query: &[(String, String)]) -> Option<usize> {
        candidates
            .iter()
            .filter_map(|&id| {
                let (_, t) = self.routes.get(id)?;
                let ok = t.query.iter().all(|(k, v)| {
                    query
                        .iter()
                        .any(|(qk, qv)| qk == k && v.as_ref().is_none_or(|v| v == qv))
                });
                ok.then_some((t.query.len(), id))
            })
            .max_by_key(|(n, id)| (*n, std::cmp::Reverse(*id)))
            .map(|(_, id)| id)
    }
}

/// A path segment as `decode` decodes it, but borrowed unless it has an escape (a segment
/// without `%` is its own decoding: it is already UTF-8, and nothing in it is decoded).
fn decode_segment(s: &str) -> Cow<'_, str> {
    if s.contains('%') {
        percent_decode(s.as_bytes()).decode_utf8_lossy()
    } else {
        Cow::Borrowed(s)
    }
}

/// A request path's decoded segments: on the stack for a path of up to [`INLINE_SEGMENTS`]
/// (every modelled route), in a `Vec` beyond (a vector per request was its only allocation).
type Segments<'a> = SmallVec<[Cow<'a, str>; INLINE_SEGMENTS]>;

/// How many segments [`Segments`] holds without allocating.
const INLINE_SEGMENTS: usize = 8;

#[cfg(test)]
mod tests {
    use super::*;

    fn router() -> Router {
        let mut r = Router::default();
        r.add("GET", "/v1/flows", 0);
        r.add("GET", "/v1/flows/{FlowArn}", 1);
        r.add("GET", "/v1/flows/special", 2);
        r.add("GET", "/objects/{Key+}", 3);
        r.add("GET", "/objects/{Key+}?tagging", 4);
        r.add("PUT", "/v1/flows/{FlowArn}", 5);
        r
    }

    #[test]
    fn segments_decode_as_decode_does_and_spill_past_the_inline_ones() {
        for s in [
            "jobs",
            "2017-08-29",
            "arn%3Aaws%3Ax",
            "a%2Fb",
            "bad%ZZ",
            "%FF%FE",
            "a+b",
            "é",
        ] {
            assert_eq!(decode_segment(s), decode(s, false), "{s}");
        }
        assert!(matches!(decode_segment("jobs"), Cow::Borrowed("jobs")));
        for n in [
            0,
            1,
            INLINE_SEGMENTS - 1,
            INLINE_SEGMENTS,
            INLINE_SEGMENTS + 1,
            20,
        ] {
            let all: Vec<String> = (0..n).map(|i| format!("s{i}")).collect();
            let mut segments = Segments::default();
            for s in &all {
                segments.push(Cow::Borrowed(s.as_str()));
            }
            assert_eq!(segments.as_slice(), all.as_slice(), "{n}");
        }
        // A route deeper than the inline segments is still found.
        let mut r = Router::default();
        r.add("GET", "/a/b/c/d/e/f/g/h/i/{Last}", 7);
        let m = r.find("GET", "/a/b/c/d/e/f/g/h/i/x%2Fy", &[]).unwrap();
        assert_eq!((m.op, m.labels), (7, vec![("Last".into(), "x/y".into())]));
        assert!(r.find("GET", "/a/b/c/d/e/f/g/h/j/x", &[]).is_none());
    }

    #[test]
    fn labels_are_decoded_and_literals_win() {
        let r = router();
        let m = r
            .find(
                "GET",
                "/v1/flows/arn%3Aaws%3Amediaconnect%3Aus-east-1%3A1%3Aflow%3Ax",
                &[],
            )
            .unwrap();
        assert_eq!(m.op, 1);
        assert_eq!(
            m.labels,
            vec![(
                "FlowArn".into(),
                "arn:aws:mediaconnect:us-east-1:1:flow:x".into()
            )]
        );
        assert_eq!(r.find("GET", "/v1/flows/special", &[]).unwrap().op, 2);
        assert_eq!(r.find("GET", "/v1/flows", &[]).unwrap().op, 0);
        assert_eq!(r.find("PUT", "/v1/flows/x", &[]).unwrap().op, 5);
        assert!(r.find("DELETE", "/v1/flows/x", &[]).is_none());
        assert!(r.find("GET", "/v1/flows/x/y", &[]).is_none());
    }

    #[test]
    fn named_nodes_are_found_by_their_whole_name() {
        let mut named = Named::<usize>::default();
        *named.entry("jobs") += 1;
        *named.entry("job") += 10;
        *named.entry("jobs") += 100;
        assert_eq!(named.get("jobs"), Some(&101));
        assert_eq!(named.get("job"), Some(&10));
        for miss in ["", "jo", "jobsx", "Jobs"] {
            assert_eq!(named.get(miss), None, "{miss}");
        }
        assert_eq!(named.0.len(), 2);
    }

    #[test]
    fn greedy_labels_and_query_literals() {
        let r = router();
        let m = r.find("GET", "/objects/a/b%20c/d", &[]).unwrap();
        assert_eq!(m.op, 3);
        assert_eq!(m.labels, vec![("Key".into(), "a/b c/d".into())]);
        let tagged = r
            .find("GET", "/objects/a/b", &[("tagging".into(), String::new())])
            .unwrap();
        assert_eq!(tagged.op, 4);
        assert!(r.find("GET", "/objects", &[]).is_none());
    }
}
