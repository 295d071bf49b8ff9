//! XML output for Query API responses, written with quick-xml so every piece of user data is
//! escaped by the library: elements, `<member>` lists, `<entry>` maps, AWS's timestamps and
//! URL-encoded policy documents.

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use quick_xml::events::{BytesEnd, BytesStart, BytesText, Event};
use quick_xml::Writer;

/// RFC 3986: unreserved characters stay, the rest is `%XX` (AWS's policy document encoding).
const RFC3986: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// A fragment of XML under construction.
pub struct Xml {
    writer: Writer<Vec<u8>>,
}

impl Default for Xml {
    fn default() -> Self {
        Self::new()
    }
}

impl Xml {
    pub fn new() -> Self {
        Self {
            writer: Writer::new(Vec::new()),
        }
    }

    fn event(&mut self, event: Event<'_>) {
        // INVARIANT: writing into a Vec cannot fail.
        self.writer
            .write_event(event)
            .expect("writing XML into memory cannot fail");
    }

    pub fn open(&mut self, name: &str) -> &mut Self {
        self.event(Event::Start(BytesStart::new(name)));
        self
    }

    pub fn open_with_namespace(&mut self, name: &str, namespace: &str) -> &mut Self {
        self.event(Event::Start(
            BytesStart::new(name).with_attributes([("xmlns", namespace)]),
        ));
        self
    }

    pub fn close(&mut self, name: &str) -> &mut Self {
        self.event(Event::End(BytesEnd::new(name)));
        self
    }

    /// `<name>value</name>`, escaped.
    pub fn text(&mut self, name: &str, value: &str) -> &mut Self {
        self.open(name);
        self.event(Event::Text(BytesText::new(value)));
        self.close(name)
    }

    pub fn opt_text(&mut self, name: &str, value: Option<&str>) -> &mut Self {
        if let Some(value) = value {
            self.text(name, value);
        }
        self
    }

    pub fn bool(&mut self, name: &str, value: bool) -> &mut Self {
        self.text(name, if value { "true" } else { "false" })
    }

    pub fn int(&mut self, name: &str, value: i64) -> &mut Self {
        self.text(name, &value.to_string())
    }

    /// A timestamp from Unix milliseconds, as AWS writes it: `2026-11-22T10:00:00Z`.
    pub fn date(&mut self, name: &str, millis: i64) -> &mut Self {
        self.text(name, &iso8601(millis))
    }

    pub fn opt_date(&mut self, name: &str, millis: Option<i64>) -> &mut Self {
        if let Some(millis) = millis {
            self.date(name, millis);
        }
        self
    }

    /// A policy document: JSON, URL-encoded as AWS returns it (the SDKs decode it).
    pub fn policy_document(&mut self, name: &str, json: &str) -> &mut Self {
        self.text(name, &utf8_percent_encode(json, RFC3986).to_string())
    }

    /// `<name>…</name>` with `body` inside.
    pub fn nested(&mut self, name: &str, body: impl FnOnce(&mut Xml)) -> &mut Self {
        self.open(name);
        body(self);
        self.close(name)
    }

    /// `<name><member>…</member>…</name>`, one member per item.
    pub fn members<T>(
        &mut self,
        name: &str,
        items: impl IntoIterator<Item = T>,
        mut member: impl FnMut(&mut Xml, T),
    ) -> &mut Self {
        self.open(name);
        for item in items {
            self.open("member");
            member(self, item);
            self.close("member");
        }
        self.close(name)
    }

    /// `<name><member>text</member>…</name>`.
    pub fn string_members<S: AsRef<str>>(
        &mut self,
        name: &str,
        items: impl IntoIterator<Item = S>,
    ) -> &mut Self {
        self.open(name);
        for item in items {
            self.text("member", item.as_ref());
        }
        self.close(name)
    }

    /// `<name><entry><key>k</key><value>v</value></entry>…</name>`.
    pub fn map<K: AsRef<str>, V: AsRef<str>>(
        &mut self,
        name: &str,
        entries: impl IntoIterator<Item = (K, V)>,
    ) -> &mut Self {
        self.open(name);
        for (key, value) in entries {
            self.open("entry");
            self.text("key", key.as_ref());
            self.text("value", value.as_ref());
            self.close("entry");
        }
        self.close(name)
    }

    /// Appends a finished fragment.
    pub fn append(&mut self, fragment: Xml) -> &mut Self {
        self.writer
            .get_mut()
            .extend_from_slice(&fragment.into_bytes());
        self
    }

    pub fn into_bytes(self) -> Vec<u8> {
        self.writer.into_inner()
    }
}

pub fn iso8601(millis: i64) -> String {
    let format =
        time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");
    time::OffsetDateTime::from_unix_timestamp(millis.div_euclid(1000))
        .ok()
        .and_then(|t| t.format(format).ok())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(build: impl FnOnce(&mut Xml)) -> String {
        let mut xml = Xml::new();
        build(&mut xml);
        String::from_utf8(xml.into_bytes()).unwrap()
    }

    #[test]
    fn user_data_is_escaped() {
        assert_eq!(
            render(|x| {
                x.text("Value", "<a href=\"x\">&'</a>");
            }),
            "<Value>&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;</Value>"
        );
    }

    #[test]
    fn lists_maps_dates_and_documents() {
        assert_eq!(
            render(|x| {
                x.string_members("Names", ["a", "b"]);
            }),
            "<Names><member>a</member><member>b</member></Names>"
        );
        assert_eq!(
            render(|x| {
                x.map("SummaryMap", [("Users", "2")]);
            }),
            "<SummaryMap><entry><key>Users</key><value>2</value></entry></SummaryMap>"
        );
        assert_eq!(
            render(|x| {
                x.date("CreateDate", 1_795_305_615_999);
            }),
            "<CreateDate>2026-11-22T00:00:15Z</CreateDate>"
        );
        assert_eq!(
            render(|x| {
                x.policy_document("PolicyDocument", r#"{"A": "b*"}"#);
            }),
            "<PolicyDocument>%7B%22A%22%3A%20%22b%2A%22%7D</PolicyDocument>"
        );
        assert_eq!(
            render(|x| {
                x.open_with_namespace("R", "https://iam.amazonaws.com/doc/2010-05-08/")
                    .bool("IsTruncated", false)
                    .close("R");
            }),
            "<R xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\"><IsTruncated>false</IsTruncated></R>"
        );
    }
}
