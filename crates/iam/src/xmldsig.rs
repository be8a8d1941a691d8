//! XML signatures (XML-DSig) of SAML responses, verified against the IdP certificates of the
//! provider's metadata: enveloped signatures with exclusive canonicalization (exc-c14n),
//! RSA with SHA-1/256/512, as IdPs sign SAML. The document is read into a small tree with
//! quick-xml; DTDs are refused, so no entity expansion happens.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;
use ring::signature::{self, UnparsedPublicKey};
use std::collections::BTreeMap;

const DSIG: &str = "http://www.w3.org/2000/09/xmldsig#";
const EXC_C14N: &str = "http://www.w3.org/2001/10/xml-exc-c14n#";
const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";
/// Deepest element nesting accepted (SAML responses are a dozen levels deep).
const MAX_DEPTH: usize = 64;

/// An element: qualified name, attributes (qualified name, value) and its own namespace
/// declarations (prefix, `""` for the default, URI).
#[derive(Debug)]
struct Element {
    name: String,
    attrs: Vec<(String, String)>,
    ns: Vec<(String, String)>,
    children: Vec<Node>,
}

#[derive(Debug)]
enum Node {
    Element(Element),
    Text(String),
}

type Scope = BTreeMap<String, String>;

fn split(qname: &str) -> (&str, &str) {
    qname.split_once(':').unwrap_or(("", qname))
}

impl Element {
    fn local(&self) -> &str {
        split(&self.name).1
    }

    fn attr(&self, local: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| split(k).1 == local)
            .map(|(_, v)| v.as_str())
    }

    fn elements(&self) -> impl Iterator<Item = &Element> {
        self.children.iter().filter_map(|n| match n {
            Node::Element(e) => Some(e),
            Node::Text(_) => None,
        })
    }

    fn child(&self, local: &str) -> Option<&Element> {
        self.elements().find(|e| e.local() == local)
    }

    fn text(&self) -> String {
        self.children
            .iter()
            .filter_map(|n| match n {
                Node::Text(t) => Some(t.as_str()),
                Node::Element(_) => None,
            })
            .collect()
    }

    /// The scope inside this element, given the scope outside it.
    fn scope_in(&self, outer: &Scope) -> Scope {
        let mut s = outer.clone();
        for (p, u) in &self.ns {
            s.insert(p.clone(), u.clone());
        }
        s
    }
}

fn start(e: &BytesStart) -> Result<Element, String> {
    let name = String::from_utf8_lossy(e.name().as_ref()).into_owned();
    let mut el = Element {
        name,
        attrs: Vec::new(),
        ns: Vec::new(),
        children: Vec::new(),
    };
    for a in e.attributes().with_checks(true) {
        let a = a.map_err(|e| e.to_string())?;
        let key = String::from_utf8_lossy(a.key.as_ref()).into_owned();
        // Attribute-value normalization: literal whitespace becomes spaces.
        let raw = String::from_utf8_lossy(&a.value).replace(['\t', '\n', '\r'], " ");
        let value = quick_xml::escape::unescape(&raw)
            .map_err(|e| e.to_string())?
            .into_owned();
        if key == "xmlns" {
            el.ns.push((String::new(), value));
        } else if let Some(p) = key.strip_prefix("xmlns:") {
            el.ns.push((p.to_string(), value));
        } else {
            el.attrs.push((key, value));
        }
    }
    Ok(el)
}

/// Reads a document into a tree (comments and processing instructions dropped).
fn parse(xml: &str) -> Result<Element, String> {
    let mut reader = Reader::from_str(xml);
    let mut stack: Vec<Element> = Vec::new();
    let mut root = None;
    loop {
        let ev = reader.read_event().map_err(|e| e.to_string())?;
        let node = match ev {
            Event::Eof => break,
            Event::DocType(_) => return Err("DTDs are not allowed".into()),
            Event::Start(e) => {
                // The tree is walked recursively: bound its depth.
                if stack.len() >= MAX_DEPTH {
                    return Err("the document is nested too deeply".into());
                }
                stack.push(start(&e)?);
                continue;
            }
            Event::Empty(e) => Node::Element(start(&e)?),
            Event::End(_) => Node::Element(stack.pop().ok_or("unbalanced end tag")?),
            Event::Text(t) => {
                let raw = String::from_utf8_lossy(&t)
                    .replace("\r\n", "\n")
                    .replace('\r', "\n");
                Node::Text(
                    quick_xml::escape::unescape(&raw)
                        .map_err(|e| e.to_string())?
                        .into_owned(),
                )
            }
            Event::CData(t) => Node::Text(String::from_utf8_lossy(&t).into_owned()),
            _ => continue,
        };
        match stack.last_mut() {
            Some(parent) => parent.children.push(node),
            None => {
                if let Node::Element(e) = node {
                    if root.is_some() {
                        return Err("more than one root element".into());
                    }
                    root = Some(e);
                }
            }
        }
    }
    if !stack.is_empty() {
        return Err("unclosed element".into());
    }
    root.ok_or_else(|| "no root element".into())
}

