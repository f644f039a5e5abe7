//! [`OggOpusWriter`]: one Ogg/Opus file per participant audio track (microphone or screen-share
//! audio).
//!
//! Packets never span pages, and a page is written whole and flushed once it holds
//! [`WriterOptions::max_buffered`] of audio, so a file cut after any page is a valid Ogg stream.
//! The Ogg timeline is the sum of packet durations (granule positions): gaps in RTP time (a muted
//! microphone, lost packets) are filled with 20 ms silence packets so that the file's time stays
//! the recording's time.

pub(crate) mod page;
pub(crate) mod recover;

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::Path;

use crate::error::{Error, Result};
use crate::frame::{Anchor, Codec, FileSummary, Frame, Pushed, TrackClock, WriterOptions, ns_to_ms};
use crate::opus;

/// The logical stream's serial number; each file holds one stream, so any value will do.
const SERIAL: u32 = 0x5052_4543; // "PREC"
/// The OpusTags comment that stores the wall time of the file's time 0 (read back by recovery).
pub(crate) const START_COMMENT: &str = "PARLONS_START_UNIX_MS=";
/// Lacing values per page (RFC 3533).
const MAX_SEGMENTS: usize = 255;

/// What an Ogg/Opus file holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OggOpusSpec {
    /// The recording's epoch (Unix ms): packet times and [`Pushed::Started`] count from it.
    pub epoch_unix_ms: u64,
    /// The track's codec; only [`Codec::Opus`] is accepted.
    pub codec: Codec,
    /// Buffering limits.
    pub options: WriterOptions,
}

/// Writes one Ogg/Opus file. The caller passes the wall time with each packet and calls
/// [`flush`](Self::flush) about every [`max_buffered`](WriterOptions::max_buffered) when packets
/// stop coming. Dropping it without [`finish`](Self::finish) writes what is buffered and leaves a
/// file that decodes like one a crash left behind ([`crate::recover`] marks its end).
pub struct OggOpusWriter<W: Write> {
    out: W,
    spec: OggOpusSpec,
    clock: TrackClock,
    /// Set once the headers are written: the file's time 0, in ns since the epoch.
    start_ns: Option<u64>,
    failed: bool,
    /// Next page sequence number.
    sequence: u32,
    /// Samples (48 kHz) of all packets accepted so far, buffered ones included.
    granule: u64,
    /// Packets of the page being gathered.
    page: Vec<Vec<u8>>,
    /// Lacing values used by `page`.
    page_segments: usize,
    /// `granule` when the page being gathered started.
    page_start: u64,
    frames: u64,
    dropped: u64,
}

impl OggOpusWriter<File> {
    /// Creates the file (it must not exist yet) and a writer for it. A codec other than Opus is
    /// refused before anything is created.
    pub fn create(path: impl AsRef<Path>, spec: OggOpusSpec) -> Result<Self> {
        check_codec(&spec)?;
        let file = OpenOptions::new().write(true).create_new(true).open(path)?;
        Self::new(file, spec)
    }
}

impl<W: Write> OggOpusWriter<W> {
    /// A writer that writes to `out` from its current position.
    pub fn new(out: W, spec: OggOpusSpec) -> Result<Self> {
        check_codec(&spec)?;
        Ok(Self {
            out,
            spec,
            clock: TrackClock::default(),
            start_ns: None,
            failed: false,
            sequence: 0,
            granule: 0,
            page: Vec::new(),
            page_segments: 0,
            page_start: 0,
            frames: 0,
            dropped: 0,
        })
    }

    /// Sets where the track's RTP clock sits on the wall clock (from an RTCP sender report).
    /// Without it, the first packet is anchored on the `now_unix_ms` it was pushed with.
    pub fn set_anchor(&mut self, anchor: Anchor) {
        self.clock.anchor = Some(anchor);
    }

    /// The file's time 0 as an offset from the epoch (ms), once the first packet is written.
    pub fn start_ms(&self) -> Option<u64> {
        self.start_ns.map(ns_to_ms)
    }

    /// Adds an Opus packet received at wall time `now_unix_ms`.
    ///
    /// Errors: [`Error::Corrupt`] (packet skipped, writer usable), [`Error::Io`] (writer stopped),
    /// [`Error::Failed`] after an earlier I/O error.
    pub fn push(&mut self, now_unix_ms: u64, frame: &Frame) -> Result<Pushed> {
        if self.failed {
            return Err(Error::Failed);
        }
        let codec = self.spec.codec;
        let corrupt = |reason| Error::Corrupt { codec, reason };
        let samples = match opus::packet_samples(&frame.data) {
            Ok(samples) if page::segments_for(frame.data.len()) <= MAX_SEGMENTS => u64::from(samples),
            Ok(_) => return Err(self.skip(corrupt("packet larger than an Ogg page"))),
            Err(reason) => return Err(self.skip(corrupt(reason))),
        };
        let Some(ns) = self.clock.place(codec, self.spec.epoch_unix_ms, now_unix_ms, frame)? else {
            self.dropped += 1;
            return Ok(Pushed::Late);
        };
        let mut pushed = Pushed::Buffered;
        let start_ns = match self.start_ns {
            Some(start_ns) => start_ns,
            None => {
                self.write_headers(ns)?;
                pushed = Pushed::Started { start_ms: ns_to_ms(ns) };
                ns
            }
        };
        if ns < start_ns || self.clock.last_ns.is_some_and(|last| ns < last) {
            self.dropped += 1;
            return Ok(Pushed::Late);
        }
        self.clock.last_ns = Some(ns);
        // Where this packet belongs on the file's 48 kHz timeline; fill a gap before it.
        let due = u128::from(ns - start_ns) * u128::from(opus::SAMPLE_RATE) / 1_000_000_000;
        let due = u64::try_from(due).unwrap_or(u64::MAX);
        while due >= self.granule + opus::SILENCE_SAMPLES {
            self.add_packet(opus::SILENCE_20MS.to_vec(), opus::SILENCE_SAMPLES)?;
        }
        self.add_packet(frame.data.clone(), samples)?;
        self.frames += 1;
        Ok(pushed)
    }

