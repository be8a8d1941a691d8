//! SAML 2.0 documents read with quick-xml: IdP metadata (entity ID, signing certificates,
//! `validUntil`) and the base64 `SAMLResponse` AssumeRoleWithSAML receives.
//!
//! What is checked is the caller's business (see `api::sts_federation`); this module only
//! reads. The XML signature is verified by `crate::xmldsig`.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;
use std::collections::BTreeMap;

/// What IAM keeps from a provider's metadata document.
#[derive(Debug, Clone, PartialEq)]
pub struct Metadata {
    /// The `entityID` of the `EntityDescriptor`.
    pub entity_id: String,
    /// Base64 DER certificates from `KeyDescriptor`s.
    pub certificates: Vec<String>,
    /// `validUntil`, seconds since the epoch.
    pub valid_until: Option<f64>,
}

/// The facts of a SAML response AssumeRoleWithSAML checks.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Response {
    /// Every `Issuer` (of the response and of the assertion).
    pub issuers: Vec<String>,
    /// `Audience`s of the assertion's conditions.
    pub audiences: Vec<String>,
    /// `Conditions/@NotBefore`.
    pub not_before: Option<f64>,
    /// `Conditions/@NotOnOrAfter` and `SubjectConfirmationData/@NotOnOrAfter`.
    pub not_on_or_after: Vec<f64>,
    /// `SubjectConfirmationData/@Recipient`s.
    pub recipients: Vec<String>,
    /// The subject's `NameID`.
    pub name_id: Option<String>,
    /// Its `Format`.
    pub name_id_format: Option<String>,
    /// Attribute values by attribute name.
    pub attributes: BTreeMap<String, Vec<String>>,
    /// Whether an XML signature element is present (verified separately).
    pub signed: bool,
}

fn parse_time(s: &str) -> Option<f64> {
    time::OffsetDateTime::parse(s.trim(), &time::format_description::well_known::Rfc3339)
        .ok()
        .map(|t| t.unix_timestamp() as f64)
}

fn attr(e: &BytesStart, name: &str) -> Option<String> {
    e.attributes().flatten().find_map(|a| {
        (a.key.local_name().as_ref() == name.as_bytes())
            .then(|| a.unescape_value().ok().map(|v| v.into_owned()))
            .flatten()
    })
}

fn local(e: &BytesStart) -> String {
    String::from_utf8_lossy(e.local_name().as_ref()).into_owned()
}

/// Reads an IdP metadata document; the error says what is wrong.
pub fn parse_metadata(xml: &str) -> Result<Metadata, String> {
    let mut reader = Reader::from_str(xml);
    reader.config_mut().trim_text(true);
    let mut stack: Vec<String> = Vec::new();
    let mut entity_id = None;
    let mut valid_until = None;
    let mut idp = false;
    let mut certificates = Vec::new();
    loop {
        match reader.read_event() {
            Err(e) => return Err(format!("not well-formed XML: {e}")),
            Ok(Event::Eof) => break,
            Ok(Event::Start(e)) | Ok(Event::Empty(e))
                if stack.is_empty() && entity_id.is_none() =>
            {
                if local(&e) != "EntityDescriptor" {
                    return Err("the root element must be an EntityDescriptor".into());
                }
                entity_id = attr(&e, "entityID");
                valid_until = attr(&e, "validUntil").and_then(|v| parse_time(&v));
                stack.push(local(&e));
            }
            Ok(Event::Start(e)) => {
                if local(&e) == "IDPSSODescriptor" {
                    idp = true;
                }
                stack.push(local(&e));
            }
            Ok(Event::Empty(e)) => {
                if local(&e) == "IDPSSODescriptor" {
                    idp = true;
                }
            }
            Ok(Event::End(_)) => {
                stack.pop();
            }
            Ok(Event::Text(t)) => {
                if stack.last().map(String::as_str) == Some("X509Certificate")
                    && stack.iter().any(|s| s == "KeyDescriptor")
                {
                    let text = t.unescape().map_err(|e| e.to_string())?;
                    let cert: String = text.chars().filter(|c| !c.is_whitespace()).collect();
                    if STANDARD.decode(&cert).is_err() {
                        return Err("an X509Certificate is not base64".into());
                    }
                    certificates.push(cert);
                }
            }
            Ok(_) => {}
        }
    }
    let entity_id = entity_id
        .filter(|e| !e.is_empty())
        .ok_or("the EntityDescriptor has no entityID")?;
    if !idp {
        return Err("the metadata has no IDPSSODescriptor".into());
    }
    Ok(Metadata {
        entity_id,
        certificates,
        valid_until,
    })
}

