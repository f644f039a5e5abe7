//! Data-packet relay rules (LiveKit `participant.go:onReceivedDataMessage`).
//!
//! The server never trusts the sender's claims: identity and sid are overwritten at both levels
//! (the JS SDK fills only the deprecated `UserPacket` fields, the Rust SDK only the top level), a
//! reliable packet that does not advance the sender's sequence is a replay and is dropped, and the
//! packet goes to `destination_identities` or to everybody else.

use livekit_protocol as lk;
use prost::Message;

/// Largest data packet relayed (LiveKit clients split larger payloads into streams).
pub const MAX_DATA_PACKET: usize = 64 * 1024;

/// Why a packet was not relayed.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Refused {
    TooLarge,
    Malformed,
    Replay,
}

/// A packet ready to relay: re-encoded bytes and its recipients (empty = everyone else).
pub(crate) struct Relay {
    pub bytes: Vec<u8>,
    pub destinations: Vec<String>,
}

/// Validates and stamps one packet from `identity`/`sid`.
pub(crate) fn prepare(
    payload: &[u8],
    reliable: bool,
    identity: &str,
    sid: &str,
    last_seq: &mut u32,
) -> Result<Relay, Refused> {
    if payload.len() > MAX_DATA_PACKET {
        return Err(Refused::TooLarge);
    }
    let mut dp = lk::DataPacket::decode(payload).map_err(|_| Refused::Malformed)?;
    if reliable && dp.sequence > 0 {
        if dp.sequence <= *last_seq {
            return Err(Refused::Replay);
        }
        *last_seq = dp.sequence;
    }
    dp.participant_identity = identity.to_string();
    dp.participant_sid = sid.to_string();
    let mut destinations = std::mem::take(&mut dp.destination_identities);
    if let Some(lk::data_packet::Value::User(u)) = dp.value.as_mut() {
        u.participant_identity = identity.to_string();
        u.participant_sid = sid.to_string();
        if destinations.is_empty() {
            destinations = u.destination_identities.clone();
        }
    }
    // Recipients see the list they are on, as LiveKit does.
    dp.destination_identities = destinations.clone();
    Ok(Relay { bytes: dp.encode_to_vec(), destinations })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user_packet(seq: u32, claimed: &str, dest: &[&str]) -> Vec<u8> {
        lk::DataPacket {
            sequence: seq,
            participant_identity: claimed.into(),
            destination_identities: dest.iter().map(|s| s.to_string()).collect(),
            value: Some(lk::data_packet::Value::User(lk::UserPacket {
                participant_identity: claimed.into(),
                payload: b"hi".to_vec(),
                ..Default::default()
            })),
            ..Default::default()
        }
        .encode_to_vec()
    }

    #[test]
    fn identity_is_stamped_at_both_levels() {
        let mut seq = 0;
        let r = prepare(&user_packet(1, "mallory", &["bob"]), true, "alice", "PA_a", &mut seq).unwrap();
        let dp = lk::DataPacket::decode(r.bytes.as_slice()).unwrap();
        assert_eq!(dp.participant_identity, "alice");
        assert_eq!(dp.participant_sid, "PA_a");
        let Some(lk::data_packet::Value::User(u)) = dp.value else { panic!("user packet expected") };
        assert_eq!(u.participant_identity, "alice");
        assert_eq!(u.participant_sid, "PA_a");
        assert_eq!(r.destinations, vec!["bob".to_string()]);
    }

    #[test]
    fn replays_malformed_and_oversized_are_refused() {
        let mut seq = 0;
        assert!(prepare(&user_packet(2, "a", &[]), true, "a", "PA_a", &mut seq).is_ok());
        assert_eq!(prepare(&user_packet(2, "a", &[]), true, "a", "PA_a", &mut seq).err(), Some(Refused::Replay));
        assert_eq!(prepare(&user_packet(1, "a", &[]), true, "a", "PA_a", &mut seq).err(), Some(Refused::Replay));
        // Lossy packets carry no ordering promise.
        assert!(prepare(&user_packet(1, "a", &[]), false, "a", "PA_a", &mut seq).is_ok());
        assert_eq!(prepare(&[0xff, 0xff, 0xff], true, "a", "PA_a", &mut seq).err(), Some(Refused::Malformed));
        let big = vec![0u8; MAX_DATA_PACKET + 1];
        assert_eq!(prepare(&big, true, "a", "PA_a", &mut seq).err(), Some(Refused::TooLarge));
    }
}
