//! Conversions between wire values and seam values (member-keyed JSON), shared by both
//! protocols: text scalars (labels, headers, query parameters, form fields) and JSON bodies.

use crate::model::Model;
use crate::shape::{Member, MemberIndex, ShapeId, ShapeKind};
use crate::timestamp::{self, TimestampFormat};
use crate::validate::Path;
use serde_json::{Map, Value};
use service::Node;

/// A type mismatch: the wire value cannot be the shape's type.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Mismatch(pub String);

fn mismatch(what: &str, expected: &str, path: &str) -> Mismatch {
    Mismatch(format!(
        "Value '{what}' at '{path}' cannot be read as {expected}"
    ))
}

/// A null where a list element or map value must be.
fn null_element(path: &Path) -> Mismatch {
    Mismatch(format!(
        "Value null at '{}' cannot be read: a list element or map value must not be null",
        path.render()
    ))
}

/// A scalar from text (`"42"` for an integer, `"true"`, a timestamp in any format).
pub(crate) fn from_text(
    model: &Model,
    id: ShapeId,
    text: &str,
    path: &str,
) -> Result<Value, Mismatch> {
    let shape = model.shape(id);
    match &shape.kind {
        ShapeKind::String { .. } | ShapeKind::Blob => Ok(Value::String(text.to_string())),
        ShapeKind::Integer => text
            .trim()
            .parse::<i32>()
            .map(Value::from)
            .map_err(|_| mismatch(text, "an integer", path)),
        ShapeKind::Long => text
            .trim()
            .parse::<i64>()
            .map(Value::from)
            .map_err(|_| mismatch(text, "an integer", path)),
        ShapeKind::Float | ShapeKind::Double => text
            .trim()
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map(Value::Number)
            .ok_or_else(|| mismatch(text, "a number", path)),
        ShapeKind::Boolean => match text.trim() {
            "true" => Ok(Value::Bool(true)),
            "false" => Ok(Value::Bool(false)),
            _ => Err(mismatch(text, "a boolean", path)),
        },
        ShapeKind::Timestamp => timestamp::parse(text)
            .and_then(serde_json::Number::from_f64)
            .map(Value::Number)
            .ok_or_else(|| mismatch(text, "a timestamp", path)),
        ShapeKind::List { member, .. } => text
            .split(',')
            .map(|part| from_text(model, *member, part.trim(), path))
            .collect::<Result<Vec<_>, _>>()
            .map(Value::Array),
        ShapeKind::Structure { .. } | ShapeKind::Map { .. } => {
            Err(mismatch(text, "a structure", path))
        }
    }
}

/// A JSON body value (wire names) to a seam value (member names), checking types.
pub(crate) fn from_json(
    model: &Model,
    id: ShapeId,
    v: &Value,
    path: &Path,
) -> Result<Value, Mismatch> {
    let shape = model.shape(id);
    let shown = || {
        let s = v.to_string();
        s.chars().take(64).collect::<String>()
    };
    if v.is_null() {
        return Ok(Value::Null);
    }
    match &shape.kind {
        ShapeKind::Structure { members, index, .. } => {
            let obj = v
                .as_object()
                .ok_or_else(|| mismatch(&shown(), "an object", &path.render()))?;
            let mut out = Map::new();
            for (key, value) in obj {
                // Unknown members are ignored, as AWS does.
                let Some(m) = index.by_wire(members, key).and_then(|i| members.get(i)) else {
                    continue;
                };
                let child = Path::Member(path, &m.wire_name);
                let converted = from_json(model, m.shape, value, &child)?;
                if !converted.is_null() {
                    out.insert(m.name.clone(), converted);
                }
            }
            Ok(Value::Object(out))
        }
        ShapeKind::List { member, .. } => {
            let items = v
                .as_array()
                .ok_or_else(|| mismatch(&shown(), "a list", &path.render()))?;
            items
                .iter()
                .enumerate()
                .map(|(i, item)| {
                    let at = Path::Item(path, i);
                    // None of our models has a sparse list: a null element cannot be read.
                    if item.is_null() {
                        return Err(null_element(&at));
                    }
                    from_json(model, *member, item, &at)
                })
                .collect::<Result<Vec<_>, _>>()
                .map(Value::Array)
        }
        ShapeKind::Map { value, .. } => {
            let obj = v
                .as_object()
                .ok_or_else(|| mismatch(&shown(), "a map", &path.render()))?;
            let mut out = Map::new();
            for (k, val) in obj {
                let at = Path::MapValue(path, k);
                // Nor a sparse map: a null value cannot be read.
                if val.is_null() {
                    return Err(null_element(&at));
                }
                out.insert(k.clone(), from_json(model, *value, val, &at)?);
            }
            Ok(Value::Object(out))
        }
        ShapeKind::String { .. } | ShapeKind::Blob => match v {
            Value::String(_) => Ok(v.clone()),
            _ => Err(mismatch(&shown(), "a string", &path.render())),
        },
        ShapeKind::Integer => match v.as_i64().filter(|n| i32::try_from(*n).is_ok()) {
            Some(n) => Ok(Value::from(n)),
            None => Err(mismatch(&shown(), "an integer", &path.render())),
        },
        ShapeKind::Long => match v.as_i64() {
            Some(n) => Ok(Value::from(n)),
            None => Err(mismatch(&shown(), "an integer", &path.render())),
        },
        ShapeKind::Float | ShapeKind::Double => match v {
            Value::Number(_) => Ok(v.clone()),
            _ => Err(mismatch(&shown(), "a number", &path.render())),
        },
        ShapeKind::Boolean => match v {
            Value::Bool(_) => Ok(v.clone()),
            _ => Err(mismatch(&shown(), "a boolean", &path.render())),
        },
        ShapeKind::Timestamp => match v {
            Value::Number(n) if n.as_f64().is_some_and(timestamp::in_range) => Ok(v.clone()),
            Value::String(s) => timestamp::parse(s)
                .and_then(serde_json::Number::from_f64)
                .map(Value::Number)
                .ok_or_else(|| mismatch(&shown(), "a timestamp", &path.render())),
            _ => Err(mismatch(&shown(), "a timestamp", &path.render())),
        },
    }
}

