//! A log frame: a batch of records, each with its place in the global order, in a small binary
//! envelope, deflated with a preset dictionary of the stores, tables, ARN prefixes and JSON
//! members the services write. The zlib wrapper names the dictionary (its Adler-32) and checks
//! the data (Adler-32 of the payload), so a frame written with another dictionary or damaged
//! on disk is refused rather than misread.
//!
//! Payload, repeated per record (integers are LEB128): `order`, then `store`, `account`,
//! `table`, `key` (each length-prefixed UTF-8), then `0` for a removal or `1 + n` and `n`
//! bytes of the value's JSON text.

use flate2::{Compress, Compression, Decompress, FlushCompress, FlushDecompress, Status};
use service::Record;

/// The preset dictionary. Part of the on-disk format: changing a byte makes every existing
/// data directory unreadable, so any change goes with a new `FORMAT`.
pub const DICTIONARY: &[u8] = include_bytes!("dictionary.txt");

/// First byte of a frame: how the rest is encoded.
const CODEC_ZLIB_DICTIONARY: u8 = 1;

/// Uncompressed payload size at which snapshot and rewrite frames are closed: big enough for
/// the compressor to find repeats across records, small enough to decode one at a time.
pub const CHUNK: usize = 64 * 1024;

/// One record as it lies in a frame payload, values left as JSON text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RawRecord<'a> {
    /// Its place in the global order (replay sorts by it).
    pub order: u64,
    /// The store (service) that owns it.
    pub store: &'a str,
    /// See [`Record::account`].
    pub account: &'a str,
    /// See [`Record::table`].
    pub table: &'a str,
    /// See [`Record::key`].
    pub key: &'a str,
    /// The value's JSON text; `None` for a removal.
    pub value: Option<&'a [u8]>,
}

impl RawRecord<'_> {
    /// The record with its value parsed.
    pub fn to_record(self) -> Result<Record, String> {
        let value = match self.value {
            Some(text) => Some(
                serde_json::from_slice(text)
                    .map_err(|e| format!("the value of {} is not JSON: {e}", self.key))?,
            ),
            None => None,
        };
        Ok(Record {
            account: self.account.to_string(),
            table: self.table.to_string(),
            key: self.key.to_string(),
            value,
        })
    }
}

/// Collects records into a frame payload.
#[derive(Default)]
pub struct FrameWriter {
    payload: Vec<u8>,
}

impl FrameWriter {
    /// Appends a record.
    pub fn push(&mut self, order: u64, store: &str, record: &Record) -> Result<(), String> {
        let value = match &record.value {
            Some(v) => Some(serde_json::to_vec(v).map_err(|e| e.to_string())?),
            None => None,
        };
        self.push_raw(&RawRecord {
            order,
            store,
            account: &record.account,
            table: &record.table,
            key: &record.key,
            value: value.as_deref(),
        });
        Ok(())
    }

    /// Appends a record already in its stored form.
    pub fn push_raw(&mut self, r: &RawRecord<'_>) {
        let out = &mut self.payload;
        put_varint(out, r.order);
        for text in [r.store, r.account, r.table, r.key] {
            put_bytes(out, text.as_bytes());
        }
        match r.value {
            None => put_varint(out, 0),
            Some(v) => {
                put_varint(out, v.len() as u64 + 1);
                out.extend_from_slice(v);
            }
        }
    }

    /// Payload bytes collected so far.
    pub fn len(&self) -> usize {
        self.payload.len()
    }

    /// Whether no record was pushed since the last [`FrameWriter::finish`].
    pub fn is_empty(&self) -> bool {
        self.payload.is_empty()
    }

    /// The frame of the records pushed so far; the writer starts over empty.
    pub fn finish(&mut self) -> Result<Vec<u8>, String> {
        let payload = std::mem::take(&mut self.payload);
        deflate(&payload)
    }
}

