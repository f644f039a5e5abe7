//! The lobby: people knocking on rooms, until a host admits or denies them, the room's level
//! lets them in, or their browser stops polling. Sans-IO (times are passed in), owned by one
//! mutex in the server.

use std::collections::HashMap;

use parlons_store::RoomSettings;
use parlons_types::Identity;
use serde::Serialize;

use super::entry::{Entry, Standing, entry};

/// A waiting entry not polled for this long is dropped (the browser went away).
pub const KNOCK_TTL_MS: i64 = 15_000;
/// How often the waiting page polls.
pub const POLL_MS: i64 = 2_000;
/// How long a decision stays readable by the knocker.
pub const DECIDED_TTL_MS: i64 = 60_000;
/// Most people waiting on one room.
pub const MAX_WAITING: usize = 200;

/// Where a knock stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KnockState {
    /// Waiting for a host.
    Waiting,
    /// Let in: the next poll gets a token.
    Admitted,
    /// Turned away, with the host's reason if any.
    Denied(Option<String>),
    /// The meeting was ended while waiting.
    Ended,
}

/// One person knocking.
#[derive(Clone, Debug)]
pub struct Knock {
    /// Secret id (the knocker's capability to poll).
    pub id: String,
    /// Who will enter.
    pub identity: Identity,
    /// Display name.
    pub name: String,
    /// What they are to the room.
    pub standing: Standing,
    /// Since when (Unix ms).
    pub since: i64,
    last_seen: i64,
    decided_at: i64,
    /// Where it stands.
    pub state: KnockState,
}

/// What hosts see of a waiting person.
#[derive(Clone, Debug, Serialize, PartialEq, utoipa::ToSchema)]
pub struct Waiting {
    /// Lobby entry id (to admit or deny).
    pub id: String,
    /// Display name.
    pub name: String,
    /// Signed in (not a guest).
    pub signed_in: bool,
    /// Knocking since (Unix ms).
    pub since: i64,
}

/// Every room's lobby on this node.
#[derive(Default)]
pub struct Lobby {
    rooms: HashMap<String, Vec<Knock>>,
}

/// Why a knock was not recorded.
#[derive(Debug, PartialEq, Eq)]
pub enum KnockError {
    /// Too many people wait already.
    Full,
}

impl Lobby {
    /// Records a knock (an identity knocking again replaces its previous entry); returns its id.
    pub fn knock(
        &mut self,
        slug: &str,
        id: String,
        identity: Identity,
        name: String,
        standing: Standing,
        now: i64,
    ) -> Result<String, KnockError> {
        let list = self.rooms.entry(slug.to_string()).or_default();
        list.retain(|k| k.identity != identity);
        if list.iter().filter(|k| k.state == KnockState::Waiting).count() >= MAX_WAITING {
            return Err(KnockError::Full);
        }
        list.push(Knock {
            id: id.clone(),
            identity,
            name,
            standing,
            since: now,
            last_seen: now,
            decided_at: 0,
            state: KnockState::Waiting,
        });
        Ok(id)
    }

    /// The knocker polls: keeps the entry alive and tells where it stands. A decided entry is
    /// taken out once read as admitted (the token is handed out once).
    /// Only the knocker (the same `identity`) may read it.
    pub fn poll(&mut self, slug: &str, id: &str, identity: &Identity, now: i64) -> Option<Knock> {
        let list = self.rooms.get_mut(slug)?;
        let pos = list.iter().position(|k| k.id == id && &k.identity == identity)?;
        list[pos].last_seen = now;
        let k = list[pos].clone();
        if k.state == KnockState::Admitted {
            list.remove(pos);
        }
        Some(k)
    }

    /// A host lets someone in. Returns false for an unknown or already decided entry.
    pub fn admit(&mut self, slug: &str, id: &str, now: i64) -> bool {
        self.decide_waiting(slug, id, KnockState::Admitted, now)
    }