/// [`from_json`] of the JSON text `body`, the seam value built as the text is read: no wire
/// value tree is built first (every key of a body was hashed and copied twice, and every
/// node allocated twice). `None` for anything but a body that converts cleanly — malformed
/// JSON, a type mismatch, a null list element or map value, a key given twice: the caller then
/// parses and converts in two steps, which words the error exactly as always (and, for a
/// repeated key, takes its last value as always).
pub(crate) fn from_json_text(
    model: &Model,
    id: ShapeId,
    body: &[u8],
    check: Check,
) -> Option<Value> {
    use serde::de::DeserializeSeed;
    // The whole body checked as UTF-8 at once: read as bytes, serde_json checks each string
    // it reads separately, which cost a CreateJob more than its parse of the numbers and
    // structure together. Invalid UTF-8 takes the two-step path and its error.
    let text = std::str::from_utf8(body).ok()?;
    let mut de = serde_json::Deserializer::from_str(text);
    let value = Seed { model, id, check }.deserialize(&mut de).ok()?;
    de.end().ok()?;
    Some(value)
}

/// Whether [`from_json_text`] also checks every value against the model's constraints as it
/// is read (what `validate` checks of it): a value that fails one is `None` too, and the
/// caller's two steps then word the error; a value returned needs no second walk.
#[derive(Clone, Copy, PartialEq, Debug)]
pub(crate) enum Check {
    /// No: the caller validates the whole value.
    No,
    /// Yes, this value being the operation's input: its required members are not checked
    /// (the input check sees the members the body does not carry).
    Top,
    /// Yes.
    Nested,
}

/// Reads one value of shape `id` into its seam value (see [`from_json_text`]).
#[derive(Clone, Copy)]
pub(crate) struct Seed<'a> {
    model: &'a Model,
    id: ShapeId,
    check: Check,
}

impl<'a> Seed<'a> {
    /// The seed of a value of shape `id`.
    pub(crate) fn new(model: &'a Model, id: ShapeId, check: Check) -> Self {
        Seed { model, id, check }
    }
}

impl Seed<'_> {
    /// The seed of a member, item or entry of this seed's value, of shape `id`.
    fn child(self, id: ShapeId) -> Self {
        let check = match self.check {
            Check::No => Check::No,
            Check::Top | Check::Nested => Check::Nested,
        };
        Seed {
            model: self.model,
            id,
            check,
        }
    }

    /// `v` if it passes this seed's checks.
    fn checked<E: serde::de::Error>(self, v: Value) -> Result<Value, E> {
        if self.check == Check::No
            || self.model.unconstrained[self.id]
            || crate::validate::node_valid(self.model, self.id, &v, self.check == Check::Top)
        {
            Ok(v)
        } else {
            Err(off())
        }
    }
}

/// The error that sends [`from_json_text`]'s caller to the two-step path (never shown).
pub(crate) fn off<E: serde::de::Error>() -> E {
    E::custom("not a clean conversion")
}

impl<'de> serde::de::DeserializeSeed<'de> for Seed<'_> {
    type Value = Value;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

/// Reads the members of a structure of `members` from `map`: `each` reads the value of each
/// modelled one (given its position). Unknown members are ignored, as AWS does, but still
/// read as the wire tree would read them (a number out of range, bad UTF-8 fail); a member
/// given twice sends the caller to the two-step path (which takes its last value).
pub(crate) fn read_members<'de, 'm, A: serde::de::MapAccess<'de>>(
    map: &mut A,
    members: &'m [Member],
    index: &MemberIndex,
    mut each: impl FnMut(&mut A, usize, &'m Member) -> Result<(), A::Error>,
) -> Result<(), A::Error> {
    let mut seen = Seen::default();
    while let Some(Key(key)) = map.next_key::<Key>()? {
        let Some(i) = index.by_wire(members, &key) else {
            map.next_value::<Value>()?;
            continue;
        };
        if !seen.first(i) {
            return Err(off());
        }
        each(map, i, &members[i])?;
    }
    Ok(())
}