fn put_varint(out: &mut Vec<u8>, mut n: u64) {
    while n >= 0x80 {
        out.push((n as u8) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

fn put_bytes(out: &mut Vec<u8>, bytes: &[u8]) {
    put_varint(out, bytes.len() as u64);
    out.extend_from_slice(bytes);
}

fn deflate(payload: &[u8]) -> Result<Vec<u8>, String> {
    let mut c = Compress::new(Compression::default(), true);
    c.set_dictionary(DICTIONARY)
        .map_err(|e| format!("cannot compress a log frame: {e}"))?;
    let mut out = Vec::with_capacity(payload.len() / 2 + 64);
    out.push(CODEC_ZLIB_DICTIONARY);
    loop {
        let consumed = c.total_in() as usize;
        let status = c
            .compress_vec(&payload[consumed..], &mut out, FlushCompress::Finish)
            .map_err(|e| format!("cannot compress a log frame: {e}"))?;
        match status {
            Status::StreamEnd => return Ok(out),
            _ => out.reserve(out.capacity().max(256)),
        }
    }
}

/// The payload of a frame, after checking its codec, dictionary and checksum.
pub fn inflate(frame: &[u8]) -> Result<Vec<u8>, String> {
    let (&codec, data) = frame.split_first().ok_or("an empty log frame")?;
    if codec != CODEC_ZLIB_DICTIONARY {
        return Err(format!("a log frame of unknown encoding {codec}"));
    }
    let mut d = Decompress::new(true);
    let mut out = Vec::with_capacity(data.len() * 4 + 256);
    loop {
        let consumed = d.total_in() as usize;
        let produced = d.total_out();
        match d.decompress_vec(&data[consumed..], &mut out, FlushDecompress::Finish) {
            Ok(Status::StreamEnd) => return Ok(out),
            Ok(_) => {
                let stalled = d.total_in() as usize == consumed && d.total_out() == produced;
                if out.len() == out.capacity() {
                    out.reserve(out.capacity());
                } else if stalled {
                    return Err("a log frame is truncated".into());
                }
            }
            Err(e) => match e.needs_dictionary() {
                Some(id) if id == dictionary_id() => d
                    .set_dictionary(DICTIONARY)
                    .map_err(|e| format!("a log frame is damaged: {e}"))
                    .map(|_| ())?,
                Some(id) => {
                    return Err(format!(
                        "a log frame was compressed with another dictionary ({id:08x})"
                    ))
                }
                None => return Err(format!("a log frame is damaged: {e}")),
            },
        }
    }
}

/// The Adler-32 of [`DICTIONARY`], as zlib names a preset dictionary.
pub fn dictionary_id() -> u32 {
    let (mut a, mut b) = (1u32, 0u32);
    for &byte in DICTIONARY {
        a = (a + u32::from(byte)) % 65521;
        b = (b + a) % 65521;
    }
    (b << 16) | a
}

/// Reads the records of a frame payload in the order written.
pub fn records(payload: &[u8]) -> Records<'_> {
    Records { rest: payload }
}

/// Iterator over the records of a payload; a malformed payload yields one error and stops.
pub struct Records<'a> {
    rest: &'a [u8],
}

impl<'a> Iterator for Records<'a> {
    type Item = Result<RawRecord<'a>, String>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.rest.is_empty() {
            return None;
        }
        let item = self.read();
        if item.is_err() {
            self.rest = &[];
        }
        Some(item)
    }
}

impl<'a> Records<'a> {
    fn read(&mut self) -> Result<RawRecord<'a>, String> {
        let order = self.varint()?;
        let store = self.text()?;
        let account = self.text()?;
        let table = self.text()?;
        let key = self.text()?;
        let value = match self.varint()? {
            0 => None,
            n => Some(self.bytes(n - 1)?),
        };
        Ok(RawRecord {
            order,
            store,
            account,
            table,
            key,
            value,
        })
    }

    fn varint(&mut self) -> Result<u64, String> {
        let mut n = 0u64;
        for shift in (0..64).step_by(7) {
            let (&byte, rest) = self.rest.split_first().ok_or("a record is cut short")?;
            self.rest = rest;
            n |= u64::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                return Ok(n);
            }
        }
        Err("a record has an overlong number".into())
    }

    fn bytes(&mut self, len: u64) -> Result<&'a [u8], String> {
        let len = usize::try_from(len)
            .ok()
            .filter(|l| *l <= self.rest.len())
            .ok_or("a record is cut short")?;
        let (head, rest) = self.rest.split_at(len);
        self.rest = rest;
        Ok(head)
    }

    fn text(&mut self) -> Result<&'a str, String> {
        let len = self.varint()?;
        std::str::from_utf8(self.bytes(len)?).map_err(|_| "a record name is not UTF-8".into())
    }
}

