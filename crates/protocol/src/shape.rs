//! Shapes compiled from the model: references resolved to indices, patterns compiled.

use crate::timestamp::TimestampFormat;

/// Index of a shape in its model's shape table.
pub type ShapeId = usize;

/// Where a structure member travels on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location {
    /// The JSON body (rest-json) or the form / XML body (query).
    Body,
    /// A `{Label}` of the request URI.
    Uri,
    /// A query-string parameter.
    QueryString,
    /// One HTTP header.
    Header,
    /// Every header with a prefix (a map).
    Headers,
    /// The HTTP status code (output only).
    StatusCode,
}

/// A member of a structure shape.
#[derive(Debug)]
pub struct Member {
    /// The member name (the key services see).
    pub name: String,
    /// Its shape.
    pub shape: ShapeId,
    /// Where it travels.
    pub location: Location,
    /// The name on the wire (JSON key, header, label, query parameter, XML element).
    pub wire_name: String,
    /// Whether the structure lists it as required.
    pub required: bool,
    /// Whether SDKs fill it with a fresh token when absent.
    pub idempotency_token: bool,
    /// A header carrying base64-encoded JSON.
    pub jsonvalue: bool,
    /// A member-level timestamp format, overriding the shape's.
    pub timestamp_format: Option<TimestampFormat>,
    /// A flattened list or map (query protocol).
    pub flattened: bool,
}

/// A `pattern` trait, compiled on first use: a compiled regex costs kilobytes and most
/// patterns of a model are never checked by a given client.
#[derive(Debug)]
pub struct Pattern {
    /// The pattern as the model spells it (quoted in error messages).
    pub source: String,
    compiled: std::sync::OnceLock<Option<crate::pattern::Matcher>>,
}

impl Pattern {
    /// A pattern from the model's text, not compiled yet.
    pub fn new(source: String) -> Pattern {
        Pattern {
            source,
            compiled: std::sync::OnceLock::new(),
        }
    }

    /// The anchored translation, when it can be compiled and is enforced.
    pub fn matcher(&self) -> Option<&crate::pattern::Matcher> {
        self.compiled
            .get_or_init(|| crate::pattern::compile(&self.source))
            .as_ref()
    }
}

/// Sorted lookups from member names and body wire names to member positions: a request
/// carries a few members of structures that model dozens, so walking what is present and
/// finding each member by binary search beats probing the object for every modelled member.
/// Names are ordered by length first: most steps of a search then compare the lengths held
/// in the members themselves, and only names of the key's length have their text read.
/// Positions only (the names are the members' own), so an index costs a few bytes a member.
#[derive(Debug, Default)]
pub struct MemberIndex {
    /// Member positions ordered by name ([`by_length_then_text`]).
    by_name: Box<[u16]>,
    /// Body member positions ordered by wire name ([`by_length_then_text`]).
    by_wire: Box<[u16]>,
    required: Box<[usize]>,
}

/// The order of an index: shorter names first, names of one length by their text.
fn by_length_then_text(a: &str, b: &str) -> std::cmp::Ordering {
    a.len().cmp(&b.len()).then_with(|| a.cmp(b))
}

impl MemberIndex {
    /// Indexes `members` (a structure has far fewer than 65 536).
    pub(crate) fn new(members: &[Member]) -> Self {
        let mut by_name: Vec<u16> = (0..members.len() as u16).collect();
        by_name.sort_by(|&a, &b| {
            by_length_then_text(&members[a as usize].name, &members[b as usize].name)
        });
        let mut by_wire: Vec<u16> = (0..members.len() as u16)
            .filter(|&i| members[i as usize].location == Location::Body)
            .collect();
        by_wire.sort_by(|&a, &b| {
            by_length_then_text(
                &members[a as usize].wire_name,
                &members[b as usize].wire_name,
            )
        });
        let required = members
            .iter()
            .enumerate()
            .filter(|(_, m)| m.required)
            .map(|(i, _)| i)
            .collect();
        MemberIndex {
            by_name: by_name.into(),
            by_wire: by_wire.into(),
            required,
        }
    }

    fn find<'m>(list: &[u16], key: &str, of: impl Fn(usize) -> Option<&'m str>) -> Option<usize> {
        list.binary_search_by(|&i| by_length_then_text(of(i as usize).unwrap_or_default(), key))
            .ok()
            .and_then(|i| list.get(i))
            .map(|&m| m as usize)
    }

    /// The position of the member of `members` (the indexed ones) called `name`.
    pub fn by_name(&self, members: &[Member], name: &str) -> Option<usize> {
        Self::find(&self.by_name, name, |i| {
            members.get(i).map(|m| m.name.as_str())
        })
    }

    /// The position of the body member of `members` (the indexed ones) whose wire name is
    /// `wire`.
    pub fn by_wire(&self, members: &[Member], wire: &str) -> Option<usize> {
        Self::find(&self.by_wire, wire, |i| {
            members.get(i).map(|m| m.wire_name.as_str())
        })
    }

    /// Positions of the required members.
    pub fn required(&self) -> &[usize] {
        &self.required
    }
}

