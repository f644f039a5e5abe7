//! Random identifiers and readable room slugs.

use rand::Rng;

const ALPHANUM: &[u8] = b"abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
/// Letters that are hard to confuse when read aloud or typed (no l, o, i).
const SLUG_LETTERS: &[u8] = b"abcdefghjkmnpqrstuvwxyz";

/// Random alphanumeric suffix for server ids (`RM_…`, guest identities).
pub fn random_suffix(len: usize) -> String {
    let mut rng = rand::rng();
    (0..len).map(|_| ALPHANUM[rng.random_range(0..ALPHANUM.len())] as char).collect()
}

/// A readable room slug like `kfz-qwpd-mta` (Visio's shape: 3-4-3 letters).
pub fn room_slug() -> String {
    let mut rng = rand::rng();
    let mut part = |n: usize| -> String {
        (0..n).map(|_| SLUG_LETTERS[rng.random_range(0..SLUG_LETTERS.len())] as char).collect()
    };
    format!("{}-{}-{}", part(3), part(4), part(3))
}

/// Whether `s` is an acceptable room name in URLs: 1–64 of `[a-zA-Z0-9_-]`.
pub fn is_valid_room_name(s: &str) -> bool {
    !s.is_empty() && s.len() <= 64 && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_readable_and_valid() {
        for _ in 0..100 {
            let s = room_slug();
            assert_eq!(s.len(), 12);
            assert!(is_valid_room_name(&s));
            assert!(!s.contains('l') && !s.contains('o') && !s.contains('i'));
        }
        assert!(!is_valid_room_name("a/b"));
        assert!(!is_valid_room_name(""));
        assert!(!is_valid_room_name(&"x".repeat(65)));
    }
}
