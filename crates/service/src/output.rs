//! An operation's output, with the seam for a list member whose items the service keeps
//! already rendered in the wire format (the protocol layer renders them once; the service
//! caches the bytes per resource, so a page is copied instead of rebuilt on every request).

use serde_json::Value;

/// What an operation answers: its members keyed by member names, and optionally one list
/// member whose items arrive pre-rendered.
#[derive(Debug, Clone, PartialEq)]
pub struct Output {
    /// The output's members, without the rendered list's.
    pub value: Value,
    /// The list member whose items are already in the wire format, if any.
    pub rendered: Option<RenderedList>,
}

impl From<Value> for Output {
    fn from(value: Value) -> Self {
        Output {
            value,
            rendered: None,
        }
    }
}

/// A list member of an output whose items are wire text the protocol layer rendered for the
/// list's member shape (`protocol::Model::list_items`), in order.
#[derive(Debug, Clone, PartialEq)]
pub struct RenderedList {
    member: &'static str,
    /// Every item's text, one after another.
    text: Vec<u8>,
    /// Where each item ends in `text`.
    ends: Vec<usize>,
}

impl RenderedList {
    /// An empty list for the output member `member`, with room for `items` items of about
    /// `item_bytes` each.
    pub fn new(member: &'static str, items: usize, item_bytes: usize) -> Self {
        RenderedList {
            member,
            text: Vec::with_capacity(items.saturating_mul(item_bytes)),
            ends: Vec::with_capacity(items),
        }
    }

    /// Appends one item's wire text.
    pub fn push(&mut self, item: &[u8]) {
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

    /// Whether it has none.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Every item's wire text together (what a writer sizes its buffer by).
    pub fn text_len(&self) -> usize {
        self.text.len()
    }

    /// The items' wire texts, in order.
    pub fn items(&self) -> impl Iterator<Item = &[u8]> + '_ {
        let starts = std::iter::once(0).chain(self.ends.iter().copied());
        starts
            .zip(self.ends.iter().copied())
            .map(|(start, end)| &self.text[start..end])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(list.text_len(), 9);
        let items: Vec<&[u8]> = list.items().collect();
        assert_eq!(items, [&b"{\"a\":1}"[..], b"", b"{}"]);
    }
}
