//! Wildcard matching for IAM patterns: `*` matches any run of characters
//! (including none), `?` matches exactly one character. Patterns are compiled
//! once; the common shapes match without allocating, and no pattern makes
//! matching slower than O(text × pattern / 64).

use std::ops::Range;

use super::json::utf8_width;

mod search;

use search::{find_segment, Segment};

/// One element of a wildcard pattern, borrowed for matching.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PieceRef<'a> {
    Literal(&'a str),
    Star,
    One,
}

/// A sequence of pattern pieces that the matcher can index.
pub trait Pieces {
    fn count(&self) -> usize;
    fn piece(&self, index: usize) -> PieceRef<'_>;
}

impl Pieces for [PieceRef<'_>] {
    fn count(&self) -> usize {
        self.len()
    }
    fn piece(&self, index: usize) -> PieceRef<'_> {
        self[index]
    }
}

impl Pieces for Vec<PieceRef<'_>> {
    fn count(&self) -> usize {
        self.len()
    }
    fn piece(&self, index: usize) -> PieceRef<'_> {
        self[index]
    }
}

/// An owned pattern piece.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    Literal(Box<str>),
    Star,
    One,
}

impl Piece {
    pub fn as_ref(&self) -> PieceRef<'_> {
        match self {
            Piece::Literal(text) => PieceRef::Literal(text),
            Piece::Star => PieceRef::Star,
            Piece::One => PieceRef::One,
        }
    }
}

impl Pieces for [Piece] {
    fn count(&self) -> usize {
        self.len()
    }
    fn piece(&self, index: usize) -> PieceRef<'_> {
        self[index].as_ref()
    }
}

/// Splits `pattern` into literal runs and wildcards.
pub fn split_pieces(pattern: &str) -> Vec<Piece> {
    let mut pieces = Vec::new();
    let mut literal_start = 0;
    for (index, ch) in pattern.char_indices() {
        if ch == '*' || ch == '?' {
            if literal_start < index {
                pieces.push(Piece::Literal(pattern[literal_start..index].into()));
            }
            pieces.push(if ch == '*' { Piece::Star } else { Piece::One });
            literal_start = index + 1;
        }
    }
    if literal_start < pattern.len() {
        pieces.push(Piece::Literal(pattern[literal_start..].into()));
    }
    pieces
}

/// Matches `text` against `pattern`. With `fold`, the pattern must already be
/// ASCII-lowercase and `text` is compared ASCII-case-insensitively.
///
/// The stars split the pattern into segments that each match a fixed number
/// of characters: the first is anchored at the start, the last at the end,
/// and each one between is placed leftmost, which never loses a match.
pub fn matches_pieces<P: Pieces + ?Sized>(pattern: &P, text: &str, fold: bool) -> bool {
    let count = pattern.count();
    let is_star = |index: usize| pattern.piece(index) == PieceRef::Star;
    let Some(first_star) = (0..count).find(|&index| is_star(index)) else {
        return match_forward(pattern, 0..count, text, 0, fold) == Some(text.len());
    };
    let last_star = (first_star..count)
        .rev()
        .find(|&index| is_star(index))
        .unwrap_or(first_star);
    let Some(mut position) = match_forward(pattern, 0..first_star, text, 0, fold) else {
        return false;
    };
    let Some(limit) = match_backward(pattern, last_star + 1..count, text, fold) else {
        return false;
    };
    if position > limit {
        return false;
    }
    let mut star = first_star;
    while star < last_star {
        let next_star = (star + 1..=last_star)
            .find(|&index| is_star(index))
            .unwrap_or(last_star);
        if next_star > star + 1 {
            let segment = Segment {
                pattern,
                range: star + 1..next_star,
            };
            match find_segment(&segment, text, position, limit, fold) {
                Some(end) => position = end,
                None => return false,
            }
        }
        star = next_star;
    }
    true
}

/// Matches star-free pieces `range` at byte `at`; returns where they end.
fn match_forward<P: Pieces + ?Sized>(
    pattern: &P,
    range: Range<usize>,
    text: &str,
    mut at: usize,
    fold: bool,
) -> Option<usize> {
    let bytes = text.as_bytes();
    for index in range {
        match pattern.piece(index) {
            PieceRef::Literal(literal) => {
                let end = at.checked_add(literal.len())?;
                if !equal_bytes(literal.as_bytes(), bytes.get(at..end)?, fold) {
                    return None;
                }
                at = end;
            }
            PieceRef::One => at += utf8_width(*bytes.get(at)?),
            PieceRef::Star => return None,
        }
    }
    Some(at)
}

