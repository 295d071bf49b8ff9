//! Positions in policy text: byte spans from the parser, and the 1-based
//! line/column form that editors, findings and the simulator show.

use serde::Serialize;

/// A half-open byte range `[start, end)` in the source text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }
}

/// A 1-based line and column. Columns count Unicode characters, not bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Position {
    pub line: u32,
    pub column: u32,
}

/// A located range of text: `start` inclusive, `end` exclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Location {
    pub start: Position,
    pub end: Position,
}

/// Converts byte offsets to line/column positions for one text.
pub struct LineIndex<'t> {
    text: &'t str,
    line_starts: Vec<usize>,
}

impl<'t> LineIndex<'t> {
    pub fn new(text: &'t str) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(
            text.bytes()
                .enumerate()
                .filter(|(_, byte)| *byte == b'\n')
                .map(|(index, _)| index + 1),
        );
        LineIndex { text, line_starts }
    }

    pub fn position(&self, offset: usize) -> Position {
        let offset = clamp_to_char_boundary(self.text, offset);
        let line_index = match self.line_starts.binary_search(&offset) {
            Ok(exact) => exact,
            Err(next) => next - 1,
        };
        let line_start = self.line_starts[line_index];
        let column = self.text[line_start..offset].chars().count() + 1;
        Position {
            line: to_u32(line_index + 1),
            column: to_u32(column),
        }
    }

    pub fn location(&self, span: Span) -> Location {
        Location {
            start: self.position(span.start),
            end: self.position(span.end.max(span.start)),
        }
    }
}

fn to_u32(value: usize) -> u32 {
    u32::try_from(value).unwrap_or(u32::MAX)
}

fn clamp_to_char_boundary(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_offsets_to_one_based_lines_and_character_columns() {
        let text = "{\n  \"é\": 1\n}";
        let index = LineIndex::new(text);
        assert_eq!(index.position(0), Position { line: 1, column: 1 });
        assert_eq!(index.position(2), Position { line: 2, column: 1 });
        // After the two-byte 'é' and the closing quote, the colon is column 6.
        let colon = text.find(':').expect("colon");
        assert_eq!(index.position(colon), Position { line: 2, column: 6 });
        assert_eq!(index.position(text.len()), Position { line: 3, column: 2 });
        assert_eq!(index.position(10_000), Position { line: 3, column: 2 });
    }
}
