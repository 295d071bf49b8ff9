//! The XML reading SAML needs, on roxmltree: documents parsed without DTDs (so no entity can be
//! expanded or fetched), bounded in nodes and depth, and looked at by namespace and local name.

use roxmltree::{Document, Node, ParsingOptions};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

pub const PROTOCOL_NS: &str = "urn:oasis:names:tc:SAML:2.0:protocol";
pub const ASSERTION_NS: &str = "urn:oasis:names:tc:SAML:2.0:assertion";
pub const METADATA_NS: &str = "urn:oasis:names:tc:SAML:2.0:metadata";
pub const SIGNATURE_NS: &str = "http://www.w3.org/2000/09/xmldsig#";

/// Elements nested deeper than this are refused (no SAML document needs a tenth of it).
pub const MAX_DEPTH: usize = 48;
/// Nodes in one document (metadata of a few hundred certificates stays far below).
const MAX_NODES: u32 = 1_000_000;

/// Parses `text`, refusing any DTD (roxmltree's default) and documents nested too deep.
pub fn parse(text: &str) -> Result<Document<'_>, String> {
    let options = ParsingOptions {
        allow_dtd: false,
        nodes_limit: MAX_NODES,
    };
    let doc = Document::parse_with_options(text, options).map_err(|e| e.to_string())?;
    if doc
        .descendants()
        .any(|node| node.is_element() && node.ancestors().nth(MAX_DEPTH).is_some())
    {
        return Err(format!("elements are nested more than {MAX_DEPTH} deep"));
    }
    Ok(doc)
}

/// Whether `node` is the element `{namespace}name`.
pub fn is(node: Node<'_, '_>, namespace: &str, name: &str) -> bool {
    node.is_element()
        && node.tag_name().name() == name
        && node.tag_name().namespace() == Some(namespace)
}

/// The child elements `{namespace}name` of `node`.
pub fn children<'a, 'input: 'a>(
    node: Node<'a, 'input>,
    namespace: &'a str,
    name: &'a str,
) -> impl Iterator<Item = Node<'a, 'input>> + 'a {
    node.children()
        .filter(move |child| is(*child, namespace, name))
}

/// The only child element `{namespace}name` of `node`; `None` when there are none or several.
pub fn only_child<'a, 'input: 'a>(
    node: Node<'a, 'input>,
    namespace: &'a str,
    name: &'a str,
) -> Option<Node<'a, 'input>> {
    let mut found = children(node, namespace, name);
    let first = found.next()?;
    found.next().is_none().then_some(first)
}

/// The text of `node`: all of its text, however split (comments and all).
pub fn text(node: Node<'_, '_>) -> String {
    node.descendants()
        .filter(|n| n.is_text())
        .filter_map(|n| n.text())
        .collect()
}

/// An `xs:dateTime` with its zone (SAML's times are UTC), in milliseconds since the epoch.
pub fn date_time(text: &str) -> Option<i64> {
    let parsed = OffsetDateTime::parse(text.trim(), &Rfc3339).ok()?;
    i64::try_from(parsed.unix_timestamp_nanos() / 1_000_000).ok()
}

/// `text` for an XML attribute value or element content.
pub fn escape(text: &str) -> String {
    quick_xml::escape::escape(text).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_dtds_and_deep_nesting() {
        assert!(parse("<!DOCTYPE a [<!ENTITY x \"y\">]><a>&x;</a>").is_err());
        let deep = format!("{}{}", "<a>".repeat(60), "</a>".repeat(60));
        assert!(parse(&deep).unwrap_err().contains("nested"));
        let fine = format!("{}{}", "<a>".repeat(20), "</a>".repeat(20));
        assert!(parse(&fine).is_ok());
    }

    #[test]
    fn text_joins_what_a_comment_splits() {
        let doc = parse("<n>admin@example.com<!---->.evil.com</n>").unwrap();
        assert_eq!(text(doc.root_element()), "admin@example.com.evil.com");
    }

    #[test]
    fn dates_are_rfc3339_with_a_zone() {
        assert_eq!(date_time("1970-01-01T00:00:01Z"), Some(1_000));
        assert_eq!(date_time("1970-01-01T00:00:01.5Z"), Some(1_500));
        assert_eq!(date_time("1970-01-01T00:00:01"), None);
    }
}
