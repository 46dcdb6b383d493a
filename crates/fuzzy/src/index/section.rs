//! The arrays of an index, owned (an index built in memory) or read in
//! place from a memory-mapped file (an index opened from disk): the search
//! code sees slices either way.

use std::ops::Deref;
use std::sync::Arc;

use bytemuck::Pod;
use memmap2::Mmap;

/// A read-only array of plain values.
pub(crate) enum Section<T: Pod> {
    Owned(Vec<T>),
    /// `len` values at `ptr`, inside `map` (checked in bounds and aligned
    /// when made; the file format keeps every section 8-byte aligned). The
    /// map is kept alive by the section and never written to.
    Mapped {
        /// Kept alive for `ptr`.
        _map: Arc<Mmap>,
        ptr: *const T,
        len: usize,
    },
}

// SAFETY: a mapped section is an immutable view of a read-only mapping that
// the section keeps alive (the `Arc`); sharing it between threads is like
// sharing a `&[T]`.
unsafe impl<T: Pod + Sync> Send for Section<T> {}
unsafe impl<T: Pod + Sync> Sync for Section<T> {}

impl<T: Pod> Section<T> {
    /// A view of `len` values at `offset` bytes into `map`; `None` when
    /// they do not fit in it or are misaligned.
    pub(crate) fn mapped(map: &Arc<Mmap>, offset: usize, len: usize) -> Option<Section<T>> {
        let bytes = len.checked_mul(std::mem::size_of::<T>())?;
        let end = offset.checked_add(bytes)?;
        let slice = map.get(offset..end)?;
        // checks alignment and size
        let values = bytemuck::try_cast_slice::<u8, T>(slice).ok()?;
        Some(Section::Mapped {
            _map: Arc::clone(map),
            ptr: values.as_ptr(),
            len,
        })
    }

    /// The values as bytes (for writing a file).
    pub(crate) fn bytes(&self) -> &[u8] {
        bytemuck::cast_slice(self)
    }
}

impl<T: Pod> Default for Section<T> {
    fn default() -> Self {
        Section::Owned(Vec::new())
    }
}

impl<T: Pod> From<Vec<T>> for Section<T> {
    fn from(v: Vec<T>) -> Self {
        Section::Owned(v)
    }
}

impl<T: Pod> Deref for Section<T> {
    type Target = [T];

    #[inline]
    fn deref(&self) -> &[T] {
        match self {
            Section::Owned(v) => v,
            // SAFETY: checked in bounds and aligned when made; the map it
            // points into lives as long as `self` and is never changed.
            Section::Mapped { ptr, len, .. } => unsafe { std::slice::from_raw_parts(*ptr, *len) },
        }
    }
}

impl<T: Pod + std::fmt::Debug> std::fmt::Debug for Section<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Section::Owned(v) => write!(f, "Owned({} values)", v.len()),
            Section::Mapped { len, .. } => write!(f, "Mapped({len} values)"),
        }
    }
}