/// Which members of a structure were read: a bit each for the first 128, a list beyond.
#[derive(Default)]
struct Seen {
    bits: u128,
    more: Vec<usize>,
}

impl Seen {
    /// Records member `i`; whether it is the first time.
    fn first(&mut self, i: usize) -> bool {
        match u32::try_from(i).ok().and_then(|i| 1u128.checked_shl(i)) {
            Some(bit) => {
                let first = self.bits & bit == 0;
                self.bits |= bit;
                first
            }
            None if self.more.contains(&i) => false,
            None => {
                self.more.push(i);
                true
            }
        }
    }
}

/// An object key, borrowed from the text when it has no escapes.
pub(crate) struct Key<'de>(pub(crate) std::borrow::Cow<'de, str>);

impl<'de> serde::Deserialize<'de> for Key<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a key")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(std::borrow::Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key(std::borrow::Cow::Owned(v.to_string())))
            }
        }
        d.deserialize_str(V)
    }
}

impl<'de> serde::de::Visitor<'de> for Seed<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a value of the shape")
    }

    // Null is no value, whatever the shape (as in `from_json`).
    fn visit_unit<E: serde::de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_bool<E: serde::de::Error>(self, b: bool) -> Result<Value, E> {
        match self.model.shape(self.id).kind {
            ShapeKind::Boolean => Ok(Value::Bool(b)),
            _ => Err(off()),
        }
    }

    fn visit_i64<E: serde::de::Error>(self, n: i64) -> Result<Value, E> {
        self.number(serde_json::Number::from(n))
    }

    fn visit_u64<E: serde::de::Error>(self, n: u64) -> Result<Value, E> {
        self.number(serde_json::Number::from(n))
    }

    fn visit_f64<E: serde::de::Error>(self, n: f64) -> Result<Value, E> {
        // The same number the wire value tree would hold (its visitor makes it so).
        self.number(serde_json::Number::from_f64(n).ok_or_else(off)?)
    }

    fn visit_borrowed_str<E: serde::de::Error>(self, v: &'de str) -> Result<Value, E> {
        self.visit_str(v)
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Value, E> {
        match self.model.shape(self.id).kind {
            ShapeKind::String { .. } | ShapeKind::Blob => {
                self.checked(Value::String(v.to_string()))
            }
            ShapeKind::Timestamp => timestamp::parse(v)
                .and_then(serde_json::Number::from_f64)
                .map(Value::Number)
                .ok_or_else(off),
            _ => Err(off()),
        }
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let ShapeKind::List { member, .. } = self.model.shape(self.id).kind else {
            return Err(off());
        };
        let item = self.child(member);
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(v) = seq.next_element_seed(item)? {
            if v.is_null() {
                return Err(off());
            }
            items.push(v);
        }
        self.checked(Value::Array(items))
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let model = self.model;
        let mut out = Map::new();
        match &model.shape(self.id).kind {
            ShapeKind::Structure { members, index, .. } => {
                read_members(&mut map, members, index, |map, _, m| {
                    let v = map.next_value_seed(self.child(m.shape))?;
                    if !v.is_null() {
                        out.insert(m.name.clone(), v);
                    }
                    Ok(())
                })?;
            }
            ShapeKind::Map { value, .. } => {
                let seed = self.child(*value);
                while let Some(Key(key)) = map.next_key::<Key>()? {
                    let v = map.next_value_seed(seed)?;
                    if v.is_null() || out.contains_key(&*key) {
                        return Err(off());
                    }
                    out.insert(key.into_owned(), v);
                }
            }
            _ => return Err(off()),
        }
        self.checked(Value::Object(out))
    }
}

impl Seed<'_> {
    fn number<E: serde::de::Error>(self, n: serde_json::Number) -> Result<Value, E> {
        match self.model.shape(self.id).kind {
            ShapeKind::Integer => match n.as_i64().filter(|n| i32::try_from(*n).is_ok()) {
                Some(n) => self.checked(Value::from(n)),
                None => Err(off()),
            },
            ShapeKind::Long => match n.as_i64() {
                Some(n) => self.checked(Value::from(n)),
                None => Err(off()),
            },
            ShapeKind::Float | ShapeKind::Double => self.checked(Value::Number(n)),
            ShapeKind::Timestamp if n.as_f64().is_some_and(timestamp::in_range) => {
                Ok(Value::Number(n))
            }
            _ => Err(off()),
        }
    }
}

