//! One signalling session: a WebSocket speaking LiveKit's protocol, bridged to a room actor.
//!
//! The loop is generic over `Sink`/`Stream` of WebSocket messages so it can be tested without
//! sockets. Binary frames carry protobuf `SignalRequest`s; text frames carry protobuf-JSON (the
//! Go server accepts both and answers in kind).

use std::time::{Duration, Instant};

use axum::extract::ws::Message;
use futures_util::{Sink, SinkExt, Stream, StreamExt};
use parlons_room::proto as lk;
use parlons_types::ParticipantId;
use prost::Message as _;
use tokio::sync::mpsc;
use tracing::{debug, info, warn};

use crate::rooms::{RoomInput, SessionOut};

/// A client that sends nothing (not even pings) for this long is gone. LiveKit clients ping
/// every 5 s (`ping_interval` in the join response) and give up after 15 s.
const IDLE_TIMEOUT: Duration = Duration::from_secs(20);
/// Malformed messages tolerated before the session is closed.
const MAX_MALFORMED: u32 = 16;

/// How a session ended.
#[derive(Debug, PartialEq, Eq)]
pub enum Ending {
    /// The room closed it (leave, removal, duplicate identity…).
    ClosedByRoom,
    /// The socket dropped or went idle: the participant may resume.
    Dropped,
}

/// Encodes a signal response in the client's framing.
pub fn encode(msg: lk::signal_response::Message, text: bool) -> Option<Message> {
    let resp = lk::SignalResponse { message: Some(msg) };
    if text {
        serde_json::to_string(&resp).ok().map(|s| Message::Text(s.into()))
    } else {
        Some(Message::Binary(resp.encode_to_vec().into()))
    }
}

/// Decodes one client frame. `Ok(None)` for frames that carry no request (ping/pong).
pub fn decode(m: &Message) -> Result<Option<lk::signal_request::Message>, ()> {
    match m {
        Message::Binary(b) => lk::SignalRequest::decode(b.as_ref()).map(|r| r.message).map_err(|_| ()),
        Message::Text(t) => serde_json::from_str::<lk::SignalRequest>(t.as_str()).map(|r| r.message).map_err(|_| ()),
        _ => Ok(None),
    }
}

/// Sends a `leave` and closes, for sessions refused before they reach a room.
pub async fn refuse<S>(sink: &mut S, reason: lk::DisconnectReason, action: lk::leave_request::Action)
where
    S: Sink<Message> + Unpin,
{
    let leave = lk::LeaveRequest {
        can_reconnect: action != lk::leave_request::Action::Disconnect,
        reason: reason as i32,
        action: action as i32,
        ..Default::default()
    };
    if let Some(m) = encode(lk::signal_response::Message::Leave(leave), false) {
        let _ = sink.send(m).await;
    }
    let _ = sink.send(Message::Close(None)).await;
}

/// Runs a session that already joined (or resumed) `participant`.
pub async fn run<S, R>(
    mut sink: S,
    mut stream: R,
    participant: ParticipantId,
    room: mpsc::Sender<RoomInput>,
    mut outbox: mpsc::Receiver<SessionOut>,
) -> Ending
where
    S: Sink<Message> + Unpin,
    R: Stream<Item = Result<Message, axum::Error>> + Unpin,
{
    let mut text = false;
    let mut malformed = 0u32;
    let mut last_rx = Instant::now();
    let mut idle = tokio::time::interval(Duration::from_secs(5));
    loop {
        tokio::select! {
            m = stream.next() => {
                let Some(Ok(m)) = m else { return Ending::Dropped };
                last_rx = Instant::now();
                if matches!(m, Message::Close(_)) {
                    return Ending::Dropped;
                }
                text = text || matches!(m, Message::Text(_));
                match decode(&m) {
                    Ok(Some(msg)) => {
                        if room.send(RoomInput::Signal { participant: participant.clone(), msg }).await.is_err() {
                            refuse(&mut sink, lk::DisconnectReason::RoomClosed, lk::leave_request::Action::Reconnect).await;
                            return Ending::ClosedByRoom;
                        }
                    }
                    Ok(None) => {}
                    Err(()) => {
                        malformed += 1;
                        debug!(%participant, malformed, "undecodable signal message");
                        if malformed > MAX_MALFORMED {
                            warn!(%participant, "too many malformed signal messages; closing");
                            refuse(&mut sink, lk::DisconnectReason::StateMismatch, lk::leave_request::Action::Disconnect).await;
                            return Ending::Dropped;
                        }
                    }
                }
            }
            out = outbox.recv() => match out {
                Some(SessionOut::Signal(mut msg)) => {
                    if let lk::signal_response::Message::PongResp(p) = &mut msg {
                        p.timestamp = crate::token::unix_now_ms();
                    }
                    let Some(frame) = encode(msg, text) else { continue };
                    if sink.send(frame).await.is_err() {
                        return Ending::Dropped;
                    }
                }
                Some(SessionOut::Close(reason)) => {
                    debug!(%participant, ?reason, "room closed the session");
                    let _ = sink.send(Message::Close(None)).await;
                    return Ending::ClosedByRoom;
                }
                None => {
                    let _ = sink.send(Message::Close(None)).await;
                    return Ending::ClosedByRoom;
                }
            },
            _ = idle.tick() => {
                if last_rx.elapsed() > IDLE_TIMEOUT {
                    info!(%participant, "signalling idle; treating as dropped");
                    let _ = sink.send(Message::Close(None)).await;
                    return Ending::Dropped;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_binary_and_json_and_rejects_garbage() {
        let req = lk::SignalRequest { message: Some(lk::signal_request::Message::Ping(42)) };
        let bin = Message::Binary(req.encode_to_vec().into());
        assert_eq!(decode(&bin), Ok(Some(lk::signal_request::Message::Ping(42))));
        let json = Message::Text(serde_json::to_string(&req).unwrap().into());
        assert_eq!(decode(&json), Ok(Some(lk::signal_request::Message::Ping(42))));
        assert_eq!(decode(&Message::Binary(vec![0xff, 0xff, 0x01].into())), Err(()));
        assert_eq!(decode(&Message::Text("{not json".into())), Err(()));
    }

    #[tokio::test]
    async fn garbage_closes_the_session_without_touching_the_room() {
        let (room_tx, mut room_rx) = mpsc::channel(8);
        let (_out_tx, out_rx) = mpsc::channel(8);
        let frames: Vec<Result<Message, axum::Error>> =
            (0..(MAX_MALFORMED + 1)).map(|_| Ok(Message::Binary(vec![0xff; 3].into()))).collect();
        let sink = futures_util::sink::drain::<Message>();
        let ending = run(sink, futures_util::stream::iter(frames), ParticipantId::new("PA_x"), room_tx, out_rx).await;
        assert_eq!(ending, Ending::Dropped);
        assert!(room_rx.try_recv().is_err(), "nothing reached the room");
    }
}
