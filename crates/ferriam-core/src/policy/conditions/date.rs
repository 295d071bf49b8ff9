//! Date operators: values are ISO 8601 date-times (`2024-01-31T12:00:00Z`,
//! `2024-01-31`, with fractions and offsets) or epoch seconds (`1706702400`).

/// A point in time as (seconds since the Unix epoch, nanoseconds).
pub type Timestamp = (i64, u32);

/// Parses a date the way IAM accepts it in policies and request contexts.
pub fn parse_date(text: &str) -> Option<Timestamp> {
    let lower = text.as_bytes();
    let is_iso = lower.iter().any(|byte| matches!(byte, b'T' | b't' | b'-'));
    if !is_iso {
        if text.is_empty() || !text.bytes().all(|byte| byte.is_ascii_digit()) {
            return None;
        }
        return text.parse::<i64>().ok().map(|seconds| (seconds, 0));
    }
    parse_iso8601(text)
}

// The grammar is Joda-Time's ISO parser, as IAM accepts it (moto's recorded
// responses): `[-]y..y[-M[M][-d[d]]][T[h[h][:m[m][:s[s][.f..f]]][zone]]]`, so
// `01T` and `2016-12-13t2:00:00.593194+23` are dates.
fn parse_iso8601(text: &str) -> Option<Timestamp> {
    let (date, time) = match text.find(['T', 't']) {
        Some(index) => (&text[..index], Some(&text[index + 1..])),
        None => (text, None),
    };
    let (negative_year, date_digits) = match date.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, date),
    };
    let mut date_parts = date_digits.split('-');
    let year: i64 = digits(date_parts.next()?, 1, 9)?;
    let year = if negative_year { -year } else { year };
    let month: i64 = date_parts
        .next()
        .map_or(Some(1), |part| digits(part, 1, 2))?;
    let day: i64 = date_parts
        .next()
        .map_or(Some(1), |part| digits(part, 1, 2))?;
    if date_parts.next().is_some()
        || !(MIN_YEAR..=MAX_YEAR).contains(&year)
        || !(1..=12).contains(&month)
        || !(1..=31).contains(&day)
    {
        return None;
    }
    let mut seconds = days_from_civil(year, month, day) * 86_400;
    let mut nanos = 0u32;
    if let Some(time) = time.filter(|time| !time.is_empty()) {
        let (clock, offset_seconds) = split_zone(time)?;
        let mut clock_parts = clock.split(':');
        let hours: i64 = digits(clock_parts.next()?, 1, 2)?;
        let minutes: i64 = clock_parts
            .next()
            .map_or(Some(0), |part| digits(part, 1, 2))?;
        let (whole_seconds, fraction) = match clock_parts.next() {
            None => (0, 0),
            Some(part) => match part.split_once('.') {
                Some((whole, fraction)) => (digits(whole, 1, 2)?, parse_fraction(fraction)?),
                None => (digits(part, 1, 2)?, 0),
            },
        };
        if clock_parts.next().is_some() || hours > 23 || minutes > 59 || whole_seconds > 59 {
            return None;
        }
        seconds += hours * 3600 + minutes * 60 + whole_seconds - offset_seconds;
        nanos = fraction;
    }
    Some((seconds, nanos))
}

/// Joda-Time's year range, which bounds the years IAM accepts.
const MIN_YEAR: i64 = -292_275_054;
const MAX_YEAR: i64 = 292_278_993;

/// Splits `12:00:00+01:00` into the clock and the zone offset in seconds.
fn split_zone(time: &str) -> Option<(&str, i64)> {
    if let Some(clock) = time.strip_suffix(['Z', 'z']) {
        return Some((clock, 0));
    }
    let Some(index) = time.rfind(['+', '-']) else {
        return Some((time, 0));
    };
    let (clock, zone) = time.split_at(index);
    let sign = if zone.starts_with('-') { -1 } else { 1 };
    let zone = &zone[1..];
    // INVARIANT: ASCII only, so the byte slicing below stays on char boundaries.
    if !zone.is_ascii() {
        return None;
    }
    let (hours, minutes) = match zone.split_once(':') {
        Some((hours, minutes)) => (digits(hours, 2, 2)?, digits(minutes, 2, 2)?),
        None if zone.len() == 4 => (digits(&zone[..2], 2, 2)?, digits(&zone[2..], 2, 2)?),
        None => (digits(zone, 2, 2)?, 0),
    };
    if hours > 23 || minutes > 59 {
        return None;
    }
    Some((clock, sign * (hours * 3600 + minutes * 60)))
}

