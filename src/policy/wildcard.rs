//! Wildcard matching for IAM patterns: `*` matches any run of characters
//! (including none), `?` matches exactly one character. Patterns are compiled
//! once; matching allocates nothing.

use super::json::utf8_width;

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
pub fn matches_pieces<P: Pieces + ?Sized>(pattern: &P, text: &str, fold: bool) -> bool {
    let text = text.as_bytes();
    let count = pattern.count();
    let (mut piece_index, mut literal_offset, mut position) = (0usize, 0usize, 0usize);
    // Where to resume after the most recent `*`: (piece after it, text position).
    let mut resume: Option<(usize, usize)> = None;
    loop {
        if piece_index < count {
            match pattern.piece(piece_index) {
                PieceRef::Literal(literal) if literal_offset == literal.len() => {
                    piece_index += 1;
                    literal_offset = 0;
                    continue;
                }
                PieceRef::Star => {
                    piece_index += 1;
                    literal_offset = 0;
                    resume = Some((piece_index, position));
                    continue;
                }
                PieceRef::One if position < text.len() => {
                    position += utf8_width(text[position]);
                    piece_index += 1;
                    continue;
                }
                PieceRef::Literal(literal)
                    if position < text.len()
                        && bytes_equal(
                            literal.as_bytes()[literal_offset],
                            text[position],
                            fold,
                        ) =>
                {
                    literal_offset += 1;
                    position += 1;
                    continue;
                }
                _ => {}
            }
        } else if position == text.len() {
            return true;
        }
        // Mismatch: let the last `*` absorb one more character, or fail.
        match resume {
            Some((after_star, absorbed_to)) if absorbed_to < text.len() => {
                let next = (absorbed_to + utf8_width(text[absorbed_to])).min(text.len());
                resume = Some((after_star, next));
                piece_index = after_star;
                literal_offset = 0;
                position = next;
            }
            _ => return false,
        }
    }
}

fn bytes_equal(pattern_byte: u8, text_byte: u8, fold: bool) -> bool {
    if fold {
        pattern_byte == text_byte.to_ascii_lowercase()
    } else {
        pattern_byte == text_byte
    }
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
fn matches_segments(first: &str, middle: &[Box<str>], last: &str, text: &[u8], fold: bool) -> bool {
    let (first, last) = (first.as_bytes(), last.as_bytes());
    if text.len() < first.len() + last.len()
        || !equal_bytes(first, &text[..first.len()], fold)
        || !equal_bytes(last, &text[text.len() - last.len()..], fold)
    {
        return false;
    }
    let mut rest = &text[first.len()..text.len() - last.len()];
    for segment in middle {
        let segment = segment.as_bytes();
        match rest
            .windows(segment.len())
            .position(|window| equal_bytes(segment, window, fold))
        {
            Some(index) => rest = &rest[index + segment.len()..],
            None => return false,
        }
    }
    true
}

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
            } => matches_segments(first, middle, last, text.as_bytes(), fold),
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