fn escape_text(s: &str, out: &mut String) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\r' => out.push_str("&#xD;"),
            c => out.push(c),
        }
    }
}

fn escape_attr(s: &str, out: &mut String) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '"' => out.push_str("&quot;"),
            '\t' => out.push_str("&#x9;"),
            '\n' => out.push_str("&#xA;"),
            '\r' => out.push_str("&#xD;"),
            c => out.push(c),
        }
    }
}

/// Exclusive XML canonicalization (without comments) of `e`, leaving out `skip`.
fn c14n(
    e: &Element,
    outer: &Scope,
    rendered: &Scope,
    inclusive: &[String],
    skip: *const Element,
    out: &mut String,
) {
    let scope = e.scope_in(outer);
    let mut used: Vec<String> = vec![split(&e.name).0.to_string()];
    for (k, _) in &e.attrs {
        let p = split(k).0;
        if !p.is_empty() && p != "xml" {
            used.push(p.to_string());
        }
    }
    used.extend(inclusive.iter().filter(|p| scope.contains_key(*p)).cloned());
    used.sort();
    used.dedup();
    let mut mine = rendered.clone();
    let mut decls = Vec::new();
    for p in used {
        let uri = scope.get(&p).cloned().unwrap_or_default();
        let shown = rendered.get(&p).cloned().unwrap_or_default();
        if uri != shown || (!p.is_empty() && !rendered.contains_key(&p)) {
            decls.push((p.clone(), uri.clone()));
            mine.insert(p, uri);
        }
    }
    out.push('<');
    out.push_str(&e.name);
    for (p, uri) in &decls {
        if p.is_empty() {
            out.push_str(" xmlns=\"");
        } else {
            out.push_str(" xmlns:");
            out.push_str(p);
            out.push_str("=\"");
        }
        escape_attr(uri, out);
        out.push('"');
    }
    let mut attrs: Vec<(String, &str, &str, &str)> = e
        .attrs
        .iter()
        .map(|(k, v)| {
            let (p, local) = split(k);
            let uri = match p {
                "" => String::new(),
                "xml" => XML_NS.to_string(),
                p => scope.get(p).cloned().unwrap_or_default(),
            };
            (uri, local, k.as_str(), v.as_str())
        })
        .collect();
    // Attributes sort by namespace URI, then local name (unqualified ones first).
    attrs.sort_by(|a, b| (a.0.as_str(), a.1).cmp(&(b.0.as_str(), b.1)));
    for (_, _, qname, v) in &attrs {
        out.push(' ');
        out.push_str(qname);
        out.push_str("=\"");
        escape_attr(v, out);
        out.push('"');
    }
    out.push('>');
    for child in &e.children {
        match child {
            Node::Text(t) => escape_text(t, out),
            Node::Element(c) if std::ptr::eq(c, skip) => {}
            Node::Element(c) => c14n(c, &scope, &mine, inclusive, skip, out),
        }
    }
    out.push_str("</");
    out.push_str(&e.name);
    out.push('>');
}

/// The RSA public key (PKCS#1 DER) of a base64 X.509 certificate.
fn certificate_key(b64: &str) -> Option<Vec<u8>> {
    let der = STANDARD.decode(b64).ok()?;
    crate::public_keys::certificate(&der).map(|c| c.key)
}

fn by_id<'a>(e: &'a Element, outer: &Scope, id: &str) -> Option<(&'a Element, Scope)> {
    if e.attr("ID") == Some(id) || e.attr("AssertionID") == Some(id) {
        return Some((e, outer.clone()));
    }
    let scope = e.scope_in(outer);
    e.elements().find_map(|c| by_id(c, &scope, id))
}

fn count(e: &Element, local: &str) -> usize {
    usize::from(e.local() == local) + e.elements().map(|c| count(c, local)).sum::<usize>()
}

