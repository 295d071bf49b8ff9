//! Pretty-printing policy JSON without reordering it: a policy reads Version, Statement,
//! Effect, Action as its author wrote them (serde_json's `Value` would sort the keys).

/// `text` indented by two spaces per level when it is valid JSON; otherwise unchanged.
pub fn pretty_json(text: &str) -> String {
    if serde_json::from_str::<serde_json::Value>(text).is_err() {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() * 2);
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    let mut chars = text.chars().peekable();
    let newline = |out: &mut String, depth: usize| {
        out.push('\n');
        out.push_str(&"  ".repeat(depth));
    };
    while let Some(c) = chars.next() {
        if in_string {
            out.push(c);
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => {
                in_string = true;
                out.push(c);
            }
            '{' | '[' => {
                out.push(c);
                skip_whitespace(&mut chars);
                // An empty object or array stays on one line.
                if matches!(chars.peek(), Some('}') | Some(']')) {
                    out.push(chars.next().unwrap_or(' '));
                } else {
                    depth += 1;
                    newline(&mut out, depth);
                }
            }
            '}' | ']' => {
                depth = depth.saturating_sub(1);
                newline(&mut out, depth);
                out.push(c);
            }
            ',' => {
                out.push(c);
                newline(&mut out, depth);
            }
            ':' => out.push_str(": "),
            c if c.is_whitespace() => {}
            c => out.push(c),
        }
    }
    out
}

fn skip_whitespace(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    while chars.peek().is_some_and(|c| c.is_whitespace()) {
        chars.next();
    }
}

#[cfg(test)]
mod tests {
    use super::pretty_json;

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
}
