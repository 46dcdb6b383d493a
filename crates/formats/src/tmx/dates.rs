//! TMX dates (`YYYYMMDDThhmmssZ`) to ISO 8601 and back.

/// `20180612T101500Z` (or ISO `2018-06-12T10:15:00Z`) → `2018-06-12T10:15:00Z`.
pub fn tmx_date_to_iso(s: &str) -> Option<String> {
    let s = s.trim();
    let digits: String = s.chars().filter(|c| c.is_ascii_digit()).collect();
    let compact = s.len() == 16
        && s.as_bytes().get(8) == Some(&b'T')
        && s.ends_with('Z')
        && digits.len() == 14;
    let iso = s.len() == 20
        && s.ends_with('Z')
        && digits.len() == 14
        && s.as_bytes().get(4) == Some(&b'-')
        && s.as_bytes().get(10) == Some(&b'T');
    if !(compact || iso) {
        return None;
    }
    // not a date (None) when a field is not a number
    let n = |a: usize, b: usize| digits[a..b].parse::<u32>().ok();
    let (mo, d, h, mi, se) = (n(4, 6)?, n(6, 8)?, n(8, 10)?, n(10, 12)?, n(12, 14)?);
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) || h > 23 || mi > 59 || se > 60 {
        return None;
    }
    Some(format!(
        "{}-{}-{}T{}:{}:{}Z",
        &digits[0..4],
        &digits[4..6],
        &digits[6..8],
        &digits[8..10],
        &digits[10..12],
        &digits[12..14]
    ))
}

/// ISO `2018-06-12T10:15:00Z` → TMX `20180612T101500Z`.
pub fn iso_to_tmx_date(s: &str) -> Option<String> {
    let iso = tmx_date_to_iso(s)?;
    let digits: String = iso.chars().filter(|c| c.is_ascii_digit()).collect();
    Some(format!("{}T{}Z", &digits[..8], &digits[8..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(
            tmx_date_to_iso("20180612T101500Z").as_deref(),
            Some("2018-06-12T10:15:00Z")
        );
        assert_eq!(
            tmx_date_to_iso("2018-06-12T10:15:00Z").as_deref(),
            Some("2018-06-12T10:15:00Z")
        );
        assert_eq!(tmx_date_to_iso("20181312T101500Z"), None);
        assert_eq!(tmx_date_to_iso("June 12"), None);
        assert_eq!(
            iso_to_tmx_date("2018-06-12T10:15:00Z").as_deref(),
            Some("20180612T101500Z")
        );
    }
}
