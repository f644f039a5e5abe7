// Recording (issue 5): the server records each participant's tracks to its own file while two
// SDK participants talk; files decode with ffmpeg, last as long as the recording, carry sound; a
// kill -9 in the middle loses at most about a second; rights are checked on every read.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import http from 'node:http';
import { promisify } from 'node:util';
import { WebhookReceiver } from 'livekit-server-sdk';
import { apiJwt, describeRes, ApiClient, localLogin } from '../../lib/api.mjs';
import { useServer } from '../../lib/harness.mjs';
import { connectPeers, expectAudio, expectVideo } from '../../lib/peers.mjs';
import { startServer, uniqueRoom } from '../../lib/server.mjs';
import { waitFor } from '../../lib/wait.mjs';
import { expectDecodes } from '../../e2e/lib/media.mjs';

const run = promisify(execFile);

// Product webhooks (LiveKit's egress events) to a receiver on loopback, checked with the SDK's receiver.
const hooks = [];
const hookErrors = [];
const receiver = new WebhookReceiver(process.env.LIVEKIT_API_KEY || 'devkey', process.env.LIVEKIT_API_SECRET || 'secret');
const hookServer = http.createServer((req, res) => {
  let body = '';
  req.on('data', (c) => { body += c; });
  req.on('end', async () => {
    try {
      hooks.push(await receiver.receive(body, req.headers.authorization));
    } catch (e) {
      hookErrors.push(e.message);
    }
    res.writeHead(200).end();
  });
});
await new Promise((r) => hookServer.listen(0, '127.0.0.1', r));
hookServer.unref();
process.env.PARLONS_WEBHOOK__URLS = `["http://127.0.0.1:${hookServer.address().port}/hook"]`;
const API = '/api/v1';
const { test } = useServer('conformance-recording');

const recorder = (server, room) =>
  new ApiClient(server.httpUrl, { bearer: apiJwt(server.apiKey, server.apiSecret, { roomRecord: true, room }), label: `recorder of ${room}` });

/** Two participants publishing a tone and a moving pattern each, seen by each other. */
async function meeting(server, defer, room) {
  const { peers } = await connectPeers(server, defer, ['alice', 'bob'], { room, names: { alice: 'Alice', bob: 'Bob' } });
  await Promise.all([
    peers.alice.publishTone({ frequency: 440 }), peers.alice.publishPattern({ width: 320, height: 240, fps: 15, simulcast: false }),
    peers.bob.publishTone({ frequency: 660 }), peers.bob.publishPattern({ width: 320, height: 240, fps: 15, simulcast: false }),
  ]);
  await Promise.all([expectAudio(peers.alice, 'bob'), expectVideo(peers.alice, 'bob'), expectAudio(peers.bob, 'alice'), expectVideo(peers.bob, 'alice')]);
  return peers;
}

/** Downloads every file of a recording into a temp dir; returns [{file, local}]. */
async function download(client, rec, defer) {
  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'parlons-rec-'));
  defer(() => fsp.rm(dir, { recursive: true, force: true }));
  const out = [];
  for (const f of rec.files) {
    const r = await fetch(new URL(f.url, client.base), { headers: { authorization: `Bearer ${client.bearer}` } });
    assert.equal(r.status, 200, `download ${f.url}: ${r.status}`);
    const local = path.join(dir, path.basename(f.url));
    await fsp.writeFile(local, Buffer.from(await r.arrayBuffer()));
    out.push({ file: f, local });
  }
  return out;
}

/**
 * `ffmpeg -v error -i FILE -f null -` prints nothing and exits 0 (with the one caveat documented in
 * e2e/lib/media.mjs: ffmpeg 5.1's null muxer rounding complaint on variable-rate video, accepted
 * only when the file decodes silently on its own time base and its timestamps increase); resolves
 * with ffprobe's duration (s).
 */
async function decodes(local) {
  const note = await expectDecodes(local);
  if (note) console.log(`# NOTE ${note}`);
  const { stdout } = await run('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', local]);
  return Number(stdout.trim());
}

