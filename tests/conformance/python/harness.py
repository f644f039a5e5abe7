"""Server under test and Python `livekit` participants for the conformance tests.

Environment (same as the Node harness, ../../lib/server.mjs):
  PARLONS_BIN               the `parlons` binary, started as
                            `parlons serve --dev --http-addr 127.0.0.1:0 --rtc-port 0 --data-dir <temp>`
  PARLONS_URL               instead: an already-running server (ws:// or http:// base URL)
  LIVEKIT_API_KEY           API key (default `devkey`), LIVEKIT_API_SECRET its secret (default `secret`)
  PARLONS_EXTRA_ARGS        extra `serve` arguments; PARLONS_START_TIMEOUT_MS (default 30000)
  PARLONS_ARTIFACTS_DIR     where the server log goes (default tests/artifacts)
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Awaitable, Callable

import numpy as np
from livekit import api, rtc

HERE = Path(__file__).resolve().parent
ARTIFACTS = Path(os.environ.get("PARLONS_ARTIFACTS_DIR") or HERE.parent.parent / "artifacts").resolve()
READY_RE = re.compile(r"open (http://\S+?)/?\s*$")
ANSI_RE = re.compile(r"\x1b\[[0-9;]*m")

HARNESS_VARS = {"PARLONS_BIN", "PARLONS_URL", "PARLONS_EXTRA_ARGS", "PARLONS_START_TIMEOUT_MS", "PARLONS_ARTIFACTS_DIR",
                "PARLONS_KEEP_DATA", "PARLONS_TEST_RESUME", "PARLONS_IN_NETNS", "PARLONS_NO_NETNS"}

JOIN_TIMEOUT = 15.0
MEDIA_TIMEOUT = 20.0


class Deadline(AssertionError):
    """A wait ran out of time; the message says what never happened."""


def wait_until_sync(what: str, predicate: Callable[[], Any], timeout: float, interval: float = 0.1) -> Any:
    end = time.monotonic() + timeout
    last: Exception | None = None
    while True:
        try:
            value = predicate()
            if value:
                return value
        except Exception as e:  # noqa: BLE001 - reported on timeout
            last = e
        if time.monotonic() >= end:
            raise Deadline(f"timed out after {timeout:.0f} s waiting for {what}" + (f" (last error: {last})" if last else ""))
        time.sleep(interval)


async def wait_until(what: str, predicate: Callable[[], Any], timeout: float = 10.0, detail: Callable[[], str] | None = None) -> Any:
    """Polls `predicate` until it is truthy; on timeout the error names `what` and `detail()`."""
    end = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() >= end:
            extra = ""
            if detail:
                try:
                    extra = f" ({detail()})"
                except Exception as e:  # noqa: BLE001
                    extra = f" (detail failed: {e})"
            raise Deadline(f"timed out after {timeout:.0f} s waiting for {what}{extra}")
        await asyncio.sleep(0.05)


async def within(what: str, aw: Awaitable[Any], timeout: float) -> Any:
    try:
        return await asyncio.wait_for(aw, timeout)
    except asyncio.TimeoutError:
        raise Deadline(f"timed out after {timeout:.0f} s waiting for {what}") from None


def unique_room(prefix: str = "py") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


class Server:
    """The server under test: URLs, credentials, and (when started here) its process and log."""

    def __init__(self) -> None:
        self.api_key = os.environ.get("LIVEKIT_API_KEY", "devkey")
        self.api_secret = os.environ.get("LIVEKIT_API_SECRET", "secret")
        self.proc: subprocess.Popen[bytes] | None = None
        self.log_file: Path | None = None
        self.lines: deque[str] = deque(maxlen=2000)
        self.data_dir: str | None = None
        self.http_url = ""
        self.ws_url = ""

    def _set_base(self, base: str) -> None:
        base = re.sub(r"^ws", "http", base).rstrip("/")
        self.http_url = base
        self.ws_url = re.sub(r"^http", "ws", base)

    def start(self) -> "Server":
        if os.environ.get("PARLONS_URL"):
            self._set_base(os.environ["PARLONS_URL"])
            try:
                urllib.request.urlopen(self.http_url + "/", timeout=5)
            except urllib.error.HTTPError:
                pass  # any HTTP answer means it is up
            except Exception as e:
                raise RuntimeError(f"PARLONS_URL={os.environ['PARLONS_URL']} is not reachable: {e}") from e
            return self
        binary = os.environ.get("PARLONS_BIN")
        if not binary:
            raise RuntimeError("set PARLONS_BIN (the parlons binary to start) or PARLONS_URL (a running server)")
        self.data_dir = tempfile.mkdtemp(prefix="parlons-test-data-")
        (ARTIFACTS / "logs").mkdir(parents=True, exist_ok=True)
        stamp = time.strftime("%Y%m%dT%H%M%S")
        self.log_file = ARTIFACTS / "logs" / f"conformance-python-{stamp}-{os.getpid()}.log"
        args = [binary, "serve", "--dev", "--http-addr", "127.0.0.1:0", "--rtc-port", "0", "--data-dir", self.data_dir]
        args += os.environ.get("PARLONS_EXTRA_ARGS", "").split()
        # the harness's own PARLONS_* variables are not server configuration (it warns about them)
        env = {k: v for k, v in os.environ.items() if k not in HARNESS_VARS}
        env.update(RUST_LOG=os.environ.get("RUST_LOG", "info"), NO_COLOR="1")
        self.proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env)
        ready: dict[str, str] = {}
        log = open(self.log_file, "w", encoding="utf-8")
        log.write("# " + " ".join(args) + "\n")

        def pump() -> None:
            assert self.proc and self.proc.stdout
            for raw in self.proc.stdout:
                line = ANSI_RE.sub("", raw.decode("utf-8", "replace").rstrip("\n"))
                log.write(line + "\n")
                log.flush()
                self.lines.append(line)
                m = READY_RE.search(line)
                if m and "url" not in ready:
                    ready["url"] = m.group(1)
            log.close()

        threading.Thread(target=pump, daemon=True).start()
        timeout = float(os.environ.get("PARLONS_START_TIMEOUT_MS", "30000")) / 1000
        try:
            def is_ready() -> bool:
                if self.proc and self.proc.poll() is not None:
                    raise RuntimeError(f"the server exited with code {self.proc.returncode} before it was ready")
                return "url" in ready

            wait_until_sync(f'the server to print "open http://…/" (log: {self.log_file})', is_ready, timeout)
            self._set_base(ready["url"])

            def healthy() -> bool:
                with urllib.request.urlopen(self.http_url + "/healthz", timeout=2) as r:
                    return r.status == 200

            wait_until_sync(f"GET {self.http_url}/healthz to answer 200", healthy, timeout)
        except BaseException as e:
            self.stop()
            raise RuntimeError(f"{e}\n--- server log tail ({self.log_file}) ---\n{self.tail()}") from e
        return self

    def tail(self, n: int = 40) -> str:
        if not self.proc:
            return "(server not started by the harness: no log)"
        return "\n".join(list(self.lines)[-n:])

    def crashed(self) -> str | None:
        if self.proc and self.proc.poll() is not None:
            return f"the server process exited during the tests with code {self.proc.returncode}"
        return None

    def stop(self) -> int | None:
        if not self.proc:
            return None
        try:
            if self.proc.poll() is None:
                self.proc.send_signal(signal.SIGTERM)
                try:
                    self.proc.wait(10)
                except subprocess.TimeoutExpired:
                    self.proc.kill()
                    self.proc.wait()
                    raise RuntimeError("the server did not exit within 10 s of SIGTERM; killed")
            return self.proc.returncode
        finally:
            if self.data_dir and not os.environ.get("PARLONS_KEEP_DATA"):
                shutil.rmtree(self.data_dir, ignore_errors=True)

    def token(self, identity: str, room: str, name: str | None = None) -> str:
        grants = api.VideoGrants(room_join=True, room=room, can_publish=True, can_subscribe=True, can_publish_data=True)
        return (
            api.AccessToken(self.api_key, self.api_secret)
            .with_identity(identity)
            .with_name(name or f"{identity} (py)")
            .with_grants(grants)
            .to_jwt()
        )


# ------------------------------------------------------------------------------------------------
# Synthetic media


class Tone:
    """A 48 kHz mono sine tone captured into an AudioSource in 10 ms frames."""

    def __init__(self, frequency: float = 440.0, amplitude: int = 8000) -> None:
        self.source = rtc.AudioSource(48000, 1)
        self.track = rtc.LocalAudioTrack.create_audio_track("tone", self.source)
        self.frequency = frequency
        self.amplitude = amplitude
        self.task: asyncio.Task[None] | None = None

    def start(self) -> None:
        async def run() -> None:
            n = 480
            t = 0
            while True:
                frame = rtc.AudioFrame.create(48000, 1, n)
                samples = np.frombuffer(frame.data, dtype=np.int16)
                idx = np.arange(t, t + n)
                samples[:] = (self.amplitude * np.sin(2 * np.pi * self.frequency * idx / 48000)).astype(np.int16)
                t += n
                await self.source.capture_frame(frame)  # paced by the source's queue

        self.task = asyncio.ensure_future(run())

    async def stop(self) -> None:
        if self.task:
            self.task.cancel()
            await asyncio.gather(self.task, return_exceptions=True)
        await self.source.aclose()


class Pattern:
    """RGBA frames with a moving bar and a sliding ramp, captured into a VideoSource at `fps`."""

    def __init__(self, width: int = 320, height: int = 240, fps: int = 15) -> None:
        self.width, self.height, self.fps = width, height, fps
        self.source = rtc.VideoSource(width, height)
        self.track = rtc.LocalVideoTrack.create_video_track("pattern", self.source)
        self.task: asyncio.Task[None] | None = None

    def start(self) -> None:
        async def run() -> None:
            w, h = self.width, self.height
            xs = np.arange(w, dtype=np.int32)[None, :]
            ys = np.arange(h, dtype=np.int32)[:, None]
            t = 0
            while True:
                frame = np.empty((h, w, 4), dtype=np.uint8)
                ramp = ((xs + ys + t * 3) & 0xFF).astype(np.uint8)
                frame[:, :, 0] = ramp
                frame[:, :, 1] = 255 - ramp
                frame[:, :, 2] = (t * 5) & 0xFF
                frame[:, :, 3] = 255
                bar = (t * 4) % w
                frame[:, max(0, bar - 10) : bar + 10, :3] = 255
                self.source.capture_frame(rtc.VideoFrame(w, h, rtc.VideoBufferType.RGBA, frame.tobytes()))
                t += 1
                await asyncio.sleep(1 / self.fps)

        self.task = asyncio.ensure_future(run())

    async def stop(self) -> None:
        if self.task:
            self.task.cancel()
            await asyncio.gather(self.task, return_exceptions=True)
        await self.source.aclose()


@dataclass
class Meter:
    kind: str
    frames: int = 0
    loud: int = 0
    changed: int = 0
    width: int = 0
    height: int = 0
    last: int = -1

    def snapshot(self) -> dict[str, int]:
        return {"frames": self.frames, "loud": self.loud, "changed": self.changed, "width": self.width, "height": self.height}


@dataclass
class Participant:
    """A Python `livekit` Room plus what it saw: events, data packets, decoded media per track sid."""

    identity: str
    room: rtc.Room = field(default_factory=rtc.Room)
    events: list[tuple[float, str, str]] = field(default_factory=list)
    data: list[rtc.DataPacket] = field(default_factory=list)
    meters: dict[str, Meter] = field(default_factory=dict)
    tasks: list[asyncio.Task[None]] = field(default_factory=list)
    media: list[Any] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.t0 = time.monotonic()
        r = self.room

        def rec(name: str, about: str = "") -> None:
            self.events.append((time.monotonic() - self.t0, name, about))

        r.on("participant_connected", lambda p: rec("participant_connected", p.identity))
        r.on("participant_disconnected", lambda p: rec("participant_disconnected", p.identity))
        r.on("track_published", lambda pub, p: rec("track_published", f"{p.identity} {pub.sid}"))
        r.on("track_muted", lambda p, pub: rec("track_muted", f"{p.identity} {pub.sid}"))
        r.on("track_unmuted", lambda p, pub: rec("track_unmuted", f"{p.identity} {pub.sid}"))
        r.on("track_unsubscribed", lambda t, pub, p: rec("track_unsubscribed", f"{p.identity} {pub.sid}"))
        r.on("disconnected", lambda reason: rec("disconnected", str(reason)))
        r.on("reconnecting", lambda: rec("reconnecting"))
        r.on("reconnected", lambda: rec("reconnected"))
        r.on("data_received", self._on_data)
        r.on("track_subscribed", self._on_track)

    def _on_data(self, packet: rtc.DataPacket) -> None:
        self.data.append(packet)
        self.events.append((time.monotonic() - self.t0, "data_received", packet.participant.identity if packet.participant else "?"))

    def _on_track(self, track: rtc.Track, pub: rtc.RemoteTrackPublication, p: rtc.RemoteParticipant) -> None:
        self.events.append((time.monotonic() - self.t0, "track_subscribed", f"{p.identity} {pub.sid} {track.kind}"))
        if track.kind == rtc.TrackKind.KIND_AUDIO:
            meter = self.meters[pub.sid] = Meter("audio")
            self.tasks.append(asyncio.ensure_future(self._count_audio(track, meter)))
        elif track.kind == rtc.TrackKind.KIND_VIDEO:
            meter = self.meters[pub.sid] = Meter("video")
            self.tasks.append(asyncio.ensure_future(self._count_video(track, meter)))

    async def _count_audio(self, track: rtc.Track, meter: Meter) -> None:
        # AudioStream yields silent frames when no RTP arrives: only loud frames count as received.
        stream = rtc.AudioStream(track)
        try:
            async for ev in stream:
                meter.frames += 1
                a = np.frombuffer(ev.frame.data, dtype=np.int16)
                if a.size and int(np.abs(a).max()) > 1000:
                    meter.loud += 1
        finally:
            await stream.aclose()

    async def _count_video(self, track: rtc.Track, meter: Meter) -> None:
        stream = rtc.VideoStream(track, format=rtc.VideoBufferType.I420)
        try:
            async for ev in stream:
                f = ev.frame
                meter.frames += 1
                meter.width, meter.height = f.width, f.height
                luma = np.frombuffer(f.data, dtype=np.uint8)[: f.width * f.height : 97]
                fp = hash(luma.tobytes())
                if fp != meter.last:
                    meter.changed += 1
                meter.last = fp
        finally:
            await stream.aclose()

    def history(self, n: int = 25) -> str:
        return "; ".join(f"{t * 1000:.0f}ms {name} {about}".strip() for t, name, about in self.events[-n:])

    def remote(self, identity: str) -> rtc.RemoteParticipant | None:
        for p in self.room.remote_participants.values():
            if p.identity == identity:
                return p
        return None

    def meter_of(self, identity: str, kind: int) -> Meter | None:
        p = self.remote(identity)
        if not p:
            return None
        for sid, pub in p.track_publications.items():
            if pub.kind == kind and sid in self.meters:
                return self.meters[sid]
        return None

    async def publish_tone(self, frequency: float = 440.0) -> rtc.LocalTrackPublication:
        tone = Tone(frequency)
        self.media.append(tone)
        opts = rtc.TrackPublishOptions(source=rtc.TrackSource.SOURCE_MICROPHONE)
        pub = await within(f"{self.identity} to publish audio", self.room.local_participant.publish_track(tone.track, opts), JOIN_TIMEOUT)
        tone.start()
        return pub

    async def publish_pattern(self, width: int = 320, height: int = 240, fps: int = 15, simulcast: bool = False) -> rtc.LocalTrackPublication:
        pattern = Pattern(width, height, fps)
        self.media.append(pattern)
        pattern.start()
        opts = rtc.TrackPublishOptions(source=rtc.TrackSource.SOURCE_CAMERA, simulcast=simulcast,
                                       video_codec=rtc.VideoCodec.VP8,
                                       video_encoding=rtc.VideoEncoding(max_bitrate=400_000, max_framerate=fps))
        return await within(f"{self.identity} to publish video", self.room.local_participant.publish_track(pattern.track, opts), JOIN_TIMEOUT)

    async def close(self) -> None:
        try:
            await within(f"{self.identity} to disconnect", self.room.disconnect(), 10)
        finally:
            for t in self.tasks:
                t.cancel()
            await asyncio.gather(*self.tasks, return_exceptions=True)
            for m in self.media:
                await m.stop()
            self.tasks.clear()
            self.media.clear()


async def expect_audio(listener: Participant, identity: str, count: int = 50, timeout: float = MEDIA_TIMEOUT) -> dict[str, int]:
    start = {sid: m.loud for sid, m in listener.meters.items()}

    def grown() -> dict[str, int] | None:
        m = listener.meter_of(identity, rtc.TrackKind.KIND_AUDIO)
        if not m:
            return None
        sid = next(s for s, x in listener.meters.items() if x is m)
        return m.snapshot() if m.loud - start.get(sid, 0) >= count else None

    return await wait_until(
        f"{listener.identity} to decode {count} non-silent audio frames from {identity}", grown, timeout,
        lambda: f"meter {listener.meter_of(identity, rtc.TrackKind.KIND_AUDIO)}; events: {listener.history()}",
    )


async def expect_video(listener: Participant, identity: str, count: int = 20, timeout: float = MEDIA_TIMEOUT) -> dict[str, int]:
    start = {sid: m.changed for sid, m in listener.meters.items()}

    def grown() -> dict[str, int] | None:
        m = listener.meter_of(identity, rtc.TrackKind.KIND_VIDEO)
        if not m:
            return None
        sid = next(s for s, x in listener.meters.items() if x is m)
        return m.snapshot() if m.width > 0 and m.changed - start.get(sid, 0) >= count else None

    return await wait_until(
        f"{listener.identity} to decode {count} changing video frames (width > 0) from {identity}", grown, timeout,
        lambda: f"meter {listener.meter_of(identity, rtc.TrackKind.KIND_VIDEO)}; events: {listener.history()}",
    )
