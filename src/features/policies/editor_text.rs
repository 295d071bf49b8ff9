//! Text arithmetic for the policy editor: line counts, the textarea offsets of the engine's
//! line/column positions. Pure and small, because it ships in the browser bundle.

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
}
