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
    /// Whether JSON writes the wire name as it is, quoted (no character of it is escaped):
    /// a response then copies it without looking at each byte.
    pub wire_name_plain: bool,
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

/// Lookups from member names and body wire names to member positions: a request carries a
/// few members of structures that model dozens, so walking what is present and finding each
/// member by name beats probing the object for every modelled member. Each lookup is a small
/// open-addressing table of positions keyed by a cheap hash of the name (its length and its
/// first and last eight bytes), compared in full on a hit: a binary search compared a key
/// with five or six names, each a call to `memcmp`. Positions only (the names are the
/// members' own), so an index costs a few bytes a member.
#[derive(Debug, Default)]
pub struct MemberIndex {
    /// Member positions by name.
    by_name: NameTable,
    /// Body member positions by wire name.
    by_wire: NameTable,
    required: Box<[usize]>,
}

/// Positions in an open-addressing table of a power-of-two size at most half full
/// ([`EMPTY`] marks a free slot).
#[derive(Debug, Default)]
struct NameTable(Box<[u16]>);

/// A free slot of a [`NameTable`] (no structure has that many members).
const EMPTY: u16 = u16::MAX;

/// The hash of a name: its length and its first and last (up to) eight bytes, mixed.
fn name_hash(name: &str) -> usize {
    let b = name.as_bytes();
    // Little-endian, zero-padded; a shorter name's bytes are folded in one by one (copying
    // a variable length calls `memcpy`, which cost more than the rest of the lookup).
    let word = |bytes: &[u8]| match bytes.first_chunk::<8>() {
        Some(w) => u64::from_le_bytes(*w),
        None => bytes.iter().rev().fold(0, |w, &b| (w << 8) | u64::from(b)),
    };
    let head = word(b);
    let tail = word(&b[b.len().saturating_sub(8)..]);
    let mixed = (head ^ tail.rotate_left(29) ^ b.len() as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    (mixed >> 32) as usize
}

impl NameTable {
    /// A table of `entries` (position, name).
    fn new<'m>(entries: impl Iterator<Item = (u16, &'m str)> + Clone) -> Self {
        let n = entries.clone().count();
        if n == 0 {
            return NameTable::default();
        }
        let mask = (2 * n).next_power_of_two() - 1;
        let mut slots = vec![EMPTY; mask + 1];
        for (pos, name) in entries {
            let mut i = name_hash(name) & mask;
            while slots[i] != EMPTY {
                i = (i + 1) & mask;
            }
            slots[i] = pos;
        }
        NameTable(slots.into())
    }

    /// The position whose name (`name_of`) is `key`.
    fn find<'m>(&self, key: &str, name_of: impl Fn(usize) -> Option<&'m str>) -> Option<usize> {
        let slots = &self.0;
        if slots.is_empty() {
            return None;
        }
        let mask = slots.len() - 1;
        let mut i = name_hash(key) & mask;
        loop {
            let pos = *slots.get(i)?;
            if pos == EMPTY {
                return None;
            }
            if name_of(pos as usize) == Some(key) {
                return Some(pos as usize);
            }
            i = (i + 1) & mask;
        }
    }
}

impl MemberIndex {
    /// Indexes `members` (a structure has far fewer than 65 535).
    pub(crate) fn new(members: &[Member]) -> Self {
        let positions = members.iter().enumerate().map(|(i, m)| (i as u16, m));
        let by_name = NameTable::new(positions.clone().map(|(i, m)| (i, m.name.as_str())));
        let by_wire = NameTable::new(
            positions
                .filter(|(_, m)| m.location == Location::Body)
                .map(|(i, m)| (i, m.wire_name.as_str())),
        );
        let required = members
            .iter()
            .enumerate()
            .filter(|(_, m)| m.required)
            .map(|(i, _)| i)
            .collect();
        MemberIndex {
            by_name,
            by_wire,
            required,
        }
    }

    /// The position of the member of `members` (the indexed ones) called `name`.
    pub fn by_name(&self, members: &[Member], name: &str) -> Option<usize> {
        self.by_name
            .find(name, |i| members.get(i).map(|m| m.name.as_str()))
    }

