//! The index range a paged, prefix-filtered listing by name reads: names after the previous
//! page's last one that start with the prefix, compared on the lowercase name key.

/// `(exclusive lower bound, exclusive upper bound)` on `name_key`.
pub fn name_key_range(name_prefix: &str, after_key: Option<&str>) -> (String, String) {
    let prefix = name_prefix.to_ascii_lowercase();
    // Names are ASCII, so U+FFFF sorts after every name that starts with the prefix.
    let upper = format!("{prefix}\u{ffff}");
    // The greatest key below the prefix: every name starting with the prefix sorts after it.
    let before_prefix = match prefix.is_empty() {
        true => String::new(),
        false => {
            let mut bytes = prefix.clone().into_bytes();
            let last = bytes.len() - 1;
            // SECURITY: the prefix is caller input; a NUL last byte has no predecessor, and
            // the prefix without it is then the greatest key below (it must not panic).
            match bytes[last].checked_sub(1) {
                Some(previous) => {
                    bytes[last] = previous;
                    let mut below = String::from_utf8(bytes).unwrap_or_default();
                    below.push('\u{ffff}');
                    below
                }
                None => prefix[..last].to_string(),
            }
        }
    };
    let lower = match after_key {
        Some(after) if after > before_prefix.as_str() => after.to_string(),
        _ => before_prefix,
    };
    (lower, upper)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn in_range(key: &str, range: &(String, String)) -> bool {
        key > range.0.as_str() && key < range.1.as_str()
    }

    #[test]
    fn a_nul_or_non_ascii_prefix_is_a_range_not_a_panic() {
        let nul = name_key_range("bo\0", None);
        assert!(in_range("bo\0", &nul) && in_range("bo\0x", &nul));
        assert!(!in_range("bo", &nul) && !in_range("bob", &nul) && !in_range("bn", &nul));
        let only_nul = name_key_range("\0", None);
        assert!(in_range("\0a", &only_nul) && !in_range("a", &only_nul));
        for prefix in ["\u{80}", "é", "' OR '1'='1", "%", "_"] {
            let range = name_key_range(prefix, None);
            assert!(!in_range("alice", &range), "{prefix:?}");
        }
    }

    #[test]
    fn ranges_select_the_prefix_after_the_marker() {
        let all = name_key_range("", None);
        assert!(in_range("a", &all) && in_range("zzz", &all) && in_range("0", &all));
        let bo = name_key_range("Bo", None);
        for (key, inside) in [
            ("bo", true),
            ("bob", true),
            ("bo-9", true),
            ("bn", false),
            ("bnz", false),
            ("bp", false),
            ("b", false),
        ] {
            assert_eq!(in_range(key, &bo), inside, "{key}");
        }
        let after = name_key_range("bo", Some("bob"));
        assert!(
            !in_range("bob", &after)
                && in_range("boba", &after)
                && in_range("boz", &after)
                && !in_range("bo", &after)
        );
        // A marker before the prefix does not widen the range.
        let early = name_key_range("bo", Some("a"));
        assert!(!in_range("az", &early) && in_range("bo", &early));
    }
}
