//! The `composite` job: one playable MP4 (H.264 + AAC) of a recording, with every camera and
//! screen in a grid, each under its participant's name, and every microphone mixed, each placed at
//! its offset in the recording. Rendered by Debian's `ffmpeg`; progress read from `-progress`.

use std::path::{Path, PathBuf};
use std::process::Stdio;

use anyhow::{Context, bail};
use parlons_store::RecordingFile;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::Command;

/// Name of the composite file in the recording's directory.
pub const FILE_NAME: &str = "composite.mp4";
/// Canvas size.
const WIDTH: u32 = 1280;
const HEIGHT: u32 = 720;
/// Font for the names (Debian `fonts-dejavu-core`, pulled in by ffmpeg's fontconfig).
const FONT: &str = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";

/// One input of the composite.
#[derive(Clone, Debug, PartialEq)]
pub struct Input {
    /// File path.
    pub path: PathBuf,
    /// A picture (camera, screen) or sound only.
    pub video: bool,
    /// Offset in the recording (ms).
    pub start_ms: i64,
    /// Text file holding the participant's name (drawtext reads it: no escaping of user input).
    pub name_file: Option<PathBuf>,
}

/// Columns and rows of a grid of `n` tiles.
fn grid(n: usize) -> (u32, u32) {
    let cols = (n as f64).sqrt().ceil().max(1.0) as u32;
    let rows = (n as u32).div_ceil(cols).max(1);
    (cols, rows)
}

/// The ffmpeg arguments rendering `inputs` (lasting `duration_ms`) into `out`.
pub fn ffmpeg_args(inputs: &[Input], duration_ms: i64, out: &Path) -> Vec<String> {
    let mut args: Vec<String> =
        ["-hide_banner", "-nostdin", "-y", "-v", "error"].iter().map(|s| s.to_string()).collect();
    for i in inputs {
        args.push("-i".into());
        args.push(i.path.display().to_string());
    }
    let secs = (duration_ms.max(1) as f64) / 1000.0;
    let videos: Vec<(usize, &Input)> = inputs.iter().enumerate().filter(|(_, i)| i.video).collect();
    let audios: Vec<(usize, &Input)> = inputs.iter().enumerate().filter(|(_, i)| !i.video).collect();
    let mut graph = vec![format!("color=c=black:s={WIDTH}x{HEIGHT}:r=25:d={secs:.3}[base0]")];
    let (cols, rows) = grid(videos.len());
    let (tw, th) = ((WIDTH / cols) & !1, (HEIGHT / rows) & !1);
    for (k, (idx, inp)) in videos.iter().enumerate() {
        let start = (inp.start_ms.max(0) as f64) / 1000.0;
        let mut chain = format!(
            "[{idx}:v]setpts=PTS-STARTPTS+{start:.3}/TB,scale={tw}:{th}:force_original_aspect_ratio=decrease,\
             pad={tw}:{th}:(ow-iw)/2:(oh-ih)/2:color=black"
        );
        if let Some(name) = &inp.name_file {
            chain.push_str(&format!(
                ",drawtext=fontfile={FONT}:textfile={}:fontsize={}:fontcolor=white:box=1:boxcolor=black@0.6:boxborderw=6:x=12:y=h-th-12",
                name.display(),
                (th / 18).max(14)
            ));
        }
        chain.push_str(&format!("[v{k}]"));
        graph.push(chain);
        let (x, y) = ((k as u32 % cols) * tw, (k as u32 / cols) * th);
        graph.push(format!("[base{k}][v{k}]overlay=x={x}:y={y}:eof_action=pass[base{}]", k + 1));
    }
    let vout = format!("base{}", videos.len());
    let mut maps = vec!["-map".to_string(), format!("[{vout}]")];
    if !audios.is_empty() {
        let mut mix = String::new();
        for (k, (idx, inp)) in audios.iter().enumerate() {
            let d = inp.start_ms.max(0);
            graph.push(format!("[{idx}:a]aresample=48000,adelay={d}|{d}[a{k}]"));
            mix.push_str(&format!("[a{k}]"));
        }
        graph.push(format!("{mix}amix=inputs={}:duration=longest:normalize=0[aout]", audios.len()));
        maps.extend(["-map".to_string(), "[aout]".to_string()]);
    }
    args.push("-filter_complex".into());
    args.push(graph.join(";"));
    args.extend(maps);
    for a in [
        "-c:v",
        "libx264",
        "-preset",
        "veryfast",
        "-pix_fmt",
        "yuv420p",
        "-c:a",
        "aac",
        "-b:a",
        "128k",
        "-movflags",
        "+faststart",
        "-progress",
        "pipe:1",
        "-nostats",
    ] {
        args.push(a.into());
    }
    args.push("-t".into());
    args.push(format!("{secs:.3}"));
    args.push(out.display().to_string());
    args
}

