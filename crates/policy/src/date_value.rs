//! The date values of `Date*` conditions, read as IAM's policy parser reads them.
//!
//! IAM takes epoch seconds (any 64-bit integer) or an ISO 8601 date/time in the lenient
//! grammar of Joda-Time's `ISODateTimeFormat.dateTimeParser()`, whose limits its answers
//! recorded against AWS show: `01T` (year 1), `2016-12-13t2:00:00.593194+23` (lowercase `t`,
//! a one-digit hour, a two-digit offset) and `-292275054` are accepted; `234-13` (month 13),
//! an offset `+1`, a fraction of ten digits and `9223372036854775808` fail legacy parsing
//! (LocalStack's snapshot tests, `test_iam_policies.snapshot.json`
//! `test_create_policy_valid_document[valid-30, 36, 37]`, `…invalid_document[invalid-72..75]`).
//! The grammar:
//!
//! ```text
//! datetime      = time | date-opt-time
//! time          = 'T' time-element [offset]
//! date-opt-time = date-element ['T' [time-element] [offset]]
//! date-element  = yyyy ['-' MM ['-' dd]] | yyyy '-' DDD | yyyy '-W' ww ['-' e]
//! time-element  = HH [':' mm [':' ss [fraction]] | fraction] | fraction] | fraction
//! fraction      = ('.' | ',') digit{1,9}
//! offset        = 'Z' | ('+' | '-') HH [':' mm]
//! ```

/// Seconds since the epoch of `text` (trimmed), or `None` where IAM's parser refuses it.
pub(crate) fn parse(text: &str) -> Option<f64> {
    let t = text.trim();
    let digits = t.strip_prefix('-').unwrap_or(t);
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        return t.parse::<i64>().ok().map(|s| s as f64);
    }
    let mut r = Reader {
        s: t.as_bytes(),
        at: 0,
    };
    let days = if r.peek_t() { 0 } else { r.date()? };
    let mut seconds = 0.0;
    let mut offset = 0;
    if r.peek_t() {
        r.at += 1;
        if r.peek()
            .is_some_and(|b| b.is_ascii_digit() || b == b'.' || b == b',')
        {
            seconds = r.time()?;
        }
        if r.peek().is_some() {
            offset = r.offset()?;
        }
    }
    (r.at == r.s.len()).then_some(days as f64 * 86_400.0 + seconds - offset as f64)
}

struct Reader<'a> {
    s: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.at).copied()
    }

    fn peek_t(&self) -> bool {
        matches!(self.peek(), Some(b'T' | b't'))
    }

    fn eat(&mut self, b: u8) -> bool {
        let hit = self.peek() == Some(b);
        self.at += usize::from(hit);
        hit
    }

    /// Between `min` and `max` digits, as a number.
    fn number(&mut self, min: usize, max: usize) -> Option<i64> {
        let start = self.at;
        while self.at - start < max && self.peek().is_some_and(|b| b.is_ascii_digit()) {
            self.at += 1;
        }
        let n = self.at - start;
        (n >= min).then(|| {
            self.s[start..self.at]
                .iter()
                .fold(0i64, |v, b| v * 10 + i64::from(b - b'0'))
        })
    }

    /// Days since the epoch of the date element.
    fn date(&mut self) -> Option<i64> {
        let negative = self.eat(b'-');
        if !negative {
            self.eat(b'+');
        }
        let year = self.number(1, 9)? * if negative { -1 } else { 1 };
        if !self.eat(b'-') {
            return Some(days_from_civil(year, 1, 1));
        }
        if self.eat(b'W') {
            let week = self.number(2, 2)?;
            let weekday = if self.eat(b'-') {
                self.number(1, 1)?
            } else {
                1
            };
            if !(1..=weeks_in(year)).contains(&week) || !(1..=7).contains(&weekday) {
                return None;
            }
            // Week 1 holds the year's first Thursday; its Monday starts the week date count.
            let jan4 = days_from_civil(year, 1, 4);
            let monday = jan4 - (jan4 + 3).rem_euclid(7);
            return Some(monday + (week - 1) * 7 + weekday - 1);
        }
        let start = self.at;
        let run = self.s[start..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
        if run == 3 {
            let day = self.number(3, 3)?;
            let length = if leap(year) { 366 } else { 365 };
            return (1..=length)
                .contains(&day)
                .then(|| days_from_civil(year, 1, 1) + day - 1);
        }
        let month = self.number(1, 2)?;
        let day = if self.eat(b'-') {
            self.number(1, 2)?
        } else {
            1
        };
        ((1..=12).contains(&month) && (1..=month_length(year, month)).contains(&day))
            .then(|| days_from_civil(year, month, day))
    }

    /// Seconds into the day of the time element.
    fn time(&mut self) -> Option<f64> {
        if let Some(f) = self.fraction()? {
            return Some(f * 3600.0);
        }
        let hour = self.number(1, 2)?;
        if hour > 23 {
            return None;
        }
        let mut seconds = hour as f64 * 3600.0;
        let mut unit = 3600.0;
        for limit in [59, 59] {
            if !self.eat(b':') {
                break;
            }
            let n = self.number(1, 2)?;
            if n > limit {
                return None;
            }
            unit /= 60.0;
            seconds += n as f64 * unit;
        }
        if let Some(f) = self.fraction()? {
            seconds += f * unit;
        }
        Some(seconds)
    }

    /// `Some(Some(f))` for a fraction, `Some(None)` for none, `None` for a malformed one.
    fn fraction(&mut self) -> Option<Option<f64>> {
        if !(self.eat(b'.') || self.eat(b',')) {
            return Some(None);
        }
        let start = self.at;
        self.number(1, 9)?;
        let text = std::str::from_utf8(&self.s[start..self.at]).ok()?;
        Some(format!("0.{text}").parse().ok())
    }

    /// The offset from UTC in seconds.
    fn offset(&mut self) -> Option<i64> {
        if self.eat(b'Z') || self.eat(b'z') {
            return Some(0);
        }
        let sign = if self.eat(b'+') {
            1
        } else if self.eat(b'-') {
            -1
        } else {
            return None;
        };
        let hours = self.number(2, 2)?;
        let minutes = if self.eat(b':') {
            self.number(2, 2)?
        } else {
            0
        };
        (hours <= 23 && minutes <= 59).then_some(sign * (hours * 3600 + minutes * 60))
    }
}

