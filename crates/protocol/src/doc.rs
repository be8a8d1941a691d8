//! A body member read apart into a [`Doc`] (see `service::Doc`); `convert::write_wire`
//! writes one back as it writes the same value.
//!
//! The read is [`crate::convert::from_json_text`]'s, member for member: the same shapes
//! accepted, the same values refused, the same checks as each value is read. Anything but a
//! clean read is `None`, and the caller takes the two-step path, whose errors are the
//! protocol's; so a body reads into the same value, or fails with the same error, either way.

use crate::convert::{off, read_members, Check, Key as TextKey, Seed};
use crate::model::Model;
use crate::shape::{ShapeId, ShapeKind};
use crate::timestamp;
use serde_json::{Map, Value};
use service::{Doc, Key};
use std::cell::Cell;

/// The most entries a map is read with into a [`Doc`]: a key given twice is found by
/// comparing each with the ones before (a larger map takes the two-step path).
const MAP_ENTRIES_MAX: usize = 64;

/// A member read apart: its value, and its text as sent when that is the text
/// `convert::write_wire` writes for the value (see [`scan_value`]).
pub(crate) type ReadApart = (Doc, Option<Box<str>>);

/// The operation's input of shape `id` read from the JSON text `body` as
/// `convert::from_json_text` reads it with `Check::Top`, but for the member at position
/// `apart` of its members, which is read into a [`Doc`] and left out of the value. `None` for
/// anything but a clean read (then the caller reads the body in two steps, member included).
pub(crate) fn from_json_text_apart(
    model: &'static Model,
    id: ShapeId,
    body: &[u8],
    apart: usize,
) -> Option<(Value, Option<ReadApart>)> {
    use serde::de::DeserializeSeed;
    let text = std::str::from_utf8(body).ok()?;
    let mut de = serde_json::Deserializer::from_str(text);
    let seen = Seen::default();
    let (value, doc) = Apart {
        model,
        id,
        apart,
        seen: &seen,
    }
    .deserialize(&mut de)
    .ok()?;
    de.end().ok()?;
    let doc = doc.map(|doc| {
        let wire = model.shape(id).members().get(apart).map(|m| &m.wire_name);
        let kept = wire
            .filter(|_| seen.plain.get())
            .and_then(|wire| member_as_written(text, wire));
        let text = kept.and_then(|(t, keys)| (keys == seen.keys.get()).then(|| t.into()));
        (doc, text)
    });
    Some((value, doc))
}

/// What a read into a [`Doc`] saw that its text as sent cannot show (see [`scan_value`]).
#[derive(Default)]
struct Seen {
    /// No value was read that the wire text writes otherwise than it was sent (a timestamp).
    plain: Cell<bool>,
    /// The keys read into structures and maps.
    keys: Cell<usize>,
}

/// Reads an input structure with one member apart (see [`from_json_text_apart`]).
struct Apart<'a> {
    model: &'static Model,
    id: ShapeId,
    apart: usize,
    seen: &'a Seen,
}

impl<'de> serde::de::DeserializeSeed<'de> for Apart<'_> {
    type Value = (Value, Option<Doc>);

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> serde::de::Visitor<'de> for Apart<'_> {
    type Value = (Value, Option<Doc>);

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("an input structure")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let model = self.model;
        let ShapeKind::Structure {
            members,
            index,
            union: false,
            ..
        } = &model.shape(self.id).kind
        else {
            return Err(off());
        };
        let mut out = Map::new();
        let mut doc = None;
        read_members(&mut map, members, index, |map, i, m| {
            if i == self.apart {
                self.seen.plain.set(true);
                doc = map.next_value_seed(DocSeed {
                    model,
                    id: m.shape,
                    seen: self.seen,
                })?;
                return Ok(());
            }
            let v = map.next_value_seed(Seed::new(model, m.shape, Check::Nested))?;
            if !v.is_null() {
                out.insert(m.name.clone(), v);
            }
            Ok(())
        })?;
        let value = Value::Object(out);
        // As `Seed::checked` at the top (a union is never read apart: see the `let` above).
        if model.unconstrained[self.id] || crate::validate::node_valid(model, self.id, &value, true)
        {
            Ok((value, doc))
        } else {
            Err(off())
        }
    }
}

