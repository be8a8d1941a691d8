//! The public-key material IAM takes from users, read with a minimal DER walker: X.509
//! certificates (SAML metadata, signing certificates) and SSH public keys, which IAM accepts
//! as `ssh-rsa` or PEM, RSA only, 2048 to 16384 bits.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use md5::{Digest, Md5};

/// One DER element: its tag, its content and what follows it.
pub(crate) fn tlv(b: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let tag = *b.first()?;
    let first = *b.get(1)? as usize;
    let (len, head) = if first < 0x80 {
        (first, 2)
    } else {
        let n = first & 0x7f;
        if n == 0 || n > 4 {
            return None;
        }
        let mut len = 0usize;
        for i in 0..n {
            len = (len << 8) | *b.get(2 + i)? as usize;
        }
        (len, 2 + n)
    };
    let content = b.get(head..head.checked_add(len)?)?;
    Some((tag, content, b.get(head + len..)?))
}

/// The elements of a DER sequence's content, in order.
fn elements(mut content: &[u8]) -> Option<Vec<(u8, &[u8])>> {
    let mut items = Vec::new();
    while !content.is_empty() {
        let (tag, inner, next) = tlv(content)?;
        items.push((tag, inner));
        content = next;
    }
    Some(items)
}

/// A DER element of `tag` holding `content`.
fn der(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let len = content.len();
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes: Vec<u8> = len
            .to_be_bytes()
            .into_iter()
            .skip_while(|b| *b == 0)
            .collect();
        out.push(0x80 | bytes.len() as u8);
        out.extend(bytes);
    }
    out.extend_from_slice(content);
    out
}

/// What an X.509 certificate tells IAM.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Certificate {
    /// The subject public key info's key bits (PKCS#1 DER for RSA).
    pub key: Vec<u8>,
    /// The end of its validity, seconds since the epoch (`None` if it cannot be read).
    pub not_after: Option<f64>,
}

/// Reads a DER X.509 certificate: tbsCertificate's subject public key and validity.
pub(crate) fn certificate(der: &[u8]) -> Option<Certificate> {
    let (tag, cert, rest) = tlv(der)?;
    if tag != 0x30 || !rest.is_empty() {
        return None;
    }
    let parts = elements(cert)?;
    if parts.len() != 3 || parts[2].0 != 0x03 {
        return None;
    }
    let tbs = elements(parts[0].1)?;
    // An explicit [0] version comes first in v2 and v3 certificates.
    let skip = usize::from(tbs.first()?.0 == 0xa0);
    let (_, validity) = *tbs.get(skip + 3)?;
    let not_after = elements(validity)
        .and_then(|times| times.get(1).copied())
        .and_then(asn1_time);
    let (_, spki) = *tbs.get(skip + 5)?;
    let (_, _alg, rest) = tlv(spki)?;
    let (tag, bits, _) = tlv(rest)?;
    if tag != 0x03 || bits.first() != Some(&0) {
        return None;
    }
    Some(Certificate {
        key: bits.get(1..)?.to_vec(),
        not_after,
    })
}

/// A UTCTime (`YYMMDDHHMMSSZ`) or GeneralizedTime (`YYYYMMDDHHMMSSZ`), seconds since the epoch.
fn asn1_time((tag, text): (u8, &[u8])) -> Option<f64> {
    let text = std::str::from_utf8(text).ok()?.strip_suffix('Z')?;
    let (year, rest) = match tag {
        0x17 if text.len() == 12 => {
            let yy: i32 = text.get(..2)?.parse().ok()?;
            (if yy < 50 { 2000 + yy } else { 1900 + yy }, &text[2..])
        }
        0x18 if text.len() == 14 => (text.get(..4)?.parse().ok()?, &text[4..]),
        _ => return None,
    };
    let field = |i: usize| -> Option<u8> { rest.get(i..i + 2)?.parse().ok() };
    let month = time::Month::try_from(field(0)?).ok()?;
    let date = time::Date::from_calendar_date(year, month, field(2)?).ok()?;
    let at = date
        .with_hms(field(4)?, field(6)?, field(8)?)
        .ok()?
        .assume_utc();
    Some(at.unix_timestamp() as f64)
}