/// Matches star-free pieces `range` at the end of `text`; returns where they start.
fn match_backward<P: Pieces + ?Sized>(
    pattern: &P,
    range: Range<usize>,
    text: &str,
    fold: bool,
) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut end = bytes.len();
    for index in range.rev() {
        match pattern.piece(index) {
            PieceRef::Literal(literal) => {
                let start = end.checked_sub(literal.len())?;
                if !equal_bytes(literal.as_bytes(), &bytes[start..end], fold) {
                    return None;
                }
                end = start;
            }
            PieceRef::One => {
                end = end.checked_sub(1)?;
                while end > 0 && bytes[end] & 0xC0 == 0x80 {
                    end -= 1;
                }
            }
            PieceRef::Star => return None,
        }
    }
    Some(end)
}

/// Compiles a pattern that has at least one `*` and no `?`.
fn segments(pattern: &str) -> Glob {
    let mut parts: Vec<&str> = pattern.split('*').collect();
    let last = parts.pop().unwrap_or_default();
    let first = if parts.is_empty() {
        ""
    } else {
        parts.remove(0)
    };
    Glob::Segments {
        first: first.into(),
        middle: parts
            .into_iter()
            .filter(|part| !part.is_empty())
            .map(Into::into)
            .collect(),
        last: last.into(),
    }
}

fn equal_bytes(pattern: &[u8], text: &[u8], fold: bool) -> bool {
    if fold {
        pattern.eq_ignore_ascii_case(text)
    } else {
        pattern == text
    }
}

// Byte comparison keeps UTF-8 alignment: a literal starts with a lead byte,
// which never equals a continuation byte.
fn matches_segments(first: &str, middle: &[Box<str>], last: &str, text: &str, fold: bool) -> bool {
    let bytes = text.as_bytes();
    if bytes.len() < first.len() + last.len()
        || !equal_bytes(first.as_bytes(), &bytes[..first.len()], fold)
        || !equal_bytes(last.as_bytes(), &bytes[bytes.len() - last.len()..], fold)
    {
        return false;
    }
    let limit = bytes.len() - last.len();
    let mut position = first.len();
    // Folded patterns are lowercase: short texts (actions) are compared in
    // place; a long one is lowercased once so every search stays linear.
    let lowered;
    let haystack = if fold && text.len() > SHORT_TEXT {
        lowered = text.to_ascii_lowercase();
        lowered.as_str()
    } else {
        text
    };
    for segment in middle {
        let found = if fold && text.len() <= SHORT_TEXT {
            bytes[position..limit]
                .windows(segment.len())
                .position(|window| equal_bytes(segment.as_bytes(), window, true))
        } else {
            // The standard library's substring search is linear in the text.
            haystack
                .get(position..limit)
                .and_then(|window| window.find(&**segment))
        };
        match found {
            Some(index) => position += index + segment.len(),
            None => return false,
        }
    }
    true
}

/// Texts up to this many bytes are searched without allocating.
const SHORT_TEXT: usize = 256;

/// A compiled wildcard pattern with fast paths for the common shapes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Glob {
    /// `*`.
    Any,
    /// No wildcards.
    Exact(Box<str>),
    /// `prefix*`.
    Prefix(Box<str>),
    /// `first*middle*...*last` without `?`: anchored ends, leftmost middles.
    Segments {
        first: Box<str>,
        middle: Box<[Box<str>]>,
        last: Box<str>,
    },
    General(Box<[Piece]>),
}

impl Glob {
    /// Compiles a case-sensitive pattern.
    pub fn new(pattern: &str) -> Glob {
        let pieces = split_pieces(pattern);
        match pieces.as_slice() {
            [Piece::Star] => Glob::Any,
            [] => Glob::Exact("".into()),
            [Piece::Literal(text)] => Glob::Exact(text.clone()),
            [Piece::Literal(text), Piece::Star] => Glob::Prefix(text.clone()),
            _ if !pattern.contains('?') => segments(pattern),
            _ => Glob::General(pieces.into_boxed_slice()),
        }
    }

    /// Compiles already-split pieces (literals may contain `*` or `?` text
    /// that came from `${*}` / `${?}` and must stay literal).
    pub fn from_pieces(pieces: Vec<Piece>) -> Glob {
        let literal_wildcards = pieces
            .iter()
            .any(|piece| matches!(piece, Piece::Literal(text) if text.contains(['*', '?'])));
        let has_one = pieces.contains(&Piece::One);
        if literal_wildcards || has_one {
            return Glob::General(pieces.into_boxed_slice());
        }
        let mut pattern = String::new();
        for piece in &pieces {
            match piece {
                Piece::Literal(text) => pattern.push_str(text),
                Piece::Star => pattern.push('*'),
                Piece::One => pattern.push('?'),
            }
        }
        Glob::new(&pattern)
    }

    /// Compiles a pattern for ASCII-case-insensitive matching (actions).
    pub fn new_folded(pattern: &str) -> Glob {
        Glob::new(&pattern.to_ascii_lowercase())
    }

