//! Timestamp wire formats: parsing any of them, writing the one the model asks for.

use serde_json::Value;
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

/// A timestamp's wire format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimestampFormat {
    /// `2024-01-02T03:04:05Z` (RFC 3339).
    Iso8601,
    /// Seconds since the epoch, a JSON number.
    EpochSeconds,
    /// `Tue, 02 Jan 2024 03:04:05 GMT` (HTTP date).
    Rfc822,
}

impl TimestampFormat {
    /// The format named by a model's `timestampFormat` trait.
    pub fn from_model(name: &str) -> Option<Self> {
        match name {
            "iso8601" => Some(TimestampFormat::Iso8601),
            "unixTimestamp" => Some(TimestampFormat::EpochSeconds),
            "rfc822" => Some(TimestampFormat::Rfc822),
            _ => None,
        }
    }
}

/// The first instant a timestamp may name (0001-01-01T00:00:00Z).
const MIN_SECS: f64 = -62_135_596_800.0;
/// Just past the last millisecond a timestamp may name (9999-12-31T23:59:59.999Z), so that
/// rounding to milliseconds stays in year 9999: every wire format can write back whatever
/// was accepted, and nothing is ever rewritten on the way out.
const END_SECS: f64 = 253_402_300_799.999_5;

/// Whether `secs` (epoch seconds) is a timestamp every wire format can express.
pub fn in_range(secs: f64) -> bool {
    secs.is_finite() && (MIN_SECS..END_SECS).contains(&secs)
}

/// Parses a timestamp written in any AWS format (epoch seconds, ISO 8601, HTTP date); `None`
/// when it is unreadable or outside years 1–9999.
pub fn parse(text: &str) -> Option<f64> {
    parse_any(text).filter(|s| in_range(*s))
}

fn parse_any(text: &str) -> Option<f64> {
    let t = text.trim();
    if let Ok(n) = t.parse::<f64>() {
        return Some(n);
    }
    if let Ok(dt) = OffsetDateTime::parse(t, &Rfc3339) {
        return Some(epoch(dt));
    }
    // SDKs sometimes omit the zone designator; AWS reads that as UTC.
    if t.len() >= 19 && !t.ends_with('Z') && !t.contains('+') {
        if let Ok(dt) = OffsetDateTime::parse(&format!("{t}Z"), &Rfc3339) {
            return Some(epoch(dt));
        }
    }
    let st = httpdate::parse_http_date(t).ok()?;
    let secs = st.duration_since(std::time::UNIX_EPOCH).ok()?.as_secs_f64();
    Some(secs)
}

/// Reads a timestamp a service handed back: a number of epoch seconds or an RFC 3339 string.
pub fn from_value(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => parse(s),
        _ => None,
    }
}

/// Writes epoch seconds in `format`.
pub fn format(secs: f64, format: TimestampFormat) -> Value {
    match format {
        TimestampFormat::EpochSeconds => epoch_value(secs),
        TimestampFormat::Iso8601 => Value::String(iso8601(secs)),
        TimestampFormat::Rfc822 => Value::String(http_date(secs)),
    }
}

/// Writes epoch seconds as a string in `format` (headers, query strings, XML).
pub fn format_text(secs: f64, fmt: TimestampFormat) -> String {
    match format(secs, fmt) {
        Value::String(s) => s,
        other => other.to_string(),
    }
}

fn epoch_value(secs: f64) -> Value {
    if secs.fract() == 0.0 && secs.abs() < 9.0e15 {
        Value::from(secs as i64)
    } else {
        serde_json::Number::from_f64((secs * 1000.0).round() / 1000.0)
            .map(Value::Number)
            .unwrap_or(Value::Null)
    }
}

/// Whole seconds plus the milliseconds (AWS keeps no finer precision), so they survive f64
/// rounding.
fn epoch(dt: OffsetDateTime) -> f64 {
    dt.unix_timestamp() as f64 + f64::from(dt.nanosecond() / 1_000_000) / 1e3
}

/// The UTC date-time of `secs` and its milliseconds.
fn datetime(secs: f64) -> (OffsetDateTime, u32) {
    let whole = secs.floor();
    let mut millis = ((secs - whole) * 1000.0).round() as u32;
    let mut whole = whole as i64;
    if millis >= 1000 {
        whole = whole.saturating_add(1);
        millis -= 1000;
    }
    let dt = OffsetDateTime::from_unix_timestamp(whole).unwrap_or(OffsetDateTime::UNIX_EPOCH);
    (dt, millis)
}

