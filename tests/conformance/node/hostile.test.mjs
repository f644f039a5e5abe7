// Hostile or broken signalling on a raw WebSocket: a bad SDP ends that session with a clear
// reason, garbage frames close it, unknown message types are ignored, and the room goes on.
import assert from 'node:assert/strict';
import { SignalRequest, SignalResponse, SessionDescription, DisconnectReason } from '@livekit/protocol';
import { useServer } from '../../lib/harness.mjs';
import { connectPeers } from '../../lib/peers.mjs';
import { uniqueRoom } from '../../lib/server.mjs';
import { waitFor } from '../../lib/wait.mjs';

const { test } = useServer('conformance-hostile');

/** A raw signalling client: collects decoded responses and the close. */
async function rawClient(server, room, identity) {
  const token = await server.token({ identity, room });
  const ws = new WebSocket(`${server.wsUrl}/rtc?access_token=${token}&protocol=17&auto_subscribe=1`);
  ws.binaryType = 'arraybuffer';
  const c = { ws, messages: [], closed: false };
  ws.onmessage = (ev) => c.messages.push(SignalResponse.fromBinary(new Uint8Array(ev.data)).message);
  ws.onclose = () => { c.closed = true; };
  await waitFor(`${identity}'s join response`, () => c.messages.some((m) => m.case === 'join'));
  c.send = (bytes) => ws.send(bytes);
  c.request = (message) => ws.send(new SignalRequest({ message }).toBinary());
  return c;
}

test('a malformed SDP offer ends that session with STATE_MISMATCH; others are unaffected', async ({ server, defer }) => {
  const room = uniqueRoom('hostile');
  const { peers: { alice } } = await connectPeers(server, defer, ['alice'], { room });
  const mallory = await rawClient(server, room, 'mallory');
  defer(() => mallory.ws.close());
  await waitFor('alice to see mallory', () => alice.remote('mallory'));
  mallory.request({ case: 'offer', value: new SessionDescription({ type: 'offer', sdp: 'v=0\r\nm=video nonsense\r\n', id: 1 }) });
  await waitFor('mallory to get a leave and a closed socket', () => mallory.closed
    && mallory.messages.some((m) => m.case === 'leave' && m.value.reason === DisconnectReason.STATE_MISMATCH),
  { detail: () => JSON.stringify(mallory.messages.map((m) => m.case)) });
  await waitFor('alice to see mallory leave', () => !alice.remote('mallory'));
  assert.equal(alice.room.state, 'connected', 'alice stays connected');
});

test('unknown message types are ignored; garbage frames close the session', async ({ server, defer }) => {
  const room = uniqueRoom('garbage');
  const c = await rawClient(server, room, 'fuzzy');
  defer(() => c.ws.close());
  // Field 999 (varint): a message type from the future.
  c.send(new Uint8Array([0xb8, 0x3e, 0x01]));
  c.request({ case: 'ping', value: 42n });
  await waitFor('a pong after the unknown message', () => c.messages.some((m) => m.case === 'pong'));
  assert.equal(c.closed, false, 'still open after an unknown message type');
  for (let i = 0; i < 20; i++) c.send(new Uint8Array([0xff, 0xff, 0xff, 0x0f, i]));
  await waitFor('the server to close the session after repeated garbage', () => c.closed);
});
