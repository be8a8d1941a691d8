//! Input validation against the model's constraints, with AWS's Coral-style messages (or,
//! for a model whose service answers in its JSON schema validator's words, those).

use crate::model::Model;
use crate::shape::{Member, Shape, ShapeId, ShapeKind};
use serde_json::Value;
use service::{Node, ServiceError};
use smallvec::SmallVec;

/// One failed constraint.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Issue {
    /// The failing value as Coral quotes it: `'x'`, or `null`.
    pub value: String,
    /// The rest of Coral's message: `at 'name' failed to satisfy constraint: …`.
    pub tail: String,
    /// The same failure in a JSON schema validator's words: `/json/pointer: Should …`.
    pub schema: String,
    /// The MediaPackage v2 `ValidationExceptionType` this maps to.
    pub kind: &'static str,
    /// The service's own words for this failure, which it answers only when no constraint
    /// its framework checks fails (IAM's invalid names).
    pub own: Option<String>,
}

impl Issue {
    /// Coral's message: `Value 'x' at 'name' failed to satisfy constraint: …`, or without the
    /// value where the service leaves it out (`terse`, see `amendments`).
    fn message(&self, terse: bool) -> String {
        if terse {
            format!("Value {}", self.tail)
        } else {
            format!("Value {} {}", self.value, self.tail)
        }
    }
}

/// Renders a value the way Coral quotes it in messages.
fn show(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Array(items) => {
            let inner: Vec<String> = items.iter().map(show).collect();
            format!("[{}]", inner.join(", "))
        }
        other => other.to_string(),
    }
}

/// Where a value sits in the input; rendered (`tags.1.member.key`) only when a constraint
/// fails, so valid requests build no path strings.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Path<'a> {
    /// The operation's input itself.
    Root,
    /// A structure member, by member name.
    Member(&'a Path<'a>, &'a str),
    /// A list element, by zero-based position.
    Item(&'a Path<'a>, usize),
    /// A map's keys.
    MapKey(&'a Path<'a>),
    /// A map's value under a key.
    MapValue(&'a Path<'a>, &'a str),
}

impl Path<'_> {
    /// The Coral-style dotted path.
    pub(crate) fn render(&self) -> String {
        match self {
            Path::Root => String::new(),
            Path::Member(p, name) => join(&p.render(), &path_name(name)),
            Path::Item(p, i) => format!("{}.member", join(&p.render(), &(i + 1).to_string())),
            Path::MapKey(p) => format!("{}.key", p.render()),
            Path::MapValue(p, k) => format!("{}.{k}.value", p.render()),
        }
    }

    /// The JSON pointer a schema validator names (`/inputs/0/audioSelectors/Name/tracks/0`):
    /// wire-style member names, items counted from 0, map keys as given.
    pub(crate) fn pointer(&self) -> String {
        match self {
            Path::Root => String::new(),
            Path::Member(p, name) => format!("{}/{}", p.pointer(), path_name(name)),
            Path::Item(p, i) => format!("{}/{i}", p.pointer()),
            Path::MapKey(p) => p.pointer(),
            Path::MapValue(p, k) => format!("{}/{k}", p.pointer()),
        }
    }
}

/// A failed constraint of the value at `path`: Coral's `constraint`, and `says`, the
/// schema validator's phrase for it.
fn issue(
    v: Option<&Value>,
    path: &Path,
    constraint: String,
    says: String,
    kind: &'static str,
) -> Issue {
    let schema = format!("{}: {says}", path.pointer());
    coral(v, path, constraint, schema, kind)
}

/// The structure at `parent` lacks its required member `name` (a schema validator says it of
/// the structure: `/outputGroups/0/outputs/0: containerSettings is a required property`).
fn missing(parent: &Path, name: &str) -> Issue {
    let at = parent.pointer();
    let at = if at.is_empty() { "/".into() } else { at };
    let schema = format!("{at}: {} is a required property", path_name(name));
    let child = Path::Member(parent, name);
    let constraint = "Member must not be null".into();
    coral(None, &child, constraint, schema, "MEMBER_MISSING")
}

/// A union at `path` that sets no member or several: refused, since an SDK cannot read it
/// back (botocore: "Tagged Union members MUST provide one and only one member in the
/// response. Values such as `null`, `{}`, or multiple keys are not valid"). The wording is
/// ours; AWS publishes none.
fn not_one_member(v: &Value, path: &Path) -> Issue {
    let at = path.pointer();
    let schema = format!("{at}: must set exactly one of its members");
    let constraint = "Member must set exactly one of its members".into();
    coral(Some(v), path, constraint, schema, "MEMBER_INVALID")
}

