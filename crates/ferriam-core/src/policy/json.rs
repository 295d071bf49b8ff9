//! A small JSON parser that keeps byte spans for every value and object key,
//! so validation errors and editor findings can point at the exact text.
//!
//! serde_json drops positions, so policies are parsed here instead. The parser
//! is strict RFC 8259 JSON, rejects nesting deeper than [`MAX_DEPTH`] and reports
//! duplicate object keys (an ambiguity different parsers resolve differently).

use std::collections::HashSet;

use super::location::Span;

/// Deepest nesting accepted. Real policies need about six levels.
// SECURITY: bounds recursion so hostile input cannot overflow the stack.
pub const MAX_DEPTH: usize = 32;

/// Objects up to this many members are checked for duplicate keys by scanning.
const SCAN_LIMIT: usize = 16;

/// A JSON value with its span in the source text.
#[derive(Debug, Clone, PartialEq)]
pub struct JsonNode {
    pub value: JsonValue,
    pub span: Span,
}

/// An object member: the key (with the span of its quoted text) and the value.
#[derive(Debug, Clone, PartialEq)]
pub struct JsonMember {
    pub key: String,
    pub key_span: Span,
    pub value: JsonNode,
}

#[derive(Debug, Clone, PartialEq)]
pub enum JsonValue {
    Null,
    Bool(bool),
    /// The number's source text, kept verbatim (IAM treats condition values as text).
    Number(String),
    String(String),
    Array(Vec<JsonNode>),
    Object(Vec<JsonMember>),
}

impl JsonValue {
    pub fn as_object(&self) -> Option<&[JsonMember]> {
        match self {
            JsonValue::Object(members) => Some(members),
            _ => None,
        }
    }

    pub fn as_array(&self) -> Option<&[JsonNode]> {
        match self {
            JsonValue::Array(items) => Some(items),
            _ => None,
        }
    }
}

impl JsonNode {
    /// The member named `key` if this node is an object.
    pub fn get(&self, key: &str) -> Option<&JsonMember> {
        self.value
            .as_object()?
            .iter()
            .find(|member| member.key == key)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JsonErrorKind {
    UnexpectedEnd,
    UnexpectedCharacter,
    InvalidEscape,
    InvalidNumber,
    ControlCharacterInString,
    TrailingCharacters,
    TooDeep,
    DuplicateKey,
}

impl JsonErrorKind {
    pub fn describe(self) -> &'static str {
        match self {
            JsonErrorKind::UnexpectedEnd => "Unexpected end of JSON text.",
            JsonErrorKind::UnexpectedCharacter => "Unexpected character in JSON text.",
            JsonErrorKind::InvalidEscape => "Invalid escape sequence in JSON string.",
            JsonErrorKind::InvalidNumber => "Invalid JSON number.",
            JsonErrorKind::ControlCharacterInString => {
                "Control characters must be escaped in JSON strings."
            }
            JsonErrorKind::TrailingCharacters => "Unexpected text after the JSON document.",
            JsonErrorKind::TooDeep => "JSON nesting is too deep.",
            JsonErrorKind::DuplicateKey => "Duplicate key in JSON object.",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonError {
    pub kind: JsonErrorKind,
    pub span: Span,
}

/// Parses one JSON document (surrounding whitespace allowed).
pub fn parse(text: &str) -> Result<JsonNode, JsonError> {
    let mut parser = Parser {
        bytes: text.as_bytes(),
        text,
        pos: 0,
    };
    parser.skip_whitespace();
    let node = parser.value(0)?;
    parser.skip_whitespace();
    if parser.pos != parser.bytes.len() {
        return Err(parser.error_here(JsonErrorKind::TrailingCharacters));
    }
    Ok(node)
}

struct Parser<'t> {
    bytes: &'t [u8],
    text: &'t str,
    pos: usize,
}

impl<'t> Parser<'t> {
    fn error_here(&self, kind: JsonErrorKind) -> JsonError {
        let start = self.pos.min(self.bytes.len());
        let end = if start < self.bytes.len() {
            start + utf8_width(self.bytes[start])
        } else {
            start
        };
        JsonError {
            kind,
            span: Span::new(start, end.min(self.bytes.len())),
        }
    }

    fn skip_whitespace(&mut self) {
        while let Some(&byte) = self.bytes.get(self.pos) {
            if matches!(byte, b' ' | b'\t' | b'\n' | b'\r') {
                self.pos += 1;
            } else {
                break;
            }
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn value(&mut self, depth: usize) -> Result<JsonNode, JsonError> {
        if depth >= MAX_DEPTH {
            return Err(self.error_here(JsonErrorKind::TooDeep));
        }
        let start = self.pos;
        let value = match self.peek() {
            None => return Err(self.error_here(JsonErrorKind::UnexpectedEnd)),
            Some(b'{') => self.object(depth)?,
            Some(b'[') => self.array(depth)?,
            Some(b'"') => JsonValue::String(self.string()?),
            Some(b't') => self.literal("true", JsonValue::Bool(true))?,
            Some(b'f') => self.literal("false", JsonValue::Bool(false))?,
            Some(b'n') => self.literal("null", JsonValue::Null)?,
            Some(b'-' | b'0'..=b'9') => self.number()?,
            Some(_) => return Err(self.error_here(JsonErrorKind::UnexpectedCharacter)),
        };
        Ok(JsonNode {
            value,
            span: Span::new(start, self.pos),
        })
    }

    fn literal(&mut self, word: &str, value: JsonValue) -> Result<JsonValue, JsonError> {
        if self.bytes[self.pos..].starts_with(word.as_bytes()) {
            self.pos += word.len();
            Ok(value)
        } else {
            Err(self.error_here(JsonErrorKind::UnexpectedCharacter))
        }
    }

    fn object(&mut self, depth: usize) -> Result<JsonValue, JsonError> {
        self.pos += 1; // '{'
        let mut members: Vec<JsonMember> = Vec::new();
        // SECURITY: past a few members a set keeps duplicate detection linear.
        let mut keys: HashSet<String> = HashSet::new();
        self.skip_whitespace();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            return Ok(JsonValue::Object(members));
        }
        loop {
            self.skip_whitespace();
            if self.peek() != Some(b'"') {
                return Err(self.unexpected());
            }
            let key_start = self.pos;
            let key = self.string()?;
            let key_span = Span::new(key_start, self.pos);
            let duplicate = if members.len() < SCAN_LIMIT {
                members.iter().any(|member| member.key == key)
            } else {
                if keys.is_empty() {
                    keys.extend(members.iter().map(|member| member.key.clone()));
                }
                !keys.insert(key.clone())
            };
            if duplicate {
                return Err(JsonError {
                    kind: JsonErrorKind::DuplicateKey,
                    span: key_span,
                });
            }
            self.skip_whitespace();
            if self.peek() != Some(b':') {
                return Err(self.unexpected());
            }
            self.pos += 1;
            self.skip_whitespace();
            let value = self.value(depth + 1)?;
            members.push(JsonMember {
                key,
                key_span,
                value,
            });
            self.skip_whitespace();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(JsonValue::Object(members));
                }
                _ => return Err(self.unexpected()),
            }
        }
    }

    fn array(&mut self, depth: usize) -> Result<JsonValue, JsonError> {
        self.pos += 1; // '['
        let mut items = Vec::new();
        self.skip_whitespace();
        if self.peek() == Some(b']') {
            self.pos += 1;
            return Ok(JsonValue::Array(items));
        }
        loop {
            self.skip_whitespace();
            items.push(self.value(depth + 1)?);
            self.skip_whitespace();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    return Ok(JsonValue::Array(items));
                }
                _ => return Err(self.unexpected()),
            }
        }
    }

