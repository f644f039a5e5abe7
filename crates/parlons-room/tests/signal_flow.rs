//! The room's LiveKit semantics, driven message by message on a virtual clock.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use livekit_protocol as lk;
use lk::signal_request::Message as In;
use lk::signal_response::Message as Out;
use parlons_room::{Effect, JoinRequest, Room, RoomConfig, RoomError, RoomOutput, WebhookKind};
use parlons_types::media::{DataChannelKind, MediaCommand, MediaEvent};
use parlons_types::{Identity, ParticipantId, Quality, RoomId, TrackId};
use prost::Message;

fn drain(room: &mut Room) -> Vec<Effect> {
    let mut v = Vec::new();
    loop {
        match room.poll_output() {
            RoomOutput::Effect(e) => v.push(e),
            RoomOutput::Timeout(_) => return v,
        }
    }
}

fn signals_to(effects: &[Effect], to: &ParticipantId) -> Vec<Out> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Signal { to: t, msg } if t == to => Some(msg.clone()),
            _ => None,
        })
        .collect()
}

fn media(effects: &[Effect]) -> Vec<MediaCommand> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Media(m) => Some(m.clone()),
            _ => None,
        })
        .collect()
}

fn join(room: &mut Room, now: Instant, who: &str) -> ParticipantId {
    let mut req = JoinRequest::new(Identity::new(who), who);
    req.permissions.can_update_metadata = true;
    room.handle_join(now, req).expect("join accepted")
}

fn add_track(room: &mut Room, now: Instant, p: &ParticipantId, cid: &str, video: bool) -> TrackId {
    let req = lk::AddTrackRequest {
        cid: cid.into(),
        name: cid.into(),
        r#type: if video { lk::TrackType::Video } else { lk::TrackType::Audio } as i32,
        source: if video { lk::TrackSource::Camera } else { lk::TrackSource::Microphone } as i32,
        layers: if video {
            vec![
                lk::VideoLayer { quality: lk::VideoQuality::Low as i32, width: 320, height: 180, ..Default::default() },
                lk::VideoLayer {
                    quality: lk::VideoQuality::High as i32,
                    width: 1280,
                    height: 720,
                    ..Default::default()
                },
            ]
        } else {
            vec![]
        },
        ..Default::default()
    };
    room.handle_signal(now, p, In::AddTrack(req)).expect("add_track accepted");
    let effects = drain(room);
    let published = signals_to(&effects, p)
        .into_iter()
        .find_map(|m| match m {
            Out::TrackPublished(t) => Some(t),
            _ => None,
        })
        .expect("track_published answers add_track at once");
    assert_eq!(published.cid, cid);
    let track = TrackId::new(published.track.expect("track info").sid.as_str());
    assert!(track.as_str().starts_with("TR_"));
    assert!(
        media(&effects)
            .iter()
            .any(|m| matches!(m, MediaCommand::ExpectTrack { track: t, cid: c, .. } if t == &track && c == cid)),
        "the SFU is told which m-line to expect"
    );
    track
}