/// The text of the value of member `key` of the JSON object `body` (text that reads cleanly,
/// each key once), with the number of keys in it, if the key is written without escapes and
/// the value as `convert::write_wire` writes it back, as far as the text shows (see
/// [`scan_value`]).
fn member_as_written<'t>(body: &'t str, key: &str) -> Option<(&'t str, usize)> {
    let b = body.as_bytes();
    let mut i = skip_space(b, 0);
    if b.get(i) != Some(&b'{') {
        return None;
    }
    loop {
        i = skip_space(b, i + 1);
        let (name_end, _) = string_end(b, i)?;
        let name = b.get(i + 1..name_end - 1)?;
        i = skip_space(b, name_end);
        if b.get(i) != Some(&b':') {
            return None;
        }
        i = skip_space(b, i + 1);
        let (end, keys) = scan_value(b, i)?;
        if name == key.as_bytes() {
            return Some((body.get(i..end)?, keys?));
        }
        i = skip_space(b, end);
        if b.get(i) != Some(&b',') {
            return None;
        }
    }
}

/// The end of the value at `i` in `b` (JSON text that reads cleanly), with its number of keys
/// if `convert::write_wire` writes a value read from it back as the same text, as far as the
/// text shows: no whitespace between tokens, no escape in any string (`write_str` writes a
/// string as it is unless it needs one), no null (a member left out), and numbers as integers
/// of at most 18 digits other than `-0` (serde_json writes those back as they are, a fraction
/// or exponent perhaps otherwise). The caller checks what the text cannot show: that every
/// key was read (an unknown member is skipped) and that no timestamp was.
fn scan_value(b: &[u8], mut i: usize) -> Option<(usize, Option<usize>)> {
    let (mut keys, mut depth) = (Some(0usize), 0usize);
    loop {
        let c = *b.get(i)?;
        match c {
            b'"' => {
                let (end, escaped) = string_end(b, i)?;
                i = end;
                if escaped {
                    keys = None;
                } else if b.get(i) == Some(&b':') {
                    keys = keys.map(|k| k + 1);
                }
            }
            b'{' | b'[' => {
                depth += 1;
                i += 1;
            }
            b'}' | b']' => {
                depth = depth.checked_sub(1)?;
                i += 1;
            }
            b',' | b':' if depth > 0 => i += 1,
            b't' if b[i..].starts_with(b"true") => i += 4,
            b'f' if b[i..].starts_with(b"false") => i += 5,
            b'n' if b[i..].starts_with(b"null") => {
                keys = None;
                i += 4;
            }
            b'-' | b'0'..=b'9' => {
                let sign = usize::from(c == b'-');
                let digits = b.get(i + sign..)?;
                let n = digits.iter().take_while(|d| d.is_ascii_digit()).count();
                // A fraction or an exponent: its characters, up to what follows the number.
                let rest = digits[n..]
                    .iter()
                    .take_while(|d| matches!(d, b'.' | b'e' | b'E' | b'+' | b'-' | b'0'..=b'9'))
                    .count();
                if n > 18 || rest > 0 || (sign == 1 && digits.starts_with(b"0")) {
                    keys = None;
                }
                i += sign + n + rest;
            }
            _ if c.is_ascii_whitespace() => {
                keys = None;
                i += 1;
            }
            _ => return None,
        }
        if depth == 0 {
            return Some((i, keys));
        }
    }
}

/// The end (just past the closing quote) of the string whose opening quote is at `i`, and
/// whether it holds an escape.
fn string_end(b: &[u8], mut i: usize) -> Option<(usize, bool)> {
    if b.get(i) != Some(&b'"') {
        return None;
    }
    let mut escaped = false;
    i += 1;
    loop {
        i += memchr::memchr2(b'"', b'\\', b.get(i..)?)?;
        if b[i] == b'"' {
            return Some((i + 1, escaped));
        }
        // An escape: the character after the backslash is part of it.
        escaped = true;
        i += 2;
    }
}

/// The first position at or after `i` that is not JSON whitespace.
fn skip_space(b: &[u8], i: usize) -> usize {
    i + b.get(i..).map_or(0, |rest| {
        rest.iter().take_while(|c| c.is_ascii_whitespace()).count()
    })
}