/// The DER of a PEM `CERTIFICATE` block (the only block of the text).
pub(crate) fn certificate_pem(text: &str) -> Option<Vec<u8>> {
    let block = pem::parse(text.trim()).ok()?;
    (block.tag() == "CERTIFICATE").then(|| block.into_contents())
}

/// The RSA modulus of an unencrypted PEM private key (PKCS#1 `RSA PRIVATE KEY` or PKCS#8
/// `PRIVATE KEY`): `Ok(Some(n))`, `Ok(None)` for a readable key of another algorithm, `Err`
/// for anything else (an encrypted key included).
pub(crate) fn private_key_modulus(text: &str) -> Result<Option<Vec<u8>>, ()> {
    let block = pem::parse(text.trim()).map_err(drop)?;
    // RSAPrivateKey ::= SEQUENCE { version INTEGER, modulus INTEGER, ... }.
    let modulus = |der: &[u8]| -> Option<Vec<u8>> {
        let (_, seq, _) = tlv(der)?;
        match elements(seq)?.as_slice() {
            [(0x02, _), (0x02, n), ..] => Some(strip_zeros(n)),
            _ => None,
        }
    };
    match block.tag() {
        "RSA PRIVATE KEY" => modulus(block.contents()).map(Some).ok_or(()),
        "EC PRIVATE KEY" => tlv(block.contents()).map(|_| None).ok_or(()),
        "PRIVATE KEY" => {
            // PrivateKeyInfo ::= SEQUENCE { version, AlgorithmIdentifier, OCTET STRING key }.
            let (_, seq, _) = tlv(block.contents()).ok_or(())?;
            match elements(seq).ok_or(())?.as_slice() {
                [(0x02, _), (0x30, alg), (0x04, key), ..] => {
                    if der(0x30, alg) == RSA_ALGORITHM {
                        modulus(key).map(Some).ok_or(())
                    } else {
                        Ok(None)
                    }
                }
                _ => Err(()),
            }
        }
        _ => Err(()),
    }
}

/// The modulus of an RSA certificate key (PKCS#1 DER), `None` for another algorithm.
pub(crate) fn certificate_modulus(key: &[u8]) -> Option<Vec<u8>> {
    RsaKey::from_pkcs1(key).map(|k| k.n)
}

/// A certificate a user uploads: readable and not expired.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Uploaded {
    /// Its DER.
    pub der: Vec<u8>,
    /// Its subject public key (PKCS#1 DER for RSA).
    pub key: Vec<u8>,
    /// Its notAfter, seconds since the epoch.
    pub expires: f64,
}

/// The `MalformedCertificate` reason for a certificate that cannot be read.
pub(crate) const UNREADABLE: &str =
    "Unable to parse certificate. Please ensure the certificate is in PEM format.";

/// A PEM certificate that is readable and not expired at `now`; the error is IAM's
/// `MalformedCertificate` reason.
pub(crate) fn uploaded_certificate(body: &str, now: f64) -> Result<Uploaded, &'static str> {
    let der = certificate_pem(body).ok_or(UNREADABLE)?;
    let cert = certificate(&der).ok_or(UNREADABLE)?;
    match cert.not_after {
        None => Err(UNREADABLE),
        Some(t) if t <= now => Err("The certificate has expired."),
        Some(expires) => Ok(Uploaded {
            der,
            key: cert.key,
            expires,
        }),
    }
}

/// Why an SSH public key was refused, as IAM's two error codes tell it apart.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum KeyError {
    /// Not a format IAM reads, or a key type other than RSA (`UnrecognizedPublicKeyEncoding`).
    Unrecognized,
    /// An RSA key that is malformed or of the wrong size (`InvalidPublicKey`).
    Invalid(&'static str),
}

/// An RSA public key: modulus and exponent, big-endian without leading zeros.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct RsaKey {
    n: Vec<u8>,
    e: Vec<u8>,
}

/// The rsaEncryption algorithm identifier (OID 1.2.840.113549.1.1.1, NULL parameters).
const RSA_ALGORITHM: &[u8] = &[
    0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00,
];

