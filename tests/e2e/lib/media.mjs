// Media checks with Debian's ffmpeg/ffprobe for the browser tests: a microphone signal of one's
// own (a WAV for Chromium's fake capture), decoding, durations, loudness (overall or in one
// frequency band), and pixel comparisons of video frames (gray crops, mean absolute difference).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const BIG = 64 * 1024 * 1024;

/** The font the composite job draws names with (crates/parlons-server/src/jobs/composite.rs). */
export const NAME_FONT = '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf';

/**
 * Writes a mono 16-bit PCM WAV (what `--use-file-for-fake-audio-capture` takes; Chromium loops
 * it): a `frequency` Hz tone in bursts (0.4 s on, 0.2 s off), so that the browser's noise
 * suppression does not take it for stationary noise.
 */
export async function writeToneWav(file, frequency, { seconds = 6 } = {}) {
  await run('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi',
    '-i', `aevalsrc=0.5*sin(2*PI*${frequency}*t)*lt(mod(t\\,0.6)\\,0.4):s=48000:d=${seconds}`,
    '-ac', '1', '-c:a', 'pcm_s16le', file]);
  return file;
}

// Debian 12's ffmpeg 5.1 gives `-f null`'s video encoder the time base 1/r_frame_rate (a rate it
// guesses, e.g. 239/12 for a ~20 fps camera); two frames of a variable-rate file 49–50 ms apart
// can round to the same tick, and the null muxer then says "Application provided invalid, non
// monotonically increasing dts to muxer in stream 0: 163 >= 163" although every frame decodes
// and the file's own timestamps increase.
const NULL_MUXER_DTS = /^\[null @ 0x[0-9a-f]+\] Application provided invalid, non monotonically increasing dts to muxer in stream \d+: \d+ >= \d+$/;

/** Timestamps of each stream's packets that do not increase, as `stream:previous>=pts` strings. */
export async function nonIncreasingPts(file) {
  const { stdout } = await run('ffprobe', ['-v', 'error', '-show_entries', 'packet=stream_index,pts', '-of', 'csv=p=0', file],
    { maxBuffer: BIG });
  const last = new Map();
  const bad = [];
  for (const line of stdout.split('\n').filter(Boolean)) {
    const [stream, pts] = line.split(',').map(Number);
    if (last.has(stream) && !(pts > last.get(stream))) bad.push(`${stream}:${last.get(stream)}>=${pts}`);
    last.set(stream, pts);
  }
  return bad;
}

/**
 * `ffmpeg -v error -i FILE -f null -` prints nothing (and exits 0). When all it prints is the
 * null muxer's rounding complaint above, the file passes if, decoded with the encoder on the
 * file's own time base (`-enc_time_base:v -1`), ffmpeg prints nothing, and ffprobe sees every
 * stream's timestamps increase: resolves then with a note saying so (null otherwise).
 * E2E_STRICT_FFMPEG=1 fails on it instead.
 */
export async function expectDecodes(file) {
  const { stderr } = await run('ffmpeg', ['-v', 'error', '-i', file, '-f', 'null', '-'], { maxBuffer: BIG });
  const lines = stderr.split('\n').map((l) => l.trim()).filter(Boolean);
  if (!lines.length) return null;
  const name = path.basename(file);
  if (process.env.E2E_STRICT_FFMPEG === '1' || !lines.every((l) => NULL_MUXER_DTS.test(l))) {
    assert.equal(stderr.trim(), '', `ffmpeg -v error -i ${name} -f null - prints nothing`);
  }
  const again = await run('ffmpeg', ['-v', 'error', '-i', file, '-enc_time_base:v', '-1', '-f', 'null', '-'], { maxBuffer: BIG });
  assert.equal(again.stderr.trim(), '', `ffmpeg -v error -i ${name} -enc_time_base:v -1 -f null - prints nothing`);
  assert.deepEqual(await nonIncreasingPts(file), [], `${name}: every stream's timestamps increase`);
  return `ffmpeg -v error -i ${name} -f null - printed only the null muxer's rounding complaint (${lines.length} line(s): ${lines[0]}); with -enc_time_base:v -1 it prints nothing and the file's timestamps increase`;
}

/** ffprobe's format duration, in seconds. */
export async function duration(file) {
  const { stdout } = await run('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', file]);
  return Number(stdout.trim());
}

/** ffprobe's streams: [{codec_type, codec_name, width, height, duration}]. */
export async function streams(file) {
  const { stdout } = await run('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_type,codec_name,width,height,duration',
    '-of', 'json', file]);
  return JSON.parse(stdout).streams ?? [];
}

