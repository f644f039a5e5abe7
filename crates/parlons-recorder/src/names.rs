//! Safe file names made from participant identities, names and track ids, which come from access
//! tokens and clients and so may hold anything: `../../etc/passwd`, NUL, slashes, emoji.

/// Longest part kept from the original, in bytes (a hash suffix may follow).
const MAX_KEPT: usize = 48;
/// Longest file name this crate accepts from a manifest (most file systems allow 255 bytes).
const MAX_FILE_NAME: usize = 200;

/// Maps any string to a file-name component: ASCII letters, digits, `.`, `-` and `_` only, no
/// leading or trailing `.`/`-`/`_` (so never `.`, `..`, a hidden file or a command-line option),
/// at most 57 bytes. When anything had to change, an 8-hex-digit hash of the original is appended,
/// so different identities stay apart (`Zoë` and `Zoé` both start `Zo`, with different hashes).
pub fn safe_file_component(raw: &str) -> String {
    let mut mapped = String::with_capacity(raw.len().min(MAX_KEPT));
    for c in raw.chars() {
        if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
            mapped.push(c);
        } else if !mapped.ends_with('_') {
            mapped.push('_');
        }
    }
    let edge = |c: char| matches!(c, '.' | '-' | '_');
    let mut safe: String = mapped.trim_matches(edge).chars().take(MAX_KEPT).collect();
    safe.truncate(safe.trim_end_matches(edge).len());
    if !safe.is_empty() && safe == raw {
        return safe;
    }
    if safe.is_empty() {
        safe.push_str("unnamed");
    }
    format!("{safe}-{:08x}", fnv1a(raw.as_bytes()))
}

/// Whether `name` is a plain file name this crate could have made: one path component of safe
/// characters, not hidden, not an option, not too long.
pub fn is_safe_file_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= MAX_FILE_NAME
        && !name.starts_with(['.', '-'])
        && name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
}

/// 32-bit FNV-1a: a stable, dependency-free hash (not for security, only to keep names apart).
fn fnv1a(bytes: &[u8]) -> u32 {
    bytes.iter().fold(0x811c_9dc5, |hash, &b| (hash ^ u32::from(b)).wrapping_mul(0x0100_0193))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_identities_are_kept() {
        assert_eq!(safe_file_component("alice"), "alice");
        assert_eq!(safe_file_component("jean.dupont-2_x"), "jean.dupont-2_x");
        assert_eq!(safe_file_component("TR_abc123"), "TR_abc123");
    }

    #[test]
    fn path_traversal_cannot_escape() {
        for raw in ["../../etc/passwd", "..", ".", "/", "a/../../b", "..\\..\\windows", "-rf", ".hidden"] {
            let safe = safe_file_component(raw);
            assert!(is_safe_file_name(&safe), "{raw:?} -> {safe:?}");
            assert!(!safe.contains(['/', '\\']) && !safe.starts_with('.'), "{raw:?} -> {safe:?}");
            assert_ne!(safe, "..");
        }
        assert!(safe_file_component("../../etc/passwd").starts_with("etc_passwd-"));
    }

    #[test]
    fn nul_and_control_characters_are_replaced() {
        let safe = safe_file_component("a\0b\n\tc");
        assert!(safe.starts_with("a_b_c-"), "{safe}");
        assert!(is_safe_file_name(&safe));
    }

    #[test]
    fn unicode_is_bounded_and_distinct() {
        let zoe1 = safe_file_component("Zoë");
        let zoe2 = safe_file_component("Zoé");
        assert!(zoe1.starts_with("Zo-") && zoe2.starts_with("Zo-"));
        assert_ne!(zoe1, zoe2);
        let han = safe_file_component("李雷");
        assert!(han.starts_with("unnamed-"), "{han}");
        let emoji = safe_file_component(&"🎥".repeat(1_000));
        assert!(is_safe_file_name(&emoji));
        assert_eq!(safe_file_component(""), "unnamed-811c9dc5");
    }

    #[test]
    fn long_names_are_cut() {
        let safe = safe_file_component(&"a".repeat(10_000));
        assert!(safe.len() <= MAX_KEPT + 9, "{}", safe.len());
        assert!(safe.starts_with(&"a".repeat(MAX_KEPT)));
    }

    #[test]
    fn unsafe_manifest_names_are_refused() {
        for name in ["", "..", "../x.webm", "a/b.webm", ".x", "-x", "a\0b", "é.webm"] {
            assert!(!is_safe_file_name(name), "{name:?}");
        }
        assert!(is_safe_file_name("alice-video-TR_1.webm"));
    }
}