    /// A host turns someone away.
    pub fn deny(&mut self, slug: &str, id: &str, reason: Option<String>, now: i64) -> bool {
        self.decide_waiting(slug, id, KnockState::Denied(reason), now)
    }

    fn decide_waiting(&mut self, slug: &str, id: &str, state: KnockState, now: i64) -> bool {
        match self.rooms.get_mut(slug).and_then(|l| l.iter_mut().find(|k| k.id == id)) {
            Some(k) if k.state == KnockState::Waiting => {
                k.state = state;
                k.decided_at = now;
                true
            }
            _ => false,
        }
    }

    /// Admits everyone waiting; returns how many.
    pub fn admit_all(&mut self, slug: &str, now: i64) -> usize {
        self.settle(slug, now, |_| Some(KnockState::Admitted))
    }

    /// After a settings change: admits the people the room now lets in directly.
    pub fn reevaluate(&mut self, slug: &str, settings: &RoomSettings, now: i64) -> usize {
        self.settle(slug, now, |k| (entry(settings, k.standing) == Entry::Enter).then_some(KnockState::Admitted))
    }

    /// The meeting ended: every waiting person is told.
    pub fn end(&mut self, slug: &str, now: i64) -> usize {
        self.settle(slug, now, |_| Some(KnockState::Ended))
    }

    fn settle(&mut self, slug: &str, now: i64, f: impl Fn(&Knock) -> Option<KnockState>) -> usize {
        let Some(list) = self.rooms.get_mut(slug) else { return 0 };
        let mut n = 0;
        for k in list.iter_mut().filter(|k| k.state == KnockState::Waiting) {
            if let Some(s) = f(k) {
                k.state = s;
                k.decided_at = now;
                n += 1;
            }
        }
        n
    }

    /// The knocker left the waiting page.
    pub fn leave(&mut self, slug: &str, id: &str, identity: &Identity) -> bool {
        let Some(list) = self.rooms.get_mut(slug) else { return false };
        let before = list.len();
        list.retain(|k| !(k.id == id && &k.identity == identity));
        before != list.len()
    }

    /// People waiting on a room, longest-waiting first.
    pub fn waiting(&self, slug: &str) -> Vec<Waiting> {
        let mut v: Vec<Waiting> = self
            .rooms
            .get(slug)
            .map(|l| {
                l.iter()
                    .filter(|k| k.state == KnockState::Waiting)
                    .map(|k| Waiting {
                        id: k.id.clone(),
                        name: k.name.clone(),
                        signed_in: k.standing != Standing::Guest,
                        since: k.since,
                    })
                    .collect()
            })
            .unwrap_or_default();
        v.sort_by_key(|w| w.since);
        v
    }

    /// Drops entries whose browser stopped polling and decisions nobody read; returns the rooms
    /// whose waiting list changed.
    pub fn expire(&mut self, now: i64) -> Vec<String> {
        let mut changed = Vec::new();
        for (slug, list) in &mut self.rooms {
            let before = list.iter().filter(|k| k.state == KnockState::Waiting).count();
            list.retain(|k| match k.state {
                KnockState::Waiting => now - k.last_seen < KNOCK_TTL_MS,
                _ => now - k.decided_at < DECIDED_TTL_MS,
            });
            if list.iter().filter(|k| k.state == KnockState::Waiting).count() != before {
                changed.push(slug.clone());
            }
        }
        self.rooms.retain(|_, l| !l.is_empty());
        changed
    }
}

#[cfg(test)]
mod tests {
    use parlons_types::access::{AccessLevel, RoomRole};

    use super::*;

    /// The identity behind a test knock id (`id-<who>`, or `id-2` for "a" knocking again).
    fn who_of(id: &str) -> &str {
        match id.strip_prefix("id-") {
            Some("2") => "a",
            Some(w) => w,
            None => "nobody",
        }
    }

    fn knock(l: &mut Lobby, who: &str, standing: Standing, now: i64) -> String {
        l.knock("r", format!("id-{who}"), Identity::new(who), who.to_string(), standing, now).expect("knock")
    }

