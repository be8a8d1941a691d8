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

/// The most entries a map is read with into a [`Doc`]: a key given twice is found by
/// comparing each with the ones before (a larger map takes the two-step path).
const MAP_ENTRIES_MAX: usize = 64;

/// The operation's input of shape `id` read from the JSON text `body` as
/// `convert::from_json_text` reads it with `Check::Top`, but for the member at position
/// `apart` of its members, which is read into a [`Doc`] and left out of the value. `None` for
/// anything but a clean read (then the caller reads the body in two steps, member included).
pub(crate) fn from_json_text_apart(
    model: &'static Model,
    id: ShapeId,
    body: &[u8],
    apart: usize,
) -> Option<(Value, Option<Doc>)> {
    use serde::de::DeserializeSeed;
    let text = std::str::from_utf8(body).ok()?;
    let mut de = serde_json::Deserializer::from_str(text);
    let read = Apart { model, id, apart }.deserialize(&mut de).ok()?;
    de.end().ok()?;
    Some(read)
}

/// Reads an input structure with one member apart (see [`from_json_text_apart`]).
struct Apart {
    model: &'static Model,
    id: ShapeId,
    apart: usize,
}

impl<'de> serde::de::DeserializeSeed<'de> for Apart {
    type Value = (Value, Option<Doc>);

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> serde::de::Visitor<'de> for Apart {
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
                doc = map.next_value_seed(DocSeed { model, id: m.shape })?;
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

/// Reads one value of shape `id` into a [`Doc`], checked as `Seed` checks with
/// `Check::Nested`; `None` for null (no value).
#[derive(Clone, Copy)]
struct DocSeed {
    model: &'static Model,
    id: ShapeId,
}

impl DocSeed {
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
                Ok(Some(Doc::Number(n)))
            }
            _ => Err(off()),
        }
    }
}

impl<'de> serde::de::DeserializeSeed<'de> for DocSeed {
    type Value = Option<Doc>;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Option<Doc>, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for DocSeed {
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
            ShapeKind::Timestamp => timestamp::parse(v)
                .and_then(serde_json::Number::from_f64)
                .map(|n| Some(Doc::Number(n)))
                .ok_or_else(off),
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
    /// (the member apart put back) or the same error, and that the member apart renders as its
    /// value does. Whether the member was read apart.
    fn agree(model: &'static Model, req: &HttpRequest, apart: &'static str) -> bool {
        let whole = model.parse_request(req);
        let split = model.parse_request_apart(req, &|_| Some(apart));
        match (whole, split) {
            (Ok((op, mut whole)), Ok((split_op, mut split, doc))) => {
                assert_eq!(op.name, split_op.name);
                let read_apart = doc.is_some();
                if let Some((name, doc)) = doc {
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
                false
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
        let (mut apart, mut whole) = (0, 0);
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
                            true => apart += 1,
                            false => whole += 1,
                        }
                    }
                }
            }
        }
        // The samples set every required member; most read apart, the odd ones mostly not.
        assert!(
            apart > 300 && whole > 500,
            "{apart} read apart, {whole} whole"
        );
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
                req.with(|req| agree(model, req, "Settings")),
                read_apart,
                "{body}"
            );
        }
        let mut bad = request(r#"{"role":"r","settings":{"inputs":[]}}"#);
        bad.body[30] = 0xff;
        assert!(!bad.with(|req| agree(model, req, "Settings")));
    }
}
