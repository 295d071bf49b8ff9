//! Policy variables (`${aws:username}`, `${aws:PrincipalTag/team, 'none'}`,
//! `${*}` `${?}` `${$}`) and the text patterns that contain them.
//!
//! Variables exist only in policies with `"Version": "2012-10-17"`; elsewhere
//! `${...}` is literal text. A variable takes the value of the context key it
//! names; when the key is absent or multivalued the default (if any) is used,
//! otherwise the variable is unresolved and the pattern matches nothing.

use std::borrow::Cow;

use super::context::{Context, MissingKeys};
use super::wildcard::{matches_pieces, Glob, PieceRef};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variable {
    /// The key as written in the policy.
    pub key: Box<str>,
    key_lower: Box<str>,
    pub default: Option<Box<str>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum TemplatePiece {
    Literal(Box<str>),
    Star,
    One,
    Variable(Variable),
}

/// A compiled string pattern: literal text, optional `*`/`?` wildcards and
/// optional policy variables.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextPattern {
    /// The fast path, set when the pattern has no variables.
    fixed: Option<Glob>,
    pieces: Box<[TemplatePiece]>,
}

impl TextPattern {
    /// Compiles `text`. `wildcards`: `*` and `?` are wildcards (StringLike,
    /// Resource); `variables`: `${...}` is substituted (version 2012-10-17).
    pub fn new(text: &str, wildcards: bool, variables: bool) -> TextPattern {
        let pieces = parse_template(text, wildcards, variables);
        let has_variables = pieces
            .iter()
            .any(|piece| matches!(piece, TemplatePiece::Variable(_)));
        let fixed = if has_variables {
            None
        } else if wildcards {
            Some(glob_from_pieces(&pieces))
        } else {
            Some(Glob::Exact(literal_text(&pieces).into()))
        };
        TextPattern {
            fixed,
            pieces: pieces.into_boxed_slice(),
        }
    }

    /// Case-sensitive match of `value` against the pattern.
    pub fn matches<'p>(
        &'p self,
        value: &str,
        context: &'p Context,
        missing: &mut MissingKeys<'p>,
    ) -> bool {
        if let Some(glob) = &self.fixed {
            return glob.matches(value, false);
        }
        match self.resolve_pieces(context, missing) {
            Some(pieces) => matches_pieces(&pieces, value, false),
            None => false,
        }
    }

    /// The pattern text with variables substituted (for patterns without
    /// wildcards). `None` when a variable cannot be resolved.
    pub fn resolve_text<'p>(
        &'p self,
        context: &'p Context,
        missing: &mut MissingKeys<'p>,
    ) -> Option<Cow<'p, str>> {
        if let Some(Glob::Exact(text)) = &self.fixed {
            return Some(Cow::Borrowed(text));
        }
        let pieces = self.resolve_pieces(context, missing)?;
        let mut out = String::new();
        for piece in pieces {
            match piece {
                PieceRef::Literal(text) => out.push_str(text),
                PieceRef::Star => out.push('*'),
                PieceRef::One => out.push('?'),
            }
        }
        Some(Cow::Owned(out))
    }

    fn resolve_pieces<'p>(
        &'p self,
        context: &'p Context,
        missing: &mut MissingKeys<'p>,
    ) -> Option<Vec<PieceRef<'p>>> {
        let mut resolved = Vec::with_capacity(self.pieces.len());
        let mut unresolved = false;
        for piece in self.pieces.iter() {
            resolved.push(match piece {
                TemplatePiece::Literal(text) => PieceRef::Literal(text),
                TemplatePiece::Star => PieceRef::Star,
                TemplatePiece::One => PieceRef::One,
                TemplatePiece::Variable(variable) => {
                    let values = context.get_lowercase(&variable.key_lower);
                    match (values, &variable.default) {
                        (Some([value]), _) => PieceRef::Literal(value),
                        // Absent or multivalued: the default, if any.
                        (_, Some(default)) => PieceRef::Literal(default),
                        (values, None) => {
                            if values.is_none() {
                                missing.note(&variable.key);
                            }
                            unresolved = true;
                            continue;
                        }
                    }
                }
            });
        }
        if unresolved {
            None
        } else {
            Some(resolved)
        }
    }
}

fn literal_text(pieces: &[TemplatePiece]) -> String {
    let mut out = String::new();
    for piece in pieces {
        if let TemplatePiece::Literal(text) = piece {
            out.push_str(text);
        }
    }
    out
}

fn glob_from_pieces(pieces: &[TemplatePiece]) -> Glob {
    use super::wildcard::Piece;
    // Merge adjacent literals (a `${*}` between two literals is plain text).
    let mut merged: Vec<Piece> = Vec::new();
    for piece in pieces {
        match piece {
            TemplatePiece::Literal(text) => {
                if let Some(Piece::Literal(previous)) = merged.last_mut() {
                    let mut joined = previous.to_string();
                    joined.push_str(text);
                    *previous = joined.into();
                } else {
                    merged.push(Piece::Literal(text.clone()));
                }
            }
            TemplatePiece::Star => merged.push(Piece::Star),
            TemplatePiece::One => merged.push(Piece::One),
            TemplatePiece::Variable(_) => {}
        }
    }
    match merged.as_slice() {
        [] => Glob::Exact("".into()),
        [Piece::Star] => Glob::Any,
        [Piece::Literal(text)] => Glob::Exact(text.clone()),
        [Piece::Literal(text), Piece::Star] => Glob::Prefix(text.clone()),
        _ => Glob::from_pieces(merged),
    }
}