#[test]
fn join_publish_subscribe_and_leave() {
    let t0 = Instant::now();
    let mut room = Room::new(t0, RoomConfig::new(RoomId::new("RM_t"), "r"));
    let started = drain(&mut room);
    assert!(started.iter().any(|e| matches!(e, Effect::Webhook { kind: WebhookKind::RoomStarted, .. })));

    let alice = join(&mut room, t0, "alice");
    let e = drain(&mut room);
    let Some(Out::Join(j)) = signals_to(&e, &alice).into_iter().next() else { panic!("first message must be join") };
    assert_eq!(j.server_info.as_ref().map(|s| s.version.as_str()), Some(parlons_room::SERVER_VERSION));
    assert!(!j.server_version.is_empty());
    assert!(j.other_participants.is_empty());
    assert_eq!(j.ping_interval, 5);
    assert!(media(&e).contains(&MediaCommand::AddParticipant { participant: alice.clone() }));

    let bob = join(&mut room, t0, "bob");
    let e = drain(&mut room);
    let Some(Out::Join(j)) = signals_to(&e, &bob).into_iter().next() else { panic!("join for bob") };
    assert_eq!(j.other_participants.len(), 1, "bob sees alice");
    assert!(signals_to(&e, &alice).iter().any(|m| matches!(m, Out::Update(u) if u.participants[0].identity == "bob")));

    let cam = add_track(&mut room, t0, &alice, "cam-1", true);
    // Media arrives: alice's update reaches bob before bob's subscription is made.
    room.handle_media(t0, MediaEvent::TrackBound { participant: alice.clone(), track: cam.clone() });
    let e = drain(&mut room);
    let upd_pos = e.iter().position(|x| matches!(x, Effect::Signal { to, msg: Out::Update(u) } if to == &bob && u.participants[0].tracks.len() == 1));
    let sub_pos = e.iter().position(|x| matches!(x, Effect::Media(MediaCommand::Subscribe { subscriber, track }) if subscriber == &bob && track == &cam));
    assert!(upd_pos.is_some() && sub_pos.is_some() && upd_pos < sub_pos, "announce before subscribing: {e:?}");

    // Mute is seen by bob with a growing version.
    let v_before = room.participant(&Identity::new("alice")).map(|p| p.version).unwrap_or_default();
    room.handle_signal(t0, &alice, In::Mute(lk::MuteTrackRequest { sid: cam.to_string(), muted: true })).unwrap();
    let e = drain(&mut room);
    let muted = signals_to(&e, &bob).into_iter().find_map(|m| match m {
        Out::Update(u) => u.participants.into_iter().find(|p| p.identity == "alice"),
        _ => None,
    });
    let muted = muted.expect("bob learns about the mute");
    assert!(muted.tracks[0].muted);
    assert!(muted.version > v_before);

    // Adaptive stream settings become SFU subscription settings.
    let ts =
        lk::UpdateTrackSettings { track_sids: vec![cam.to_string()], width: 320, height: 180, ..Default::default() };
    room.handle_signal(t0, &bob, In::TrackSetting(ts)).unwrap();
    let e = drain(&mut room);
    assert!(media(&e).iter().any(|m| matches!(m, MediaCommand::UpdateSubscription { settings, .. } if settings.width == 320 && !settings.disabled)));

    // Dynacast reaches the publisher.
    room.handle_media(
        t0,
        MediaEvent::SubscribedQualities { participant: alice.clone(), track: cam.clone(), max: Some(Quality::Low) },
    );
    let e = drain(&mut room);
    let q = signals_to(&e, &alice).into_iter().find_map(|m| match m {
        Out::SubscribedQualityUpdate(q) => Some(q),
        _ => None,
    });
    let q = q.expect("subscribed_quality_update sent");
    let enabled: Vec<bool> = q.subscribed_codecs[0].qualities.iter().map(|x| x.enabled).collect();
    assert_eq!(enabled, vec![true, false, false]);

    // Leave: bob sees alice disconnected, the SFU drops her peers.
    room.handle_signal(t0, &alice, In::Leave(lk::LeaveRequest::default())).unwrap();
    let e = drain(&mut room);
    assert!(signals_to(&e, &bob).iter().any(|m| matches!(m, Out::Update(u)
        if u.participants[0].identity == "alice" && u.participants[0].state == lk::participant_info::State::Disconnected as i32)));
    assert!(media(&e).contains(&MediaCommand::RemoveParticipant { participant: alice.clone() }));
    assert!(e.iter().any(|x| matches!(x, Effect::Webhook { kind: WebhookKind::ParticipantLeft, .. })));
}

