// Participant attributes, name and metadata changed at run time (the web client raises a hand
// with the `parlons.hand` attribute): the server applies them and tells everybody, the sender too.
import assert from 'node:assert/strict';
import { RoomEvent } from '../../lib/lk-node.mjs';
import { useServer } from '../../lib/harness.mjs';
import { connectPeers } from '../../lib/peers.mjs';
import { waitFor, withDeadline } from '../../lib/wait.mjs';

const { test } = useServer('conformance-metadata');
// As in LiveKit, changing one's own name, metadata or attributes needs this grant (absent = denied).
const grant = { canUpdateOwnMetadata: true };

test('setAttributes is confirmed to the sender and seen by the others', async ({ server, defer }) => {
  const { peers: { alice, bob } } = await connectPeers(server, defer, ['alice', 'bob'], { grant });
  const changed = [];
  bob.room.on(RoomEvent.ParticipantAttributesChanged, (attrs, p) => changed.push({ attrs, who: p.identity }));
  // resolves only once the server echoes alice's own ParticipantInfo with the attribute (5 s in the SDK)
  await withDeadline('setAttributes to resolve (the server must send alice her own update)',
    alice.room.localParticipant.setAttributes({ 'parlons.hand': '1700000000000' }), 8000);
  await waitFor('bob to see alice\'s parlons.hand attribute', () => bob.remote('alice')?.attributes['parlons.hand'] === '1700000000000',
    { detail: () => JSON.stringify(bob.remote('alice')?.attributes) });
  assert.ok(changed.some((c) => c.who === 'alice' && 'parlons.hand' in c.attrs), 'ParticipantAttributesChanged fired');
  // an empty value deletes the attribute (the hand is lowered)
  await withDeadline('setAttributes("") to resolve', alice.room.localParticipant.setAttributes({ 'parlons.hand': '' }), 8000);
  await waitFor('bob to see the attribute removed', () => !bob.remote('alice')?.attributes['parlons.hand'],
    { detail: () => JSON.stringify(bob.remote('alice')?.attributes) });
});

test('attributes set before a participant joins are in the state it gets', async ({ server, defer }) => {
  const { room, peers: { alice } } = await connectPeers(server, defer, ['alice'], { grant });
  await withDeadline('setAttributes to resolve', alice.room.localParticipant.setAttributes({ 'parlons.hand': '42' }), 8000);
  const { peers: { bob } } = await connectPeers(server, defer, ['bob'], { room });
  assert.equal(bob.remote('alice').attributes['parlons.hand'], '42');
});

test('setName and setMetadata are seen by the others', async ({ server, defer }) => {
  const { peers: { alice, bob } } = await connectPeers(server, defer, ['alice', 'bob'], { grant });
  await withDeadline('setName to resolve', alice.room.localParticipant.setName('Alice Renamed'), 8000);
  await withDeadline('setMetadata to resolve', alice.room.localParticipant.setMetadata('{"lang":"fr"}'), 8000);
  await waitFor('bob to see the new name and metadata', () =>
    bob.remote('alice')?.name === 'Alice Renamed' && bob.remote('alice')?.metadata === '{"lang":"fr"}',
  { detail: () => JSON.stringify({ name: bob.remote('alice')?.name, metadata: bob.remote('alice')?.metadata }) });
});

test('without canUpdateOwnMetadata the change is refused and nobody sees it', async ({ server, defer }) => {
  const { peers: { alice, bob } } = await connectPeers(server, defer, ['alice', 'bob']);
  await assert.rejects(withDeadline('setAttributes to settle', alice.room.localParticipant.setAttributes({ x: '1' }), 8000),
    (e) => e.name === 'SignalRequestError', 'the SDK reports the refusal');
  assert.equal(bob.remote('alice')?.attributes.x, undefined, 'bob sees no attribute');
});