    #[test]
    fn admit_deny_and_read_once() {
        let mut l = Lobby::default();
        let a = knock(&mut l, "a", Standing::Guest, 0);
        let b = knock(&mut l, "b", Standing::SignedIn, 10);
        assert_eq!(l.waiting("r").iter().map(|w| w.name.as_str()).collect::<Vec<_>>(), vec!["a", "b"]);
        assert!(l.admit("r", &a, 20));
        assert!(!l.admit("r", &a, 21), "decided once");
        assert!(l.deny("r", &b, Some("not today".into()), 22));
        assert!(l.waiting("r").is_empty());
        assert_eq!(l.poll("r", &a, &Identity::new(who_of(&a)), 30).map(|k| k.state), Some(KnockState::Admitted));
        assert!(l.poll("r", &a, &Identity::new(who_of(&a)), 31).is_none(), "an admission is handed out once");
        assert_eq!(
            l.poll("r", &b, &Identity::new(who_of(&b)), 30).map(|k| k.state),
            Some(KnockState::Denied(Some("not today".into())))
        );
        assert!(l.poll("r", "forged", &Identity::new(who_of("forged")), 30).is_none());
        assert!(l.poll("r", &b, &Identity::new("host"), 30).is_none(), "only the knocker reads its entry");
    }

    #[test]
    fn silent_browsers_expire_and_decisions_fade() {
        let mut l = Lobby::default();
        let a = knock(&mut l, "a", Standing::Guest, 0);
        let b = knock(&mut l, "b", Standing::Guest, 0);
        l.poll("r", &b, &Identity::new(who_of(&b)), KNOCK_TTL_MS - 1);
        assert_eq!(l.expire(KNOCK_TTL_MS), vec!["r".to_string()]);
        assert!(l.poll("r", &a, &Identity::new(who_of(&a)), KNOCK_TTL_MS).is_none(), "a stopped polling");
        assert_eq!(l.waiting("r").len(), 1);
        l.deny("r", &b, None, KNOCK_TTL_MS);
        l.expire(KNOCK_TTL_MS + DECIDED_TTL_MS);
        assert!(l.poll("r", &b, &Identity::new(who_of(&b)), KNOCK_TTL_MS + DECIDED_TTL_MS).is_none());
    }

    #[test]
    fn a_level_change_admits_who_now_may_enter() {
        let mut l = Lobby::default();
        let g = knock(&mut l, "g", Standing::Guest, 0);
        let u = knock(&mut l, "u", Standing::SignedIn, 0);
        let trusted = RoomSettings { access: AccessLevel::Trusted, ..Default::default() };
        assert_eq!(l.reevaluate("r", &trusted, 5), 1);
        assert_eq!(l.poll("r", &u, &Identity::new(who_of(&u)), 6).map(|k| k.state), Some(KnockState::Admitted));
        assert_eq!(l.poll("r", &g, &Identity::new(who_of(&g)), 6).map(|k| k.state), Some(KnockState::Waiting));
        let public = RoomSettings::default();
        assert_eq!(l.reevaluate("r", &public, 7), 1);
        assert_eq!(l.poll("r", &g, &Identity::new(who_of(&g)), 8).map(|k| k.state), Some(KnockState::Admitted));
        let _ = RoomRole::Owner;
    }

    #[test]
    fn knocking_again_replaces_and_ending_tells_everyone() {
        let mut l = Lobby::default();
        knock(&mut l, "a", Standing::Guest, 0);
        let again = l.knock("r", "id-2".into(), Identity::new("a"), "a".into(), Standing::Guest, 1).expect("knock");
        assert_eq!(l.waiting("r").len(), 1);
        assert_eq!(l.end("r", 2), 1);
        assert_eq!(l.poll("r", &again, &Identity::new(who_of(&again)), 3).map(|k| k.state), Some(KnockState::Ended));
        assert!(!l.leave("r", &again, &Identity::new("b")));
        assert!(l.leave("r", &again, &Identity::new("a")));
    }
}