/// The XML of a base64 `SAMLResponse`.
pub fn decode(b64: &str) -> Result<String, String> {
    let compact: String = b64.chars().filter(|c| !c.is_whitespace()).collect();
    let bytes = STANDARD
        .decode(compact)
        .map_err(|_| "the SAML response is not base64".to_string())?;
    String::from_utf8(bytes).map_err(|_| "the SAML response is not UTF-8".to_string())
}

/// Decodes and reads a base64 `SAMLResponse`.
pub fn parse_response(b64: &str) -> Result<Response, String> {
    read(&decode(b64)?, false)
}

/// Reads the signed part of a response: a `Response`, or a lone `Assertion`.
pub fn parse_signed(xml: &str) -> Result<Response, String> {
    read(xml, true)
}

fn read(xml: &str, lone_assertion: bool) -> Result<Response, String> {
    let mut reader = Reader::from_str(xml);
    reader.config_mut().trim_text(true);
    let mut r = Response::default();
    let mut stack: Vec<String> = Vec::new();
    let mut attribute: Option<String> = None;
    let mut root_seen = false;
    loop {
        let ev = reader
            .read_event()
            .map_err(|e| format!("the SAML response is not well-formed XML: {e}"))?;
        let (e, empty) = match ev {
            Event::Eof => break,
            Event::Start(e) => (e, false),
            Event::Empty(e) => (e, true),
            Event::End(_) => {
                if stack.pop().as_deref() == Some("Attribute") {
                    attribute = None;
                }
                continue;
            }
            Event::Text(t) => {
                let text = t.unescape().map_err(|e| e.to_string())?.trim().to_string();
                match stack.last().map(String::as_str) {
                    Some("Issuer") => r.issuers.push(text),
                    Some("Audience") => r.audiences.push(text),
                    Some("NameID") => r.name_id = Some(text),
                    Some("AttributeValue") => {
                        if let Some(name) = &attribute {
                            r.attributes.entry(name.clone()).or_default().push(text);
                        }
                    }
                    _ => {}
                }
                continue;
            }
            _ => continue,
        };
        let name = local(&e);
        if !root_seen {
            root_seen = true;
            if name != "Response" && !(lone_assertion && name == "Assertion") {
                return Err("the SAML response's root element must be a Response".into());
            }
        }
        match name.as_str() {
            "EncryptedAssertion" => return Err("encrypted assertions are not supported".into()),
            "Signature" => r.signed = true,
            "Conditions" => {
                r.not_before = attr(&e, "NotBefore").and_then(|v| parse_time(&v));
                r.not_on_or_after
                    .extend(attr(&e, "NotOnOrAfter").and_then(|v| parse_time(&v)));
            }
            "SubjectConfirmationData" => {
                r.recipients.extend(attr(&e, "Recipient"));
                r.not_on_or_after
                    .extend(attr(&e, "NotOnOrAfter").and_then(|v| parse_time(&v)));
            }
            "NameID" => r.name_id_format = attr(&e, "Format"),
            "Attribute" => attribute = attr(&e, "Name"),
            _ => {}
        }
        if !empty {
            stack.push(name);
        }
    }
    if !root_seen {
        return Err("the SAML response is empty".into());
    }
    Ok(r)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// IdP metadata for tests.
    pub(crate) const METADATA: &str = r#"<?xml version="1.0"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="http://idp.example.com/metadata" validUntil="2100-01-01T00:00:00Z">
  <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:KeyDescriptor use="signing"><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data><ds:X509Certificate>
      MIIBszCCAVmgAwIBAgIUQ0FGRQ==
    </ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp.example.com/sso"/>
  </md:IDPSSODescriptor>
</md:EntityDescriptor>"#;

    /// A SAML response for `role_arn,provider_arn` valid between the two instants.
    pub(crate) fn response(issuer: &str, roles: &str, not_before: &str, not_after: &str) -> String {
        let xml = format!(
            r#"<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_r" Version="2.0">
<saml:Issuer>{issuer}</saml:Issuer>
<saml:Assertion ID="_a" Version="2.0"><saml:Issuer>{issuer}</saml:Issuer>
<saml:Subject><saml:NameID Format="urn:oasis:names:tc:SAML:2.0:nameid-format:persistent">alice</saml:NameID>
<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml:SubjectConfirmationData NotOnOrAfter="{not_after}" Recipient="https://signin.aws.amazon.com/saml"/></saml:SubjectConfirmation></saml:Subject>
<saml:Conditions NotBefore="{not_before}" NotOnOrAfter="{not_after}"><saml:AudienceRestriction><saml:Audience>https://signin.aws.amazon.com/saml</saml:Audience></saml:AudienceRestriction></saml:Conditions>
<saml:AttributeStatement>
<saml:Attribute Name="https://aws.amazon.com/SAML/Attributes/Role"><saml:AttributeValue>{roles}</saml:AttributeValue></saml:Attribute>
<saml:Attribute Name="https://aws.amazon.com/SAML/Attributes/RoleSessionName"><saml:AttributeValue>alice@example.com</saml:AttributeValue></saml:Attribute>
</saml:AttributeStatement></saml:Assertion></samlp:Response>"#
        );
        STANDARD.encode(xml)
    }

    #[test]
    fn reads_metadata_and_refuses_garbage() {
        let m = parse_metadata(METADATA).unwrap();
        assert_eq!(m.entity_id, "http://idp.example.com/metadata");
        assert_eq!(m.certificates, vec!["MIIBszCCAVmgAwIBAgIUQ0FGRQ=="]);
        assert_eq!(m.valid_until, Some(4_102_444_800.0));
        for bad in [
            "",
            "not xml",
            "<a><b></a>",
            "<Other entityID=\"x\"/>",
            "<EntityDescriptor entityID=\"x\"/>",
            "<EntityDescriptor><IDPSSODescriptor/></EntityDescriptor>",
        ] {
            assert!(parse_metadata(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn reads_a_response() {
        let b64 = response(
            "http://idp.example.com/metadata",
            "arn:aws:iam::000000000000:role/r,arn:aws:iam::000000000000:saml-provider/p",
            "2020-01-01T00:00:00Z",
            "2100-01-01T00:00:00.000Z",
        );
        let r = parse_response(&b64).unwrap();
        assert_eq!(r.issuers.len(), 2);
        assert_eq!(r.audiences, vec!["https://signin.aws.amazon.com/saml"]);
        assert_eq!(r.not_before, Some(1_577_836_800.0));
        assert_eq!(r.not_on_or_after, vec![4_102_444_800.0, 4_102_444_800.0]);
        assert_eq!(r.name_id.as_deref(), Some("alice"));
        assert_eq!(
            r.attributes["https://aws.amazon.com/SAML/Attributes/RoleSessionName"],
            vec!["alice@example.com"]
        );
        assert!(!r.signed);
    }

    #[test]
    fn malformed_responses_are_errors() {
        for bad in [
            "%%%".to_string(),
            STANDARD.encode([0xff, 0xfe]),
            STANDARD.encode("<x>"),
            STANDARD.encode("<Assertion/>"),
            STANDARD.encode(""),
            STANDARD.encode("<Response><EncryptedAssertion/></Response>"),
        ] {
            assert!(parse_response(&bad).is_err(), "{bad}");
        }
    }
}