/// One to nine digits of a second, as nanoseconds.
fn parse_fraction(fraction: &str) -> Option<u32> {
    if fraction.is_empty()
        || fraction.len() > 9
        || !fraction.bytes().all(|byte| byte.is_ascii_digit())
    {
        return None;
    }
    let value: u32 = fraction.parse().ok()?;
    Some(value * 10u32.pow(9 - fraction.len() as u32))
}

fn digits(text: &str, min: usize, max: usize) -> Option<i64> {
    if text.len() < min || text.len() > max || !text.bytes().all(|byte| byte.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month_index = (month + 9) % 12;
    let day_of_year = (153 * month_index + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_iso8601_and_epoch_forms() {
        let table: &[(&str, Option<Timestamp>)] = &[
            ("1970-01-01T00:00:00Z", Some((0, 0))),
            ("0", Some((0, 0))),
            ("1706702400", Some((1_706_702_400, 0))),
            ("2024-01-31T12:00:00Z", Some((1_706_702_400, 0))),
            ("2024-01-31t12:00:00z", Some((1_706_702_400, 0))),
            ("2024-01-31T13:00:00+01:00", Some((1_706_702_400, 0))),
            ("2024-01-31T07:00:00-0500", Some((1_706_702_400, 0))),
            (
                "2024-01-31T12:00:00.250Z",
                Some((1_706_702_400, 250_000_000)),
            ),
            ("2024-01-31T12:00Z", Some((1_706_702_400, 0))),
            ("2024-01-31", Some((1_706_659_200, 0))),
            ("2000-02-29T00:00:00Z", Some((951_782_400, 0))),
            ("1969-12-31T23:59:59Z", Some((-1, 0))),
            ("2024-13-01", None),
            ("2024-01-32", None),
            ("2024-01-31T24:00:00Z", None),
            ("yesterday", None),
            ("", None),
            ("12.5", None),
            ("2024-01-31T12:00:00+25:00", None),
        ];
        for (text, expected) in table {
            assert_eq!(parse_date(text), *expected, "{text}");
        }
    }

    #[test]
    fn non_ascii_zones_are_rejected_without_panicking() {
        // A four-byte zone once sliced at byte 2, inside a character.
        for text in [
            "2024-01-01T12:00+😀",
            "2024-01-01T12:00+1é1",
            "2024-01-01T12:00-é",
        ] {
            assert_eq!(parse_date(text), None, "{text}");
        }
    }

    #[test]
    fn accepts_the_lenient_forms_iam_accepted() {
        // moto's recorded AWS responses: CreatePolicy accepted `01T` and
        // `2016-12-13t2:00:00.593194+23`, and rejected `+1` offsets, ten-digit
        // fractions and month 13; Joda-Time's ISO parser agrees.
        let table: &[(&str, Option<Timestamp>)] = &[
            ("01T", Some((-62_135_596_800, 0))),
            (
                "2016-12-13t2:00:00.593194+23",
                Some((1_481_511_600, 593_194_000)),
            ),
            ("2024-1-5", Some((1_704_412_800, 0))),
            ("2016-12-13t2:00:00.593194+1", None),
            ("2016-12-13t2:00:00.1999999999+10:59", None),
            ("234-13", None),
            ("-292275055", None),
            ("2024-01-31T12:00:60Z", None),
            ("2024-01-31T12:00:00.Z", None),
            ("2024-01-31TZ", None),
            ("2024-01-31T123:00:00Z", None),
        ];
        for (text, expected) in table {
            assert_eq!(parse_date(text), *expected, "{text}");
        }
        assert!(parse_date("-292275054").is_some(), "Joda-Time's first year");
    }
}
