//! The subset of botocore's `service-2.json` / `paginators-1.json` the protocol layer reads.
//!
//! Strings borrow from the decompressed JSON where it has no escapes (`Cow`), and nothing is
//! read into `serde_json::Value`: a model compile used to leave megabytes of short-lived
//! maps and strings behind, and the allocator kept the pages where they had lived.

use serde::de::{Deserializer, MapAccess, Visitor};
use serde::Deserialize;
use serde_json::Value;
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;

/// A string of the model, borrowed from its JSON text unless it had escapes.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Str<'a>(Cow<'a, str>);

impl std::ops::Deref for Str<'_> {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl std::borrow::Borrow<str> for Str<'_> {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Str<'_> {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Str<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Text<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for Text<'a> {
            type Value = Str<'a>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(Str(Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Str(Cow::Owned(v.to_string())))
            }
            fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
                Ok(Str(Cow::Owned(v)))
            }
        }
        deserializer.deserialize_str(Text(std::marker::PhantomData))
    }
}

/// A whole `service-2.json`.
#[derive(Debug, Deserialize)]
pub(crate) struct RawModel<'a> {
    #[serde(borrow)]
    pub metadata: RawMetadata<'a>,
    #[serde(borrow)]
    pub operations: BTreeMap<Str<'a>, RawOperation<'a>>,
    #[serde(borrow)]
    pub shapes: BTreeMap<Str<'a>, RawShape<'a>>,
}

/// The model's `metadata` block.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct RawMetadata<'a> {
    #[serde(borrow)]
    pub protocol: Str<'a>,
    #[serde(borrow)]
    pub api_version: Str<'a>,
    #[serde(borrow)]
    pub signing_name: Option<Str<'a>>,
    #[serde(borrow)]
    pub endpoint_prefix: Str<'a>,
    #[serde(borrow)]
    pub xml_namespace: Option<Str<'a>>,
}

/// One operation.
#[derive(Debug, Deserialize)]
pub(crate) struct RawOperation<'a> {
    #[serde(borrow)]
    pub name: Str<'a>,
    #[serde(borrow)]
    pub http: RawHttp<'a>,
    #[serde(borrow)]
    pub input: Option<RawRef<'a>>,
    #[serde(borrow)]
    pub output: Option<RawRef<'a>>,
    #[serde(default, borrow)]
    pub errors: Vec<RawRef<'a>>,
    /// `none` for operations AWS serves without a signature.
    #[serde(default, borrow)]
    pub authtype: Option<Str<'a>>,
    /// `true` (newer botocore) for operations whose body may be left out of the signature.
    #[serde(default, rename = "unsignedPayload")]
    pub unsigned_payload: bool,
}

/// An operation's HTTP binding.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct RawHttp<'a> {
    #[serde(borrow)]
    pub method: Str<'a>,
    #[serde(borrow)]
    pub request_uri: Str<'a>,
    pub response_code: Option<u16>,
}

/// A reference to a shape (operation input/output/error, list member, map key/value).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct RawRef<'a> {
    #[serde(borrow)]
    pub shape: Str<'a>,
    #[serde(borrow)]
    pub result_wrapper: Option<Str<'a>>,
    #[serde(borrow)]
    pub location_name: Option<Str<'a>>,
}

/// A shape definition.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct RawShape<'a> {
    #[serde(rename = "type", borrow)]
    pub kind: Str<'a>,
    /// In the model's order (a map would lose it).
    #[serde(default, borrow)]
    pub members: RawMembers<'a>,
    #[serde(default, borrow)]
    pub required: Vec<Str<'a>>,
    #[serde(borrow)]
    pub member: Option<RawRef<'a>>,
    #[serde(borrow)]
    pub key: Option<RawRef<'a>>,
    #[serde(borrow)]
    pub value: Option<RawRef<'a>>,
    pub min: Option<f64>,
    pub max: Option<f64>,
    #[serde(borrow)]
    pub pattern: Option<Str<'a>>,
    #[serde(rename = "enum", borrow)]
    pub enum_values: Option<Vec<Str<'a>>>,
    #[serde(borrow)]
    pub timestamp_format: Option<Str<'a>>,
    pub error: Option<RawError>,
    #[serde(default)]
    pub exception: bool,
    #[serde(borrow)]
    pub payload: Option<Str<'a>>,
    #[serde(default)]
    pub flattened: bool,
    /// A tagged union: exactly one member is set.
    #[serde(default)]
    pub union: bool,
}

/// A structure's members, in the order the model lists them.
#[derive(Debug, Default)]
pub(crate) struct RawMembers<'a>(pub Vec<(Str<'a>, RawMember<'a>)>);

impl<'de: 'a, 'a> Deserialize<'de> for RawMembers<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Ordered<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for Ordered<'a> {
            type Value = RawMembers<'a>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a map of members")
            }
            fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<Self::Value, M::Error> {
                let mut members = Vec::with_capacity(map.size_hint().unwrap_or(0));
                while let Some(entry) = map.next_entry::<Str<'a>, RawMember<'a>>()? {
                    members.push(entry);
                }
                Ok(RawMembers(members))
            }
        }
        deserializer.deserialize_map(Ordered(std::marker::PhantomData))
    }
}

/// A structure member.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct RawMember<'a> {
    #[serde(borrow)]
    pub shape: Str<'a>,
    #[serde(borrow)]
    pub location: Option<Str<'a>>,
    #[serde(borrow)]
    pub location_name: Option<Str<'a>>,
    #[serde(default)]
    pub jsonvalue: bool,
    #[serde(default)]
    pub idempotency_token: bool,
    #[serde(borrow)]
    pub timestamp_format: Option<Str<'a>>,
    #[serde(default)]
    pub flattened: bool,
}

/// An error shape's `error` block.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct RawError {
    pub code: Option<String>,
    pub http_status_code: Option<u16>,
    #[serde(default)]
    pub sender_fault: bool,
}

/// A whole `paginators-1.json`.
#[derive(Debug, Deserialize, Default)]
pub(crate) struct RawPaginators {
    #[serde(default)]
    pub pagination: BTreeMap<String, RawPaginator>,
}

/// One paginator; tokens may be a string or a list of strings in botocore.
#[derive(Debug, Deserialize)]
pub(crate) struct RawPaginator {
    pub input_token: Option<Value>,
    pub output_token: Option<Value>,
    pub limit_key: Option<String>,
    pub result_key: Option<Value>,
}
