//! Limits every reader applies, in one place.

/// The longest single segment any reader accepts: a TMX/XLIFF text run, a
/// paragraph of a Word, OpenDocument or HTML document (16 MiB). No real
/// sentence or paragraph is near it; a longer one is a damaged or hostile
/// file, refused with an error that says where it is, so that memory stays
/// proportional to what can be real text.
pub const MAX_SEGMENT_BYTES: usize = 16 << 20;

/// The most bytes one part of a zipped document (`word/document.xml`,
/// `content.xml`) may hold once inflated: a guard against zip bombs.
pub const MAX_PART_BYTES: u64 = 512 << 20;

/// Refuse a text with a run longer than [`MAX_SEGMENT_BYTES`] between two
/// of `breaks` (line breaks for text and tables, `<` for XML): the error
/// names the line where the run starts. One pass over the bytes.
pub fn check_runs(file: &str, text: &str, breaks: &[u8]) -> polytm_core::error::Result<()> {
    let bytes = text.as_bytes();
    let (mut start, mut line, mut start_line) = (0usize, 1usize, 1usize);
    for (i, &b) in bytes.iter().enumerate() {
        if breaks.contains(&b) {
            if i - start > MAX_SEGMENT_BYTES {
                return Err(too_long(file, start_line, i - start));
            }
            start = i + 1;
            start_line = line + usize::from(b == b'\n');
        }
        if b == b'\n' {
            line += 1;
        }
    }
    if bytes.len() - start > MAX_SEGMENT_BYTES {
        return Err(too_long(file, start_line, bytes.len() - start));
    }
    Ok(())
}

/// The error for a segment of `len` bytes starting on `line`.
pub fn too_long(file: &str, line: usize, len: usize) -> polytm_core::error::Error {
    polytm_core::error::Error::at_line(
        file,
        line,
        format!(
            "a segment of {:.1} MiB without a break is over the limit of {} MiB",
            // rounded up: one byte over the limit is not "16.0 MiB"
            (len as f64 / f64::from(1 << 20) * 10.0).ceil() / 10.0,
            MAX_SEGMENT_BYTES >> 20
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_run_over_the_limit_is_refused_where_it_starts() {
        let ok = format!("a\n{}\nb", "x".repeat(MAX_SEGMENT_BYTES));
        assert!(check_runs("f.txt", &ok, b"\n").is_ok());
        let bad = format!("a\nb\n{}\n", "x".repeat(MAX_SEGMENT_BYTES + 1));
        let e = check_runs("f.txt", &bad, b"\n").unwrap_err().to_string();
        assert!(e.contains("f.txt:3:"), "{e}");
        assert!(
            e.contains("16.1 MiB") && e.contains("limit of 16 MiB"),
            "{e}"
        );
        // XML: the run between two tags, whatever its lines
        let xml = format!("<a>\n<b>{}</b>", "y\n".repeat(MAX_SEGMENT_BYTES / 2 + 1));
        let e = check_runs("f.xlf", &xml, b"<").unwrap_err().to_string();
        assert!(e.contains("f.xlf:2:"), "{e}");
        assert!(check_runs("f.xlf", &xml, b"\n").is_ok());
    }
}