/// Every record of a frame, values parsed, in the order written.
pub fn decode(frame: &[u8]) -> Result<Vec<(u64, String, Record)>, String> {
    let payload = inflate(frame)?;
    records(&payload)
        .map(|r| {
            let r = r?;
            Ok((r.order, r.store.to_string(), r.to_record()?))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn record(table: &str, key: &str, value: Option<serde_json::Value>) -> Record {
        Record {
            account: "123456789012".into(),
            table: table.into(),
            key: key.into(),
            value,
        }
    }

    #[test]
    fn records_round_trip_through_a_frame() {
        let written = vec![
            (
                7,
                "ivs".to_string(),
                record(
                    "channel",
                    "arn:aws:ivs:us-west-2:123456789012:channel/abcdEFGHijkl",
                    Some(json!({"name": "ch", "latencyMode": "LOW", "tags": {"k": "v"}})),
                ),
            ),
            (
                3,
                "iam".to_string(),
                record("user", "123456789012:user:ü", Some(json!([1, 2.5, null]))),
            ),
            (u64::MAX, "ivs".to_string(), record("channel", "gone", None)),
            (0, String::new(), record("", "", Some(json!("")))),
        ];
        let mut w = FrameWriter::default();
        for (order, store, r) in &written {
            w.push(*order, store, r).unwrap();
        }
        let frame = w.finish().unwrap();
        assert!(w.is_empty());
        assert_eq!(decode(&frame).unwrap(), written);
    }

    fn json_value() -> impl proptest::strategy::Strategy<Value = serde_json::Value> {
        use proptest::prelude::*;
        let leaf = prop_oneof![
            Just(serde_json::Value::Null),
            any::<bool>().prop_map(serde_json::Value::from),
            any::<i64>().prop_map(serde_json::Value::from),
            any::<u64>().prop_map(serde_json::Value::from),
            // Milliseconds, as timestamps are kept: serde_json (without its slower
            // `float_roundtrip` parser) may read some 17-digit floats back 1 ulp off.
            (-1_000_000_000_000_000i64..1_000_000_000_000_000)
                .prop_map(|n| serde_json::Value::from(n as f64 / 1000.0)),
            ".*".prop_map(serde_json::Value::from),
        ];
        leaf.prop_recursive(3, 24, 6, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..6).prop_map(serde_json::Value::from),
                proptest::collection::btree_map(".*", inner, 0..6)
                    .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
            ]
        })
    }

    proptest::proptest! {
        #[test]
        fn any_records_round_trip(
            batch in proptest::collection::vec(
                (proptest::prelude::any::<u64>(), ".*", ".*", ".*", ".*",
                 proptest::option::of(json_value())),
                0..8,
            )
        ) {
            let written: Vec<(u64, String, Record)> = batch
                .into_iter()
                .map(|(order, store, account, table, key, value)| {
                    (order, store, Record { account, table, key, value })
                })
                .collect();
            let mut w = FrameWriter::default();
            for (order, store, r) in &written {
                w.push(*order, store, r).unwrap();
            }
            let frame = w.finish().unwrap();
            proptest::prop_assert_eq!(decode(&frame).unwrap(), written);
        }
    }

    #[test]
    fn the_dictionary_is_pinned() {
        // The dictionary is part of the format: this fails on any edit to it.
        assert_eq!(
            (DICTIONARY.len(), dictionary_id()),
            (5214, 3851254458),
            "dictionary.txt changed: bump FORMAT"
        );
    }

    #[test]
    fn a_typical_ivs_channel_and_key_take_a_fraction_of_their_json() {
        let channel = record(
            "channel",
            "arn:aws:ivs:us-east-1:123456789012:channel/Zq8PLm3nRt5W",
            Some(
                json!({"body": {"arn": "arn:aws:ivs:us-east-1:123456789012:channel/Zq8PLm3nRt5W",
                "name": "bench-17", "latencyMode": "LOW", "type": "STANDARD",
                "recordingConfigurationArn": "", "authorized": false, "insecureIngest": false,
                "preset": "", "srt": {"passphrase": "Xk2Jd9Lq0Pz7Vb4Nc1Mw8Ry6Ts3Ug5Hf"},
                "playbackRestrictionPolicyArn": "", "containerFormat": "TS",
                "multitrackInputConfiguration": {"enabled": false}},
                "created_at": 1796094881.8842604, "tags": {}}),
            ),
        );
        let json_len = serde_json::to_vec(&("ivs", &channel)).unwrap().len();
        let mut w = FrameWriter::default();
        w.push(1, "ivs", &channel).unwrap();
        let frame = w.finish().unwrap();
        assert!(frame.len() * 3 < json_len, "{} of {json_len}", frame.len());
    }

    #[test]
    fn a_damaged_frame_is_refused() {
        let mut w = FrameWriter::default();
        w.push(
            1,
            "ivs",
            &record("channel", "k", Some(json!({"name": "x"}))),
        )
        .unwrap();
        let frame = w.finish().unwrap();
        for i in 1..frame.len() {
            let mut bad = frame.clone();
            bad[i] ^= 0x20;
            // A flipped bit is caught by the header check, the Adler-32 or the decoder, or
            // lies in the padding of the last deflate byte: never a different record.
            if let Ok(read) = decode(&bad) {
                assert_eq!(read, decode(&frame).unwrap(), "byte {i}");
            }
        }
        assert!(decode(&frame[..frame.len() - 1]).is_err());
        assert!(decode(&[]).is_err());
        let mut other = frame.clone();
        other[0] = 9;
        assert!(decode(&other).unwrap_err().contains("unknown encoding"));
    }

    #[test]
    fn a_frame_of_another_dictionary_is_refused_by_name() {
        let mut c = Compress::new(Compression::default(), true);
        c.set_dictionary(b"another dictionary").unwrap();
        let mut out = vec![CODEC_ZLIB_DICTIONARY];
        out.reserve(256);
        c.compress_vec(b"\x01", &mut out, FlushCompress::Finish)
            .unwrap();
        assert!(decode(&out).unwrap_err().contains("another dictionary"));
    }

    #[test]
    fn malformed_payloads_give_errors_not_panics() {
        for payload in [
            &b"\x80"[..],
            b"\x01\x05ab",
            b"\x01\x01a\x01b\x01c\x01d\x05{}",
            b"\x01\x01\xff\x00\x00\x00\x00",
            b"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff",
        ] {
            let all: Vec<_> = records(payload).collect();
            assert!(all.last().unwrap().is_err(), "{payload:?}");
        }
    }
}