/// Whether this model's unions are checked here: rest-json services store and echo them (a
/// MediaConnect router's or endpoint's configuration). IAM's one union, a policy exclusion
/// identifier the service reads and never answers, keeps its operation's own InvalidInput.
fn unions_checked(protocol: crate::Protocol) -> bool {
    protocol == crate::Protocol::RestJson
}

/// The issue with Coral's message for the value at `path`, and `schema` beside it.
fn coral(
    v: Option<&Value>,
    path: &Path,
    constraint: String,
    schema: String,
    kind: &'static str,
) -> Issue {
    let path = path.render();
    let value = match v {
        None | Some(Value::Null) => "null".to_string(),
        Some(v) => format!("'{}'", show(v)),
    };
    Issue {
        value,
        tail: format!("at '{path}' failed to satisfy constraint: {constraint}"),
        schema,
        kind,
        own: None,
    }
}

/// The name a member goes by in a validation path (Coral lower-cases the first letter).
pub(crate) fn path_name(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn join(parent: &str, child: &str) -> String {
    if parent.is_empty() {
        child.to_string()
    } else {
        format!("{parent}.{child}")
    }
}

fn bound(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 9.0e18 {
        format!("{}", n as i64)
    } else {
        n.to_string()
    }
}

/// Checks `v` (member-keyed) against shape `id`, appending every failure.
/// Rewrites every enum value of a valid input `v` (of shape `id`) to the model's spelling,
/// for a model whose enums ignore letter case (see `amendments`): services then see only the
/// listed values.
pub(crate) fn canonical_enums(model: &Model, id: ShapeId, v: &mut Value) {
    let shape = model.shape(id);
    match (&shape.kind, v) {
        (ShapeKind::Structure { members, .. }, Value::Object(obj)) => {
            for m in members {
                if let Some(child) = obj.get_mut(&m.name) {
                    canonical_enums(model, m.shape, child);
                }
            }
        }
        (ShapeKind::List { member, .. }, Value::Array(items)) => {
            for item in items {
                canonical_enums(model, *member, item);
            }
        }
        (ShapeKind::Map { value, .. }, Value::Object(obj)) => {
            for item in obj.values_mut() {
                canonical_enums(model, *value, item);
            }
        }
        (
            ShapeKind::String {
                enum_values: Some(values),
            },
            Value::String(s),
        ) => {
            if let Some(listed) = values.iter().find(|e| e.eq_ignore_ascii_case(s)) {
                if listed != s {
                    s.clone_from(listed);
                }
            }
        }
        _ => {}
    }
}

pub(crate) fn validate(model: &Model, id: ShapeId, v: &Value, path: &Path, out: &mut Vec<Issue>) {
    validate_deep(model, id, v, path, out, &|_| true, None);
}

/// [`validate`] of an operation's input whose members `deep` says no are checked only for
/// presence: their values were checked as they were read (see `convert::from_json_text`).
pub(crate) fn validate_deep(
    model: &Model,
    id: ShapeId,
    v: &Value,
    path: &Path,
    out: &mut Vec<Issue>,
    deep: &dyn Fn(&Member) -> bool,
    apart: Option<&str>,
) {
    let shape = model.shape(id);
    match (&shape.kind, v) {
        (
            ShapeKind::Structure {
                members,
                index,
                union,
                ..
            },
            Value::Object(obj),
        ) => {
            // Walk what is present (MediaConvert's settings structures model dozens of
            // members) plus the required members that are missing, in model order.
            // Each present member with its value as the walk finds it (looking the values
            // up again by name hashed every key twice more).
            // (On the stack: an input has few members present, and this ran per request.)
            let mut todo: SmallVec<[(usize, Option<&Value>); 16]> = SmallVec::new();
            for (k, x) in obj.iter().filter(|(_, x)| !x.is_null()) {
                if let Some(i) = index.by_name(members, k) {
                    todo.push((i, Some(x)));
                }
            }
            let present = todo.len();
            if *union && present != 1 && unions_checked(model.protocol()) {
                out.push(not_one_member(v, path));
            }
            for &r in index.required() {
                // A member read apart (and checked as it was read) is present elsewhere.
                let read_apart = apart.is_some_and(|a| members.get(r).is_some_and(|m| m.name == a));
                if !read_apart && !todo[..present].iter().any(|(i, _)| *i == r) {
                    todo.push((r, None));
                }
            }
            todo.sort_unstable_by_key(|(i, _)| *i);
            for (m, value) in todo.iter().filter_map(|&(i, v)| Some((members.get(i)?, v))) {
                match value {
                    None => out.push(missing(path, &m.name)),
                    Some(value) if deep(m) => {
                        validate(model, m.shape, value, &Path::Member(path, &m.name), out)
                    }
                    Some(_) => {}
                }
            }
        }
        (ShapeKind::List { member, .. }, Value::Array(items)) => {
            check_length(shape.min, shape.max, items.len(), "items", v, path, out);
            let before = out.len();
            for (i, item) in items.iter().enumerate() {
                validate(model, *member, item, &Path::Item(path, i), out);
            }
            // A service wording failures tersely reports failing scalar items at the list,
            // naming every constraint of its members.
            let item = model.shape(*member);
            if out.len() > before
                && !matches!(
                    item.kind,
                    ShapeKind::Structure { .. } | ShapeKind::List { .. } | ShapeKind::Map { .. }
                )
                && crate::amendments::terse_coral_messages(model.signing_name())
            {
                let first = out.swap_remove(before);
                out.truncate(before);
                let constraints = member_constraints(model, shape, item);
                out.push(coral(
                    Some(v),
                    path,
                    format!(
                        "Member must satisfy constraint: [{}]",
                        constraints.join(", ")
                    ),
                    first.schema,
                    first.kind,
                ));
            }
        }
        (ShapeKind::Map { key, value, .. }, Value::Object(obj)) => {
            check_length(shape.min, shape.max, obj.len(), "properties", v, path, out);
            for (k, val) in obj {
                validate(
                    model,
                    *key,
                    &Value::String(k.clone()),
                    &Path::MapKey(path),
                    out,
                );
                validate(model, *value, val, &Path::MapValue(path, k), out);
            }
        }
        _ => check_scalar(model, shape, v, path, out),
    }
}

/// Whether `v`, a value of shape `id` read with its members, items or entries already
/// checked, passes the checks [`validate`] makes of the value itself (its length, enum,
/// pattern or range; a structure's required members unless `top`, whose presence the
/// operation's input check sees). Used while reading: anything it refuses is read again in
/// two steps and validated, so the errors are worded as always.
pub(crate) fn node_valid<N: Node>(model: &Model, id: ShapeId, v: &N, top: bool) -> bool {
    let shape = model.shape(id);
    match (&shape.kind, v.entries(), v.items()) {
        (
            ShapeKind::Structure {
                members,
                index,
                union,
                ..
            },
            Some(entries),
            _,
        ) => {
            if *union && unions_checked(model.protocol()) {
                // How many of its modelled members it sets (not null).
                let set = entries
                    .filter(|(k, x)| !x.is_null() && index.by_name(members, k).is_some())
                    .count();
                if set != 1 {
                    return false;
                }
            }
            top || index.required().iter().all(|&r| {
                members
                    .get(r)
                    .is_some_and(|m| v.member(&m.name).is_some_and(|x| !x.is_null()))
            })
        }
        (ShapeKind::List { .. }, _, Some(items)) => length_valid(shape.min, shape.max, items.len()),
        (ShapeKind::Map { key, .. }, Some(entries), _) => {
            let key_shape = model.shape(*key);
            let mut len = 0;
            for (k, _) in entries {
                if !scalar_valid(model, key_shape, Scalar::Str(k)) {
                    return false;
                }
                len += 1;
            }
            length_valid(shape.min, shape.max, len)
        }
        _ => scalar_valid(model, shape, Scalar::of(v)),
    }
}

/// A scalar as [`scalar_valid`] reads it.
#[derive(Clone, Copy)]
pub(crate) enum Scalar<'a> {
    /// A string (or a blob's base64 text).
    Str(&'a str),
    /// A number.
    Number(f64),
    /// Anything else (no constraint applies).
    Other,
}

impl<'a> Scalar<'a> {
    fn of<N: Node>(v: &'a N) -> Self {
        match (v.as_str(), v.as_f64()) {
            (Some(s), _) => Scalar::Str(s),
            (None, Some(x)) => Scalar::Number(x),
            (None, None) => Scalar::Other,
        }
    }
}

/// Whether `len` is within the bounds.
fn length_valid(min: Option<f64>, max: Option<f64>, len: usize) -> bool {
    let n = len as f64;
    min.is_none_or(|min| n >= min) && max.is_none_or(|max| n <= max)
}

/// Whether [`check_scalar`] finds nothing wrong with `v` (without writing the issue a failure
/// would be: a body's reader asks this of every constrained value it reads).
pub(crate) fn scalar_valid(model: &Model, shape: &Shape, v: Scalar<'_>) -> bool {
    match (&shape.kind, v) {
        (ShapeKind::String { enum_values }, Scalar::Str(s)) => {
            if (shape.min.is_some() || shape.max.is_some())
                && !length_valid(shape.min, shape.max, s.chars().count())
            {
                return false;
            }
            if let Some(values) = enum_values {
                let service = model.signing_name();
                let listed = values.iter().any(|e| e == s)
                    || (crate::amendments::enums_ignore_case(service)
                        && values.iter().any(|e| e.eq_ignore_ascii_case(s)));
                if !listed && !crate::amendments::enum_accepts(service, &shape.name, s) {
                    return false;
                }
            }
            match shape.pattern.as_ref().and_then(|p| p.matcher()) {
                Some(re) => re.is_match(s),
                None => true,
            }
        }
        (ShapeKind::Blob, Scalar::Str(s)) => length_valid(shape.min, shape.max, s.len() / 4 * 3),
        (
            ShapeKind::Integer | ShapeKind::Long | ShapeKind::Float | ShapeKind::Double,
            Scalar::Number(x),
        ) => shape.min.is_none_or(|min| x >= min) && shape.max.is_none_or(|max| x <= max),
        _ => true,
    }
}

/// Whether [`node_valid`] holds for every value of shape `id` of a model of `protocol`,
/// computed once per model: no union to check, no required member, and no length, value,
/// enum or pattern constraint of its own (nor of a map's keys). A body's reader skips such
/// nodes (most of a body's structures, lists and strings).
pub(crate) fn unconstrained(shapes: &[Shape], protocol: crate::Protocol, id: ShapeId) -> bool {
    let shape = &shapes[id];
    let unbounded = |s: &Shape| s.min.is_none() && s.max.is_none();
    let plain = |s: &Shape| {
        unbounded(s)
            && s.pattern.is_none()
            && !matches!(
                s.kind,
                ShapeKind::String {
                    enum_values: Some(_)
                }
            )
    };
    match &shape.kind {
        ShapeKind::Structure { union, index, .. } => {
            !(*union && unions_checked(protocol)) && index.required().is_empty()
        }
        ShapeKind::List { .. } => unbounded(shape),
        ShapeKind::Map { key, .. } => unbounded(shape) && plain(&shapes[*key]),
        _ => plain(shape),
    }
}

/// The checks of a string, blob or number value.
fn check_scalar(model: &Model, shape: &Shape, v: &Value, path: &Path, out: &mut Vec<Issue>) {
    match (&shape.kind, v) {
        (ShapeKind::String { enum_values }, Value::String(s)) => {
            // Characters counted only for a shape that bounds them (most strings do not).
            if shape.min.is_some() || shape.max.is_some() {
                check_length(
                    shape.min,
                    shape.max,
                    s.chars().count(),
                    "characters",
                    v,
                    path,
                    out,
                );
            }
            if let Some(values) = enum_values {
                // The model's own values first: the amendments are asked only about a value
                // outside them (MediaConvert's settings check dozens of enums per job).
                let service = model.signing_name();
                let listed = values.iter().any(|e| e == s)
                    || (crate::amendments::enums_ignore_case(service)
                        && values.iter().any(|e| e.eq_ignore_ascii_case(s)));
                if !listed && !crate::amendments::enum_accepts(service, &shape.name, s) {
                    out.push(issue(
                        Some(v),
                        path,
                        enum_constraint(service, values),
                        format!("Should be one of [{}]", values.join(", ")),
                        "MEMBER_INVALID_ENUM_VALUE",
                    ));
                }
            }
            if let Some(p) = &shape.pattern {
                if let Some(re) = p.matcher() {
                    if !re.is_match(s) {
                        let mut failed = issue(
                            Some(v),
                            path,
                            pattern_constraint(&p.source),
                            format!("Should match pattern {}", p.source),
                            "MEMBER_DOES_NOT_MATCH_PATTERN",
                        );
                        failed.own = crate::amendments::own_pattern_message(
                            model.signing_name(),
                            &shape.name,
                        )
                        .map(|sentence| {
                            format!(
                                "The specified value for {} is invalid. {sentence}",
                                path.render()
                            )
                        });
                        out.push(failed);
                    }
                }
            }
        }
        (ShapeKind::Blob, Value::String(s)) => {
            // Length limits of blobs count decoded bytes.
            let len = s.len() / 4 * 3;
            check_length(shape.min, shape.max, len, "bytes", v, path, out);
        }
        (
            ShapeKind::Integer | ShapeKind::Long | ShapeKind::Float | ShapeKind::Double,
            Value::Number(n),
        ) => {
            let x = n.as_f64().unwrap_or(0.0);
            if let Some(min) = shape.min {
                if x < min {
                    out.push(issue(
                        Some(v),
                        path,
                        bound_constraint("value", false, min),
                        format!("Should be greater than or equal to {}", bound(min)),
                        "MEMBER_MIN_VALUE",
                    ));
                }
            }
            if let Some(max) = shape.max {
                if x > max {
                    out.push(issue(
                        Some(v),
                        path,
                        bound_constraint("value", true, max),
                        format!("Should be less than or equal to {}", bound(max)),
                        "MEMBER_MAX_VALUE",
                    ));
                }
            }
        }
        _ => {}
    }
}

/// Coral's constraint for a value outside enum `values` (the values named unless the service
/// words its failures tersely).
fn enum_constraint(service: &str, values: &[String]) -> String {
    if crate::amendments::terse_coral_messages(service) {
        "Member must satisfy enum value set".to_string()
    } else {
        format!(
            "Member must satisfy enum value set: [{}]",
            values.join(", ")
        )
    }
}

/// Every constraint of a list's scalar member `item`, as Coral names them when it reports a
/// failing item at the list (`terse_coral_messages`): its length or value bounds (upper
/// first), pattern and enum, and `Member must not be null` where the service's model declares
/// the members non-null.
fn member_constraints(model: &Model, list: &Shape, item: &Shape) -> Vec<String> {
    let mut out = Vec::new();
    let measure = match item.kind {
        ShapeKind::String { .. } | ShapeKind::Blob => "length",
        _ => "value",
    };
    if let Some(max) = item.max {
        out.push(bound_constraint(measure, true, max));
    }
    if let Some(min) = item.min {
        out.push(bound_constraint(measure, false, min));
    }
    if let Some(p) = &item.pattern {
        out.push(pattern_constraint(&p.source));
    }
    if let ShapeKind::String {
        enum_values: Some(values),
    } = &item.kind
    {
        out.push(enum_constraint(model.signing_name(), values));
    }
    if crate::amendments::non_null_list_members(model.signing_name(), &list.name) {
        out.push("Member must not be null".to_string());
    }
    out
}

/// Coral's constraint for a bound: `Member must have length less than or equal to 64`
/// (`measure` is `length` or `value`; `upper` for a maximum).
fn bound_constraint(measure: &str, upper: bool, n: f64) -> String {
    let side = if upper { "less" } else { "greater" };
    format!(
        "Member must have {measure} {side} than or equal to {}",
        bound(n)
    )
}

/// Coral's constraint for a pattern.
fn pattern_constraint(source: &str) -> String {
    format!("Member must satisfy regular expression pattern: {source}")
}

/// `unit`: what the length counts, as a schema validator says it (`items`, `properties`,
/// `characters`, `bytes`).
fn check_length(
    min: Option<f64>,
    max: Option<f64>,
    len: usize,
    unit: &str,
    v: &Value,
    path: &Path,
    out: &mut Vec<Issue>,
) {
    let n = len as f64;
    if let Some(min) = min {
        if n < min {
            out.push(issue(
                Some(v),
                path,
                bound_constraint("length", false, min),
                format!("Should have at least {} {unit}", bound(min)),
                "MEMBER_MIN_LENGTH",
            ));
        }
    }
    if let Some(max) = max {
        if n > max {
            out.push(issue(
                Some(v),
                path,
                bound_constraint("length", true, max),
                format!("Should have at most {} {unit}", bound(max)),
                "MEMBER_MAX_LENGTH",
            ));
        }
    }
}

/// The model's validation error for `issues` (`2 validation errors detected: A; B`; the
/// first issue in a schema validator's words where the service answers so).
pub(crate) fn to_error(model: &Model, issues: &[Issue]) -> ServiceError {
    let schema = crate::amendments::schema_validator_messages(model.signing_name());
    // Failures the service words itself are answered only when its framework finds nothing.
    let framework: Vec<&Issue> = issues.iter().filter(|i| i.own.is_none()).collect();
    let own = issues.iter().find_map(|i| i.own.as_deref());
    let issues: Vec<&Issue> = if framework.is_empty() {
        issues.iter().collect()
    } else {
        framework
    };
    let message = match (issues.first(), schema, own) {
        (Some(first), Some(roots), _) => rooted(&first.schema, roots),
        (Some(first), None, Some(own)) if first.own.is_some() => own.to_string(),
        _ => {
            let n = issues.len();
            let noun = if n == 1 { "error" } else { "errors" };
            let terse = crate::amendments::terse_coral_messages(model.signing_name());
            let joined: Vec<String> = issues.iter().map(|i| i.message(terse)).collect();
            format!("{n} validation {noun} detected: {}", joined.join("; "))
        }
    };
    let mut err = ServiceError::new(model.validation_error_code(), message);
    if model.protocol() == crate::Protocol::Query {
        err = err.with_status(400);
    }
    with_exception_type(
        model,
        err,
        issues.first().map(|i| i.kind).unwrap_or("MEMBER_INVALID"),
    )
}

/// A schema validator's message (`/settings/inputs/0: …`) with its pointer starting at the
/// document it lies in, where that is one of the input's `roots` members (`/inputs/0: …`).
fn rooted(message: &str, roots: &[&str]) -> String {
    for root in roots {
        let prefix = format!("/{}", path_name(root));
        if let Some(rest) = message.strip_prefix(&prefix) {
            if rest.starts_with('/') {
                return rest.to_string();
            }
            if rest.starts_with(':') {
                return format!("/{rest}");
            }
        }
    }
    message.to_string()
}

/// Fills MediaPackage v2's `ValidationExceptionType` when the model's enum has `kind`.
pub(crate) fn with_exception_type(model: &Model, err: ServiceError, kind: &str) -> ServiceError {
    let allowed = model
        .shape_named("ValidationExceptionType")
        .and_then(|s| match &s.kind {
            ShapeKind::String {
                enum_values: Some(v),
            } => Some(v.iter().any(|e| e == kind)),
            _ => None,
        })
        .unwrap_or(false);
    let has_member = model
        .error_shape(&err.code)
        .map(|s| {
            s.members()
                .iter()
                .any(|m| m.name == "ValidationExceptionType")
        })
        .unwrap_or(false);
    if allowed && has_member {
        err.with_field("ValidationExceptionType", kind)
    } else {
        err
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A shape the reader skips passes `node_valid` whatever its value: empty, huge, not an
    /// enum value, not matching any pattern, out of any range.
    #[test]
    fn unconstrained_shapes_pass_every_node_check() {
        use serde_json::json;
        let long = "\n".repeat(5000);
        let registry = crate::registry::Registry::embedded();
        let mut skipped = 0;
        for model in registry.models() {
            for (id, shape) in model.shapes.iter().enumerate() {
                if !model.unconstrained[id] {
                    continue;
                }
                skipped += 1;
                let many_keys: serde_json::Map<String, Value> =
                    (0..300).map(|i| (format!("{i}{long}"), json!(1))).collect();
                let values = match shape.kind {
                    ShapeKind::Structure { .. } => vec![json!({})],
                    ShapeKind::List { .. } => vec![json!([]), Value::Array(vec![json!(1); 5000])],
                    ShapeKind::Map { .. } => {
                        vec![json!({}), json!({"": 1}), Value::Object(many_keys)]
                    }
                    _ => vec![
                        json!(""),
                        json!(long),
                        json!("not-a-value"),
                        json!(-1e18),
                        json!(1e18),
                    ],
                };
                for v in values {
                    assert!(
                        node_valid(model, id, &v, false),
                        "{} {}",
                        model.signing_name(),
                        shape.name
                    );
                }
            }
        }
        assert!(skipped > 1000, "{skipped}");
        let mc = registry.model("mediaconvert").unwrap();
        let flag = |name: &str| {
            let id = mc.shapes.iter().position(|s| s.name == name).unwrap();
            mc.unconstrained[id]
        };
        for skipped in [
            "__string",
            "JobSettings",
            "__listOfInput",
            "VideoDescription",
        ] {
            assert!(flag(skipped), "{skipped}");
        }
        for checked in [
            "CreateJobRequest",
            "__stringPatternS3",
            "__stringMin1Max256",
            "ContainerType",
            "__integerMin32Max8192",
        ] {
            assert!(!flag(checked), "{checked}");
        }
    }

    #[test]
    fn paths_are_lower_camel() {
        assert_eq!(path_name("UserName"), "userName");
        assert_eq!(path_name("name"), "name");
        assert_eq!(join("", "a"), "a");
        assert_eq!(join("a", "b"), "a.b");
        assert_eq!(show(&serde_json::json!(["a", 1])), "[a, 1]");
    }

    /// IAM words an invalid name itself, and only when nothing its framework checks fails.
    #[test]
    fn iam_words_an_invalid_name_itself_after_its_framework_checks() {
        let sentence = "It must contain only alphanumeric characters and/or the following: +=,.@_-";
        let arn = "arn:aws:iam::111122223333:role/app";
        use serde_json::json;
        let e = error_of("iam", "GetRole", json!({"RoleName": arn}));
        assert_eq!(e.code, "ValidationError");
        assert_eq!(e.status, Some(400));
        assert_eq!(
            e.message,
            format!("The specified value for roleName is invalid. {sentence}")
        );
        let e = error_of(
            "iam",
            "DeleteGroupPolicy",
            json!({"GroupName": "g", "PolicyName": "arn:aws:iam::aws:policy/x"}),
        );
        assert_eq!(
            e.message,
            format!("The specified value for policyName is invalid. {sentence}")
        );
        let e = error_of("iam", "CreateUser", json!({"UserName": "a b"}));
        assert_eq!(
            e.message,
            format!("The specified value for userName is invalid. {sentence}")
        );
        // A length failure is the framework's, in Coral's words (without the value, as IAM
        // words them: see `iam_leaves_the_value_out`), and answered first.
        let long = "r/".repeat(40);
        let e = error_of("iam", "GetRole", json!({"RoleName": long}));
        assert_eq!(
            e.message,
            "1 validation error detected: Value at 'roleName' failed to satisfy constraint: Member must have length less than or equal to 64"
        );
        // Other services' patterns keep Coral's words.
        let e = error_of("ivs", "GetChannel", json!({"arn": "nope"}));
        assert!(
            e.message
                .contains("Member must satisfy regular expression pattern"),
            "{}",
            e.message
        );
    }

    /// IAM's validation messages as AWS answers them now (LocalStack's snapshot tests recorded
    /// against AWS in 2026, `tests/aws/services/iam/*.snapshot.json`): no value, no enum list,
    /// failing items of a list of scalars reported at the list with all their constraints.
    /// STS, recorded beside them, keeps the value.
    #[test]
    fn iam_leaves_the_value_out() {
        use serde_json::json;
        let detected = |m: &str| format!("1 validation error detected: {m}");
        // test_iam_roles `err-tag-key-too-long`-style: a tag's key, by its place.
        let e = error_of(
            "iam",
            "TagRole",
            json!({"RoleName": "r", "Tags": [{"Key": "k".repeat(129), "Value": "v"}]}),
        );
        assert_eq!(e.message, detected("Value at 'tags.1.member.key' failed to satisfy constraint: Member must have length less than or equal to 128"));
        // test_iam_policies `err-untag-large-key` and `err-untag-invalid-character`.
        let bracket = "Value at 'tagKeys' failed to satisfy constraint: Member must satisfy constraint: [Member must have length less than or equal to 128, Member must have length greater than or equal to 1, Member must satisfy regular expression pattern: [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+, Member must not be null]";
        for key in ["k".repeat(129), "bad!key".to_string()] {
            let e = error_of(
                "iam",
                "UntagPolicy",
                json!({"PolicyArn": "arn:aws:iam::111122223333:policy/p", "TagKeys": ["ok", key]}),
            );
            assert_eq!(e.message, detected(bracket));
        }
        // test_iam_oidc: three failures, lists without the non-null member constraint.
        let e = error_of(
            "iam",
            "CreateOpenIDConnectProvider",
            json!({"Url": format!("https://{}", "a".repeat(260)), "ClientIDList": [""], "ThumbprintList": ["ab"]}),
        );
        for part in [
            "Value at 'url' failed to satisfy constraint: Member must have length less than or equal to 255",
            "Value at 'clientIDList' failed to satisfy constraint: Member must satisfy constraint: [Member must have length less than or equal to 255, Member must have length greater than or equal to 1]",
            "Value at 'thumbprintList' failed to satisfy constraint: Member must satisfy constraint: [Member must have length less than or equal to 40, Member must have length greater than or equal to 40]",
        ] {
            assert!(e.message.contains(part), "{}", e.message);
        }
        assert!(e.message.starts_with("3 validation errors detected: "));
        // An enum names no values (test_iam `status`), a missing member no value either.
        let e = error_of(
            "iam",
            "UpdateAccessKey",
            json!({"AccessKeyId": "AKIAIOSFODNN7EXAMPLE", "Status": "Paused"}),
        );
        assert_eq!(e.message, detected("Value at 'status' failed to satisfy constraint: Member must satisfy enum value set"));
        let e = error_of("iam", "GetRole", json!({}));
        assert_eq!(
            e.message,
            detected("Value at 'roleName' failed to satisfy constraint: Member must not be null")
        );
        // A path failing its pattern is worded by IAM itself; too long a path by Coral
        // (test_iam_mfa `test_virtual_mfa_device_errors`).
        for path in ["invalid-path/", "/x"] {
            let e = error_of(
                "iam",
                "CreateVirtualMFADevice",
                json!({"VirtualMFADeviceName": "d", "Path": path}),
            );
            assert_eq!(e.message, "The specified value for path is invalid. It must begin and end with / and contain only alphanumeric characters and/or / characters.");
        }
        let e = error_of(
            "iam",
            "CreateVirtualMFADevice",
            json!({"VirtualMFADeviceName": "d", "Path": format!("/{}/", "a".repeat(600))}),
        );
        assert_eq!(e.message, detected("Value at 'path' failed to satisfy constraint: Member must have length less than or equal to 512"));
        // STS keeps the value (test_sts, a 65-character session name).
        let name = "s".repeat(65);
        let e = error_of(
            "sts",
            "AssumeRole",
            json!({"RoleArn": "arn:aws:iam::111122223333:role/r", "RoleSessionName": name}),
        );
        assert_eq!(e.message, detected(&format!("Value '{name}' at 'roleSessionName' failed to satisfy constraint: Member must have length less than or equal to 64")));
        // Other services keep the value and the enum's list.
        let e = error_of("ivs", "CreateChannel", json!({"type": "HUGE"}));
        assert!(
            e.message.contains("Value 'HUGE' at 'type'"),
            "{}",
            e.message
        );
        assert!(e.message.contains("enum value set: ["), "{}", e.message);
    }

    /// The error `validate` gives `input` of `operation` in the model signed `service`.
    fn error_of(service: &str, operation: &str, input: Value) -> ServiceError {
        let registry = crate::Registry::shared();
        let model = registry.model(service).expect("model");
        let id = model
            .operation(operation)
            .and_then(|o| o.input)
            .expect("input");
        let mut issues = Vec::new();
        validate(model, id, &input, &Path::Root, &mut issues);
        assert!(!issues.is_empty(), "{input}");
        to_error(model, &issues)
    }

    #[test]
    fn mediaconvert_words_failures_as_its_schema_validator_does() {
        use serde_json::json;
        // AWS's answer quoted in guidance-for-media2cloud-on-aws#8, word for word.
        let settings =
            json!({"Inputs": [{"AudioSelectors": {"Audio Selector 1": {"Tracks": [0]}}}]});
        let e = error_of(
            "mediaconvert",
            "CreateJob",
            json!({"Role": "r", "Settings": settings}),
        );
        assert_eq!(e.code, "BadRequestException");
        assert_eq!(
            e.message,
            "/inputs/0/audioSelectors/Audio Selector 1/tracks/0: Should be greater than or equal to 1"
        );
        let wide = json!({"OutputGroups": [{"Outputs": [{"VideoDescription": {"Width": 99999}}]}]});
        let e = error_of(
            "mediaconvert",
            "CreateJob",
            json!({"Role": "r", "Settings": wide}),
        );
        assert_eq!(
            e.message,
            "/outputGroups/0/outputs/0/videoDescription/width: Should be less than or equal to 8192"
        );
        let e = error_of(
            "mediaconvert",
            "CreateJob",
            json!({"Role": "r", "Settings": {}, "Priority": 51}),
        );
        assert_eq!(e.message, "/priority: Should be less than or equal to 50");
        let e = error_of("mediaconvert", "CreateJob", json!({"Role": "r"}));
        assert_eq!(e.message, "/: settings is a required property");
        let e = error_of(
            "mediaconvert",
            "CreateJob",
            json!({"Role": "r", "Settings": {}, "StatusUpdateInterval": "X"}),
        );
        assert!(
            e.message
                .starts_with("/statusUpdateInterval: Should be one of [SECONDS_10, "),
            "{}",
            e.message
        );
        // Other restJson services keep Coral's words.
        let e = error_of("ivs", "GetChannel", json!({}));
        assert_eq!(
            e.message,
            "1 validation error detected: Value null at 'arn' failed to satisfy constraint: Member must not be null"
        );
    }

    #[test]
    fn pointers_start_at_the_document_they_lie_in() {
        let roots = &["Settings"];
        assert_eq!(rooted("/settings/inputs/0: x", roots), "/inputs/0: x");
        assert_eq!(rooted("/settings: x", roots), "/: x");
        assert_eq!(rooted("/settingsOther/a: x", roots), "/settingsOther/a: x");
        assert_eq!(rooted("/priority: x", roots), "/priority: x");
    }

    #[test]
    fn pointers_name_members_items_and_map_keys_as_given() {
        let root = Path::Root;
        let inputs = Path::Member(&root, "Inputs");
        let first = Path::Item(&inputs, 0);
        let selectors = Path::Member(&first, "AudioSelectors");
        let named = Path::MapValue(&selectors, "Audio Selector 1");
        assert_eq!(named.pointer(), "/inputs/0/audioSelectors/Audio Selector 1");
        assert_eq!(
            Path::MapKey(&selectors).pointer(),
            "/inputs/0/audioSelectors"
        );
        assert_eq!(root.pointer(), "");
    }
}
