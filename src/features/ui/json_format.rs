//! Pretty-printing policy JSON without reordering it: a policy reads Version, Statement,
//! Effect, Action as its author wrote them (serde_json's `Value` would sort the keys). Pure and
//! small, because the policy editor ships it in the browser bundle.

/// `text` indented by two spaces per level; unchanged when its strings or brackets are not closed.
pub fn pretty_json(text: &str) -> String {
    reindent(text).unwrap_or_else(|| text.to_string())
}

/// Re-indents JSON with two spaces, keeping member order and every string exactly as written.
/// `None` when strings or brackets are not closed (the text is then left for the person to fix).
pub fn reindent(text: &str) -> Option<String> {
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
    use super::{pretty_json, reindent};

    #[test]
    fn keeps_the_authors_order_and_indents() {
        let text = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:Get*","s3:List*"],"Resource":"*","Condition":{}}]}"#;
        assert_eq!(
            pretty_json(text),
            r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": [
        "s3:Get*",
        "s3:List*"
      ],
      "Resource": "*",
      "Condition": {}
    }
  ]
}"#
        );
    }

    #[test]
    fn strings_are_left_alone() {
        let text = r#"{"Sid":"a, b: {c} [d] \"e\"" , "X" : [ ] }"#;
        assert_eq!(
            pretty_json(text),
            "{\n  \"Sid\": \"a, b: {c} [d] \\\"e\\\"\",\n  \"X\": []\n}"
        );
    }

    #[test]
    fn invalid_json_is_returned_as_is() {
        assert_eq!(pretty_json("{not json"), "{not json");
        assert_eq!(pretty_json(""), "");
    }

    #[test]
    fn pretty_text_is_stable() {
        let once = pretty_json(r#"{"a":[1,2,{"b":null}]}"#);
        assert_eq!(pretty_json(&once), once);
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
            assert_eq!(reindent(input).as_deref(), *expected, "{input}");
        }
    }

    #[test]
    fn reindenting_twice_changes_nothing() {
        let once = reindent(r#"{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#)
            .expect("balanced");
        assert_eq!(reindent(&once).as_deref(), Some(once.as_str()));
    }
}