#[test]
fn data_packets_are_stamped_and_routed() {
    let t0 = Instant::now();
    let mut room = Room::new(t0, RoomConfig::new(RoomId::new("RM_d"), "d"));
    let a = join(&mut room, t0, "a");
    let b = join(&mut room, t0, "b");
    let c = join(&mut room, t0, "c");
    drain(&mut room);
    let packet = lk::DataPacket {
        participant_identity: "forged".into(),
        destination_identities: vec!["c".into()],
        sequence: 1,
        value: Some(lk::data_packet::Value::User(lk::UserPacket { payload: b"hi".to_vec(), ..Default::default() })),
        ..Default::default()
    };
    room.handle_media(
        t0,
        MediaEvent::Data {
            participant: a.clone(),
            channel: DataChannelKind::Reliable,
            payload: packet.encode_to_vec(),
        },
    );
    let sends: Vec<(ParticipantId, Vec<u8>)> = media(&drain(&mut room))
        .into_iter()
        .filter_map(|m| match m {
            MediaCommand::SendData { participant, payload, channel: DataChannelKind::Reliable } => {
                Some((participant, payload))
            }
            _ => None,
        })
        .collect();
    assert_eq!(sends.len(), 1, "only the destination receives it");
    assert_eq!(sends[0].0, c);
    let got = lk::DataPacket::decode(sends[0].1.as_slice()).unwrap();
    assert_eq!(got.participant_identity, "a", "the server stamps the real sender");
    assert_eq!(got.participant_sid, a.to_string());
    let _ = b;

    // No destination: everyone but the sender.
    let broadcast = lk::DataPacket { sequence: 2, value: packet.value.clone(), ..Default::default() };
    room.handle_media(
        t0,
        MediaEvent::Data {
            participant: a.clone(),
            channel: DataChannelKind::Lossy,
            payload: broadcast.encode_to_vec(),
        },
    );
    let to: Vec<ParticipantId> = media(&drain(&mut room))
        .into_iter()
        .filter_map(|m| match m {
            MediaCommand::SendData { participant, channel: DataChannelKind::Lossy, .. } => Some(participant),
            _ => None,
        })
        .collect();
    assert_eq!(to.len(), 2);
    assert!(!to.contains(&a));

    // Garbage is dropped without effects.
    room.handle_media(
        t0,
        MediaEvent::Data { participant: a, channel: DataChannelKind::Reliable, payload: vec![0xff; 10] },
    );
    assert!(media(&drain(&mut room)).is_empty());
}

#[test]
fn resume_keeps_the_participant_and_restarts_ice() {
    let t0 = Instant::now();
    let mut cfg = RoomConfig::new(RoomId::new("RM_r"), "r");
    cfg.resume_window = Duration::from_secs(20);
    let mut room = Room::new(t0, cfg);
    let a = join(&mut room, t0, "a");
    let b = join(&mut room, t0, "b");
    drain(&mut room);

    room.handle_session_closed(t0, &a);
    room.handle_timeout(t0 + Duration::from_secs(5));
    let e = drain(&mut room);
    assert!(signals_to(&e, &b).is_empty(), "others see nothing during a short drop");

    assert!(room.handle_resume(t0 + Duration::from_secs(6), &a, &Identity::new("someone-else")).is_err());
    room.handle_resume(t0 + Duration::from_secs(6), &a, &Identity::new("a")).expect("resume accepted");
    let e = drain(&mut room);
    let to_a = signals_to(&e, &a);
    assert!(matches!(to_a.first(), Some(Out::Reconnect(_))), "reconnect first, never join: {to_a:?}");
    assert!(media(&e).contains(&MediaCommand::RestartIce { participant: a.clone() }));

    // A drop that outlives the window removes the participant.
    room.handle_session_closed(t0 + Duration::from_secs(10), &b);
    room.handle_timeout(t0 + Duration::from_secs(31));
    let e = drain(&mut room);
    assert!(media(&e).contains(&MediaCommand::RemoveParticipant { participant: b }));
}