/// Reads one value of shape `id` into a [`Doc`], checked as `Seed` checks with
/// `Check::Nested`; `None` for null (no value). It notes in `seen` the keys it reads and a
/// value that the wire text writes otherwise than it was sent (a timestamp).
#[derive(Clone, Copy)]
struct DocSeed<'a> {
    model: &'static Model,
    id: ShapeId,
    seen: &'a Seen,
}

impl DocSeed<'_> {
    fn child(self, id: ShapeId) -> Self {
        DocSeed { id, ..self }
    }

    fn checked<E: serde::de::Error>(self, d: Doc) -> Result<Option<Doc>, E> {
        if self.model.unconstrained[self.id]
            || crate::validate::node_valid(self.model, self.id, &d, false)
        {
            Ok(Some(d))
        } else {
            Err(off())
        }
    }

    fn number<E: serde::de::Error>(self, n: serde_json::Number) -> Result<Option<Doc>, E> {
        match self.model.shape(self.id).kind {
            ShapeKind::Integer if n.as_i64().is_some_and(|n| i32::try_from(n).is_ok()) => {
                self.checked(Doc::Number(n))
            }
            ShapeKind::Long if n.as_i64().is_some() => self.checked(Doc::Number(n)),
            ShapeKind::Float | ShapeKind::Double => self.checked(Doc::Number(n)),
            ShapeKind::Timestamp if n.as_f64().is_some_and(timestamp::in_range) => {
                self.seen.plain.set(false);
                Ok(Some(Doc::Number(n)))
            }
            _ => Err(off()),
        }
    }
}