/**
 * Mean volume (dB, volumedetect) of a file's audio; with `band: f`, only around f Hz (a
 * 2-pole band-pass 100 Hz wide), to tell one tone from another in a mix.
 */
export async function meanVolume(file, { band } = {}) {
  const af = band ? `bandpass=f=${band}:width_type=h:w=100,bandpass=f=${band}:width_type=h:w=100,volumedetect` : 'volumedetect';
  const { stderr } = await run('ffmpeg', ['-hide_banner', '-i', file, '-vn', '-af', af, '-f', 'null', '-'], { maxBuffer: BIG });
  const m = /mean_volume: (-?[\d.]+) dB/.exec(stderr);
  return m ? Number(m[1]) : -Infinity;
}

/** One frame at `at` seconds, written to `out` (PNG). */
export async function extractFrame(file, at, out) {
  await run('ffmpeg', ['-v', 'error', '-y', '-ss', String(at), '-i', file, '-frames:v', '1', out]);
  return out;
}

/** The `w`x`h` region at (`x`, `y`) of an image, as 8-bit gray pixels. */
export async function grayCrop(image, { x, y, w, h }) {
  const { stdout } = await run('ffmpeg', ['-v', 'error', '-i', image, '-vf', `crop=${w}:${h}:${x}:${y},format=gray`,
    '-frames:v', '1', '-f', 'rawvideo', '-'], { encoding: 'buffer', maxBuffer: BIG });
  assert.equal(stdout.length, w * h, `a ${w}x${h} gray crop of ${path.basename(image)}`);
  return stdout;
}

/**
 * A `w`x`h` black tile with `text` drawn as the composite job draws names (white, DejaVu Sans,
 * `fontsize`, a black@0.6 box, 12 px from the bottom-left corner), written to `out` (PNG). An
 * empty `text` gives the plain tile.
 */
export async function renderNameTile(out, { text, w, h, fontsize, textFile }) {
  const draw = text
    ? `,drawtext=fontfile=${NAME_FONT}:textfile=${textFile}:fontsize=${fontsize}:fontcolor=white:box=1:boxcolor=black@0.6:boxborderw=6:x=12:y=h-th-12`
    : '';
  await run('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', `color=c=black:s=${w}x${h}`,
    '-vf', `format=yuv420p${draw}`, '-frames:v', '1', out]);
  return out;
}

/**
 * Mean absolute difference (0 … 255) of two gray images `width` pixels wide, over `rect`
 * ({x0, y0, x1, y1}, exclusive ends; default: all of them).
 */
export function meanAbsDiff(a, b, width, rect = { x0: 0, y0: 0, x1: width, y1: a.length / width }) {
  assert.equal(a.length, b.length);
  let sum = 0;
  for (let y = rect.y0; y < rect.y1; y += 1) {
    for (let x = rect.x0; x < rect.x1; x += 1) sum += Math.abs(a[y * width + x] - b[y * width + x]);
  }
  return sum / ((rect.x1 - rect.x0) * (rect.y1 - rect.y0));
}

/** The bounding box ({x0, y0, x1, y1}) of the pixels brighter than `level` in any of `images`, grown by `margin`. */
export function brightBox(images, width, { level = 24, margin = 4 } = {}) {
  const height = images[0].length / width;
  let [x0, y0, x1, y1] = [width, height, 0, 0];
  for (const img of images) {
    for (let y = 0; y < height; y += 1) {
      for (let x = 0; x < width; x += 1) {
        if (img[y * width + x] > level) {
          x0 = Math.min(x0, x); y0 = Math.min(y0, y); x1 = Math.max(x1, x + 1); y1 = Math.max(y1, y + 1);
        }
      }
    }
  }
  assert.ok(x1 > x0 && y1 > y0, 'some bright pixels (the drawn text)');
  return { x0: Math.max(0, x0 - margin), y0: Math.max(0, y0 - margin), x1: Math.min(width, x1 + margin), y1: Math.min(height, y1 + margin) };
}

/** Columns and rows of the composite's grid of `n` tiles (composite.rs `grid`). */
export function compositeGrid(n, { width = 1280, height = 720 } = {}) {
  const cols = Math.max(1, Math.ceil(Math.sqrt(n)));
  const rows = Math.max(1, Math.ceil(n / cols));
  // eslint-disable-next-line no-bitwise
  const tw = Math.floor(width / cols) & ~1;
  // eslint-disable-next-line no-bitwise
  const th = Math.floor(height / rows) & ~1;
  return { cols, rows, tw, th, fontsize: Math.max(Math.floor(th / 18), 14) };
}
