"""Python SDK: joining, seeing each other, leaving."""

from harness import JOIN_TIMEOUT, wait_until


async def test_two_participants_join_and_see_each_other(connect):
    ps = await connect(["py-alice", "py-bob"])
    alice, bob = ps["py-alice"], ps["py-bob"]
    assert alice.room.local_participant.sid.startswith("PA_")
    assert alice.room.name == ps["_room"]
    seen = bob.remote("py-alice")
    assert seen is not None and seen.sid == alice.room.local_participant.sid
    assert seen.name == "py-alice (py)", "the token's name reaches the others"
    await wait_until("py-alice to get participant_connected for py-bob",
                     lambda: any(e[1] == "participant_connected" and e[2] == "py-bob" for e in alice.events),
                     JOIN_TIMEOUT, alice.history)


async def test_others_see_a_participant_leave(connect):
    ps = await connect(["py-alice", "py-bob"])
    alice, bob = ps["py-alice"], ps["py-bob"]
    await alice.room.disconnect()
    await wait_until("py-bob to get participant_disconnected for py-alice",
                     lambda: any(e[1] == "participant_disconnected" and e[2] == "py-alice" for e in bob.events),
                     JOIN_TIMEOUT, bob.history)
    assert bob.remote("py-alice") is None
