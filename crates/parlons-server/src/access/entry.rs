//! The entry rule: who walks straight in and who knocks. Pure, so every case is a unit test.

use parlons_store::RoomSettings;
use parlons_types::access::{AccessLevel, RoomRole};

/// What a person is to a room.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Standing {
    /// A signed-in user with a role on the room.
    Role(RoomRole),
    /// A signed-in user without a role.
    SignedIn,
    /// Not signed in.
    Guest,
}

impl Standing {
    /// Owner or admin.
    pub fn is_host(self) -> bool {
        matches!(self, Standing::Role(r) if r.is_host())
    }

    /// The `parlons.role` attribute others see.
    pub fn attribute(self) -> &'static str {
        match self {
            Standing::Role(r) => r.as_str(),
            Standing::SignedIn => "user",
            Standing::Guest => "guest",
        }
    }
}

/// Whether someone enters or knocks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Entry {
    /// Straight in.
    Enter,
    /// Waits in the lobby for a host.
    Knock,
}

/// The rule: hosts always enter; a locked room makes everyone else knock; otherwise the access
/// level decides (`public`: all, `trusted`: signed-in users, `restricted`: people with a role).
pub fn entry(settings: &RoomSettings, who: Standing) -> Entry {
    if who.is_host() {
        return Entry::Enter;
    }
    if settings.locked {
        return Entry::Knock;
    }
    let enters = match settings.access {
        AccessLevel::Public => true,
        AccessLevel::Trusted => who != Standing::Guest,
        AccessLevel::Restricted => matches!(who, Standing::Role(_)),
    };
    if enters { Entry::Enter } else { Entry::Knock }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(access: AccessLevel, locked: bool) -> RoomSettings {
        RoomSettings { access, locked, ..Default::default() }
    }

    #[test]
    fn the_access_table() {
        use AccessLevel::*;
        use Entry::*;
        let member = Standing::Role(RoomRole::Member);
        let admin = Standing::Role(RoomRole::Admin);
        let cases = [
            (Public, Standing::Guest, Enter),
            (Public, Standing::SignedIn, Enter),
            (Trusted, Standing::Guest, Knock),
            (Trusted, Standing::SignedIn, Enter),
            (Trusted, member, Enter),
            (Restricted, Standing::Guest, Knock),
            (Restricted, Standing::SignedIn, Knock),
            (Restricted, member, Enter),
            (Restricted, admin, Enter),
        ];
        for (level, who, want) in cases {
            assert_eq!(entry(&settings(level, false), who), want, "{level:?} {who:?}");
        }
    }

    #[test]
    fn a_locked_room_lets_only_hosts_in() {
        let s = settings(AccessLevel::Public, true);
        assert_eq!(entry(&s, Standing::Guest), Entry::Knock);
        assert_eq!(entry(&s, Standing::Role(RoomRole::Member)), Entry::Knock);
        assert_eq!(entry(&s, Standing::Role(RoomRole::Owner)), Entry::Enter);
        assert_eq!(Standing::Guest.attribute(), "guest");
    }
}
