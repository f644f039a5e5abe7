//! Recovery of an Ogg/Opus file this crate wrote (see [`crate::recover`]).

use std::fs::File;
use std::io::{Seek, SeekFrom, Write};
use std::path::Path;

use super::START_COMMENT;
use super::page::{self, EOS, FLAGS_AT, HEADER_LEN};
use crate::error::Result;
use crate::opus;
use crate::recover::{Recovered, not_recoverable, read_at};

/// Keeps the pages whose checksum holds, cuts off a torn last page, and marks the last page as the
/// end of the stream.
pub(crate) fn recover_ogg(file: &mut File, path: &Path) -> Result<Recovered> {
    let len = file.metadata()?.len();
    let mut pos = 0u64;
    let mut index = 0usize;
    let mut start_unix_ms = None;
    // The last whole page holding audio: its offset, bytes and granule position.
    let mut last: Option<(u64, Vec<u8>)> = None;
    while pos < len {
        let head = read_at(file, pos, HEADER_LEN + 255)?;
        let Some((header_len, page_len)) = page::page_len(&head) else { break };
        let bytes = read_at(file, pos, page_len)?;
        if bytes.len() < page_len || !page::crc_ok(&bytes) {
            break;
        }
        match index {
            0 if !bytes[header_len..].starts_with(b"OpusHead") => {
                return Err(not_recoverable(path, "not an Ogg/Opus file"));
            }
            0 => {}
            1 => start_unix_ms = start_comment(&bytes[header_len..]),
            _ => last = Some((pos, bytes)),
        }
        index += 1;
        pos += page_len as u64;
    }
    let Some((last_pos, mut last_page)) = last else {
        return Err(not_recoverable(path, "no media: the file ends before its first audio page"));
    };
    let granule = page::granule(&last_page);
    let duration_ms = if granule == u64::MAX { 0 } else { granule * 1_000 / u64::from(opus::SAMPLE_RATE) };
    let good_end = last_pos + last_page.len() as u64;
    if last_page[FLAGS_AT] & EOS != 0 && good_end == len {
        return Ok(Recovered { duration_ms, start_unix_ms, truncated_bytes: 0, was_complete: true });
    }
    file.set_len(good_end)?;
    last_page[FLAGS_AT] |= EOS;
    page::set_crc(&mut last_page);
    file.seek(SeekFrom::Start(last_pos))?;
    file.write_all(&last_page)?;
    Ok(Recovered { duration_ms, start_unix_ms, truncated_bytes: len - good_end, was_complete: false })
}

/// The start time from the OpusTags comments (our `PARLONS_START_UNIX_MS=` comment).
fn start_comment(tags: &[u8]) -> Option<u64> {
    let mut rest = tags.strip_prefix(b"OpusTags")?;
    take_u32(&mut rest)?; // vendor
    let count = u32::from_le_bytes(rest.get(..4)?.try_into().ok()?);
    rest = &rest[4..];
    for _ in 0..count {
        let comment = take_u32(&mut rest)?;
        if let Some(value) = comment.strip_prefix(START_COMMENT.as_bytes()) {
            return std::str::from_utf8(value).ok()?.parse().ok();
        }
    }
    None
}

/// A string prefixed by its u32 LE length, taken off the front of `bytes`.
fn take_u32<'a>(bytes: &mut &'a [u8]) -> Option<&'a [u8]> {
    let len = u32::from_le_bytes(bytes.get(..4)?.try_into().ok()?) as usize;
    let value = bytes.get(4..4usize.checked_add(len)?)?;
    *bytes = &bytes[4 + len..];
    Some(value)
}