    /// `fold` must match how the glob was built (`new_folded` ⇒ true).
    pub fn matches(&self, text: &str, fold: bool) -> bool {
        match self {
            Glob::Any => true,
            Glob::Exact(expected) => {
                if fold {
                    expected.eq_ignore_ascii_case(text)
                } else {
                    **expected == *text
                }
            }
            Glob::Prefix(prefix) => {
                text.len() >= prefix.len()
                    && if fold {
                        text.as_bytes()[..prefix.len()].eq_ignore_ascii_case(prefix.as_bytes())
                    } else {
                        text.as_bytes().starts_with(prefix.as_bytes())
                    }
            }
            Glob::Segments {
                first,
                middle,
                last,
            } => matches_segments(first, middle, last, text, fold),
            Glob::General(pieces) => matches_pieces(&pieces[..], text, fold),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_wildcards_like_iam() {
        let cases: &[(&str, &str, bool)] = &[
            ("*", "", true),
            ("*", "anything", true),
            ("iam:Get*", "iam:GetUser", true),
            ("iam:Get*", "iam:Get", true),
            ("iam:Get*", "iam:ListUsers", false),
            ("iam:*User", "iam:CreateUser", true),
            ("iam:*User", "iam:CreateUsers", false),
            ("s3:?etObject", "s3:GetObject", true),
            ("s3:?etObject", "s3:etObject", false),
            ("a*b*c", "aXXbYYc", true),
            ("a*b*c", "aXXbYY", false),
            ("a*a*a*b", "aaaaaaaaaaaaaaaaaaaa", false),
            ("*b", "aaab", true),
            ("?", "é", true),
            ("??", "é", false),
            ("x?z", "xéz", true),
            ("", "", true),
            ("", "a", false),
            ("abc", "abc", true),
            ("abc", "ABC", false),
            ("a*a", "a", false),
            ("a*a", "aa", true),
            ("*é*", "xéy", true),
            ("**", "", true),
            ("a**b", "ab", true),
            ("*abc*abd", "abcabcabd", true),
            ("*abc*abd", "abdabc", false),
        ];
        for (pattern, text, expected) in cases {
            assert_eq!(
                Glob::new(pattern).matches(text, false),
                *expected,
                "{pattern} ~ {text}"
            );
            assert_eq!(
                matches_pieces(&split_pieces(pattern)[..], text, false),
                *expected,
                "general path: {pattern} ~ {text}"
            );
        }
    }

    #[test]
    fn long_patterns_with_question_marks_match_in_bounded_time() {
        // SECURITY: backtracking over `*a…a?b*` took seconds on a 20 KB value;
        // a simulated policy may hold a 128 KB pattern.
        let text = "a".repeat(20_000);
        let started = std::time::Instant::now();
        for pattern in [
            format!("*{}?b*", "a".repeat(10_000)),
            format!("*{}b*", "a".repeat(10_000)),
            format!("{}*a?b", "a?".repeat(5_000)),
        ] {
            assert!(
                !Glob::new(&pattern).matches(&text, false),
                "{}",
                &pattern[..8]
            );
            assert!(!Glob::new_folded(&pattern).matches(&text, true));
        }
        assert!(Glob::new(&format!("*{}?*", "a".repeat(10_000))).matches(&text, false));
        assert!(started.elapsed() < std::time::Duration::from_secs(2));
    }

    #[test]
    fn many_stars_match_in_linear_time() {
        // `a*a*a*…` against a long value: each segment is found where the last ended.
        let text = "A".repeat(60_000);
        let pattern = "a*".repeat(30_000);
        let started = std::time::Instant::now();
        assert!(Glob::new_folded(&pattern).matches(&text, true));
        assert!(!Glob::new(&pattern).matches(&text, false));
        assert!(Glob::new(&pattern.to_ascii_uppercase()).matches(&text, false));
        assert!(started.elapsed() < std::time::Duration::from_secs(2));
    }

    #[test]
    fn folded_patterns_ignore_ascii_case() {
        assert!(Glob::new_folded("IAM:Get*").matches("iam:GETUSER", true));
        assert!(Glob::new_folded("iam:*user").matches("IAM:CreateUser", true));
        assert!(Glob::new_folded("iam:createuser").matches("iam:CreateUser", true));
        assert!(!Glob::new_folded("iam:createuser").matches("iam:CreateUsers", true));
    }

    #[test]
    fn compiles_to_fast_paths() {
        assert_eq!(Glob::new("*"), Glob::Any);
        assert_eq!(Glob::new("a:b"), Glob::Exact("a:b".into()));
        assert_eq!(Glob::new("a:*"), Glob::Prefix("a:".into()));
        assert!(matches!(Glob::new("*a"), Glob::Segments { .. }));
        assert!(matches!(Glob::new("*a?"), Glob::General(_)));
    }
}
