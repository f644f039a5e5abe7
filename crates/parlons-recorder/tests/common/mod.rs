//! Shared by the integration tests: real VP8/VP9/Opus frames made by Debian's ffmpeg at test time,
//! and ffmpeg/ffprobe checks of the files the writers produce.
#![allow(dead_code)] // each test binary uses part of this module

use std::fs::File;
use std::io::{self, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use parlons_recorder::Frame;

pub const EPOCH: u64 = 1_700_000_000_000;
/// Seconds of media in each fixture.
pub const SECONDS: f64 = 3.0;

/// One fixture frame: its time in the source (ms from the first frame) and the frame.
#[derive(Clone, Debug)]
pub struct Timed {
    pub ms: u64,
    pub frame: Frame,
}

pub struct Fixtures {
    pub vp8: Vec<Timed>,
    pub vp9: Vec<Timed>,
    pub opus: Vec<Timed>,
    /// Keeps the fixture files for the whole test run.
    _dir: tempfile::TempDir,
}

/// Fixtures, made once per test binary.
pub fn fixtures() -> &'static Fixtures {
    static FIXTURES: OnceLock<Fixtures> = OnceLock::new();
    FIXTURES.get_or_init(|| {
        require_ffmpeg();
        let dir = tempfile::tempdir().expect("temp dir");
        let video = |codec: &str, name: &str| {
            let path = dir.path().join(name);
            ffmpeg(&[
                "-f",
                "lavfi",
                "-i",
                "testsrc2=size=320x240:rate=30",
                "-t",
                "3",
                "-c:v",
                codec,
                "-deadline",
                "realtime",
                "-cpu-used",
                "8",
                "-b:v",
                "400k",
                "-g",
                "45",
                "-f",
                "ivf",
                path.to_str().unwrap(),
            ]);
            read_ivf(&path)
        };
        let vp8 = video("libvpx", "v.vp8.ivf");
        let vp9 = video("libvpx-vp9", "v.vp9.ivf");
        let ogg = dir.path().join("a.ogg");
        ffmpeg(&[
            "-f",
            "lavfi",
            "-i",
            "sine=frequency=440:sample_rate=48000:duration=3",
            "-c:a",
            "libopus",
            "-b:a",
            "32k",
            "-f",
            "ogg",
            ogg.to_str().unwrap(),
        ]);
        let opus = read_ogg_opus(&ogg);
        Fixtures { vp8, vp9, opus, _dir: dir }
    })
}

pub fn require_ffmpeg() {
    for tool in ["ffmpeg", "ffprobe"] {
        let found = Command::new(tool).arg("-version").output().is_ok_and(|o| o.status.success());
        assert!(found, "{tool} is needed by these tests: apt-get install ffmpeg (tests/setup.sh installs it)");
    }
}

fn ffmpeg(args: &[&str]) {
    let out = Command::new("ffmpeg").args(["-v", "error", "-y"]).args(args).output().expect("run ffmpeg");
    assert!(out.status.success(), "ffmpeg {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
}

/// Frames of an IVF file, with RTP times on a 90 kHz clock.
fn read_ivf(path: &Path) -> Vec<Timed> {
    let bytes = std::fs::read(path).expect("read ivf");
    assert_eq!(&bytes[..4], b"DKIF");
    let header_len = usize::from(u16::from_le_bytes([bytes[6], bytes[7]]));
    let vp9 = &bytes[8..12] == b"VP90";
    let den = u64::from(u32::from_le_bytes(bytes[16..20].try_into().unwrap()));
    let num = u64::from(u32::from_le_bytes(bytes[20..24].try_into().unwrap()));
    let mut frames = Vec::new();
    let mut pos = header_len;
    while pos + 12 <= bytes.len() {
        let size = u32::from_le_bytes(bytes[pos..pos + 4].try_into().unwrap()) as usize;
        let pts = u64::from_le_bytes(bytes[pos + 4..pos + 12].try_into().unwrap());
        let data = bytes[pos + 12..pos + 12 + size].to_vec();
        pos += 12 + size;
        let ms = pts * 1_000 * num / den;
        let keyframe = if vp9 {
            // Profile 0: frame marker 10, profile bits, show_existing_frame, frame_type (0 = key).
            data[0] & 0b0000_1100 == 0
        } else {
            data[0] & 1 == 0
        };
        frames.push(Timed {
            ms,
            frame: Frame { data, rtp_time: 1_000_000 + pts * 90_000 * num / den, clock_rate: 90_000, keyframe },
        });
    }
    frames
}

/// Opus packets of an Ogg file (headers skipped), with RTP times on a 48 kHz clock.
fn read_ogg_opus(path: &Path) -> Vec<Timed> {
    let mut reader = ogg::PacketReader::new(File::open(path).expect("open ogg"));
    let mut packets = Vec::new();
    let mut samples = 0u64;
    let mut index = 0;
    while let Some(packet) = reader.read_packet().expect("read ogg packet") {
        index += 1;
        if index <= 2 {
            continue;
        }
        let data = packet.data;
        packets.push(Timed {
            ms: samples / 48,
            frame: Frame { rtp_time: 7_000 + samples, clock_rate: 48_000, keyframe: true, data: data.clone() },
        });
        samples += opus_samples(&data);
    }
    packets
}

/// Samples in an Opus packet (only the 20 ms single-frame packets libopus makes here, plus code 3).
pub fn opus_samples(packet: &[u8]) -> u64 {
    let config = packet[0] >> 3;
    let per_frame = match config {
        0..=11 => [480, 960, 1920, 2880][usize::from(config % 4)],
        12..=15 => [480, 960][usize::from(config % 2)],
        _ => [120, 240, 480, 960][usize::from(config % 4)],
    };
    let frames = match packet[0] & 3 {
        0 => 1,
        1 | 2 => 2,
        _ => u64::from(packet[1] & 0x3f),
    };
    per_frame * frames
}

/// Video and audio frames merged in time order: (is_video, frame).
pub fn interleave<'a>(video: &'a [Timed], audio: &'a [Timed]) -> Vec<(bool, &'a Timed)> {
    let mut all: Vec<(bool, &Timed)> =
        video.iter().map(|t| (true, t)).chain(audio.iter().map(|t| (false, t))).collect();
    all.sort_by_key(|(_, t)| t.ms);
    all
}