/// The inputs of a recording's composite: its finished or recovered files. Writes each name to
/// a text file next to them.
pub fn inputs(dir: &Path, files: &[RecordingFile]) -> anyhow::Result<Vec<Input>> {
    let mut out = Vec::new();
    for (n, f) in files.iter().filter(|f| f.status == "finished" || f.status == "recovered").enumerate() {
        let video = f.kind != "audio";
        let name_file = if video {
            let p = dir.join(format!(".name-{n}.txt"));
            std::fs::write(&p, &f.name).with_context(|| format!("writing {}", p.display()))?;
            Some(p)
        } else {
            None
        };
        out.push(Input { path: dir.join(&f.path), video, start_ms: f.start_ms, name_file });
    }
    Ok(out)
}

/// Runs ffmpeg; `progress` gets the percent done as it advances.
pub async fn render(args: Vec<String>, duration_ms: i64, mut progress: impl FnMut(i64)) -> anyhow::Result<()> {
    let mut child = Command::new("ffmpeg")
        .args(&args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .context("starting ffmpeg (is Debian's ffmpeg installed?)")?;
    if let Some(stdout) = child.stdout.take() {
        let mut lines = BufReader::new(stdout).lines();
        while let Ok(Some(line)) = lines.next_line().await {
            if let Some(us) = line.strip_prefix("out_time_us=").and_then(|v| v.trim().parse::<i64>().ok()) {
                progress((us / 10 / duration_ms.max(1)).clamp(0, 99));
            }
        }
    }
    let out = child.wait_with_output().await.context("waiting for ffmpeg")?;
    if !out.status.success() {
        let err = String::from_utf8_lossy(&out.stderr);
        let last = err.lines().rev().find(|l| !l.trim().is_empty()).unwrap_or("no message");
        bail!("ffmpeg failed ({}): {last}", out.status);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grids_fit_the_tiles() {
        assert_eq!(grid(1), (1, 1));
        assert_eq!(grid(2), (2, 1));
        assert_eq!(grid(3), (2, 2));
        assert_eq!(grid(5), (3, 2));
        assert_eq!(grid(9), (3, 3));
    }

    #[test]
    fn the_graph_places_videos_and_delays_audio() {
        let inputs = vec![
            Input { path: "a.webm".into(), video: true, start_ms: 0, name_file: Some("n0.txt".into()) },
            Input { path: "b.webm".into(), video: true, start_ms: 1500, name_file: Some("n1.txt".into()) },
            Input { path: "b.ogg".into(), video: false, start_ms: 1500, name_file: None },
        ];
        let args = ffmpeg_args(&inputs, 10_000, Path::new("out.mp4"));
        let graph = &args[args.iter().position(|a| a == "-filter_complex").expect("graph") + 1];
        assert!(graph.contains("[1:v]setpts=PTS-STARTPTS+1.500/TB"), "{graph}");
        assert!(graph.contains("overlay=x=640:y=0"), "the second tile is on the right: {graph}");
        assert!(graph.contains("[2:a]aresample=48000,adelay=1500|1500"), "{graph}");
        assert!(graph.contains("textfile=n1.txt"), "names come from files, never from the command line");
        assert!(args.ends_with(&["-t".to_string(), "10.000".to_string(), "out.mp4".to_string()]));
    }
}
