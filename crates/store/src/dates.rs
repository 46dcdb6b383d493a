//! Timestamps as the store writes them (ISO 8601 UTC to the second) and
//! as the fuzzy index ranks them (seconds since 1970).

/// Current time, ISO 8601 UTC to the second: `2026-11-28T20:41:07Z`.
pub fn now() -> String {
    let t = time::OffsetDateTime::now_utc();
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        t.year(),
        t.month() as u8,
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// Seconds since 1970 of the later of two timestamps (ISO 8601
/// `2026-11-28T20:41:07Z` or TMX `20261128T204107Z`); 0 when unreadable.
pub fn recency(created: &str, changed: Option<&str>) -> i64 {
    let a = parse_time(created);
    let b = changed.map(parse_time).unwrap_or(0);
    a.max(b)
}

fn parse_time(s: &str) -> i64 {
    let mut digits = [0i64; 14];
    let mut n = 0;
    for (slot, b) in digits.iter_mut().zip(s.bytes().filter(u8::is_ascii_digit)) {
        *slot = (b - b'0') as i64;
        n += 1;
    }
    if n < 8 {
        return 0;
    }
    // A field the text is too short for counts as 0.
    let num = |a: usize, b: usize| -> i64 {
        digits
            .get(a..b)
            .filter(|_| b <= n)
            .map_or(0, |d| d.iter().fold(0, |n, x| n * 10 + x))
    };
    let (y, mo, d) = (num(0, 4), num(4, 6), num(6, 8));
    let (h, mi, se) = (num(8, 10), num(10, 12), num(12, 14));
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) {
        return 0;
    }
    days_from_civil(y, mo, d) * 86_400 + h * 3600 + mi * 60 + se
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn now_is_iso() {
        let t = now();
        assert_eq!(t.len(), 20);
        assert!(t.ends_with('Z'));
        assert_eq!(&t[4..5], "-");
    }

    #[test]
    fn times() {
        assert_eq!(parse_time("1970-01-01T00:00:00Z"), 0);
        assert_eq!(
            parse_time("2026-11-28T20:41:07Z"),
            parse_time("20261128T204107Z")
        );
        assert_eq!(parse_time("2000-03-01T00:00:00Z"), 951_868_800);
        assert_eq!(parse_time("garbage"), 0);
        assert_eq!(
            recency("2020-01-01T00:00:00Z", Some("2021-01-01T00:00:00Z")),
            parse_time("2021-01-01T00:00:00Z")
        );
        // the first version, which collected the digits in a Vec: every
        // prefix of a few dates reads the same
        let reference = |s: &str| -> i64 {
            let digits: Vec<i64> = s
                .bytes()
                .filter(u8::is_ascii_digit)
                .take(14)
                .map(|b| (b - b'0') as i64)
                .collect();
            if digits.len() < 8 {
                return 0;
            }
            let num = |a: usize, b: usize| -> i64 {
                digits
                    .get(a..b)
                    .map_or(0, |d| d.iter().fold(0, |n, x| n * 10 + x))
            };
            let (y, mo, d) = (num(0, 4), num(4, 6), num(6, 8));
            let (h, mi, se) = (num(8, 10), num(10, 12), num(12, 14));
            if !(1..=12).contains(&mo) || !(1..=31).contains(&d) {
                return 0;
            }
            days_from_civil(y, mo, d) * 86_400 + h * 3600 + mi * 60 + se
        };
        for date in [
            "2026-11-28T20:41:07Z",
            "20240101T000000Z",
            "1999-12-31 23:59:59.123456",
            "2019-02-30T1",
        ] {
            for cut in 0..=date.len() {
                assert_eq!(
                    parse_time(&date[..cut]),
                    reference(&date[..cut]),
                    "{}",
                    &date[..cut]
                );
            }
        }
    }
}
