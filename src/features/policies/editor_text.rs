//! Text arithmetic for the policy editor: line counts, the textarea offsets of the engine's
//! line/column positions, and an order-preserving JSON re-indenter. Pure and small, because it
//! ships in the browser bundle (serde_json's pretty printer would also sort the keys).

/// Lines as an editor numbers them: a trailing newline starts one more (empty) line.
pub fn line_count(text: &str) -> u32 {
    u32::try_from(text.split('\n').count()).unwrap_or(u32::MAX)
}

/// The offset in UTF-16 code units (what a textarea's selection counts) of a 1-based line and
/// column, where columns count characters as the policy engine does. A column past the end of
/// its line means the line's end; a line past the end of the text means the text's end.
pub fn utf16_offset(text: &str, line: u32, column: u32) -> u32 {
    let mut current_line = 1;
    let mut current_column = 1;
    let mut offset: u32 = 0;
    for ch in text.chars() {
        if current_line == line && (current_column == column || ch == '\n') {
            return offset;
        }
        if ch == '\n' {
            current_line += 1;
            current_column = 1;
        } else {
            current_column += 1;
        }
        offset += ch.len_utf16() as u32;
    }
    offset
}

/// The text's length in UTF-16 code units.
pub fn utf16_len(text: &str) -> u32 {
    text.chars().map(|ch| ch.len_utf16() as u32).sum()
}

/// Re-indents JSON with two spaces, keeping member order and every string exactly as written.
/// `None` when strings or brackets are not closed (the text is then left for the person to fix).
pub fn pretty_json(text: &str) -> Option<String> {
    let mut out = String::with_capacity(text.len() + text.len() / 2);
    let mut open: Vec<char> = Vec::new();
    let mut chars = text.chars().peekable();
    while let Some(ch) = chars.next() {
        match ch {
            '"' => {
                out.push('"');
                let mut escaped = false;
                loop {
                    let next = chars.next()?;
                    out.push(next);
                    match next {
                        '"' if !escaped => break,
                        '\\' => escaped = !escaped,
                        _ => escaped = false,
                    }
                }
            }
            '{' | '[' => {
                let close = if ch == '{' { '}' } else { ']' };
                while chars.peek().is_some_and(|c| is_json_space(*c)) {
                    chars.next();
                }
                out.push(ch);
                if chars.peek() == Some(&close) {
                    chars.next();
                    out.push(close);
                } else {
                    open.push(close);
                    newline(&mut out, open.len());
                }
            }
            '}' | ']' => {
                if open.pop() != Some(ch) {
                    return None;
                }
                newline(&mut out, open.len());
                out.push(ch);
            }
            ',' => {
                out.push(',');
                newline(&mut out, open.len());
            }
            ':' => out.push_str(": "),
            c if is_json_space(c) => {}
            other => out.push(other),
        }
    }
    open.is_empty().then_some(out)
}

fn is_json_space(ch: char) -> bool {
    matches!(ch, ' ' | '\t' | '\n' | '\r')
}

fn newline(out: &mut String, depth: usize) {
    out.push('\n');
    for _ in 0..depth {
        out.push_str("  ");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_lines_like_an_editor() {
        assert_eq!(line_count(""), 1);
        assert_eq!(line_count("{}"), 1);
        assert_eq!(line_count("{\n}"), 2);
        assert_eq!(line_count("{\n}\n"), 3);
    }

    #[test]
    fn converts_lines_and_character_columns_to_utf16_offsets() {
        // 'é' is one UTF-16 unit, '😀' two; columns count both as one character.
        let text = "{\n  \"é😀\": 1\n}";
        let cases = [
            ((1, 1), 0),
            ((1, 2), 1),
            ((2, 1), 2),
            ((2, 3), 4),
            // After `"é😀"` (column 3 + 4 characters) the colon is column 7: 2 + 2 + 1 + 1 + 2 + 1.
            ((2, 7), 9),
            ((2, 99), 12),
            ((3, 1), 13),
            ((3, 2), 14),
            ((9, 9), 14),
        ];
        for ((line, column), expected) in cases {
            assert_eq!(
                utf16_offset(text, line, column),
                expected,
                "line {line}, column {column}"
            );
        }
        assert_eq!(utf16_len(text), 14);
    }

    #[test]
    fn reindents_json_keeping_order_and_strings() {
        let cases: &[(&str, Option<&str>)] = &[
            ("{}", Some("{}")),
            ("[ ]", Some("[]")),
            (
                r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["a:b","c:d"],"Resource":"*"}]}"#,
                Some(
                    "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\n      \"Effect\": \"Allow\",\n      \"Action\": [\n        \"a:b\",\n        \"c:d\"\n      ],\n      \"Resource\": \"*\"\n    }\n  ]\n}",
                ),
            ),
            // Strings keep their spaces, escapes and brackets.
            (
                r#"{ "a b" : "x \" ] , { " , "n":1.5e3,"t":true }"#,
                Some("{\n  \"a b\": \"x \\\" ] , { \",\n  \"n\": 1.5e3,\n  \"t\": true\n}"),
            ),
            (r#"{"a": "\\"}"#, Some("{\n  \"a\": \"\\\\\"\n}")),
            ("{\"a\":1", None),
            ("{\"a\":1]", None),
            ("{\"a", None),
            ("}", None),
        ];
        for (input, expected) in cases {
            assert_eq!(pretty_json(input).as_deref(), *expected, "{input}");
        }
    }

    #[test]
    fn reindenting_twice_changes_nothing() {
        let once = pretty_json(r#"{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#)
            .expect("balanced");
        assert_eq!(pretty_json(&once).as_deref(), Some(once.as_str()));
    }
}
