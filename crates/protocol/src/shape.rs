//! Shapes compiled from the model: references resolved to indices, patterns compiled.

use crate::timestamp::TimestampFormat;
use regex::Regex;

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
    compiled: std::sync::OnceLock<Option<Regex>>,
}

impl Pattern {
    /// A pattern from the model's text, not compiled yet.
    pub fn new(source: String) -> Pattern {
        Pattern {
            source,
            compiled: std::sync::OnceLock::new(),
        }
    }

    /// The anchored translation, when the regex crate can compile it.
    pub fn regex(&self) -> Option<&Regex> {
        self.compiled
            .get_or_init(|| crate::pattern::compile(&self.source))
            .as_ref()
    }
}

/// Sorted lookups from member names and body wire names to member positions: a request
/// carries a few members of structures that model dozens, so walking what is present and
/// finding each member by binary search beats probing the object for every modelled member.
#[derive(Debug, Default)]
pub struct MemberIndex {
    by_name: Vec<(String, usize)>,
    by_wire: Vec<(String, usize)>,
    required: Vec<usize>,
}

impl MemberIndex {
    /// Indexes `members`.
    pub(crate) fn new(members: &[Member]) -> Self {
        let mut by_name: Vec<(String, usize)> = members
            .iter()
            .enumerate()
            .map(|(i, m)| (m.name.clone(), i))
            .collect();
        by_name.sort();
        let mut by_wire: Vec<(String, usize)> = members
            .iter()
            .enumerate()
            .filter(|(_, m)| m.location == Location::Body)
            .map(|(i, m)| (m.wire_name.clone(), i))
            .collect();
        by_wire.sort();
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

    fn find(list: &[(String, usize)], key: &str) -> Option<usize> {
        list.binary_search_by(|(k, _)| k.as_str().cmp(key))
            .ok()
            .and_then(|i| list.get(i))
            .map(|(_, m)| *m)
    }

    /// The position of the member called `name`.
    pub fn by_name(&self, name: &str) -> Option<usize> {
        Self::find(&self.by_name, name)
    }

    /// The position of the body member whose wire name is `wire`.
    pub fn by_wire(&self, wire: &str) -> Option<usize> {
        Self::find(&self.by_wire, wire)
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
    /// `pattern` trait.
    pub pattern: Option<Pattern>,
    /// Shape-level timestamp format.
    pub timestamp_format: Option<TimestampFormat>,
    /// Present on exception shapes.
    pub error: Option<ErrorInfo>,
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