/// Verifies that the response (or its only assertion) carries a valid enveloped signature
/// by one of `certificates` (base64 DER), and returns the signed element canonicalized
/// (signature left out): read facts from it only, so nothing unsigned is trusted.
/// The error says why not.
pub fn verify(xml: &str, certificates: &[String]) -> Result<String, String> {
    let root = parse(xml)?;
    if root.local() != "Response" {
        return Err("the root element is not a Response".into());
    }
    let keys: Vec<Vec<u8>> = certificates
        .iter()
        .filter_map(|c| certificate_key(c))
        .collect();
    if keys.is_empty() {
        return Err("the provider's metadata has no usable RSA signing certificate".into());
    }
    let root_scope = root.scope_in(&Scope::new());
    // Signed elements: the Response itself, or its (single) Assertion.
    let mut candidates: Vec<(&Element, Scope)> = vec![(&root, Scope::new())];
    if count(&root, "Assertion") == 1 {
        if let Some(a) = root.elements().find(|e| e.local() == "Assertion") {
            candidates.push((a, root_scope.clone()));
        }
    }
    let mut last_error = String::from("the response is not signed");
    for (signed, outer) in candidates {
        let inner = signed.scope_in(&outer);
        let Some(sig) = signed.elements().find(|e| {
            e.local() == "Signature"
                && e.scope_in(&inner).get(split(&e.name).0).map(String::as_str) == Some(DSIG)
        }) else {
            continue;
        };
        match check(signed, &outer, sig, &keys) {
            Ok(signed_xml) => return Ok(signed_xml),
            Err(e) => last_error = e,
        }
    }
    Err(last_error)
}