    /// The position of the body member of `members` (the indexed ones) whose wire name is
    /// `wire`.
    pub fn by_wire(&self, members: &[Member], wire: &str) -> Option<usize> {
        self.by_wire
            .find(wire, |i| members.get(i).map(|m| m.wire_name.as_str()))
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
        /// A tagged union (the model's `union` trait): a value sets exactly one member, and
        /// SDKs refuse an answer whose union sets none or several ("Tagged Union members MUST
        /// provide one and only one member in the response", botocore #2516).
        union: bool,
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

    #[test]
    fn a_name_hashes_its_zero_padded_first_and_last_eight_bytes() {
        let padded = |bytes: &[u8]| {
            let mut w = [0u8; 8];
            w[..bytes.len().min(8)].copy_from_slice(&bytes[..bytes.len().min(8)]);
            u64::from_le_bytes(w)
        };
        let name = "abcdefghijklmnopqrst\u{e9}";
        for end in 0..=name.len() {
            let Some(n) = name.get(..end) else { continue };
            let b = n.as_bytes();
            let (head, tail) = (padded(b), padded(&b[b.len().saturating_sub(8)..]));
            let mixed =
                (head ^ tail.rotate_left(29) ^ b.len() as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
            assert_eq!(name_hash(n), (mixed >> 32) as usize, "{n:?}");
        }
    }

    fn member(name: &str, wire: &str, location: Location) -> Member {
        Member {
            name: name.into(),
            shape: ShapeId::default(),
            location,
            wire_name: wire.into(),
            wire_name_plain: true,
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
    fn multi_byte_and_colliding_names_are_found() {
        // Names alike in length and in their first and last eight bytes share a hash.
        let members = [
            member("é", "é", Location::Body),
            member("ab", "ab", Location::Body),
            member("b", "b", Location::Body),
            member("AudioDescriptions1xAudioDescriptions", "a", Location::Body),
            member("AudioDescriptions2xAudioDescriptions", "b", Location::Body),
        ];
        let index = MemberIndex::new(&members);
        for (i, m) in members.iter().enumerate() {
            assert_eq!(index.by_name(&members, &m.name), Some(i));
        }
        assert_eq!(
            index.by_name(&members, "AudioDescriptions3xAudioDescriptions"),
            None
        );
    }
}

#[cfg(test)]
mod index_tests {
    use super::*;
    use crate::Registry;

    #[test]
    fn every_member_of_every_model_is_found_by_name_and_wire_name() {
        let registry = Registry::embedded();
        let mut checked = 0;
        for model in registry.models() {
            for shape in &model.shapes {
                let ShapeKind::Structure { members, index, .. } = &shape.kind else {
                    continue;
                };
                for (i, m) in members.iter().enumerate() {
                    let found = index.by_name(members, &m.name).expect("by name");
                    assert_eq!(members[found].name, m.name, "{}", shape.name);
                    assert!(found <= i);
                    if m.location == Location::Body {
                        let found = index.by_wire(members, &m.wire_name).expect("by wire");
                        assert_eq!(members[found].wire_name, m.wire_name, "{}", shape.name);
                    }
                    // Near misses are not members (unless the structure has one so named).
                    for miss in [
                        format!("{}x", m.name),
                        m.name[1..].to_string(),
                        m.name.to_lowercase(),
                    ] {
                        let named = members.iter().any(|o| o.name == miss);
                        assert_eq!(index.by_name(members, &miss).is_some(), named, "{miss}");
                    }
                    checked += 1;
                }
                let non_body = members.iter().find(|m| m.location != Location::Body);
                if let Some(m) = non_body {
                    let also_body = members
                        .iter()
                        .any(|o| o.location == Location::Body && o.wire_name == m.wire_name);
                    assert_eq!(index.by_wire(members, &m.wire_name).is_some(), also_body);
                }
            }
        }
        assert!(checked > 5_000, "{checked} members checked");
        let empty = MemberIndex::new(&[]);
        assert_eq!(empty.by_name(&[], "x"), None);
        assert_eq!(empty.by_wire(&[], ""), None);
    }
}
