"""Python SDK: data packets between participants, and mute seen by the others."""

from harness import JOIN_TIMEOUT, wait_until


def texts(p):
    return [d.data.decode() for d in p.data]


async def test_reliable_data_reaches_the_other(connect):
    ps = await connect(["py-alice", "py-bob"])
    alice, bob = ps["py-alice"], ps["py-bob"]
    for i in range(3):
        await alice.room.local_participant.publish_data(f"hello {i}", reliable=True, topic="chat")
    await wait_until("py-bob to receive 3 reliable packets", lambda: len(bob.data) >= 3, 10, lambda: str(texts(bob)))
    assert texts(bob) == ["hello 0", "hello 1", "hello 2"]
    for d in bob.data:
        assert d.participant is not None and d.participant.identity == "py-alice", "the sender identity is stamped"
        assert d.topic == "chat"


async def test_lossy_data_reaches_the_other(connect):
    ps = await connect(["py-alice", "py-bob"])
    alice, bob = ps["py-alice"], ps["py-bob"]
    for i in range(10):
        await alice.room.local_participant.publish_data(f"lossy {i}", reliable=False)
    await wait_until("py-bob to receive at least 5 of 10 lossy packets", lambda: len(bob.data) >= 5, 10, lambda: str(texts(bob)))


async def test_destination_identities_are_honoured(connect):
    ps = await connect(["py-alice", "py-bob", "py-carol"])
    alice, bob, carol = ps["py-alice"], ps["py-bob"], ps["py-carol"]
    await alice.room.local_participant.publish_data("for bob", reliable=True, destination_identities=["py-bob"])
    await alice.room.local_participant.publish_data("for all", reliable=True)
    await wait_until("py-bob to receive both packets", lambda: len(bob.data) >= 2, 10, lambda: str(texts(bob)))
    await wait_until("py-carol to receive the broadcast", lambda: "for all" in texts(carol), 10, lambda: str(texts(carol)))
    assert texts(bob) == ["for bob", "for all"]
    assert texts(carol) == ["for all"], "py-carol must not get the packet addressed to py-bob"


async def test_mute_and_unmute_are_seen(connect):
    ps = await connect(["py-alice", "py-bob"])
    alice, bob = ps["py-alice"], ps["py-bob"]
    pub = await alice.publish_tone()
    await wait_until("py-bob to know py-alice's track", lambda: bob.remote("py-alice").track_publications.get(pub.sid),
                     JOIN_TIMEOUT, bob.history)
    pub.track.mute()
    await wait_until("py-bob to get track_muted", lambda: any(e[1] == "track_muted" and pub.sid in e[2] for e in bob.events),
                     JOIN_TIMEOUT, bob.history)
    assert bob.remote("py-alice").track_publications[pub.sid].muted
    pub.track.unmute()
    await wait_until("py-bob to get track_unmuted", lambda: any(e[1] == "track_unmuted" and pub.sid in e[2] for e in bob.events),
                     JOIN_TIMEOUT, bob.history)
