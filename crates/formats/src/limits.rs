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