/// Runs `ffmpeg -v error -i FILE -f null -` and returns what it printed (empty when the file is
/// clean), failing the test if it exits with an error.
pub fn decode_errors(path: &Path) -> String {
    let out = Command::new("ffmpeg")
        .args(["-v", "error", "-i"])
        .arg(path)
        .args(["-f", "null", "-"])
        .output()
        .expect("run ffmpeg");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "ffmpeg could not decode {}: {stderr}", path.display());
    stderr
}

pub fn assert_decodes_cleanly(path: &Path) {
    let errors = decode_errors(path);
    assert!(errors.is_empty(), "ffmpeg reported errors for {}:\n{errors}", path.display());
}

fn ffprobe(args: &[&str], path: &Path) -> String {
    let out = Command::new("ffprobe").args(["-v", "error"]).args(args).arg(path).output().expect("run ffprobe");
    assert!(out.status.success(), "ffprobe failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// The container's duration in seconds, `None` when it has none (an unfinished WebM).
pub fn format_duration(path: &Path) -> Option<f64> {
    ffprobe(&["-show_entries", "format=duration", "-of", "default=nw=1:nk=1"], path).parse().ok()
}

/// Per stream: (codec name, frames decoded, width or 0).
pub fn streams(path: &Path) -> Vec<(String, u64, u64)> {
    let out = ffprobe(
        &["-count_frames", "-show_entries", "stream=codec_name,nb_read_frames,width", "-of", "compact=p=0:nk=0"],
        path,
    );
    out.lines()
        .map(|line| {
            let field = |name: &str| {
                line.split('|').find_map(|kv| kv.strip_prefix(&format!("{name}="))).unwrap_or("").to_string()
            };
            (field("codec_name"), field("nb_read_frames").parse().unwrap_or(0), field("width").parse().unwrap_or(0))
        })
        .collect()
}

/// The first packet's time in seconds (0 for a file that starts at 0).
pub fn first_pts(path: &Path) -> f64 {
    let out = ffprobe(&["-show_entries", "packet=pts_time", "-read_intervals", "%+#1", "-of", "csv=p=0"], path);
    out.lines().next().and_then(|l| l.trim().parse().ok()).expect("a packet time")
}

/// End of the last packet, in seconds (works without a container duration).
pub fn last_packet_end(path: &Path) -> f64 {
    let out = ffprobe(&["-show_entries", "packet=pts_time,duration_time", "-of", "csv=p=0"], path);
    out.lines()
        .filter_map(|line| {
            let mut parts = line.split(',');
            let pts: f64 = parts.next()?.trim().parse().ok()?;
            let duration: f64 = parts.next().and_then(|d| d.trim().parse().ok()).unwrap_or(0.0);
            Some(pts + duration)
        })
        .fold(0.0, f64::max)
}

pub fn assert_close(actual: f64, expected: f64, tolerance: f64, what: &str) {
    assert!(
        (actual - expected).abs() <= expected * tolerance,
        "{what}: {actual} is not within {}% of {expected}",
        tolerance * 100.0
    );
}

/// A file that fails like a full disk once `room` bytes were written.
pub struct FullDisk {
    pub inner: io::Cursor<Vec<u8>>,
    pub room: usize,
}

impl Write for FullDisk {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let left = self.room.saturating_sub(self.inner.get_ref().len());
        if left == 0 {
            return Err(io::Error::new(io::ErrorKind::StorageFull, "no space left on device"));
        }
        self.inner.write(&buf[..buf.len().min(left)])
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Seek for FullDisk {
    fn seek(&mut self, to: SeekFrom) -> io::Result<u64> {
        self.inner.seek(to)
    }
}

pub fn temp_path(dir: &tempfile::TempDir, name: &str) -> PathBuf {
    dir.path().join(name)
}