    fn unexpected(&self) -> JsonError {
        if self.pos >= self.bytes.len() {
            self.error_here(JsonErrorKind::UnexpectedEnd)
        } else {
            self.error_here(JsonErrorKind::UnexpectedCharacter)
        }
    }

    fn string(&mut self) -> Result<String, JsonError> {
        self.pos += 1; // opening quote
        let mut out = String::new();
        let mut run_start = self.pos;
        loop {
            let Some(byte) = self.peek() else {
                return Err(self.error_here(JsonErrorKind::UnexpectedEnd));
            };
            match byte {
                b'"' => {
                    out.push_str(&self.text[run_start..self.pos]);
                    self.pos += 1;
                    return Ok(out);
                }
                b'\\' => {
                    out.push_str(&self.text[run_start..self.pos]);
                    self.escape(&mut out)?;
                    run_start = self.pos;
                }
                0x00..=0x1f => return Err(self.error_here(JsonErrorKind::ControlCharacterInString)),
                // INVARIANT: the input is a &str, so multi-byte sequences are valid
                // UTF-8 and run boundaries always fall on character boundaries.
                _ => self.pos += 1,
            }
        }
    }

    fn escape(&mut self, out: &mut String) -> Result<(), JsonError> {
        let escape_start = self.pos;
        self.pos += 1; // backslash
        let Some(kind) = self.peek() else {
            return Err(self.error_here(JsonErrorKind::UnexpectedEnd));
        };
        self.pos += 1;
        let decoded = match kind {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
                let first = self.hex4(escape_start)?;
                if (0xD800..0xDC00).contains(&first) {
                    // A high surrogate must be followed by an escaped low surrogate.
                    if self.bytes.get(self.pos) != Some(&b'\\')
                        || self.bytes.get(self.pos + 1) != Some(&b'u')
                    {
                        return Err(self.escape_error(escape_start));
                    }
                    self.pos += 2;
                    let second = self.hex4(escape_start)?;
                    if !(0xDC00..0xE000).contains(&second) {
                        return Err(self.escape_error(escape_start));
                    }
                    let combined = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00);
                    char::from_u32(combined).ok_or_else(|| self.escape_error(escape_start))?
                } else {
                    char::from_u32(first).ok_or_else(|| self.escape_error(escape_start))?
                }
            }
            _ => return Err(self.escape_error(escape_start)),
        };
        out.push(decoded);
        Ok(())
    }

    fn escape_error(&self, escape_start: usize) -> JsonError {
        JsonError {
            kind: JsonErrorKind::InvalidEscape,
            span: Span::new(escape_start, self.pos.min(self.bytes.len())),
        }
    }

    fn hex4(&mut self, escape_start: usize) -> Result<u32, JsonError> {
        let mut value = 0u32;
        for _ in 0..4 {
            let digit = self
                .peek()
                .and_then(|byte| (byte as char).to_digit(16))
                .ok_or_else(|| self.escape_error(escape_start))?;
            value = value * 16 + digit;
            self.pos += 1;
        }
        Ok(value)
    }

    fn number(&mut self) -> Result<JsonValue, JsonError> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        match self.peek() {
            Some(b'0') => self.pos += 1,
            Some(b'1'..=b'9') => self.digits(),
            _ => return Err(self.error_here(JsonErrorKind::InvalidNumber)),
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err(self.error_here(JsonErrorKind::InvalidNumber));
            }
            self.digits();
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.pos += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err(self.error_here(JsonErrorKind::InvalidNumber));
            }
            self.digits();
        }
        Ok(JsonValue::Number(self.text[start..self.pos].to_string()))
    }

    fn digits(&mut self) {
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.pos += 1;
        }
    }
}