fn strip_zeros(b: &[u8]) -> Vec<u8> {
    b.iter().copied().skip_while(|x| *x == 0).collect()
}

impl RsaKey {
    /// Reads an SSH public key as IAM accepts it: `ssh-rsa BASE64 [comment]`, or PEM
    /// (`PUBLIC KEY` or `RSA PUBLIC KEY`); 2048 to 16384 bits.
    pub(crate) fn parse(body: &str) -> Result<RsaKey, KeyError> {
        let body = body.trim();
        let key = if body.starts_with("-----BEGIN") {
            let block = pem::parse(body).map_err(|_| KeyError::Invalid("not valid PEM"))?;
            match block.tag() {
                "PUBLIC KEY" => Self::from_spki(block.contents())?,
                "RSA PUBLIC KEY" => Self::from_pkcs1(block.contents())
                    .ok_or(KeyError::Invalid("not an RSA public key"))?,
                _ => return Err(KeyError::Unrecognized),
            }
        } else {
            let mut words = body.split_whitespace();
            // Other key types (ed25519, ECDSA, DSA) and text that is no key alike.
            if words.next() != Some("ssh-rsa") {
                return Err(KeyError::Unrecognized);
            }
            let blob = words
                .next()
                .and_then(|b| STANDARD.decode(b).ok())
                .ok_or(KeyError::Invalid("the key data is not base64"))?;
            Self::from_ssh_blob(&blob).ok_or(KeyError::Invalid("not an ssh-rsa key"))?
        };
        // `n` has no leading zero bytes; a zero modulus has no bits at all.
        let bits = key
            .n
            .first()
            .map_or(0, |top| key.n.len() * 8 - top.leading_zeros() as usize);
        if !(2048..=16384).contains(&bits) {
            return Err(KeyError::Invalid(
                "the key must be between 2048 and 16384 bits long",
            ));
        }
        Ok(key)
    }

    fn from_spki(block: &[u8]) -> Result<RsaKey, KeyError> {
        let bad = KeyError::Invalid("not a valid public key");
        let (_, spki, _) = tlv(block).ok_or(bad.clone())?;
        let (_, alg, rest) = tlv(spki).ok_or(bad.clone())?;
        if der(0x30, alg) != RSA_ALGORITHM {
            return Err(KeyError::Unrecognized);
        }
        let (tag, bits, _) = tlv(rest).ok_or(bad.clone())?;
        if tag != 0x03 || bits.first() != Some(&0) {
            return Err(bad);
        }
        Self::from_pkcs1(&bits[1..]).ok_or(bad)
    }

    /// RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER }.
    fn from_pkcs1(block: &[u8]) -> Option<RsaKey> {
        let (tag, seq, _) = tlv(block)?;
        let items = elements(seq)?;
        match items.as_slice() {
            [(0x02, n), (0x02, e)] => Some(RsaKey {
                n: strip_zeros(n),
                e: strip_zeros(e),
            })
            .filter(|_| tag == 0x30),
            _ => None,
        }
    }

    /// The SSH wire form: string "ssh-rsa", mpint e, mpint n.
    fn from_ssh_blob(blob: &[u8]) -> Option<RsaKey> {
        fn field(b: &[u8]) -> Option<(&[u8], &[u8])> {
            let len = u32::from_be_bytes(b.get(..4)?.try_into().ok()?) as usize;
            Some((b.get(4..4 + len)?, b.get(4 + len..)?))
        }
        let (kind, rest) = field(blob)?;
        let (e, rest) = field(rest)?;
        let (n, rest) = field(rest)?;
        (kind == b"ssh-rsa" && rest.is_empty()).then(|| RsaKey {
            n: strip_zeros(n),
            e: strip_zeros(e),
        })
    }

    fn ssh_blob(&self) -> Vec<u8> {
        let mut out = Vec::new();
        for part in [b"ssh-rsa".to_vec(), mpint(&self.e), mpint(&self.n)] {
            out.extend((part.len() as u32).to_be_bytes());
            out.extend(part);
        }
        out
    }