impl<'de> serde::de::DeserializeSeed<'de> for DocSeed<'_> {
    type Value = Option<Doc>;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Option<Doc>, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for DocSeed<'_> {
    type Value = Option<Doc>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a value of the shape")
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<Option<Doc>, E> {
        Ok(None)
    }

    fn visit_bool<E: serde::de::Error>(self, b: bool) -> Result<Option<Doc>, E> {
        match self.model.shape(self.id).kind {
            ShapeKind::Boolean => Ok(Some(Doc::Bool(b))),
            _ => Err(off()),
        }
    }

    fn visit_i64<E: serde::de::Error>(self, n: i64) -> Result<Option<Doc>, E> {
        self.number(n.into())
    }

    fn visit_u64<E: serde::de::Error>(self, n: u64) -> Result<Option<Doc>, E> {
        self.number(n.into())
    }

    fn visit_f64<E: serde::de::Error>(self, n: f64) -> Result<Option<Doc>, E> {
        self.number(serde_json::Number::from_f64(n).ok_or_else(off)?)
    }

    fn visit_borrowed_str<E: serde::de::Error>(self, v: &'de str) -> Result<Option<Doc>, E> {
        self.visit_str(v)
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Option<Doc>, E> {
        match self.model.shape(self.id).kind {
            ShapeKind::String { .. } | ShapeKind::Blob => self.checked(Doc::String(v.into())),
            ShapeKind::Timestamp => {
                self.seen.plain.set(false);
                timestamp::parse(v)
                    .and_then(serde_json::Number::from_f64)
                    .map(|n| Some(Doc::Number(n)))
                    .ok_or_else(off)
            }
            _ => Err(off()),
        }
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Option<Doc>, A::Error> {
        let ShapeKind::List { member, .. } = self.model.shape(self.id).kind else {
            return Err(off());
        };
        let item = self.child(member);
        let mut items = Vec::new();
        while let Some(v) = seq.next_element_seed(item)? {
            // A null item: the two-step path words its error.
            items.push(v.ok_or_else(off)?);
        }
        self.checked(Doc::Array(items))
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Option<Doc>, A::Error> {
        let model = self.model;
        let mut out = Vec::new();
        match &model.shape(self.id).kind {
            ShapeKind::Structure { members, index, .. } => {
                read_members(&mut map, members, index, |map, _, m| {
                    if let Some(v) = map.next_value_seed(self.child(m.shape))? {
                        out.push((Key::Member(m.name.as_str()), v));
                        self.seen.keys.set(self.seen.keys.get() + 1);
                    }
                    Ok(())
                })?;
            }
            ShapeKind::Map { value, .. } => {
                let seed = self.child(*value);
                while let Some(TextKey(key)) = map.next_key::<TextKey>()? {
                    let v = map.next_value_seed(seed)?.ok_or_else(off)?;
                    if out.len() == MAP_ENTRIES_MAX
                        || out.iter().any(|(k, _): &(Key, Doc)| k.as_str() == &*key)
                    {
                        return Err(off());
                    }
                    out.push((Key::Entry(key.into()), v));
                    self.seen.keys.set(self.seen.keys.get() + 1);
                }
            }
            _ => return Err(off()),
        }
        self.checked(Doc::Object(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sample::{encode_request, valid_input, valid_value};
    use crate::shape::Location;
    use crate::{HttpRequest, Registry};

    /// The rest-json models, whose bodies are read straight into seam values.
    const REST_JSON_MODELS: [&str; 5] = [
        "ivs",
        "mediaconnect",
        "mediaconvert",
        "mediapackage",
        "mediapackagev2",
    ];

    /// Reads `req` whole and with `apart` read apart; checks that both give the same input
    /// (the member apart put back) or the same error, that the member apart renders as its
    /// value does, and that its text as sent, when kept, is that rendering. Whether the member
    /// was read apart, and then whether its text as sent was kept.
    fn agree(model: &'static Model, req: &HttpRequest, apart: &'static str) -> Option<bool> {
        let whole = model.parse_request(req);
        let split = model.parse_request_apart(req, &|_| Some(apart));
        match (whole, split) {
            (Ok((op, mut whole)), Ok((split_op, mut split, doc))) => {
                assert_eq!(op.name, split_op.name);
                let read_apart = doc.as_ref().map(|d| d.wire_text.is_some());
                if let Some(service::DocMember {
                    name,
                    doc,
                    wire_text,
                }) = doc
                {
                    assert_eq!(name, apart);
                    let value = doc.to_value();
                    assert_eq!(whole.get(name), Some(&value), "{}: {name}", op.name);
                    let input = op.input.expect("an input");
                    let m = model.shape(input).members().iter().find(|m| m.name == name);
                    let id = m.expect("the member").shape;
                    let mut from_doc = Vec::new();
                    crate::convert::write_wire(&mut from_doc, model, id, &doc, None);
                    let mut from_value = Vec::new();
                    crate::convert::Wire {
                        model,
                        id,
                        v: &value,
                        fmt: None,
                    }
                    .write(&mut from_value);
                    assert_eq!(
                        String::from_utf8_lossy(&from_doc),
                        String::from_utf8_lossy(&from_value)
                    );
                    if let Some(sent) = wire_text {
                        assert_eq!(&*sent, String::from_utf8_lossy(&from_doc), "{}", op.name);
                    }
                    split
                        .as_object_mut()
                        .expect("an object")
                        .insert(name.to_string(), value);
                }
                // Tokens an SDK would have sent are filled with fresh UUIDs.
                for v in [&mut whole, &mut split] {
                    for token in &op.idempotency_tokens {
                        v.as_object_mut().and_then(|m| m.shift_remove(token));
                    }
                }
                assert_eq!(whole, split, "{}", op.name);
                read_apart
            }
            (Err(whole), Err(split)) => {
                assert_eq!(whole, split);
                None
            }
            (whole, split) => panic!("{whole:?} against {split:?}"),
        }
    }

    /// A small deterministic generator (xorshift).
    struct Rng(u64);

    impl Rng {
        fn below(&mut self, n: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % n as u64) as usize
        }
    }

    /// `v` with one value somewhere replaced by an odd one (of another type, null, out of
    /// range, too long, not among an enum's values).
    fn mutate(v: &mut Value, rng: &mut Rng) {
        let odd = [
            Value::Null,
            Value::from(-1),
            Value::from(1e300),
            Value::from(2_147_483_648_i64),
            Value::from("x".repeat(3000)),
            Value::from("NOT_A_VALUE"),
            Value::from(""),
            Value::from(true),
            serde_json::json!([]),
            serde_json::json!({}),
            serde_json::json!([null]),
            serde_json::json!({"a": null}),
        ];
        match v {
            Value::Object(map) if !map.is_empty() && rng.below(3) > 0 => {
                let at = rng.below(map.len());
                if let Some((_, x)) = map.iter_mut().nth(at) {
                    mutate(x, rng);
                }
            }
            Value::Array(items) if !items.is_empty() && rng.below(3) > 0 => {
                let at = rng.below(items.len());
                mutate(&mut items[at], rng);
            }
            _ => *v = odd[rng.below(odd.len())].clone(),
        }
    }

    #[test]
    fn a_member_read_apart_is_the_member_read_whole_for_every_operation() {
        let registry = Registry::shared();
        let mut rng = Rng(0x2545_f491_4f6c_dd1d);
        let (mut apart, mut whole, mut as_sent) = (0, 0, 0);
        for name in REST_JSON_MODELS {
            let model = registry.model(name).expect("model");
            for op in model.operations() {
                let Some(input) = op.input else { continue };
                let sample = valid_input(model, op);
                for m in model.shape(input).members() {
                    let nested = matches!(
                        model.shape(m.shape).kind,
                        ShapeKind::Structure { .. }
                            | ShapeKind::List { .. }
                            | ShapeKind::Map { .. }
                    );
                    if m.location != Location::Body || !nested {
                        continue;
                    }
                    let name: &'static str = m.name.as_str();
                    let mut set = sample.clone();
                    if let Some(map) = set.as_object_mut() {
                        map.entry(m.name.clone())
                            .or_insert_with(|| valid_value(model, m.shape));
                    }
                    let mut inputs = vec![sample.clone(), set.clone()];
                    for _ in 0..8 {
                        let mut v = set.clone();
                        mutate(&mut v, &mut rng);
                        inputs.push(v);
                    }
                    for input in &inputs {
                        let req = encode_request(model, op, input);
                        match req.with(|req| agree(model, req, name)) {
                            Some(kept) => {
                                apart += 1;
                                as_sent += usize::from(kept);
                            }
                            None => whole += 1,
                        }
                    }
                }
            }
        }
        // The samples set every required member; most read apart, the odd ones mostly not.
        // Most of those read apart keep their text as sent (compact, as serde_json writes).
        assert!(
            apart > 300 && whole > 500 && as_sent > apart / 2,
            "{apart} read apart ({as_sent} with their text as sent), {whole} whole"
        );
    }

    #[test]
    fn text_is_as_written_when_compact_unescaped_and_integral() {
        let cases: [(&str, Option<usize>); 14] = [
            (r#"{"a":1}"#, Some(1)),
            (r#"{"a":{"b":[1,-25,0]},"c":true,"d":false}"#, Some(4)),
            (r#"{"a":"é, : { [","b":[]}"#, Some(2)),
            (r#"[{},[],"x"]"#, Some(0)),
            (r#"{"a": 1}"#, None),
            (r#"{"a":"x\"y"}"#, None),
            (r#"{"a":"\u00e9"}"#, None),
            (r#"{"a":1.5}"#, None),
            (r#"{"a":1e3}"#, None),
            (r#"{"a":-0}"#, None),
            (r#"{"a":123456789012345678}"#, Some(1)),
            (r#"{"a":1234567890123456789}"#, None),
            (r#"{"a":null}"#, None),
            (r#"{"a":tru}"#, None),
        ];
        for (text, keys) in cases {
            let read = scan_value(text.as_bytes(), 0);
            assert_eq!(read.and_then(|(_, k)| k), keys, "{text}");
            // Every value but the malformed one is read to its end, as written or not.
            assert_eq!(read.is_some(), text != r#"{"a":tru}"#, "{text}");
            assert!(read.is_none_or(|(end, _)| end == text.len()), "{text}");
        }
        // A value among others ends where the next token starts.
        for (text, end, keys) in [
            ("null,", 4, None),
            ("-1.5e-3}", 7, None),
            ("12,", 2, Some(0)),
            (r#""a\"b"]"#, 6, None),
        ] {
            assert_eq!(scan_value(text.as_bytes(), 0), Some((end, keys)), "{text}");
        }
        // A member's value is found among the others, whatever they hold.
        let body =
            r#" { "x" : [1.5, {"y": "a\"}"}], "k\u0065y":1, "key" :{"a":[true]} , "z":null}"#;
        assert_eq!(member_as_written(body, "key"), Some((r#"{"a":[true]}"#, 1)));
        assert_eq!(member_as_written(body, "x"), None);
        assert_eq!(member_as_written(body, "z"), None);
        assert_eq!(member_as_written(r#"{"key":2}"#, "key"), Some(("2", 0)));
        assert_eq!(member_as_written(r#"{"a":1}"#, "key"), None);
    }

    #[test]
    fn text_as_sent_is_kept_only_when_every_key_was_read_and_no_timestamp() {
        let registry = Registry::shared();
        // The member `name` of the input of `op` read apart from the sample input with it set
        // to `value` (JSON text): whether its text as sent was kept.
        let kept = |service: &str, op: &str, name: &str, value: &str| {
            let model = registry.model(service).expect("model");
            let op = model.operations.iter().find(|o| o.name == op).expect("op");
            let input = op.input.expect("input");
            let members = model.shape(input).members();
            let at = members.iter().position(|m| m.name == name).expect("member");
            let mut sample = valid_input(model, op);
            sample
                .as_object_mut()
                .expect("object")
                .remove(&members[at].wire_name);
            let body = serde_json::to_string(&sample).expect("text");
            let wire = &members[at].wire_name;
            let body = format!("{{\"{wire}\":{value},{}", &body[1..]);
            let (_, doc) = from_json_text_apart(model, input, body.as_bytes(), at)
                .unwrap_or_else(|| panic!("{body}"));
            let (_, text) = doc.expect("a value");
            text.inspect(|t| assert_eq!(&**t, value))
        };
        let job = r#"{"inputs":[{"fileInput":"s3://a/b.mp4"}],"adAvailOffset":-5}"#;
        assert!(kept("mediaconvert", "CreateJob", "Settings", job).is_some());
        // An unknown member is skipped: the render leaves it out.
        let unknown = r#"{"inputs":[],"notAMember":{"x":1}}"#;
        assert!(kept("mediaconvert", "CreateJob", "Settings", unknown).is_none());
        // A timestamp is written in the model's format, whatever the text was.
        let schedule = r#"{"StartTime":1700000000,"EndTime":1700003600}"#;
        assert!(kept(
            "mediapackagev2",
            "CreateHarvestJob",
            "ScheduleConfiguration",
            schedule
        )
        .is_none());
    }

    #[test]
    fn a_member_read_apart_falls_back_on_what_the_two_steps_word() {
        let model = Registry::shared().model("mediaconvert").expect("model");
        let request = |body: &str| crate::sample::OwnedRequest {
            method: "POST".into(),
            path: "/2017-08-29/jobs".into(),
            query: String::new(),
            headers: vec![("content-type".into(), b"application/json".to_vec())],
            body: body.as_bytes().to_vec(),
        };
        let role = r#""role":"arn:aws:iam::000000000000:role/r""#;
        let settings = r#"{"inputs":[{"fileInput":"s3://a/b.mp4"}],"outputGroups":[]}"#;
        let cases = [
            (format!(r#"{{{role},"settings":{settings}}}"#), true),
            (format!(r#"{{"settings":{settings},{role}}}"#), true),
            (format!(r#"{{{role}}}"#), false),
            (format!(r#"{{{role},"settings":null}}"#), false),
            // A key twice, a null item, a wrong type, an enum value outside the model's, a
            // number out of range, bad UTF-8 and a truncated body: the two steps' errors.
            (format!(r#"{{{role},"settings":{{"inputs":[],"inputs":[]}}}}"#), false),
            (format!(r#"{{{role},"settings":{{"inputs":[null]}}}}"#), false),
            (format!(r#"{{{role},"settings":{{"inputs":{{}}}}}}"#), false),
            (
                format!(r#"{{{role},"settings":{{"timecodeConfig":{{"source":"NOPE"}}}}}}"#),
                false,
            ),
            (
                format!(r#"{{{role},"settings":{{"adAvailOffset":100000}}}}"#),
                false,
            ),
            (
                format!("{{{role},\"settings\":{{\"inputs\":[{{\"fileInput\":\"s3://a/\u{e9}.mp4\"}}]}}}}"),
                true,
            ),
            (format!(r#"{{{role},"settings":{{"inputs":[]"#), false),
        ];
        for (body, read_apart) in cases {
            let req = request(&body);
            assert_eq!(
                req.with(|req| agree(model, req, "Settings")).is_some(),
                read_apart,
                "{body}"
            );
        }
        let mut bad = request(r#"{"role":"r","settings":{"inputs":[]}}"#);
        bad.body[30] = 0xff;
        assert!(bad.with(|req| agree(model, req, "Settings")).is_none());
    }
}