#[test]
fn duplicate_identity_replaces_the_first_session_and_caps_hold() {
    let t0 = Instant::now();
    let mut cfg = RoomConfig::new(RoomId::new("RM_c"), "c");
    cfg.max_participants = 2;
    let mut room = Room::new(t0, cfg);
    let first = join(&mut room, t0, "a");
    drain(&mut room);
    let second = join(&mut room, t0, "a");
    let e = drain(&mut room);
    assert_ne!(first, second);
    assert!(
        signals_to(&e, &first)
            .iter()
            .any(|m| matches!(m, Out::Leave(l) if l.reason == lk::DisconnectReason::DuplicateIdentity as i32))
    );
    assert!(e.iter().any(|x| matches!(x, Effect::CloseSession { participant, .. } if participant == &first)));
    join(&mut room, t0, "b");
    let full = room.handle_join(t0, JoinRequest::new(Identity::new("c"), "c"));
    assert!(matches!(full, Err(parlons_room::RoomError::RoomFull(2))));
}

#[test]
fn metadata_updates_need_the_grant_and_reach_everyone() {
    let t0 = Instant::now();
    let mut room = Room::new(t0, RoomConfig::new(RoomId::new("RM_m"), "m"));
    let a = join(&mut room, t0, "a");
    let b = room.handle_join(t0, JoinRequest::new(Identity::new("b"), "b")).unwrap();
    drain(&mut room);
    let mut attrs = std::collections::HashMap::new();
    attrs.insert("parlons.hand".to_string(), "123".to_string());
    let u = lk::UpdateParticipantMetadata { attributes: attrs.clone(), request_id: 7, ..Default::default() };
    room.handle_signal(t0, &a, In::UpdateMetadata(u)).unwrap();
    let e = drain(&mut room);
    assert!(signals_to(&e, &b).iter().any(|m| matches!(m, Out::Update(u) if u.participants[0].attributes.get("parlons.hand").map(String::as_str) == Some("123"))));
    assert!(
        signals_to(&e, &a).iter().any(|m| matches!(m, Out::RequestResponse(r) if r.request_id == 7 && r.reason == 0))
    );
    // b has no canUpdateOwnMetadata grant.
    let u = lk::UpdateParticipantMetadata { attributes: attrs, request_id: 8, ..Default::default() };
    room.handle_signal(t0, &b, In::UpdateMetadata(u)).unwrap();
    let e = drain(&mut room);
    assert!(
        signals_to(&e, &b).iter().any(|m| matches!(m, Out::RequestResponse(r) if r.request_id == 8 && r.reason != 0))
    );
    assert!(signals_to(&e, &a).is_empty());
}

#[test]
fn empty_room_finishes_after_its_timeout() {
    let t0 = Instant::now();
    let mut cfg = RoomConfig::new(RoomId::new("RM_e"), "e");
    cfg.empty_timeout = Duration::from_secs(60);
    let mut room = Room::new(t0, cfg);
    let a = join(&mut room, t0, "a");
    room.handle_signal(t0, &a, In::Leave(lk::LeaveRequest::default())).unwrap();
    drain(&mut room);
    room.handle_timeout(t0 + Duration::from_secs(30));
    assert!(!drain(&mut room).contains(&Effect::Finished));
    room.handle_timeout(t0 + Duration::from_secs(61));
    let e = drain(&mut room);
    assert!(e.contains(&Effect::Finished));
    assert!(e.iter().any(|x| matches!(x, Effect::Webhook { kind: WebhookKind::RoomFinished, .. })));
}