/// A seam value (member names) to a JSON body value (wire names), formatting timestamps.
/// Keys the shape does not model are dropped; values of an unexpected type pass unchanged.
pub(crate) fn to_json(
    model: &Model,
    id: ShapeId,
    v: &Value,
    fmt: Option<TimestampFormat>,
) -> Value {
    let shape = model.shape(id);
    match (&shape.kind, v) {
        (ShapeKind::Structure { members, index, .. }, Value::Object(obj)) => {
            let mut out = Map::new();
            for (key, value) in obj.iter().filter(|(_, x)| !x.is_null()) {
                if let Some(m) = index.by_name(members, key).and_then(|i| members.get(i)) {
                    out.insert(
                        m.wire_name.clone(),
                        to_json(model, m.shape, value, m.timestamp_format),
                    );
                }
            }
            Value::Object(out)
        }
        (ShapeKind::List { member, .. }, Value::Array(items)) => Value::Array(
            items
                .iter()
                .map(|i| to_json(model, *member, i, None))
                .collect(),
        ),
        (ShapeKind::Map { value, .. }, Value::Object(obj)) => Value::Object(
            obj.iter()
                .map(|(k, x)| (k.clone(), to_json(model, *value, x, None)))
                .collect(),
        ),
        (ShapeKind::Timestamp, _) => match timestamp::from_value(v) {
            Some(secs) => timestamp::format(
                secs,
                fmt.or(shape.timestamp_format)
                    .unwrap_or(TimestampFormat::EpochSeconds),
            ),
            None => v.clone(),
        },
        _ => v.clone(),
    }
}

/// `v` on the JSON wire exactly as [`to_json`] converts it and serde_json writes that value,
/// but written straight to the output: the hot path of every JSON response builds no second
/// `Value` tree, and skips serde's Serialize machinery (a CreateJob's settings took 8,900
/// instructions through it).
pub(crate) struct Wire<'a> {
    /// The model the shape is in.
    pub model: &'a Model,
    /// The shape `v` has.
    pub id: ShapeId,
    /// The seam value.
    pub v: &'a Value,
    /// The member's timestamp format, if it sets one.
    pub fmt: Option<TimestampFormat>,
}

impl Wire<'_> {
    /// Appends the compact JSON text to `out`.
    pub(crate) fn write(&self, out: &mut Vec<u8>) {
        write_wire(out, self.model, self.id, self.v, self.fmt);
    }
}

/// Appends the wire text of `v`, a value of shape `id` (a seam value or a `service::Doc`).
pub(crate) fn write_wire<N: Node>(
    out: &mut Vec<u8>,
    model: &Model,
    id: ShapeId,
    v: &N,
    fmt: Option<TimestampFormat>,
) {
    let shape = model.shape(id);
    match (&shape.kind, v.entries(), v.items()) {
        (ShapeKind::Structure { members, index, .. }, Some(entries), _) => {
            // Keys the shape does not model and null values are dropped, as in `to_json`.
            out.push(b'{');
            let mut first = true;
            for (key, value) in entries {
                if value.is_null() {
                    continue;
                }
                let Some(m) = index.by_name(members, key).and_then(|i| members.get(i)) else {
                    continue;
                };
                if !first {
                    out.push(b',');
                }
                first = false;
                write_key(out, m);
                write_wire(out, model, m.shape, value, m.timestamp_format);
            }
            out.push(b'}');
        }
        (ShapeKind::List { member, .. }, _, Some(items)) => {
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_wire(out, model, *member, item, None);
            }
            out.push(b']');
        }
        (ShapeKind::Map { value, .. }, Some(entries), _) => {
            out.push(b'{');
            for (i, (k, x)) in entries.enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_str(out, k);
                out.push(b':');
                write_wire(out, model, *value, x, None);
            }
            out.push(b'}');
        }
        (ShapeKind::Timestamp, _, _) => {
            // Epoch seconds, or an RFC 3339 string a service handed back.
            match v.as_f64().or_else(|| v.as_str().and_then(timestamp::parse)) {
                Some(secs) => write_value(
                    out,
                    &timestamp::format(
                        secs,
                        fmt.or(shape.timestamp_format)
                            .unwrap_or(TimestampFormat::EpochSeconds),
                    ),
                ),
                None => write_value(out, v),
            }
        }
        _ => write_value(out, v),
    }
}

/// A value as serde_json writes it (strings by [`write_str`]).
fn write_value<N: Node>(out: &mut Vec<u8>, v: &N) {
    match v.as_str() {
        Some(s) => write_str(out, s),
        // Numbers, booleans, null and unmodelled nesting: serde_json's own text.
        None => v.write_json(out),
    }
}

/// `s` as a JSON string exactly as serde_json writes it: quoted as it is unless it holds a
/// quote, a backslash or a control character, which serde_json itself escapes.
pub fn write_str(out: &mut Vec<u8>, s: &str) {
    if needs_escape(s.as_bytes()) {
        // Writing a string to memory cannot fail.
        let _ = serde_json::to_writer(&mut *out, s);
        return;
    }
    out.reserve(s.len() + 2);
    out.push(b'"');
    out.extend_from_slice(s.as_bytes());
    out.push(b'"');
}

/// `"wireName":` of member `m`, as [`write_str`] and a colon write it.
pub(crate) fn write_key(out: &mut Vec<u8>, m: &Member) {
    if m.wire_name_plain {
        out.reserve(m.wire_name.len() + 3);
        out.push(b'"');
        out.extend_from_slice(m.wire_name.as_bytes());
        out.extend_from_slice(b"\":");
    } else {
        write_str(out, &m.wire_name);
        out.push(b':');
    }
}

