//! An operation's output, with the seam for a body member the service keeps already rendered
//! in the wire format (the protocol layer renders it; the service caches the bytes, so an
//! answer is copied instead of rebuilt on every request): a list whose items are rendered,
//! one structure member rendered whole, or the whole body.

use serde_json::Value;

/// What an operation answers: its members keyed by member names, and optionally one list
/// member whose items arrive pre-rendered, one structure member rendered whole, or the
/// whole body.
#[derive(Debug, Clone, PartialEq)]
pub struct Output {
    /// The output's members, without the rendered ones.
    pub value: Value,
    /// The list member whose items are already in the wire format, if any.
    pub rendered: Option<RenderedList>,
    /// The structure member already in the wire format, if any.
    pub member: Option<RenderedMember>,
    /// The whole body already in the wire format (`protocol::Model::body_renderer`), if it
    /// is; `value` is then empty.
    pub body: Option<std::sync::Arc<[u8]>>,
}

impl From<Value> for Output {
    fn from(value: Value) -> Self {
        Output {
            value,
            rendered: None,
            member: None,
            body: None,
        }
    }
}

impl Output {
    /// An output of `value`'s members and `member`, kept rendered.
    pub fn with_member(value: Value, member: RenderedMember) -> Self {
        Output {
            value,
            rendered: None,
            member: Some(member),
            body: None,
        }
    }

    /// An output whose whole body is `body`, as the protocol layer rendered it.
    pub fn rendered_body(body: std::sync::Arc<[u8]>) -> Self {
        Output {
            value: Value::Object(Default::default()),
            rendered: None,
            member: None,
            body: Some(body),
        }
    }
}

/// A structure member of an output body as the wire text the protocol layer rendered for its
/// shape (`protocol::Model::member_renderer`), shared with the cache it came from or written
/// for this answer alone.
#[derive(Debug, Clone)]
pub struct RenderedMember {
    member: &'static str,
    text: MemberText,
}

/// The wire text of a [`RenderedMember`]: an `Arc<[u8]>` a cache shares, or a `Vec<u8>`
/// written for one answer, kept as it is (moving a ~1 KB CreateJob answer into an `Arc`
/// allocated and copied it on every request).
#[derive(Debug, Clone)]
pub struct MemberText(Text);

#[derive(Debug, Clone)]
enum Text {
    Shared(std::sync::Arc<[u8]>),
    Owned(Vec<u8>),
}

impl From<std::sync::Arc<[u8]>> for MemberText {
    fn from(text: std::sync::Arc<[u8]>) -> Self {
        MemberText(Text::Shared(text))
    }
}

impl From<Vec<u8>> for MemberText {
    fn from(text: Vec<u8>) -> Self {
        MemberText(Text::Owned(text))
    }
}

impl RenderedMember {
    /// The output member (model member name) `member` as `text` (an `Arc<[u8]>` or a
    /// `Vec<u8>`).
    pub fn new(member: &'static str, text: impl Into<MemberText>) -> Self {
        RenderedMember {
            member,
            text: text.into(),
        }
    }

    /// The output member (model member name) it is.
    pub fn member(&self) -> &'static str {
        self.member
    }

    /// Its wire text.
    pub fn text(&self) -> &[u8] {
        match &self.text.0 {
            Text::Shared(text) => text,
            Text::Owned(text) => text,
        }
    }
}

/// Equal for the same member and the same text, however each keeps it.
impl PartialEq for RenderedMember {
    fn eq(&self, other: &Self) -> bool {
        self.member == other.member && self.text() == other.text()
    }
}

/// A list member of an output whose items are wire text the protocol layer rendered for the
/// list's member shape (`protocol::Model::list_items`), in order, joined by commas as the
/// JSON array holds them. A list the protocol layer opened (`ItemRenderer::start_list`)
/// begins with the body's text before its first item, so the finished list is the body
/// itself rather than copied into one.
#[derive(Debug, Clone, PartialEq)]
pub struct RenderedList {
    member: &'static str,
    /// The opening (if any), then every item's text, comma-separated.
    text: Vec<u8>,
    /// Where the first item starts in `text` (the opening's length).
    start: usize,
    /// Where each item ends in `text`.
    ends: Vec<usize>,
}

/// Room kept after a list's text for the rest of its body (the list's and the body's
/// closings, a next token).
const TAIL_ROOM: usize = 64;

impl RenderedList {
    /// An empty list for the output member `member`, with room for `items` items of about
    /// `item_bytes` each.
    pub fn new(member: &'static str, items: usize, item_bytes: usize) -> Self {
        Self::opened(member, b"", items, item_bytes)
    }