/** Mean volume (dB) of a file's audio. */
async function meanVolume(local) {
  const { stderr } = await run('ffmpeg', ['-i', local, '-af', 'volumedetect', '-vn', '-f', 'null', '-']);
  const m = /mean_volume: (-?[\d.]+) dB/.exec(stderr);
  return m ? Number(m[1]) : -Infinity;
}

test('a recording writes one decodable file per participant track, as long as the recording, with sound', async ({ t, server, defer }) => {
  const room = uniqueRoom('rec');
  await meeting(server, defer, room);
  const api = recorder(server, room);
  const started = await api.post(`${API}/rooms/${room}/recordings`, { mode: 'video' });
  assert.equal(started.status, 201, describeRes(started));
  const id = started.body.id;
  const again = await api.post(`${API}/rooms/${room}/recordings`, { mode: 'video' });
  assert.equal(again.status, 409, `one recording per room: ${describeRes(again)}`);
  const t0 = Date.now();
  await new Promise((r) => setTimeout(r, 8_000));
  const wall = (Date.now() - t0) / 1000;
  const stopped = await api.post(`${API}/recordings/${id}/stop`, undefined);
  assert.equal(stopped.status, 200, describeRes(stopped));
  assert.equal(stopped.body.status, 'finished', describeRes(stopped));
  const twice = await api.post(`${API}/recordings/${id}/stop`, undefined);
  assert.equal(twice.status, 200, `stopping twice is not an error: ${describeRes(twice)}`);

  const files = stopped.body.files;
  const part = await fetch(new URL(files[0].url, server.httpUrl), { headers: { authorization: `Bearer ${api.bearer}`, range: 'bytes=0-99' } });
  assert.equal(part.status, 206, 'files answer Range requests (seeking in the browser)');
  assert.equal((await part.arrayBuffer()).byteLength, 100);
  const kinds = files.map((f) => `${f.identity}:${f.kind}`).sort();
  assert.deepEqual(kinds, ['alice:audio', 'alice:video', 'bob:audio', 'bob:video'], JSON.stringify(files));
  for (const { file, local } of await download(api, stopped.body, defer)) {
    const duration = await decodes(local);
    const span = (file.end_ms - file.start_ms) / 1000;
    t.diagnostic(`${file.identity} ${file.kind} ${file.codec}: ${duration.toFixed(2)} s (from ${file.start_ms} to ${file.end_ms} ms, span ${span.toFixed(2)} s, wall ${wall.toFixed(2)} s)`);
    assert.ok(Math.abs(duration - wall) / wall < 0.05, `${file.identity} ${file.kind}: ${duration} s within 5 % of ${wall} s`);
    if (file.kind === 'audio') assert.ok(await meanVolume(local) > -45, `${file.identity}'s audio is not silent`);
  }

  // Webhooks: egress_started and egress_ended (complete, with the four files), signed as LiveKit does.
  const ofThis = (e) => e.egressInfo?.egressId === id;
  await waitFor('egress_started and egress_ended webhooks', () =>
    hooks.some((e) => e.event === 'egress_started' && ofThis(e)) && hooks.some((e) => e.event === 'egress_ended' && ofThis(e)),
  { timeout: 10_000, detail: () => JSON.stringify(hooks.map((e) => e.event)) });
  const ended = hooks.find((e) => e.event === 'egress_ended' && ofThis(e));
  assert.equal(ended.egressInfo.roomName, room);
  assert.equal(ended.egressInfo.status, 3, 'EGRESS_COMPLETE');
  assert.equal(ended.egressInfo.fileResults.length, 4, JSON.stringify(ended.egressInfo.fileResults));
  assert.deepEqual(hookErrors, [], 'every webhook passed the SDK\'s signature check');

  // The composite: one playable MP4 (H.264 + AAC) with both cameras and both voices.
  let rec;
  await waitFor('the composite video to be rendered', async () => {
    rec = (await api.get(`${API}/recordings/${id}`)).body;
    if (rec.composite_status === 'failed') throw new Error(`composite failed: ${rec.composite_error}`);
    return rec.composite_url !== null;
  }, { timeout: 120_000, interval: 1000, detail: () => JSON.stringify({ status: rec?.composite_status, progress: rec?.composite_progress }) });
  assert.equal(rec.composite_progress, 100);
  const [composite] = await download(api, { files: [{ url: rec.composite_url }] }, defer);
  const duration = await decodes(composite.local);
  const { stdout } = await run('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_name,width,height', '-of', 'csv=p=0', composite.local]);
  t.diagnostic(`composite: ${duration.toFixed(2)} s, streams ${stdout.trim().replace(/\n/g, ' | ')}`);
  assert.match(stdout, /h264,1280,720/, 'H.264 1280x720 video');
  assert.match(stdout, /aac/, 'AAC audio');
  assert.ok(Math.abs(duration - wall) / wall < 0.05, `composite: ${duration} s within 5 % of ${wall} s`);
  assert.ok(await meanVolume(composite.local) > -45, 'the composite is not silent');
});