/// Whether `bytes` hold a quote, a backslash or a control character: eight bytes at a time
/// (a byte at a time took most of a response's string writing).
pub(crate) fn needs_escape(bytes: &[u8]) -> bool {
    const ONES: u64 = u64::from_le_bytes([1; 8]);
    const HIGH: u64 = ONES << 7;
    // Whether a byte of `x` is below `n` (exact for n <= 128; 0 finds a zero byte).
    let below = |x: u64, n: u8| x.wrapping_sub(ONES * u64::from(n)) & !x & HIGH != 0;
    let word =
        |x: u64| below(x, 0x20) || below(x ^ (ONES * 0x22), 1) || below(x ^ (ONES * 0x5c), 1);
    let len = bytes.len();
    if len < 8 {
        return bytes.iter().any(|&b| b < 0x20 || b == b'"' || b == b'\\');
    }
    let word_at = |i: usize| {
        let mut w = [0u8; 8];
        w.copy_from_slice(&bytes[i..i + 8]);
        word(u64::from_le_bytes(w))
    };
    // Whole words, then the last eight bytes (overlapping the last whole word read).
    (0..len / 8).any(|i| word_at(i * 8)) || (!len.is_multiple_of(8) && word_at(len - 8))
}

/// A scalar as text (headers, query strings, XML), timestamps in `fmt` unless the model says.
pub(crate) fn to_text(
    model: &Model,
    id: ShapeId,
    v: &Value,
    fmt: Option<TimestampFormat>,
    default: TimestampFormat,
) -> String {
    let shape = model.shape(id);
    match (&shape.kind, v) {
        (ShapeKind::Timestamp, _) => match timestamp::from_value(v) {
            Some(secs) => {
                timestamp::format_text(secs, fmt.or(shape.timestamp_format).unwrap_or(default))
            }
            None => text_of(v),
        },
        (ShapeKind::List { member, .. }, Value::Array(items)) => items
            .iter()
            .map(|i| to_text(model, *member, i, None, default))
            .collect::<Vec<_>>()
            .join(", "),
        _ => text_of(v),
    }
}

