"""Python SDK: audio and video published by one participant are decoded by the other."""

from livekit import rtc

from harness import expect_audio, expect_video


async def test_audio_tone_is_heard(connect):
    ps = await connect(["py-alice", "py-bob"])
    pub = await ps["py-alice"].publish_tone()
    assert pub.sid.startswith("TR_")
    got = await expect_audio(ps["py-bob"], "py-alice", count=50)
    print("py-bob heard", got)


async def test_video_frames_are_received(connect):
    ps = await connect(["py-alice", "py-bob"])
    await ps["py-alice"].publish_pattern(320, 240, 15)
    got = await expect_video(ps["py-bob"], "py-alice", count=20)
    assert (got["width"], got["height"]) == (320, 240), got
    print("py-bob saw", got)


async def test_both_publish_audio_and_video_and_receive_each_other(connect):
    ps = await connect(["py-alice", "py-bob"])
    alice, bob = ps["py-alice"], ps["py-bob"]
    await alice.publish_tone(440)
    await alice.publish_pattern()
    await bob.publish_tone(660)
    await bob.publish_pattern()
    for listener, other in ((alice, "py-bob"), (bob, "py-alice")):
        await expect_audio(listener, other)
        await expect_video(listener, other)
    # kinds are right on the remote side
    kinds = sorted(pub.kind for pub in bob.remote("py-alice").track_publications.values())
    assert kinds == sorted([rtc.TrackKind.KIND_AUDIO, rtc.TrackKind.KIND_VIDEO])


async def test_late_joiner_receives_audio_published_before(connect):
    ps = await connect(["py-alice"])
    await ps["py-alice"].publish_tone()
    late = await connect(["py-bob"], room=ps["_room"])
    got = await expect_audio(late["py-bob"], "py-alice", count=50)
    print("late py-bob heard", got)
