//! A minimal XML writer for query-protocol responses (escaping is quick-xml's).

use quick_xml::escape::escape;
use std::borrow::Cow;

/// Whether XML 1.0 allows `c` in a document at all, even escaped (its `Char` production).
fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// `text` with every character XML 1.0 forbids (control characters an input may carry into
/// an error message) replaced by U+FFFD, so that every response parses: quick-xml escapes
/// markup only, and a client's parser rejects the whole document for one such character.
fn xml_chars(text: &str) -> Cow<'_, str> {
    if text.chars().all(is_xml_char) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars()
            .map(|c| if is_xml_char(c) { c } else { '\u{FFFD}' })
            .collect(),
    )
}

/// Builds an XML document element by element.
#[derive(Debug, Default)]
pub(crate) struct XmlWriter {
    out: String,
}

impl XmlWriter {
    /// Opens the root element with its namespace.
    pub fn open_ns(&mut self, name: &str, namespace: &str) {
        self.out.push('<');
        self.out.push_str(name);
        if !namespace.is_empty() {
            self.out.push_str(" xmlns=\"");
            self.out.push_str(&escape(namespace));
            self.out.push('"');
        }
        self.out.push('>');
    }

    /// Opens an element.
    pub fn open(&mut self, name: &str) {
        self.out.push('<');
        self.out.push_str(name);
        self.out.push('>');
    }

    /// Closes an element.
    pub fn close(&mut self, name: &str) {
        self.out.push_str("</");
        self.out.push_str(name);
        self.out.push('>');
    }

    /// Writes `<name>text</name>`.
    pub fn leaf(&mut self, name: &str, text: &str) {
        self.open(name);
        self.out.push_str(&escape(xml_chars(text)));
        self.close(name);
    }

    /// The document.
    pub fn finish(self) -> String {
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_and_forbidden_characters_replaced() {
        let mut w = XmlWriter::default();
        w.leaf("M", "a<b & 'c'\u{0}\u{1f}\t\u{FFFE}é\u{1F600}");
        let doc = w.finish();
        assert_eq!(
            doc,
            "<M>a&lt;b &amp; &apos;c&apos;\u{FFFD}\u{FFFD}\t\u{FFFD}é\u{1F600}</M>"
        );
        assert!(quick_xml::Reader::from_str(&doc).read_event().is_ok());
        assert!(matches!(xml_chars("plain"), Cow::Borrowed("plain")));
    }
}
