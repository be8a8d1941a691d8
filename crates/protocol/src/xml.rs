//! A minimal XML writer for query-protocol responses (escaping is quick-xml's).

use quick_xml::escape::escape;

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
        self.out.push_str(&escape(text));
        self.close(name);
    }

    /// The document.
    pub fn finish(self) -> String {
        self.out
    }
}