fn parse_template(text: &str, wildcards: bool, variables: bool) -> Vec<TemplatePiece> {
    let mut pieces = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        let next_variable = if variables { rest.find("${") } else { None };
        let Some(start) = next_variable else {
            push_text(&mut pieces, rest, wildcards);
            break;
        };
        let Some(close) = rest[start + 2..].find('}') else {
            push_text(&mut pieces, rest, wildcards);
            break;
        };
        push_text(&mut pieces, &rest[..start], wildcards);
        let inner = &rest[start + 2..start + 2 + close];
        let whole = &rest[start..start + 3 + close];
        pieces.push(parse_variable(inner).unwrap_or_else(|| TemplatePiece::Literal(whole.into())));
        rest = &rest[start + 3 + close..];
    }
    pieces
}

fn parse_variable(inner: &str) -> Option<TemplatePiece> {
    let inner = inner.trim();
    match inner {
        "" => return None,
        "*" | "?" | "$" => return Some(TemplatePiece::Literal(inner.into())),
        _ => {}
    }
    let (key, default) = match inner.split_once(',') {
        Some((key, default)) => {
            let default = default.trim();
            let quoted = default.len() >= 2 && default.starts_with('\'') && default.ends_with('\'');
            if !quoted {
                return None;
            }
            (key.trim(), Some(default[1..default.len() - 1].into()))
        }
        None => (inner, None),
    };
    if key.is_empty() {
        return None;
    }
    Some(TemplatePiece::Variable(Variable {
        key: key.into(),
        key_lower: key.to_ascii_lowercase().into(),
        default,
    }))
}

fn push_text(pieces: &mut Vec<TemplatePiece>, text: &str, wildcards: bool) {
    if text.is_empty() {
        return;
    }
    if !wildcards {
        pieces.push(TemplatePiece::Literal(text.into()));
        return;
    }
    for piece in super::wildcard::split_pieces(text) {
        pieces.push(match piece {
            super::wildcard::Piece::Literal(literal) => TemplatePiece::Literal(literal),
            super::wildcard::Piece::Star => TemplatePiece::Star,
            super::wildcard::Piece::One => TemplatePiece::One,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn context() -> Context {
        let mut context = Context::new();
        context
            .insert("aws:username", "alice")
            .insert("aws:PrincipalTag/team", "blue")
            .insert_list("aws:TagKeys", ["a", "b"]);
        context
    }

    fn check(pattern: &str, wildcards: bool, value: &str) -> (bool, Vec<String>) {
        let compiled = TextPattern::new(pattern, wildcards, true);
        let context = context();
        let mut missing = MissingKeys::default();
        let matched = compiled.matches(value, &context, &mut missing);
        (matched, missing.keys().map(str::to_string).collect())
    }

    #[test]
    fn substitutes_variables_from_the_context() {
        let table: &[(&str, bool, &str, bool)] = &[
            ("home/${aws:username}/*", true, "home/alice/x", true),
            ("home/${aws:username}/*", true, "home/bob/x", false),
            ("home/${AWS:UserName}", false, "home/alice", true),
            ("${aws:PrincipalTag/team}-*", true, "blue-1", true),
            ("${aws:PrincipalTag/missing, 'none'}", false, "none", true),
            ("${aws:username, 'x'}", false, "alice", true),
            ("a${*}b", true, "a*b", true),
            ("a${*}b", true, "aXb", false),
            ("${?}${$}", false, "?$", true),
            ("${aws:TagKeys}", false, "a", false),
            ("${unclosed", false, "${unclosed", true),
            ("${}", false, "${}", true),
        ];
        for (pattern, wildcards, value, expected) in table {
            assert_eq!(
                check(pattern, *wildcards, value).0,
                *expected,
                "{pattern} ~ {value}"
            );
        }
    }

    #[test]
    fn unresolved_variables_match_nothing_and_are_reported_missing() {
        let (matched, missing) = check("${aws:userid}*", true, "anything");
        assert!(!matched);
        assert_eq!(missing, vec!["aws:userid".to_string()]);
        // With a default there is nothing missing.
        let (matched, missing) = check("${aws:userid, 'anon'}", false, "anon");
        assert!(matched);
        assert!(missing.is_empty());
    }

    #[test]
    fn variables_are_literal_when_disabled() {
        let compiled = TextPattern::new("${aws:username}", false, false);
        let mut missing = MissingKeys::default();
        assert!(compiled.matches("${aws:username}", &context(), &mut missing));
        assert_eq!(compiled, TextPattern::new("${aws:username}", false, false));
        assert!(compiled.fixed.is_some());
    }
}