    /// `ssh-rsa BASE64`.
    pub(crate) fn to_ssh(&self) -> String {
        format!("ssh-rsa {}", STANDARD.encode(self.ssh_blob()))
    }

    /// A PEM `PUBLIC KEY` (SubjectPublicKeyInfo).
    pub(crate) fn to_pem(&self) -> String {
        let pkcs1 = der(
            0x30,
            &[der(0x02, &mpint(&self.n)), der(0x02, &mpint(&self.e))].concat(),
        );
        let bits = der(0x03, &[&[0u8][..], &pkcs1].concat());
        let spki = der(0x30, &[RSA_ALGORITHM, &bits].concat());
        let block = pem::Pem::new("PUBLIC KEY", spki);
        pem::encode_config(
            &block,
            pem::EncodeConfig::new().set_line_ending(pem::LineEnding::LF),
        )
    }

    /// The MD5 fingerprint of the SSH wire form, colon-separated (`ssh-keygen -E md5`).
    pub(crate) fn fingerprint(&self) -> String {
        let digest = Md5::digest(self.ssh_blob());
        digest
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<Vec<_>>()
            .join(":")
    }
}

/// An unsigned big-endian integer as SSH's mpint and DER's INTEGER both write it: a leading
/// zero byte when the top bit is set.
fn mpint(b: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(b.len() + 1);
    if b.first().is_some_and(|x| x & 0x80 != 0) || b.is_empty() {
        out.push(0);
    }
    out.extend_from_slice(b);
    out
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn fuzz_public_key_readers_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..600), text in ".{0,200}") {
            let _ = certificate(&bytes);
            let _ = RsaKey::parse(&text);
            let _ = RsaKey::parse(&format!("ssh-rsa {}", STANDARD.encode(&bytes)));
            for label in ["PUBLIC KEY", "RSA PUBLIC KEY", "CERTIFICATE"] {
                let block = pem::encode(&pem::Pem::new(label, bytes.clone()));
                let _ = RsaKey::parse(&block);
                let _ = certificate_pem(&block).map(|d| certificate(&d));
            }
            for label in ["PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY"] {
                let _ = private_key_modulus(&pem::encode(&pem::Pem::new(label, bytes.clone())));
            }
        }

        #[test]
        fn fuzz_rsa_keys_read_back_in_both_forms(n in proptest::collection::vec(any::<u8>(), 256..520), e in proptest::collection::vec(any::<u8>(), 1..8)) {
            let key = RsaKey { n: strip_zeros(&[&[0x80u8][..], &n].concat()), e: strip_zeros(&e) };
            prop_assume!(!key.e.is_empty());
            prop_assert_eq!(RsaKey::parse(&key.to_ssh()), Ok(key.clone()));
            prop_assert_eq!(RsaKey::parse(&key.to_pem()), Ok(key.clone()));
        }
    }

    /// A 2048-bit RSA key (`ssh-keygen -t rsa -b 2048`), SSH form with a comment.
    pub(crate) const SSH_RSA_2048: &str = include_str!("../fixtures/ssh-rsa-2048.pub");
    /// The same key as `ssh-keygen -e -m PKCS8` writes it.
    const SSH_RSA_2048_PEM: &str = include_str!("../fixtures/ssh-rsa-2048.pem");
    /// Its fingerprint as `ssh-keygen -l -E md5` prints it.
    pub(crate) const SSH_RSA_2048_MD5: &str = "6d:f2:74:35:56:e6:ed:e3:98:69:b6:47:15:f8:5c:d1";

    #[test]
    fn an_ssh_rsa_key_reads_renders_and_fingerprints() {
        let k = RsaKey::parse(SSH_RSA_2048).unwrap();
        assert_eq!(
            k.to_ssh(),
            SSH_RSA_2048.trim().rsplit_once(' ').unwrap().0,
            "the comment is not part of the key"
        );
        assert_eq!(k.fingerprint(), SSH_RSA_2048_MD5);
        // The PEM form is OpenSSH's, reads back to the same key, and so does PKCS#1.
        let pem = k.to_pem();
        assert_eq!(pem, SSH_RSA_2048_PEM);
        assert_eq!(RsaKey::parse(&pem).unwrap(), k);
        let spki = pem::parse(&pem).unwrap().into_contents();
        let (_, seq, _) = tlv(&spki).unwrap();
        let (_, _, rest) = tlv(seq).unwrap();
        let (_, bits, _) = tlv(rest).unwrap();
        let pkcs1 = pem::encode(&pem::Pem::new("RSA PUBLIC KEY", bits[1..].to_vec()));
        assert_eq!(RsaKey::parse(&pkcs1).unwrap(), k);
    }

    #[test]
    fn other_keys_and_garbage_are_refused_with_the_right_reason() {
        assert_eq!(
            RsaKey::parse("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKzvfE+qS09w+okgrO0gY7jryF0lSCxdEO/O0UaUhuZe a@b"),
            Err(KeyError::Unrecognized)
        );
        assert_eq!(RsaKey::parse("hello"), Err(KeyError::Unrecognized));
        assert!(matches!(
            RsaKey::parse("ssh-rsa !!!"),
            Err(KeyError::Invalid(_))
        ));
        // A 1024-bit key is too short.
        let short = RsaKey {
            n: vec![0xc1; 128],
            e: vec![1, 0, 1],
        };
        assert!(matches!(
            RsaKey::parse(&short.to_ssh()),
            Err(KeyError::Invalid(_))
        ));
        // A zero modulus (no bytes once leading zeros go) is too short, not a panic.
        let zero = RsaKey {
            n: Vec::new(),
            e: vec![1, 0, 1],
        };
        assert!(matches!(
            RsaKey::parse(&zero.to_ssh()),
            Err(KeyError::Invalid(_))
        ));
        // Blob type and key type must agree.
        let mut blob = short.ssh_blob();
        blob[4..11].copy_from_slice(b"ssh-dss");
        let forged = format!("ssh-rsa {}", STANDARD.encode(blob));
        assert!(matches!(RsaKey::parse(&forged), Err(KeyError::Invalid(_))));
    }

    #[test]
    fn certificates_give_their_key_and_expiry() {
        let body = certificate_pem(include_str!("../fixtures/signing-cert-1.pem")).unwrap();
        let c = certificate(&body).unwrap();
        // notAfter=Nov 29 06:10:07 2036 GMT (`openssl x509 -enddate`).
        assert_eq!(c.not_after, Some(2_111_551_807.0));
        assert!(RsaKey::from_pkcs1(&c.key).is_some());
        assert!(certificate(&body[..body.len() - 1]).is_none());
        assert!(certificate_pem(SSH_RSA_2048_PEM).is_none());
    }

    #[test]
    fn private_keys_match_their_certificate_only() {
        let cert = |pem: &str| {
            let c = certificate(&certificate_pem(pem).unwrap()).unwrap();
            certificate_modulus(&c.key).unwrap()
        };
        let key = include_str!("../fixtures/server-cert.key");
        let n = private_key_modulus(key).unwrap().unwrap();
        assert_eq!(n, cert(include_str!("../fixtures/server-cert.pem")));
        assert_ne!(n, cert(include_str!("../fixtures/signing-cert-1.pem")));
        let pkcs1 = include_str!("../fixtures/server-cert-pkcs1.key");
        assert_eq!(private_key_modulus(pkcs1), Ok(Some(n)));
        assert_eq!(private_key_modulus("not a key"), Err(()));
        let encrypted =
            "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n";
        assert_eq!(private_key_modulus(encrypted), Err(()));
    }

    #[test]
    fn der_lengths_round_trip() {
        for len in [0usize, 5, 127, 128, 255, 256, 70_000] {
            let content = vec![7u8; len];
            let (tag, inner, rest) = tlv(&der(0x04, &content))
                .map(|(t, i, r)| (t, i.to_vec(), r.len()))
                .unwrap();
            assert_eq!((tag, inner, rest), (0x04, content, 0));
        }
        assert_eq!(asn1_time((0x17, b"500101000000Z")), Some(-631_152_000.0));
        assert_eq!(asn1_time((0x18, b"20300101000000Z")), Some(1_893_456_000.0));
        assert_eq!(asn1_time((0x17, b"501301000000Z")), None);
    }
}
