//! Who may enter a room and who may publish what: the vocabulary shared by the store, the room
//! logic and the API. Each enum is stored and sent as its lowercase `as_str()`.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Error for a string that is not one of an enum's names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownName(pub String);

impl fmt::Display for UnknownName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown value {:?}", self.0)
    }
}

impl std::error::Error for UnknownName {}

macro_rules! named_enum {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $($(#[$vdoc])* $variant),+
        }

        impl $name {
            /// The stored and wire name.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
        }

        impl std::str::FromStr for $name {
            type Err = UnknownName;
            fn from_str(s: &str) -> Result<Self, UnknownName> {
                match s { $($text => Ok($name::$variant),)+ _ => Err(UnknownName(s.to_string())) }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

named_enum!(
    /// Who walks straight into a room (as Visio's levels).
    AccessLevel {
        /// Anyone with the link.
        Public => "public",
        /// Signed-in users; guests knock.
        Trusted => "trusted",
        /// People with a role on the room; everyone else knocks.
        Restricted => "restricted",
    }
);

named_enum!(
    /// A user's role on a room.
    RoomRole {
        /// Exactly one per room; may do everything, including deleting the room.
        Owner => "owner",
        /// A host: moderates, admits, changes settings.
        Admin => "admin",
        /// Enters restricted rooms; no moderation.
        Member => "member",
    }
);

named_enum!(
    /// Who may publish one kind of source.
    PublishWho {
        /// Every participant.
        Everyone => "everyone",
        /// Owner and admins only.
        Hosts => "hosts",
    }
);

impl RoomRole {
    /// Owner and admins moderate.
    pub fn is_host(self) -> bool {
        matches!(self, RoomRole::Owner | RoomRole::Admin)
    }
}

/// Who may use camera, microphone and screen share in a room.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublishPolicy {
    /// Camera.
    pub camera: PublishWho,
    /// Microphone.
    pub microphone: PublishWho,
    /// Screen share (with its audio).
    pub screen_share: PublishWho,
}

impl Default for PublishPolicy {
    fn default() -> Self {
        PublishPolicy {
            camera: PublishWho::Everyone,
            microphone: PublishWho::Everyone,
            screen_share: PublishWho::Everyone,
        }
    }
}

impl PublishPolicy {
    /// LiveKit source names (`canPublishSources`) someone may publish; hosts may publish all.
    pub fn sources(&self, host: bool) -> Vec<&'static str> {
        let mut out = Vec::new();
        let allowed = |w: PublishWho| host || w == PublishWho::Everyone;
        if allowed(self.camera) {
            out.push("camera");
        }
        if allowed(self.microphone) {
            out.push("microphone");
        }
        if allowed(self.screen_share) {
            out.push("screen_share");
            out.push("screen_share_audio");
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for a in [AccessLevel::Public, AccessLevel::Trusted, AccessLevel::Restricted] {
            assert_eq!(a.as_str().parse::<AccessLevel>(), Ok(a));
        }
        assert!("Public".parse::<AccessLevel>().is_err());
        assert_eq!(serde_json::to_string(&RoomRole::Admin).unwrap_or_default(), "\"admin\"");
    }

    #[test]
    fn hosts_may_publish_what_others_may_not() {
        let p = PublishPolicy { camera: PublishWho::Hosts, screen_share: PublishWho::Hosts, ..Default::default() };
        assert_eq!(p.sources(false), vec!["microphone"]);
        assert_eq!(p.sources(true).len(), 4);
    }
}