fn check(
    signed: &Element,
    outer: &Scope,
    sig: &Element,
    keys: &[Vec<u8>],
) -> Result<String, String> {
    let sig_scope = sig.scope_in(&signed.scope_in(outer));
    let info = sig.child("SignedInfo").ok_or("no SignedInfo")?;
    let c14n_alg = info
        .child("CanonicalizationMethod")
        .and_then(|m| m.attr("Algorithm"))
        .unwrap_or_default();
    if !c14n_alg.starts_with(EXC_C14N) {
        return Err(format!("unsupported canonicalization {c14n_alg}"));
    }
    let reference = info.child("Reference").ok_or("no Reference")?;
    let uri = reference.attr("URI").unwrap_or_default();
    let id = uri
        .strip_prefix('#')
        .ok_or("the Reference is not a same-document ID")?;
    let (target, target_outer) =
        by_id(signed, outer, id).ok_or("the Reference names no element")?;
    if !std::ptr::eq(target, signed) {
        return Err("the signature does not cover the element that carries it".into());
    }
    let mut inclusive = Vec::new();
    if let Some(transforms) = reference.child("Transforms") {
        for t in transforms.elements() {
            let alg = t.attr("Algorithm").unwrap_or_default();
            if alg.starts_with(EXC_C14N) {
                if let Some(list) = t
                    .child("InclusiveNamespaces")
                    .and_then(|i| i.attr("PrefixList"))
                {
                    inclusive = list
                        .split_whitespace()
                        .map(|p| {
                            if p == "#default" {
                                String::new()
                            } else {
                                p.to_string()
                            }
                        })
                        .collect();
                }
            } else if alg != "http://www.w3.org/2000/09/xmldsig#enveloped-signature" {
                return Err(format!("unsupported transform {alg}"));
            }
        }
    }
    let digest_alg = match reference
        .child("DigestMethod")
        .and_then(|m| m.attr("Algorithm"))
        .unwrap_or_default()
    {
        "http://www.w3.org/2000/09/xmldsig#sha1" => &ring::digest::SHA1_FOR_LEGACY_USE_ONLY,
        "http://www.w3.org/2001/04/xmlenc#sha256" => &ring::digest::SHA256,
        "http://www.w3.org/2001/04/xmlenc#sha512" => &ring::digest::SHA512,
        other => return Err(format!("unsupported digest {other}")),
    };
    let mut canonical = String::new();
    c14n(
        target,
        &target_outer,
        &Scope::new(),
        &inclusive,
        sig,
        &mut canonical,
    );
    let digest = ring::digest::digest(digest_alg, canonical.as_bytes());
    let expected: String = reference
        .child("DigestValue")
        .map(|d| d.text())
        .unwrap_or_default()
        .split_whitespace()
        .collect();
    if STANDARD.decode(expected).ok().as_deref() != Some(digest.as_ref()) {
        return Err("the digest of the signed element does not match".into());
    }
    let params: &dyn signature::VerificationAlgorithm = match info
        .child("SignatureMethod")
        .and_then(|m| m.attr("Algorithm"))
        .unwrap_or_default()
    {
        "http://www.w3.org/2000/09/xmldsig#rsa-sha1" => {
            &signature::RSA_PKCS1_2048_8192_SHA1_FOR_LEGACY_USE_ONLY
        }
        "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256" => {
            &signature::RSA_PKCS1_2048_8192_SHA256
        }
        "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512" => {
            &signature::RSA_PKCS1_2048_8192_SHA512
        }
        other => return Err(format!("unsupported signature method {other}")),
    };
    let mut signed_info = String::new();
    let info_inclusive: Vec<String> = info
        .child("CanonicalizationMethod")
        .and_then(|m| m.child("InclusiveNamespaces"))
        .and_then(|i| i.attr("PrefixList"))
        .map(|l| l.split_whitespace().map(str::to_string).collect())
        .unwrap_or_default();
    c14n(
        info,
        &sig_scope,
        &Scope::new(),
        &info_inclusive,
        std::ptr::null(),
        &mut signed_info,
    );
    let value: String = sig
        .child("SignatureValue")
        .map(|v| v.text())
        .unwrap_or_default()
        .split_whitespace()
        .collect();
    let value = STANDARD
        .decode(value)
        .map_err(|_| "the SignatureValue is not base64")?;
    let ok = keys.iter().any(|k| {
        UnparsedPublicKey::new(params, k)
            .verify(signed_info.as_bytes(), &value)
            .is_ok()
    });
    if ok {
        Ok(canonical)
    } else {
        Err("the signature does not verify with the provider's certificates".into())
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A response signed (on its assertion) by xmlsec1 with the fixture key.
    pub(crate) const SIGNED: &str = include_str!("../fixtures/saml-signed-response.xml");
    /// The fixture IdP certificate, base64 DER.
    pub(crate) fn certificate() -> String {
        include_str!("../fixtures/saml-idp-cert.pem")
            .lines()
            .filter(|l| !l.starts_with("-----"))
            .collect()
    }

    #[test]
    fn verifies_an_xmlsec1_signature_and_refuses_tampering() {
        let cert = certificate();
        assert!(certificate_key(&cert).is_some());
        let signed = verify(SIGNED, std::slice::from_ref(&cert)).unwrap();
        assert!(
            signed.starts_with("<saml:Assertion xmlns:saml="),
            "{signed}"
        );
        assert!(!signed.contains("Signature"));
        let root = include_str!("../fixtures/saml-signed-root.xml");
        assert!(verify(root, std::slice::from_ref(&cert))
            .unwrap()
            .starts_with("<samlp:Response"));
        // A second assertion smuggled into a response whose assertion alone is signed.
        let wrapped = SIGNED.replace(
            "</samlp:Response>",
            "<saml:Assertion ID=\"_evil\"/></samlp:Response>",
        );
        assert!(verify(&wrapped, std::slice::from_ref(&cert)).is_err());
        let tampered = SIGNED.replace("role/sso,", "role/admin,");
        assert!(verify(&tampered, std::slice::from_ref(&cert)).is_err());
        let unsigned = SIGNED.replace("ds:Signature", "ds:NotASignature");
        assert!(verify(&unsigned, std::slice::from_ref(&cert)).is_err());
        assert!(verify(SIGNED, &["AAAA".to_string()]).is_err());
    }

    #[test]
    fn canonicalizes_as_exc_c14n_does() {
        let doc = parse(r#"<a:r xmlns:a="urn:a" xmlns:b="urn:b" z="1" b:y="2" a:x="3"><a:c/><d xmlns="urn:d">t &amp; &lt;</d></a:r>"#).unwrap();
        let mut out = String::new();
        c14n(
            &doc,
            &Scope::new(),
            &Scope::new(),
            &[],
            std::ptr::null(),
            &mut out,
        );
        assert_eq!(
            out,
            r#"<a:r xmlns:a="urn:a" xmlns:b="urn:b" z="1" a:x="3" b:y="2"><a:c></a:c><d xmlns="urn:d">t &amp; &lt;</d></a:r>"#
        );
        assert!(parse("<!DOCTYPE x [<!ENTITY e \"x\">]><x/>").is_err());
        assert!(parse("<a><b></a>").is_err());
        let deep = format!("{}{}", "<a>".repeat(10_000), "</a>".repeat(10_000));
        assert!(parse(&deep).is_err());
        assert!(certificate_key("not base64!").is_none());
        assert!(certificate_key(&STANDARD.encode([0x30, 0x82, 0xff])).is_none());
    }
}