/// A JSON scalar as text, strings unquoted.
pub(crate) fn text_of(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::Registry;

    /// A value with every member of `id` set (to a small depth), timestamps as epoch numbers.
    pub(crate) fn full(model: &Model, id: ShapeId, depth: usize) -> Value {
        let shape = model.shape(id);
        match &shape.kind {
            ShapeKind::Structure { members, .. } if depth < 6 => Value::Object(
                members
                    .iter()
                    .map(|m| (m.name.clone(), full(model, m.shape, depth + 1)))
                    .collect(),
            ),
            ShapeKind::Structure { .. } => Value::Object(Map::new()),
            ShapeKind::List { member, .. } if depth < 6 => {
                Value::Array(vec![full(model, *member, depth + 1), Value::Null])
            }
            ShapeKind::Map { value, .. } if depth < 6 => Value::Object(
                [("k".to_string(), full(model, *value, depth + 1))]
                    .into_iter()
                    .collect(),
            ),
            ShapeKind::Timestamp => Value::from(1_700_000_000.5),
            ShapeKind::Boolean => Value::Bool(false),
            ShapeKind::Integer | ShapeKind::Long => Value::from(7),
            ShapeKind::Float | ShapeKind::Double => Value::from(1.25),
            _ => Value::String("s \"q\" é".into()),
        }
    }

    /// What [`Wire`] writes of `v`.
    fn wire_text(model: &Model, id: ShapeId, v: &Value, fmt: Option<TimestampFormat>) -> String {
        let mut out = Vec::new();
        Wire { model, id, v, fmt }.write(&mut out);
        String::from_utf8(out).expect("UTF-8")
    }

    #[test]
    fn escapes_are_found_at_every_position_among_any_bytes() {
        let escaped = |b: u8| b < 0x20 || b == b'"' || b == b'\\';
        for len in 0..20 {
            for at in 0..len {
                for b in 0..=255u8 {
                    // Neighbours that are near misses of each test (0x20, 0x21, 0x23, 0x5b...).
                    let mut bytes: Vec<u8> = (0..len)
                        .map(|i| [0x20, 0x21, 0x23, 0x5b, 0x5d, 0xff][i % 6])
                        .collect();
                    bytes[at] = b;
                    assert_eq!(needs_escape(&bytes), escaped(b), "{bytes:?}");
                }
            }
            let clean: Vec<u8> = (0..len)
                .map(|i| (0x20 + (i * 37) % 0x60) as u8)
                .filter(|b| !escaped(*b))
                .collect();
            assert!(!needs_escape(&clean));
        }
    }

    #[test]
    fn every_member_key_is_written_as_its_quoted_wire_name() {
        let registry = Registry::embedded();
        let mut checked = 0;
        for model in registry.models() {
            for shape in &model.shapes {
                for m in shape.members() {
                    let mut key = Vec::new();
                    write_key(&mut key, m);
                    let expected = format!("{}:", serde_json::to_string(&m.wire_name).unwrap());
                    assert_eq!(String::from_utf8(key).unwrap(), expected);
                    checked += 1;
                }
            }
        }
        assert!(checked > 5_000, "{checked} members");
        // A wire name JSON escapes is written escaped.
        let odd = crate::shape::Member {
            name: "Odd".into(),
            shape: 0,
            location: crate::shape::Location::Body,
            wire_name: "a\"b".into(),
            wire_name_plain: false,
            required: false,
            idempotency_token: false,
            jsonvalue: false,
            timestamp_format: None,
            flattened: false,
        };
        let mut key = Vec::new();
        write_key(&mut key, &odd);
        assert_eq!(key, br#""a\"b":"#);
    }

    #[test]
    fn strings_are_written_exactly_as_serde_json_writes_them() {
        let mut texts: Vec<String> = (0u8..0x80).map(|b| format!("a{}b", b as char)).collect();
        texts.extend(
            [
                "",
                "plain",
                "s \"q\" é",
                "back\\slash",
                "\u{7f}\u{80}\u{2028}😀",
                "\n\t",
            ]
            .map(String::from),
        );
        for text in texts {
            let mut out = b"x".to_vec();
            write_str(&mut out, &text);
            let expected = format!("x{}", serde_json::to_string(&text).expect("string"));
            assert_eq!(String::from_utf8(out).expect("UTF-8"), expected, "{text:?}");
        }
    }

    #[test]
    fn unmodelled_values_and_timestamps_are_written_as_to_json_converts_them() {
        let registry = Registry::embedded();
        let model = registry.model("ivs").expect("model");
        let id = model
            .operation("ListChannels")
            .and_then(|op| op.output)
            .expect("output");
        let odd = [
            serde_json::json!({"channels": {"not": ["a", "list", 1.5, null, true]}}),
            serde_json::json!({"channels": [1, "x\u{1}", [null], {"k": {"n": -3}}]}),
            serde_json::json!({"channels": [], "nextToken": 12}),
            serde_json::json!({}),
            serde_json::json!([{"a": 1}]),
            serde_json::json!("text"),
            Value::Null,
        ];
        for v in odd {
            assert_eq!(
                wire_text(model, id, &v, None),
                to_json(model, id, &v, None).to_string(),
                "{v}"
            );
        }
        // Every shape of the model, given values of the wrong kind and timestamps as text.
        for (i, _) in model.shapes.iter().enumerate() {
            for v in [
                serde_json::json!("2024-01-02T03:04:05.5Z"),
                serde_json::json!(1_700_000_000.25),
                serde_json::json!({"k": "v"}),
                serde_json::json!([1]),
            ] {
                for fmt in [None, Some(TimestampFormat::Rfc822)] {
                    assert_eq!(
                        wire_text(model, i, &v, fmt),
                        to_json(model, i, &v, fmt).to_string()
                    );
                }
            }
        }
    }

    #[test]
    fn list_items_with_shifting_keys_serialize_as_to_json() {
        let registry = Registry::embedded();
        let model = registry.model("ivs").expect("model");
        let op = model.operation("ListChannels").expect("op");
        let id = op.output.expect("output");
        // Items alike, then in another order, with a member missing, an unknown key, a null,
        // a non-object item, and keys at positions the earlier items had others at.
        let items = serde_json::json!([
            {"arn": "a1", "name": "n1", "latencyMode": "LOW", "tags": {"k": "v"}},
            {"arn": "a2", "name": "n2", "latencyMode": "NORMAL", "tags": {}},
            {"name": "n3", "arn": "a3", "unknown": 1, "latencyMode": null, "type": "BASIC"},
            {"arn": "a4"},
            {"unknown": 2, "arn": "a5", "name": "n5", "authorized": true, "insecureIngest": false},
            "not an object",
            {"arn": "a6", "name": "n6", "latencyMode": "LOW", "tags": {"x": "y"}, "preset": ""},
        ]);
        let v = serde_json::json!({"channels": items, "nextToken": "t"});
        let direct = wire_text(model, id, &v, None);
        assert_eq!(direct, to_json(model, id, &v, None).to_string());
        assert!(direct.contains(r#"{"name":"n3","arn":"a3","type":"BASIC"}"#));
    }

    /// Calls `check(model name, model, operation name, shape)` for the shape `pick` takes from
    /// every operation of the embedded models `names` that has one.
    fn each_operation_shape(
        names: &[&str],
        pick: impl Fn(&crate::model::Operation) -> Option<ShapeId>,
        mut check: impl FnMut(&str, &Model, &str, ShapeId),
    ) {
        let registry = Registry::shared();
        for name in names {
            let model = registry.model(name).expect("model");
            for op in model.operations() {
                if let Some(id) = pick(op) {
                    check(name, model, &op.name, id);
                }
            }
        }
    }

    #[test]
    fn wire_serializes_exactly_as_to_json_for_every_output_shape() {
        let mut checked = 0;
        let models = [
            "ivs",
            "mediaconnect",
            "mediaconvert",
            "mediapackagev2",
            "iam",
        ];
        each_operation_shape(
            &models,
            |op| op.output,
            |name, model, op, id| {
                let mut v = full(model, id, 0);
                if let Value::Object(obj) = &mut v {
                    // An unknown member and a null are dropped by both.
                    obj.insert("notInTheModel".into(), Value::from(1));
                    obj.insert("nullMember".into(), Value::Null);
                }
                for fmt in [None, Some(TimestampFormat::Iso8601)] {
                    let direct = wire_text(model, id, &v, fmt);
                    assert_eq!(
                        direct,
                        to_json(model, id, &v, fmt).to_string(),
                        "{name} {op}"
                    );
                }
                checked += 1;
            },
        );
        assert!(checked > 100, "only {checked} outputs checked");
    }

    /// `v` without the nulls in its lists (which `from_json` refuses).
    fn no_null_items(v: Value) -> Value {
        match v {
            Value::Array(items) => Value::Array(
                items
                    .into_iter()
                    .filter(|i| !i.is_null())
                    .map(no_null_items)
                    .collect(),
            ),
            Value::Object(m) => {
                Value::Object(m.into_iter().map(|(k, v)| (k, no_null_items(v))).collect())
            }
            v => v,
        }
    }

    /// The two-step conversion of `text`, as the request path did it before.
    fn two_steps(model: &Model, id: ShapeId, text: &str) -> Result<Value, String> {
        let json: Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
        from_json(model, id, &json, &Path::Root).map_err(|e| e.0)
    }

    /// The rest-json models, whose bodies are read straight into seam values.
    const REST_JSON_MODELS: [&str; 5] = [
        "ivs",
        "mediaconnect",
        "mediaconvert",
        "mediapackage",
        "mediapackagev2",
    ];

    #[test]
    fn reading_the_text_straight_gives_what_the_two_steps_give_for_every_input_shape() {
        let mut checked = 0;
        each_operation_shape(
            &REST_JSON_MODELS,
            |op| op.input,
            |name, model, op, id| {
                let seam = full(model, id, 0);
                let mut wire = to_json(model, id, &no_null_items(seam.clone()), None);
                if let Value::Object(obj) = &mut wire {
                    obj.insert("notInTheModel".into(), serde_json::json!({"x": [1, 2.5]}));
                    obj.insert("nullMember".into(), Value::Null);
                }
                let text = wire.to_string();
                let direct = from_json_text(model, id, text.as_bytes(), Check::No);
                // (Past the generator's depth a value may have the wrong type: both refuse.)
                let expected = two_steps(model, id, &text).ok();
                assert_eq!(direct, expected, "{name} {op}");
                checked += usize::from(expected.is_some());
                // With null list items the two steps refuse it; the direct read hands over.
                let with_nulls = to_json(model, id, &seam, None).to_string();
                if two_steps(model, id, &with_nulls).is_err() {
                    assert_eq!(
                        from_json_text(model, id, with_nulls.as_bytes(), Check::No),
                        None
                    );
                }
            },
        );
        assert!(checked > 100, "only {checked} inputs checked");
    }

    #[test]
    fn members_are_seen_once_by_bit_and_beyond_by_list() {
        let mut seen = Seen::default();
        for i in [0, 5, 127, 128, 300] {
            assert!(seen.first(i), "{i}");
        }
        for i in [0, 5, 127, 128, 300] {
            assert!(!seen.first(i), "{i}");
        }
        assert!(seen.first(1) && seen.first(129) && seen.more.len() == 3);
    }

    #[test]
    fn a_member_given_twice_is_left_to_the_two_steps() {
        // The direct read hands over; the two steps take the last value, as always.
        let registry = Registry::shared();
        let model = registry.model("mediaconvert").expect("model");
        let op = model
            .operations()
            .find(|o| o.name == "CreateJob")
            .expect("op");
        let id = op.input.expect("input");
        let twice = r#"{"role":"a","queue":"q","role":"b"}"#;
        assert_eq!(from_json_text(model, id, twice.as_bytes(), Check::No), None);
        assert_eq!(two_steps(model, id, twice).unwrap()["Role"], "b");
        let once = r#"{"role":"a","queue":"q","userMetadata":{"k":"v","l":"w"}}"#;
        let direct = from_json_text(model, id, once.as_bytes(), Check::No).unwrap();
        assert_eq!(Some(direct), two_steps(model, id, once).ok());
        let key_twice = r#"{"userMetadata":{"k":"v","k":"w"}}"#;
        assert_eq!(
            from_json_text(model, id, key_twice.as_bytes(), Check::No),
            None
        );
    }

    /// Whether every member value of input `v` passes `validate` (its own required members
    /// are the operation's input check's to see).
    fn members_valid(model: &Model, id: ShapeId, v: &Value) -> bool {
        let ShapeKind::Structure { members, index, .. } = &model.shape(id).kind else {
            return false;
        };
        let mut issues = Vec::new();
        for (k, x) in v.as_object().into_iter().flatten() {
            if let Some(m) = index.by_name(members, k).and_then(|i| members.get(i)) {
                crate::validate::validate(model, m.shape, x, &Path::Root, &mut issues);
            }
        }
        issues.is_empty()
    }

    /// `v` with every string made too long for most limits and every number too large.
    fn oversized(v: &Value) -> Value {
        match v {
            Value::String(_) => Value::String("x".repeat(3000)),
            Value::Number(_) => Value::from(2_000_000_000),
            Value::Array(items) => Value::Array(items.iter().map(oversized).collect()),
            Value::Object(obj) => {
                Value::Object(obj.iter().map(|(k, x)| (k.clone(), oversized(x))).collect())
            }
            other => other.clone(),
        }
    }

    #[test]
    fn a_checked_read_accepts_exactly_what_validation_accepts_for_every_input_shape() {
        let (mut accepted, mut refused) = (0, 0);
        each_operation_shape(
            &REST_JSON_MODELS,
            |op| op.input,
            |name, model, op, id| {
                let wire = to_json(model, id, &no_null_items(full(model, id, 0)), None);
                for text in [wire.to_string(), oversized(&wire).to_string()] {
                    let checked = from_json_text(model, id, text.as_bytes(), Check::Top);
                    let expected = two_steps(model, id, &text)
                        .ok()
                        .filter(|v| members_valid(model, id, v));
                    assert_eq!(checked, expected, "{name} {op}: {text}");
                    accepted += usize::from(expected.is_some());
                    refused +=
                        usize::from(expected.is_none() && two_steps(model, id, &text).is_ok());
                }
            },
        );
        assert!(
            accepted > 100 && refused > 100,
            "{accepted} accepted, {refused} refused"
        );
    }

    /// The input shape of `operation`.
    fn input_of(model: &Model, operation: &str) -> ShapeId {
        model
            .operation(operation)
            .and_then(|op| op.input)
            .expect("input")
    }

    #[test]
    fn a_checked_read_refuses_each_kind_of_constraint() {
        let registry = Registry::embedded();
        let model = registry.model("mediaconvert").expect("model");
        let id = input_of(model, "CreateJob");
        let checked = |text: &str| from_json_text(model, id, text.as_bytes(), Check::Top);
        let ok =
            r#"{"role": "r", "priority": 3, "settings": {"inputs": [{"fileInput": "s3://a/b"}]}}"#;
        assert!(checked(ok).is_some());
        // The input's own required members (`Role`, `Settings`) are the input check's.
        assert!(checked(r#"{"priority": 3}"#).is_some());
        for text in [
            // A range, an enum, a nested range, a pattern.
            r#"{"priority": 51}"#,
            r#"{"settings": {"inputs": [{"timecodeSource": "SOMETIME"}]}}"#,
            r#"{"settings": {"outputGroups": [{"outputs": [{"captionDescriptions": [{"destinationSettings": {"dvbSubDestinationSettings": {"fontSize": 1000}}}]}]}]}}"#,
            r#"{"settings": {"timecodeConfig": {"anchor": "noon"}}}"#,
        ] {
            assert_eq!(checked(text), None, "{text}");
            assert!(
                from_json_text(model, id, text.as_bytes(), Check::No).is_some(),
                "{text}"
            );
        }
        // A nested structure's required members are checked (CreateQueue's plan).
        let queue = input_of(model, "CreateQueue");
        let plan = |settings: &str| {
            let text = format!(r#"{{"name": "q", "reservationPlanSettings": {settings}}}"#);
            from_json_text(model, queue, text.as_bytes(), Check::Top)
        };
        assert!(
            plan(r#"{"commitment": "ONE_YEAR", "renewalType": "EXPIRE", "reservedSlots": 1}"#)
                .is_some()
        );
        assert_eq!(plan(r#"{"commitment": "ONE_YEAR"}"#), None);
    }

    #[test]
    fn anything_but_a_clean_conversion_is_left_to_the_two_steps() {
        let registry = Registry::embedded();
        let model = registry.model("mediaconvert").expect("model");
        let id = input_of(model, "CreateJob");
        let direct = |text: &str| from_json_text(model, id, text.as_bytes(), Check::No);
        let ok = r#"{"role": "r", "priority": 3, "userMetadata": {"a": "b"}, "queue": null}"#;
        assert_eq!(direct(ok), Some(two_steps(model, id, ok).unwrap()));
        assert_eq!(
            direct(ok).unwrap(),
            serde_json::json!({"Role": "r", "Priority": 3, "UserMetadata": {"a": "b"}})
        );
        for text in [
            // A key twice: the two steps keep the last value.
            r#"{"role": "a", "role": "b"}"#,
            r#"{"userMetadata": {"a": "1", "a": "2"}}"#,
            // Type mismatches, a null map value.
            r#"{"priority": "3"}"#,
            r#"{"priority": 3.5}"#,
            r#"{"priority": 4294967296}"#,
            r#"{"role": 1}"#,
            r#"{"userMetadata": {"a": null}}"#,
            // Malformed JSON, also in members the model does not have.
            r#"{"role": "r"} x"#,
            r#"{"role": "r""#,
            r#"{"unknown": 1e400}"#,
            "[1]",
            "\"r\"",
        ] {
            assert_eq!(direct(text), None, "{text}");
        }
        let bad_utf8 = b"{\"unknown\": \"\xff\"}";
        assert_eq!(from_json_text(model, id, bad_utf8, Check::No), None);
        assert!(serde_json::from_slice::<Value>(bad_utf8).is_err());
        // `null` reads as no value, as in the two steps (the caller wants an object).
        assert_eq!(direct("null"), Some(Value::Null));
    }
}