#[test]
fn revoking_a_source_unpublishes_its_tracks_and_the_cap_can_change() {
    let t0 = Instant::now();
    let mut room = Room::new(t0, RoomConfig::new(RoomId::new("RM_x"), "r"));
    let alice = join(&mut room, t0, "alice");
    let bob = join(&mut room, t0, "bob");
    drain(&mut room);
    let cam = add_track(&mut room, t0, &alice, "cam", true);
    let _mic = add_track(&mut room, t0, &alice, "mic", false);
    room.handle_media(t0, MediaEvent::TrackBound { participant: alice.clone(), track: cam.clone() });
    drain(&mut room);

    let perm = lk::ParticipantPermission {
        can_publish: true,
        can_subscribe: true,
        can_publish_data: true,
        can_publish_sources: vec![lk::TrackSource::Microphone as i32],
        ..Default::default()
    };
    room.admin_update(t0, &Identity::new("alice"), None, None, HashMap::new(), Some(perm)).expect("update");
    let effects = drain(&mut room);
    assert!(
        signals_to(&effects, &alice)
            .iter()
            .any(|m| matches!(m, Out::TrackUnpublished(u) if u.track_sid == cam.as_str())),
        "the publisher is told its camera is unpublished"
    );
    assert!(media(&effects).iter().any(|m| matches!(m, MediaCommand::RemoveTrack { track } if track == &cam)));
    let alice_now = room.participant(&Identity::new("alice")).expect("alice");
    assert!(alice_now.tracks.iter().all(|t| t.sid != cam.as_str()));
    let _ = bob;

    room.admin_set_max_participants(2);
    let third = room.handle_join(t0, JoinRequest::new(Identity::new("carl"), "carl"));
    assert!(matches!(third, Err(RoomError::RoomFull(2))), "{third:?}");
}

#[test]
fn server_owned_attributes_and_locked_names_cannot_be_changed_by_participants() {
    let t0 = Instant::now();
    let mut room = Room::new(t0, RoomConfig::new(RoomId::new("RM_n"), "n"));
    let mut req = JoinRequest::new(Identity::new("u-US_1"), "Agent One");
    req.permissions.can_update_metadata = true;
    req.name_locked = true;
    let a = room.handle_join(t0, req).expect("join");
    drain(&mut room);
    let refused = |room: &mut Room, u: lk::UpdateParticipantMetadata| {
        let id = u.request_id;
        room.handle_signal(t0, &a, In::UpdateMetadata(u)).expect("handled");
        let e = drain(room);
        signals_to(&e, &a).iter().any(|m| matches!(m, Out::RequestResponse(r) if r.request_id == id && r.reason != 0))
    };
    let rename = lk::UpdateParticipantMetadata { name: "Someone Else".into(), request_id: 1, ..Default::default() };
    assert!(refused(&mut room, rename), "a locked name stays");
    let role = HashMap::from([("parlons.role".to_string(), "owner".to_string())]);
    let promote = lk::UpdateParticipantMetadata { attributes: role, request_id: 2, ..Default::default() };
    assert!(refused(&mut room, promote), "nobody makes themselves a host");
    let hand = HashMap::from([("parlons.hand".to_string(), "1".to_string())]);
    let raise = lk::UpdateParticipantMetadata { attributes: hand, request_id: 3, ..Default::default() };
    assert!(!refused(&mut room, raise), "other attributes stay free");
    assert_eq!(room.participant(&Identity::new("u-US_1")).expect("p").name, "Agent One");
}

#[test]
fn everyone_is_told_when_a_recording_runs_and_joiners_see_it() {
    let t0 = Instant::now();
    let mut room = Room::new(t0, RoomConfig::new(RoomId::new("RM_r"), "r"));
    let a = join(&mut room, t0, "a");
    drain(&mut room);
    assert!(room.admin_set_recording(t0, true).active_recording);
    let e = drain(&mut room);
    assert!(
        signals_to(&e, &a)
            .iter()
            .any(|m| matches!(m, Out::RoomUpdate(u) if u.room.as_ref().is_some_and(|r| r.active_recording))),
        "a room update says a recording runs"
    );
    let b = join(&mut room, t0, "b");
    let e = drain(&mut room);
    assert!(
        signals_to(&e, &b)
            .iter()
            .any(|m| matches!(m, Out::Join(j) if j.room.as_ref().is_some_and(|r| r.active_recording))),
        "a joiner learns it in its join response"
    );
    assert!(!room.admin_set_recording(t0, false).active_recording);
}