test('recordings are only visible to those with rights on the room', async ({ server, defer }) => {
  const room = uniqueRoom('rec-rights');
  await meeting(server, defer, room);
  const api = recorder(server, room);
  const started = await api.post(`${API}/rooms/${room}/recordings`, { mode: 'audio' });
  assert.equal(started.status, 201, describeRes(started));
  const id = started.body.id;
  const other = recorder(server, uniqueRoom('elsewhere'));
  for (const p of [`${API}/recordings/${id}`, `${API}/rooms/${room}/recordings`]) {
    const r = await other.get(p);
    assert.ok([403, 404].includes(r.status), `a token for another room: ${p} ${describeRes(r)}`);
  }
  const anon = await new ApiClient(server.httpUrl, { label: 'anonymous' }).get(`${API}/recordings/${id}`);
  assert.equal(anon.status, 401, describeRes(anon));
  const stopped = await api.post(`${API}/recordings/${id}/stop`, undefined);
  assert.ok(stopped.body.files.every((f) => f.kind === 'audio'), `audio mode records microphones only: ${JSON.stringify(stopped.body.files)}`);
  const traversal = await fetch(new URL(`${API}/recordings/${id}/files/..%2F..%2Fparlons.db`, server.httpUrl), {
    headers: { authorization: `Bearer ${api.bearer}` },
  });
  assert.equal(traversal.status, 404, 'no path traversal through file names');
  const del = await other.del(`${API}/recordings/${id}`);
  assert.ok([403, 404].includes(del.status), `no delete without rights: ${describeRes(del)}`);
  const ok = await api.del(`${API}/recordings/${id}`);
  assert.equal(ok.status, 204, describeRes(ok));
  assert.equal((await api.get(`${API}/recordings/${id}`)).status, 404);
});

test('kill -9 in the middle of a recording: after a restart it is recovered and covers up to ~1 s before the kill', async ({ t, defer }) => {
  let server = await startServer({ name: 'recording-crash' });
  defer(() => server.stop());
  const room = uniqueRoom('rec-crash');
  const peers = await meeting(server, defer, room);
  const api = recorder(server, room);
  const started = await api.post(`${API}/rooms/${room}/recordings`, { mode: 'video' });
  assert.equal(started.status, 201, describeRes(started));
  const t0 = Date.now();
  await new Promise((r) => setTimeout(r, 6_000));
  const dataDir = await server.crash();
  const recorded = (Date.now() - t0) / 1000;
  for (const p of Object.values(peers)) await p.close();
  server = await startServer({ name: 'recording-crash-restarted', dataDir });
  defer(() => server.stop());
  const api2 = recorder(server, room);
  let rec;
  await waitFor('the recording to be marked recovered', async () => {
    const r = await api2.get(`${API}/recordings/${started.body.id}`);
    rec = r.body;
    return r.status === 200 && rec.status === 'recovered';
  }, { timeout: 10_000, detail: () => JSON.stringify(rec) });
  assert.equal(rec.files.length, 4, JSON.stringify(rec.files));
  for (const { file, local } of await download(api2, rec, defer)) {
    const duration = await decodes(local);
    const covered = file.start_ms / 1000 + duration;
    t.diagnostic(`${file.identity} ${file.kind}: recovered ${duration.toFixed(2)} s, covers ${covered.toFixed(2)} s of ${recorded.toFixed(2)} s`);
    assert.equal(file.status, 'recovered');
    assert.ok(covered >= recorded - 1.2, `${file.identity} ${file.kind}: covers up to ≤ 1 s before the kill (${covered} of ${recorded} s)`);
  }
});