/// `2024-01-02T03:04:05Z`, with milliseconds only when there are any.
pub fn iso8601(secs: f64) -> String {
    let (dt, millis) = datetime(secs);
    let base = format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
        dt.year(),
        u8::from(dt.month()),
        dt.day(),
        dt.hour(),
        dt.minute(),
        dt.second()
    );
    if millis == 0 {
        format!("{base}Z")
    } else {
        format!("{base}.{millis:03}Z")
    }
}

/// The last second HTTP dates can express (9999-12-31T23:59:59Z).
const MAX_HTTP_DATE: f64 = 253_402_300_799.0;

/// `Tue, 02 Jan 2024 03:04:05 GMT` (clamped to what HTTP dates can express).
pub fn http_date(secs: f64) -> String {
    let whole = if secs.is_finite() {
        secs.clamp(0.0, MAX_HTTP_DATE).floor() as u64
    } else {
        0
    };
    let at = std::time::UNIX_EPOCH
        .checked_add(std::time::Duration::from_secs(whole))
        .unwrap_or(std::time::UNIX_EPOCH);
    httpdate::fmt_http_date(at)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_format() {
        assert_eq!(parse("1700000000"), Some(1_700_000_000.0));
        assert_eq!(parse("1700000000.5"), Some(1_700_000_000.5));
        assert_eq!(parse("2023-11-14T22:13:20Z"), Some(1_700_000_000.0));
        assert_eq!(parse("2023-11-14T22:13:20"), Some(1_700_000_000.0));
        assert_eq!(
            parse("2023-11-14T22:13:20.250+00:00"),
            Some(1_700_000_000.25)
        );
        assert_eq!(
            parse("Tue, 14 Nov 2023 22:13:20 GMT"),
            Some(1_700_000_000.0)
        );
        assert_eq!(parse("yesterday"), None);
        assert_eq!(parse("NaN"), None);
    }

    #[test]
    fn refuses_what_no_wire_format_can_write_back() {
        // Sub-millisecond digits are dropped, as AWS keeps milliseconds.
        let last = parse("9999-12-31T23:59:59.999999999Z").expect("year 9999 is readable");
        assert_eq!(iso8601(last), "9999-12-31T23:59:59.999Z");
        assert_eq!(parse("0001-01-01T00:00:00Z"), Some(MIN_SECS));
        assert_eq!(iso8601(MIN_SECS), "0001-01-01T00:00:00Z");
        for out_of_range in ["1e12", "253402300800", "-62135596801", "inf", "1e400"] {
            assert_eq!(parse(out_of_range), None, "{out_of_range}");
        }
        assert!(in_range(253_402_300_799.999));
        assert!(!in_range(253_402_300_799.999_9));
        assert!(!in_range(f64::NAN));
    }

    #[test]
    fn formats_per_model() {
        assert_eq!(iso8601(1_700_000_000.0), "2023-11-14T22:13:20Z");
        assert_eq!(iso8601(1_700_000_000.25), "2023-11-14T22:13:20.250Z");
        assert_eq!(http_date(1_700_000_000.0), "Tue, 14 Nov 2023 22:13:20 GMT");
        assert_eq!(http_date(1e300), "Fri, 31 Dec 9999 23:59:59 GMT");
        assert_eq!(iso8601(f64::NAN), "1970-01-01T00:00:00Z");
        assert_eq!(iso8601(1e300), "1970-01-01T00:00:00Z");
        assert_eq!(
            format(1_700_000_000.0, TimestampFormat::EpochSeconds),
            Value::from(1_700_000_000i64)
        );
        assert_eq!(
            from_value(&Value::from("2023-11-14T22:13:20Z")),
            Some(1_700_000_000.0)
        );
    }

    proptest::proptest! {
        #[test]
        fn formatting_any_number_never_panics(secs in proptest::num::f64::ANY) {
            for f in [TimestampFormat::Iso8601, TimestampFormat::EpochSeconds, TimestampFormat::Rfc822] {
                let _ = format(secs, f);
                let _ = format_text(secs, f);
            }
        }

        #[test]
        fn parsing_any_text_never_panics(text in ".{0,40}") {
            let _ = parse(&text);
        }

        #[test]
        fn whatever_is_accepted_is_written_back_unchanged(secs in -7.0e10f64..3.0e11) {
            if in_range(secs) {
                let written = iso8601(secs);
                let read = parse(&written).expect("written timestamps read back");
                proptest::prop_assert!((read - secs).abs() <= 0.001, "{secs} -> {written}");
            }
        }
    }
}
