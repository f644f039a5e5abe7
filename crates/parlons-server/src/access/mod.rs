//! Who may walk into a room, the lobby of those who knock, and the grants of their tokens.

pub mod entry;
pub mod grants;
pub mod lobby;