test('a recording shared with another user can be listed, read and played by them, and by nobody else', async ({ defer }) => {
  const server = await startServer({ name: 'recording-shares', dev: false });
  defer(() => server.stop());
  const { username, password } = await server.admin();
  const host = (await localLogin(server.httpUrl, username, password)).client;
  const created = await host.post(`${API}/rooms`, { name: 'Shared recording' });
  assert.equal(created.status, 201, describeRes(created));
  const room = created.body.slug;
  await meeting(server, defer, room);
  const started = await host.post(`${API}/rooms/${room}/recordings`, { mode: 'audio' });
  assert.equal(started.status, 201, `a signed-in owner starts it: ${describeRes(started)}`);
  const id = started.body.id;
  await new Promise((r) => setTimeout(r, 2_000));
  const stopped = await host.post(`${API}/recordings/${id}/stop`, undefined);
  assert.equal(stopped.status, 200, describeRes(stopped));

  // The owner is told in the app that the recording is ready.
  let notes;
  await waitFor('a "recording ready" notification for the owner', async () => {
    notes = (await host.get(`${API}/notifications`)).body;
    return notes?.notifications?.some((n) => n.kind === 'recording_ready' && n.subject === 'Shared recording');
  }, { timeout: 10_000, detail: () => JSON.stringify(notes) });
  assert.ok(notes.unread >= 1);
  const note = notes.notifications.find((n) => n.kind === 'recording_ready');
  assert.equal(note.link, `/rooms/${room}/recordings`);
  assert.equal((await host.post(`${API}/notifications/${note.id}/read`, undefined)).status, 204);
  assert.equal((await host.get(`${API}/notifications`)).body.notifications.find((n) => n.id === note.id).read, true);

  const fredPw = (await server.addUser('fred', { name: 'Fred', email: 'fred@example.test' })).password;
  const evePw = (await server.addUser('eve', { name: 'Eve' })).password;
  const fred = (await localLogin(server.httpUrl, 'fred', fredPw)).client;
  const eve = (await localLogin(server.httpUrl, 'eve', evePw)).client;
  assert.equal((await fred.get(`${API}/recordings/${id}`)).status, 404, 'not shared yet');

  const shared = await host.post(`${API}/recordings/${id}/shares`, { user: 'fred@example.test' });
  assert.equal(shared.status, 204, describeRes(shared));
  const list = await fred.get(`${API}/recordings`);
  assert.equal(list.status, 200, describeRes(list));
  assert.ok(list.body.recordings.some((r) => r.id === id), 'listed under "my recordings" for fred');
  const got = await fred.get(`${API}/recordings/${id}`);
  assert.equal(got.status, 200, describeRes(got));
  const file = got.body.files[0];
  const dl = await fred.get(file.url);
  assert.equal(dl.status, 200, `fred downloads ${file.url}`);
  assert.equal((await fred.post(`${API}/recordings/${id}/stop`, undefined)).status, 403, 'sharing gives no control');
  assert.equal((await fred.del(`${API}/recordings/${id}`)).status, 403, 'nor deletion');
  assert.equal((await fred.post(`${API}/recordings/${id}/shares`, { user: 'eve' })).status, 403, 'nor re-sharing');
  assert.equal((await eve.get(`${API}/recordings/${id}`)).status, 404, 'eve sees nothing');
  assert.equal((await eve.get(file.url)).status, 404, 'eve downloads nothing');
  assert.equal((await eve.post(`${API}/notifications/${note.id}/read`, undefined)).status, 404, 'nor reads others\' notifications');

  const fredId = got.body && (await fred.me()).user.id;
  assert.equal((await host.del(`${API}/recordings/${id}/shares/${fredId}`)).status, 204);
  assert.equal((await fred.get(`${API}/recordings/${id}`)).status, 404, 'unshared');
});