fn leap(year: i64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

fn month_length(year: i64, month: i64) -> i64 {
    match month {
        2 if leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// ISO weeks in `year`: 53 when it starts on a Thursday, or on a Wednesday in a leap year.
fn weeks_in(year: i64) -> i64 {
    let jan1 = (days_from_civil(year, 1, 1) + 3).rem_euclid(7); // 0 = Monday
    if jan1 == 3 || (jan1 == 2 && leap(year)) {
        53
    } else {
        52
    }
}

/// Days from 1970-01-01 to the proleptic Gregorian date (H. Hinnant's `days_from_civil`).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::parse;

    #[test]
    fn what_aws_accepted_and_refused() {
        // Accepted by AWS (valid-30, 34..37), and the usual forms.
        for ok in [
            "01T",
            "2019-07-01T13:20:15Z",
            "2016-12-13T21:20:37.593194+00:00",
            "2016-12-13t2:00:00.593194+23",
            "-292275054",
            "2024-06-01",
            "1717243200",
        ] {
            assert!(parse(ok).is_some(), "{ok}");
        }
        // Refused by AWS as legacy parsing failures (invalid-72..75) or plainly no date.
        for bad in [
            "234-13",
            "2016-12-13t2:00:00.593194+1",
            "2016-12-13t2:00:00.1999999999+10:59",
            "9223372036854775808",
            "sdfdsf",
            "not a date",
            "",
            "2024-02-30",
            "2024-06-01T24:00",
        ] {
            assert_eq!(parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn values_are_seconds_since_the_epoch() {
        assert_eq!(parse("2024-06-01T12:00:00Z"), Some(1_717_243_200.0));
        assert_eq!(parse("2024-06-01T13:00:00+01:00"), Some(1_717_243_200.0));
        assert_eq!(parse("2024-06-01t12"), Some(1_717_243_200.0));
        assert_eq!(parse("2024-06-01T12:30:00.5Z"), Some(1_717_245_000.5));
        assert_eq!(parse("1970-01-01"), Some(0.0));
        assert_eq!(
            parse("1970"),
            Some(1970.0),
            "digits alone are epoch seconds"
        );
        assert_eq!(parse("1970-001"), Some(0.0), "ordinal date");
        assert_eq!(
            parse("2024-W22-6"),
            Some(1_717_200_000.0),
            "week date: 2024-06-01"
        );
        assert_eq!(
            parse("T01:00Z"),
            Some(3_600.0),
            "time alone is on 1970-01-01"
        );
        assert_eq!(parse("01T").map(|s| s < -62_000_000_000.0), Some(true));
    }
}