/// Width in bytes of the UTF-8 character that starts with `lead`.
pub fn utf8_width(lead: u8) -> usize {
    match lead {
        0x00..=0x7f => 1,
        0xc0..=0xdf => 2,
        0xe0..=0xef => 3,
        0xf0..=0xf7 => 4,
        _ => 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_nested_values_with_spans() {
        let text = r#" {"a": [1, -2.5e3, true, null], "b": "x\u00e9\ud83d\ude00"} "#;
        let node = parse(text).expect("valid json");
        assert_eq!(node.span, Span::new(1, text.len() - 1));
        let a = node.get("a").expect("a");
        assert_eq!(&text[a.key_span.start..a.key_span.end], "\"a\"");
        let items = a.value.value.as_array().expect("array");
        assert_eq!(items[1].value, JsonValue::Number("-2.5e3".into()));
        assert_eq!(&text[items[2].span.start..items[2].span.end], "true");
        let b = node.get("b").expect("b");
        assert_eq!(b.value.value, JsonValue::String("xé😀".into()));
    }

    #[test]
    fn rejects_malformed_documents() {
        let cases: &[(&str, JsonErrorKind)] = &[
            ("", JsonErrorKind::UnexpectedEnd),
            ("{", JsonErrorKind::UnexpectedEnd),
            ("{\"a\":1,}", JsonErrorKind::UnexpectedCharacter),
            ("[1 2]", JsonErrorKind::UnexpectedCharacter),
            ("01", JsonErrorKind::TrailingCharacters),
            ("1.", JsonErrorKind::InvalidNumber),
            ("\"\\x\"", JsonErrorKind::InvalidEscape),
            ("\"\\ud800\"", JsonErrorKind::InvalidEscape),
            ("\"a\nb\"", JsonErrorKind::ControlCharacterInString),
            ("{} {}", JsonErrorKind::TrailingCharacters),
            ("{\"a\":1,\"a\":2}", JsonErrorKind::DuplicateKey),
            ("tru", JsonErrorKind::UnexpectedCharacter),
        ];
        for (text, kind) in cases {
            let error = parse(text).expect_err(text);
            assert_eq!(error.kind, *kind, "{text}");
        }
    }

    #[test]
    fn duplicate_key_error_points_at_second_key() {
        let text = r#"{"Sid":"a","Sid":"b"}"#;
        let error = parse(text).expect_err("duplicate");
        assert_eq!(&text[error.span.start..error.span.end], "\"Sid\"");
        assert_eq!(error.span.start, 11);
    }

    #[test]
    fn duplicate_key_detection_stays_linear() {
        // SECURITY: a 128 KiB document holds ~9,000 keys in one object;
        // pairwise comparison took over half a second.
        let members: Vec<String> = (0..9_000).map(|i| format!("\"k:{i}\":1")).collect();
        let text = format!("{{{}}}", members.join(","));
        let started = std::time::Instant::now();
        assert!(parse(&text).is_ok());
        assert!(started.elapsed() < std::time::Duration::from_millis(300));
        let duplicate = format!("{{{},\"k:5\":2}}", members.join(","));
        assert_eq!(
            parse(&duplicate).expect_err("duplicate").kind,
            JsonErrorKind::DuplicateKey
        );
    }

    #[test]
    fn rejects_excessive_nesting_quickly() {
        let deep = "[".repeat(100_000);
        assert_eq!(
            parse(&deep).expect_err("too deep").kind,
            JsonErrorKind::TooDeep
        );
        let ok = format!("{}{}", "[".repeat(MAX_DEPTH - 1), "]".repeat(MAX_DEPTH - 1));
        assert!(parse(&ok).is_ok());
    }
}