/// What kind of value a shape holds.
#[derive(Debug)]
pub enum ShapeKind {
    /// A structure with named members.
    Structure {
        /// Members in model order.
        members: Vec<Member>,
        /// The member bound to the whole body, if any.
        payload: Option<usize>,
        /// Members by name and by wire name, for lookups that need no hashing.
        index: MemberIndex,
    },
    /// A list.
    List {
        /// Element shape.
        member: ShapeId,
        /// Element name in XML/query (`member` unless renamed).
        member_name: String,
        /// Whether the list is flattened (query/XML).
        flattened: bool,
    },
    /// A map.
    Map {
        /// Key shape.
        key: ShapeId,
        /// Value shape.
        value: ShapeId,
        /// Key element name (`key` unless renamed).
        key_name: String,
        /// Value element name (`value` unless renamed).
        value_name: String,
        /// Whether the map is flattened.
        flattened: bool,
    },
    /// A string, possibly an enum.
    String {
        /// The enum's values, if it is one.
        enum_values: Option<Vec<String>>,
    },
    /// 32-bit integer.
    Integer,
    /// 64-bit integer.
    Long,
    /// Single-precision float.
    Float,
    /// Double-precision float.
    Double,
    /// Boolean.
    Boolean,
    /// A point in time.
    Timestamp,
    /// Bytes (base64 strings at the seam).
    Blob,
}

/// Modelled error facts of an exception shape.
#[derive(Debug)]
pub struct ErrorInfo {
    /// The wire code (query protocol's `error.code`, else the shape name).
    pub code: String,
    /// The HTTP status.
    pub status: u16,
    /// Whether the fault is the sender's.
    pub sender_fault: bool,
}

/// A compiled shape.
#[derive(Debug)]
pub struct Shape {
    /// The shape's name in the model.
    pub name: String,
    /// Its kind and children.
    pub kind: ShapeKind,
    /// `min` trait (length or value).
    pub min: Option<f64>,
    /// `max` trait (length or value).
    pub max: Option<f64>,
    /// `pattern` trait (boxed: few shapes have one).
    pub pattern: Option<Box<Pattern>>,
    /// Shape-level timestamp format.
    pub timestamp_format: Option<TimestampFormat>,
    /// Present on exception shapes (boxed: few shapes are).
    pub error: Option<Box<ErrorInfo>>,
}

impl Shape {
    /// The members of a structure (empty for other kinds).
    pub fn members(&self) -> &[Member] {
        match &self.kind {
            ShapeKind::Structure { members, .. } => members,
            _ => &[],
        }
    }
}

#[cfg(test)]
mod member_index_tests {
    use super::*;

    fn member(name: &str, wire: &str, location: Location) -> Member {
        Member {
            name: name.into(),
            shape: ShapeId::default(),
            location,
            wire_name: wire.into(),
            required: false,
            idempotency_token: false,
            jsonvalue: false,
            timestamp_format: None,
            flattened: false,
        }
    }

    #[test]
    fn finds_every_member_by_name_and_body_members_by_wire_name() {
        let mut members: Vec<Member> = (0..300)
            .map(|i| member(&format!("Member{i}"), &format!("member{i}"), Location::Body))
            .collect();
        members.push(member("Header", "x-amz-header", Location::Header));
        members.push(member("", "", Location::Body));
        let index = MemberIndex::new(&members);
        for (i, m) in members.iter().enumerate() {
            assert_eq!(index.by_name(&members, &m.name), Some(i), "{}", m.name);
            let by_wire = (m.location == Location::Body).then_some(i);
            assert_eq!(
                index.by_wire(&members, &m.wire_name),
                by_wire,
                "{}",
                m.wire_name
            );
        }
        for absent in ["member0", "Member300", "Member", "x", "Header "] {
            assert_eq!(index.by_name(&members, absent), None, "{absent}");
        }
        assert_eq!(index.by_wire(&members, "Member1"), None);
    }

    #[test]
    fn orders_by_length_then_text() {
        use std::cmp::Ordering::*;
        assert_eq!(by_length_then_text("zz", "aaa"), Less);
        assert_eq!(by_length_then_text("ab", "aa"), Greater);
        assert_eq!(by_length_then_text("ab", "ab"), Equal);
        assert_eq!(by_length_then_text("", "a"), Less);
        // Multi-byte text counts by bytes, as the index sorts it.
        let members = [
            member("é", "é", Location::Body),
            member("ab", "ab", Location::Body),
            member("b", "b", Location::Body),
        ];
        let index = MemberIndex::new(&members);
        for (i, m) in members.iter().enumerate() {
            assert_eq!(index.by_name(&members, &m.name), Some(i));
        }
    }
}
