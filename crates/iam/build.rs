//! Indexes the vendored AWS managed policies (`data/managed-policies.json.gz`) at build time,
//! so that the binary carries them in the form a read uses and a server builds nothing from
//! them at run time: the documents pretty-printed as IAM returns them, gathered into chunks
//! of about 64 KiB of text and deflated chunk by chunk (`managed_chunks.bin`), and a Rust
//! table of every policy sorted by name (`managed_index.rs`: name, path, version, dates, and
//! where its text lies). Built at run time instead, on the first managed policy read, the
//! index and its 0.5 MB of chunks stayed in the heap: 0.7 MiB of resident memory.

use flate2::write::DeflateEncoder;
use serde::Deserialize;
use std::fmt::Write as _;
use std::io::{Read, Write};

/// Text gathered into one deflated chunk: big enough that documents compress together,
/// small enough that reading one inflates little (about 0.1 ms).
const CHUNK_TEXT: usize = 64 * 1024;

#[derive(Deserialize)]
struct Raw {
    arn: String,
    version: String,
    created: Option<String>,
    updated: Option<String>,
    document: serde_json::Value,
}

/// One policy's row of the table.
struct Row {
    name: String,
    path: String,
    version: String,
    created: f64,
    updated: f64,
    chunk: usize,
    start: usize,
    len: usize,
}

fn parse_date(s: Option<&str>) -> f64 {
    s.and_then(|s| {
        time::OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339).ok()
    })
    .map(|t| t.unix_timestamp() as f64)
    .unwrap_or(0.0)
}

/// Deflates `text` onto `blob` as the next chunk.
fn flush(blob: &mut Vec<u8>, chunks: &mut Vec<usize>, text: &mut String) {
    chunks.push(blob.len());
    let mut e = DeflateEncoder::new(&mut *blob, flate2::Compression::default());
    e.write_all(text.as_bytes()).expect("deflate to memory");
    e.finish().expect("deflate to memory");
    text.clear();
}

fn main() {
    let source = "data/managed-policies.json.gz";
    println!("cargo:rerun-if-changed={source}");
    println!("cargo:rerun-if-changed=build.rs");
    let mut json = Vec::new();
    flate2::read::GzDecoder::new(std::fs::File::open(source).expect(source))
        .read_to_end(&mut json)
        .expect("the vendored managed policies are gzip");
    let vendored: serde_json::Map<String, serde_json::Value> =
        serde_json::from_slice(&json).expect("the vendored managed policies are a JSON map");
    let (mut rows, mut blob, mut chunks, mut text) =
        (Vec::new(), Vec::new(), Vec::new(), String::new());
    for (name, raw) in vendored {
        let raw: Raw = serde_json::from_value(raw).expect("a vendored managed policy");
        let document = serde_json::to_string_pretty(&raw.document).expect("JSON prints");
        if !text.is_empty() && text.len() + document.len() > CHUNK_TEXT {
            flush(&mut blob, &mut chunks, &mut text);
        }
        let path = raw
            .arn
            .strip_prefix("arn:aws:iam::aws:policy")
            .and_then(|rest| rest.rfind('/').map(|i| &rest[..=i]))
            .unwrap_or("/")
            .to_string();
        rows.push(Row {
            name,
            path,
            version: raw.version,
            created: parse_date(raw.created.as_deref()),
            updated: parse_date(raw.updated.as_deref()),
            chunk: chunks.len(),
            start: text.len(),
            len: document.len(),
        });
        text.push_str(&document);
    }
    if !text.is_empty() {
        flush(&mut blob, &mut chunks, &mut text);
    }
    chunks.push(blob.len());
    rows.sort_by(|a, b| a.name.cmp(&b.name));

    let mut strings = String::new();
    let mut table = String::new();
    for r in &rows {
        let at = strings.len();
        strings.push_str(&r.name);
        strings.push_str(&r.path);
        strings.push_str(&r.version);
        writeln!(
            table,
            "    AwsManaged::row({at}, {}, {}, {}, {:?}, {:?}, {}, {}, {}),",
            r.name.len(),
            r.path.len(),
            r.version.len(),
            r.created,
            r.updated,
            r.chunk,
            r.start,
            r.len
        )
        .expect("write to a String");
    }
    let chunk_starts: Vec<String> = chunks.iter().map(usize::to_string).collect();
    let index = format!(
        "/// Every policy's name, path and version ID, back to back.\n\
         static STRINGS: &str = {strings:?};\n\
         /// Where each chunk starts in `CHUNKS`, and their length last.\n\
         static CHUNK_STARTS: [u32; {}] = [{}];\n\
         /// Every AWS managed policy, sorted by name.\n\
         static POLICIES: [AwsManaged; {}] = [\n{table}];\n",
        chunks.len(),
        chunk_starts.join(", "),
        rows.len(),
    );
    let out = std::path::PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    std::fs::write(out.join("managed_chunks.bin"), &blob).expect("write to OUT_DIR");
    std::fs::write(out.join("managed_index.rs"), index).expect("write to OUT_DIR");
}