    /// [`RenderedList::new`], its text beginning with `opening`: the output body's text up to
    /// the list's first item, as the protocol layer would write it.
    pub fn opened(member: &'static str, opening: &[u8], items: usize, item_bytes: usize) -> Self {
        // Each item, its comma, and the rest of a body after the list.
        let room = opening.len() + items.saturating_mul(item_bytes.saturating_add(1)) + TAIL_ROOM;
        let mut text = Vec::with_capacity(room);
        text.extend_from_slice(opening);
        RenderedList {
            member,
            text,
            start: opening.len(),
            ends: Vec::with_capacity(items),
        }
    }

    /// Appends one item's wire text.
    pub fn push(&mut self, item: &[u8]) {
        if !self.ends.is_empty() {
            self.text.push(b',');
        }
        self.text.extend_from_slice(item);
        self.ends.push(self.text.len());
    }

    /// The output member (model member name) the list is.
    pub fn member(&self) -> &'static str {
        self.member
    }

    /// How many items it has.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// A copy with room left for the rest of a body after the list: the closings and `more`
    /// bytes (a next token's member). A plain clone has none, and finishing it would copy the
    /// text once more.
    pub fn copied(&self, more: usize) -> Self {
        let mut text = Vec::with_capacity(self.text.len() + TAIL_ROOM + more);
        text.extend_from_slice(&self.text);
        RenderedList {
            member: self.member,
            text,
            start: self.start,
            ends: self.ends.clone(),
        }
    }

    /// How many bytes its text holds, opening included.
    pub fn text_len(&self) -> usize {
        self.text.len()
    }

    /// Whether it has none.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// The items' texts joined by commas: the JSON array's text between its brackets.
    pub fn joined(&self) -> &[u8] {
        &self.text[self.start..]
    }

    /// What the text begins with before the first item (empty unless [`RenderedList::opened`]).
    pub fn opening(&self) -> &[u8] {
        &self.text[..self.start]
    }

    /// The whole text, opening and items, to be finished into a body.
    pub fn into_text(self) -> Vec<u8> {
        self.text
    }

    /// The items' wire texts, in order.
    pub fn items(&self) -> impl Iterator<Item = &[u8]> + '_ {
        // The first item starts at `start`, each later one just after the previous one's comma.
        let starts = std::iter::once(self.start).chain(self.ends.iter().map(|e| e + 1));
        starts
            .zip(self.ends.iter().copied())
            .map(|(start, end)| &self.text[start..end])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_member_keeps_its_text_shared_or_owned_and_equal_either_way() {
        let text = b"{\"Arn\":\"a\"}".to_vec();
        let owned = RenderedMember::new("Job", text.clone());
        let shared = RenderedMember::new("Job", std::sync::Arc::<[u8]>::from(text.clone()));
        // The written text is kept in its own allocation, not copied.
        let at = text.as_ptr();
        assert_eq!(RenderedMember::new("Job", text).text().as_ptr(), at);
        assert_eq!(owned.text(), shared.text());
        assert_eq!(owned, shared);
        assert_eq!(owned.member(), "Job");
        assert_ne!(owned, RenderedMember::new("Flow", owned.text().to_vec()));
        assert_ne!(owned, RenderedMember::new("Job", b"{}".to_vec()));
    }

    #[test]
    fn items_come_back_as_pushed() {
        let mut list = RenderedList::new("things", 3, 8);
        assert!(list.is_empty());
        assert_eq!(list.items().count(), 0);
        for item in [&b"{\"a\":1}"[..], b"", b"{}"] {
            list.push(item);
        }
        assert_eq!(list.member(), "things");
        assert_eq!(list.len(), 3);
        assert_eq!(list.joined(), b"{\"a\":1},,{}");
        assert_eq!(list.opening(), b"");
        let items: Vec<&[u8]> = list.items().collect();
        assert_eq!(items, [&b"{\"a\":1}"[..], b"", b"{}"]);
    }

    #[test]
    fn an_opened_list_begins_with_its_opening() {
        let mut list = RenderedList::opened("things", b"{\"things\":[", 2, 8);
        assert_eq!(list.items().count(), 0);
        assert_eq!(list.joined(), b"");
        list.push(b"1");
        list.push(b"{}");
        assert_eq!(list.opening(), b"{\"things\":[");
        assert_eq!(list.joined(), b"1,{}");
        let items: Vec<&[u8]> = list.items().collect();
        assert_eq!(items, [&b"1"[..], b"{}"]);
        let copy = list.copied(100);
        assert_eq!(copy, list);
        assert!(copy.text.capacity() >= copy.text.len() + TAIL_ROOM + 100);
        assert_eq!(list.into_text(), b"{\"things\":[1,{}");
    }
}