    /// Writes the packets gathered so far as a page and flushes the file.
    pub fn flush(&mut self) -> Result<()> {
        if self.failed {
            return Err(Error::Failed);
        }
        self.write_page(0)
    }

    /// Writes what is buffered as the last page (end-of-stream). A writer that never got a packet
    /// leaves an empty file (`start_ms: None`); the caller may delete it.
    pub fn finish(mut self) -> Result<FileSummary> {
        if self.failed {
            return Err(Error::Failed);
        }
        if self.start_ns.is_some() {
            // An empty last page is allowed; it just carries the end-of-stream flag.
            self.write_page_always(page::EOS)?;
        }
        let start_ms = self.start_ms();
        Ok(FileSummary {
            start_ms,
            end_ms: start_ms.map(|start| start + self.granule * 1_000 / u64::from(opus::SAMPLE_RATE)),
            frames: self.frames,
            dropped: self.dropped,
        })
    }

    fn skip(&mut self, error: Error) -> Error {
        self.dropped += 1;
        error
    }

    fn write_headers(&mut self, start_ns: u64) -> Result<()> {
        let start_unix_ms = self.spec.epoch_unix_ms + ns_to_ms(start_ns);
        let head = opus::opus_head();
        let tags = opus::opus_tags(&[format!("{START_COMMENT}{start_unix_ms}")]);
        // RFC 7845 §3: each header packet alone on its page, the first with BOS.
        let mut bytes = page::build(SERIAL, 0, page::BOS, 0, &[&head]);
        bytes.extend(page::build(SERIAL, 1, 0, 0, &[&tags]));
        self.write_out(&bytes)?;
        self.sequence = 2;
        self.start_ns = Some(start_ns);
        Ok(())
    }

    fn add_packet(&mut self, packet: Vec<u8>, samples: u64) -> Result<()> {
        let segments = page::segments_for(packet.len());
        if self.page_segments + segments > MAX_SEGMENTS {
            self.write_page(0)?;
        }
        self.page_segments += segments;
        self.page.push(packet);
        self.granule += samples;
        let max_buffered = self.spec.options.max_buffered.as_millis() as u64 * u64::from(opus::SAMPLE_RATE) / 1_000;
        if self.granule - self.page_start >= max_buffered {
            self.write_page(0)?;
        }
        Ok(())
    }

    /// Writes the gathered packets as one page, if there are any.
    fn write_page(&mut self, flags: u8) -> Result<()> {
        if self.page.is_empty() {
            return Ok(());
        }
        self.write_page_always(flags)
    }

    fn write_page_always(&mut self, flags: u8) -> Result<()> {
        let packets: Vec<&[u8]> = self.page.iter().map(Vec::as_slice).collect();
        let bytes = page::build(SERIAL, self.sequence, flags, self.granule, &packets);
        self.write_out(&bytes)?;
        self.sequence += 1;
        self.page.clear();
        self.page_segments = 0;
        self.page_start = self.granule;
        Ok(())
    }

    /// Writes whole pages and flushes; any error stops the writer for good.
    fn write_out(&mut self, bytes: &[u8]) -> Result<()> {
        if let Err(e) = self.out.write_all(bytes).and_then(|()| self.out.flush()) {
            self.failed = true;
            return Err(e.into());
        }
        Ok(())
    }
}

impl<W: Write> Drop for OggOpusWriter<W> {
    /// Best effort: writes the packets still buffered (an unwinding task, a forgotten `finish`).
    fn drop(&mut self) {
        if !self.failed {
            let _ = self.write_page(0);
        }
    }
}

fn check_codec(spec: &OggOpusSpec) -> Result<()> {
    match spec.codec {
        Codec::Opus => Ok(()),
        codec => Err(Error::Unsupported { codec, container: "ogg/opus" }),
    }
}

impl<W: Write> std::fmt::Debug for OggOpusWriter<W> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OggOpusWriter")
            .field("spec", &self.spec)
            .field("start_ms", &self.start_ms())
            .field("frames", &self.frames)
            .field("dropped", &self.dropped)
            .finish_non_exhaustive()
    }
}
