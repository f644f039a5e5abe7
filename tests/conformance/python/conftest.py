"""pytest glue: one server for the session, participants closed after each test, and the server
log tail attached to every failure."""

from __future__ import annotations

from typing import AsyncIterator, Awaitable, Callable

import pytest

from harness import JOIN_TIMEOUT, Participant, Server, unique_room, wait_until, within

_server: Server | None = None


@pytest.fixture(scope="session")
def server() -> Server:
    global _server
    s = Server().start()
    _server = s
    yield s
    _server = None
    code = s.stop()
    if code is not None and code not in (0, -15, 143):
        pytest.fail(f"the server did not exit cleanly on SIGTERM: exit code {code}\n{s.tail(30)}")


Connect = Callable[..., Awaitable[dict[str, Participant]]]


@pytest.fixture
async def connect(server: Server) -> AsyncIterator[Connect]:
    """`await connect(["alice", "bob"], room=None)`: joins each identity in order to one fresh room
    (or `room`) and waits until each sees all the others. Everything is closed after the test."""
    made: list[Participant] = []

    async def _connect(identities: list[str], room: str | None = None) -> dict[str, Participant]:
        room = room or unique_room()
        out: dict[str, Participant] = {}
        for identity in identities:
            p = Participant(identity)
            made.append(p)
            await within(f"{identity} to connect to room {room} at {server.ws_url}",
                         p.room.connect(server.ws_url, server.token(identity, room)), JOIN_TIMEOUT)
            out[identity] = p
        for p in out.values():
            others = sorted(i for i in identities if i != p.identity)
            await wait_until(f"{p.identity} to see {', '.join(others) or 'nobody'} in room {room}",
                             lambda p=p, others=others: all(p.remote(o) for o in others), JOIN_TIMEOUT,
                             lambda p=p: f"sees {sorted(x.identity for x in p.room.remote_participants.values())}")
        out["_room"] = room  # type: ignore[assignment]
        return out

    yield _connect
    for p in reversed(made):
        try:
            await p.close()
        except Exception as e:  # noqa: BLE001 - cleanup must go on
            print(f"[harness] closing {p.identity} failed: {e}")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):  # type: ignore[no-untyped-def]
    outcome = yield
    report = outcome.get_result()
    if report.failed and _server is not None and _server.proc is not None:
        crash = _server.crashed()
        if crash:
            report.sections.append(("server crash", crash))
        report.sections.append((f"server log tail ({_server.log_file})", _server.tail(40)))
