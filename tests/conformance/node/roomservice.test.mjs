// RoomService (Twirp) and webhooks, checked with livekit-server-sdk's own client and receiver.
import assert from 'node:assert/strict';
import http from 'node:http';
import { RoomServiceClient, WebhookReceiver, DataPacket_Kind as SdkDataKind } from 'livekit-server-sdk';
import { useServer } from '../../lib/harness.mjs';
import { connectPeers } from '../../lib/peers.mjs';
import { waitFor } from '../../lib/wait.mjs';

// A webhook receiver on loopback, started before the server so its URL can be configured.
const hooks = [];
const receiverErrors = [];
const receiver = new WebhookReceiver(process.env.LIVEKIT_API_KEY || 'devkey', process.env.LIVEKIT_API_SECRET || 'secret');
const hookServer = http.createServer((req, res) => {
  let body = '';
  req.on('data', (c) => { body += c; });
  req.on('end', async () => {
    try {
      assert.equal(req.headers['content-type'], 'application/webhook+json');
      const event = await receiver.receive(body, req.headers.authorization);
      hooks.push(event);
    } catch (e) {
      receiverErrors.push(e.message);
    }
    res.writeHead(200).end();
  });
});
await new Promise((r) => hookServer.listen(0, '127.0.0.1', r));
hookServer.unref();
process.env.PARLONS_WEBHOOK__URLS = `["http://127.0.0.1:${hookServer.address().port}/hook"]`;

const { test } = useServer('conformance-roomservice');

function client(server) {
  return new RoomServiceClient(server.httpUrl, server.apiKey, server.apiSecret);
}

test('RoomService lists, inspects, updates, mutes and removes participants', async ({ server, defer }) => {
  const svc = client(server);
  const { room, peers } = await connectPeers(server, defer, ['alice', 'bob']);

  const rooms = await svc.listRooms([room]);
  assert.equal(rooms.length, 1, `ListRooms finds the room (${JSON.stringify(rooms)})`);
  assert.equal(rooms[0].name, room);
  assert.match(rooms[0].sid, /^RM_/);

  const list = await svc.listParticipants(room);
  assert.deepEqual(list.map((p) => p.identity).sort(), ['alice', 'bob']);
  const alice = await svc.getParticipant(room, 'alice');
  assert.equal(alice.sid, peers.alice.sid);
  await assert.rejects(svc.getParticipant(room, 'nobody'), /not.?found|404/i, 'an unknown identity is not_found');

  await svc.updateParticipant(room, 'alice', { metadata: 'from-admin', attributes: { role: 'host' } });
  await waitFor('bob to see alice\'s new metadata and attribute', () => {
    const a = peers.bob.remote('alice');
    return a?.metadata === 'from-admin' && a?.attributes?.role === 'host';
  });

  await svc.updateRoomMetadata(room, 'agenda');
  await waitFor('alice to see the room metadata', () => peers.alice.room.metadata === 'agenda');

  const got = [];
  peers.bob.room.on('dataReceived', (payload, _p, _k, topic) => got.push({ text: new TextDecoder().decode(payload), topic }));
  await svc.sendData(room, new TextEncoder().encode('hello from the server'), SdkDataKind.RELIABLE, { destinationIdentities: ['bob'], topic: 'admin' });
  await waitFor('bob to receive the server\'s data packet', () => got.some((g) => g.text === 'hello from the server' && g.topic === 'admin'));

  await svc.removeParticipant(room, 'bob');
  await waitFor('alice to see bob removed', () => !peers.alice.remote('bob'));
  await waitFor('bob to be disconnected', () => peers.bob.room.state === 'disconnected');
});

test('RoomService creates and deletes rooms, and refuses tokens without grants', async ({ server, defer }) => {
  const svc = client(server);
  const created = await svc.createRoom({ name: 'twirp-created', metadata: 'm' });
  assert.equal(created.name, 'twirp-created');
  assert.equal(created.metadata, 'm');
  const { peers } = await connectPeers(server, defer, ['carol'], { room: 'twirp-created' });
  await svc.deleteRoom('twirp-created');
  await waitFor('carol to be disconnected by DeleteRoom', () => peers.carol.room.state === 'disconnected');
  const bad = new RoomServiceClient(server.httpUrl, server.apiKey, 'not-the-secret');
  await assert.rejects(bad.listRooms(), /unauthenticated|401|invalid/i, 'a wrongly signed call is refused');
});

test('signed webhooks announce rooms, participants and tracks', async ({ server, defer }) => {
  const { room } = await connectPeers(server, defer, ['dave', 'erin']);
  await waitFor('room_started and participant_joined webhooks for the room', () => {
    const mine = hooks.filter((h) => h.room?.name === room);
    return mine.some((h) => h.event === 'room_started') && mine.filter((h) => h.event === 'participant_joined').length >= 2;
  }, { detail: () => `received ${JSON.stringify(hooks.map((h) => [h.event, h.room?.name]))}; errors ${receiverErrors}` });
  const joined = hooks.find((h) => h.room?.name === room && h.event === 'participant_joined');
  assert.match(joined.id, /^EV_/);
  assert.ok(Number(joined.createdAt) > 1_700_000_000, 'createdAt is a Unix time');
  assert.deepEqual(receiverErrors, [], 'every webhook passed the SDK\'s signature check');
});
