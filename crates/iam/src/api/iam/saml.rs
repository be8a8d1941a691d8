//! SAML providers: Create/Get/List/Update/Delete SAMLProvider (metadata validated) and tags.

use super::entity::Entity;
use super::Call;
use crate::api::errors::{exists, invalid, quota};
use crate::api::input;
use crate::saml;
use crate::store::{SamlProvider, State};
use serde_json::{json, Value};
use service::ServiceError;

/// SAML providers an account may have.
const MAX_PROVIDERS: usize = 100;

/// An ARN that names no provider: "Manifest not found for arn …" (LocalStack's snapshot tests
/// recorded against AWS: test_iam_saml_providers.snapshot.json
/// test_get_saml_provider_not_found and test_delete_saml_provider_not_found).
fn not_found(arn: &str) -> ServiceError {
    ServiceError::new("NoSuchEntity", format!("Manifest not found for arn {arn}")).with_status(404)
}

fn metadata(c: &Call) -> Result<(String, saml::Metadata), ServiceError> {
    let doc = input::req(c.input, "SAMLMetadataDocument")?;
    if doc.trim().is_empty() {
        return Err(invalid("Could not parse metadata"));
    }
    let m =
        saml::parse_metadata(doc).map_err(|e| invalid(format!("Could not parse metadata: {e}")))?;
    Ok((doc.to_string(), m))
}

/// The provider a `saml-provider` ARN of the caller's account names.
pub(crate) fn by_arn<'a>(s: &'a State, account: &str, arn: &str) -> Option<&'a SamlProvider> {
    let name = arn.strip_prefix(&format!("arn:aws:iam::{account}:saml-provider/"))?;
    s.account(account)?.saml_providers.get(name)
}

fn find<'a>(c: &Call, s: &'a State) -> Result<&'a SamlProvider, ServiceError> {
    let arn = input::req(c.input, "SAMLProviderArn")?;
    by_arn(s, c.account, arn).ok_or_else(|| not_found(arn))
}

impl Entity for SamlProvider {
    fn named<'a>(c: &Call, s: &'a State) -> Result<&'a Self, ServiceError> {
        find(c, s)
    }

    fn store(self, c: &Call, s: &mut State) {
        s.put_saml(&c.ctx.journal, self);
    }
}

fn valid_name(n: &str) -> bool {
    (1..=128).contains(&n.len())
        && n.chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c))
}

pub(crate) fn create(c: &Call, s: &mut State) -> Result<Value, ServiceError> {
    let name = input::req(c.input, "Name")?;
    if !valid_name(name) {
        return Err(crate::api::errors::constraint(
            "name",
            "Member must satisfy regular expression pattern: [\\w._-]+",
        ));
    }
    let tags = super::tags::requested::<SamlProvider>(c.input)?;
    let (doc, m) = metadata(c)?;
    let account = s.account(c.account);
    if account.is_some_and(|a| a.saml_providers.contains_key(name)) {
        return Err(exists("SAMLProvider", name));
    }
    if account.is_some_and(|a| a.saml_providers.len() >= MAX_PROVIDERS) {
        return Err(quota("SAMLProvidersPerAccount", MAX_PROVIDERS));
    }
    let p = SamlProvider {
        account: c.account.to_string(),
        name: name.to_string(),
        metadata: doc,
        entity_id: m.entity_id,
        certificates: m.certificates,
        created: c.now.floor(),
        valid_until: m.valid_until,
        tags,
    };
    let mut out = json!({"SAMLProviderArn": p.arn()});
    if !p.tags.is_empty() {
        out["Tags"] = input::tags_json(&p.tags);
    }
    s.put_saml(&c.ctx.journal, p);
    Ok(out)
}

/// Until when a provider is valid: its metadata's `validUntil`, else a hundred years after
/// its creation (the AWS CLI's get-saml-provider example: created 2017-03-06, valid until
/// 2117-03-06).
fn valid_until(p: &SamlProvider) -> f64 {
    p.valid_until.unwrap_or_else(|| {
        let created = time::OffsetDateTime::from_unix_timestamp(p.created as i64)
            .unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
        let later = created
            .replace_year(created.year() + 100)
            .unwrap_or_else(|_| {
                // 29 February a hundred years on may not exist: the day before.
                (created - time::Duration::days(1))
                    .replace_year(created.year() + 100)
                    .unwrap_or(created)
            });
        later.unix_timestamp() as f64 + p.created.fract()
    })
}

pub(crate) fn get(c: &Call, s: &mut State) -> Result<Value, ServiceError> {
    let p = find(c, s)?;
    // A provider made without assertion encryption settings (mediamock takes none) answers
    // AssertionEncryptionMode "Allowed" and an empty PrivateKeyList (LocalStack's snapshot test
    // recorded against AWS: test_iam_saml_providers.snapshot.json test_get_saml_provider).
    Ok(json!({
        "SAMLProviderUUID": uuid(p),
        "SAMLMetadataDocument": p.metadata, "CreateDate": p.created,
        "ValidUntil": valid_until(p), "Tags": input::tags_json(&p.tags),
        "AssertionEncryptionMode": "Allowed", "PrivateKeyList": [],
    }))
}

/// The provider's `SAMLProviderUUID`, which GetSAMLProvider always answers (Terraform's
/// aws_iam_saml_provider acceptance test, run against AWS, requires `saml_provider_uuid` to be
/// set; LocalStack's AWS-recorded snapshot test_get_saml_provider shows the member). The model
/// allows 22 to 64 characters of `[A-Z0-9]`; AWS publishes no example value. It is derived
/// from what identifies this provider (account, name, creation time), so it is stable across
/// restarts and bootstrap without being stored, and a provider made again later gets another.
fn uuid(p: &SamlProvider) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    h.update(p.account.as_bytes());
    h.update([0]);
    h.update(p.name.as_bytes());
    h.update([0]);
    h.update(p.created.to_bits().to_be_bytes());
    data_encoding::BASE32_NOPAD.encode(&h.finalize()[..16])
}

pub(crate) fn list(c: &Call, s: &mut State) -> Result<Value, ServiceError> {
    let list: Vec<Value> = s
        .account(c.account)
        .map(|a| {
            a.saml_providers
                .values()
                .map(|p| {
                    json!({"Arn": p.arn(), "CreateDate": p.created, "ValidUntil": valid_until(p)})
                })
                .collect()
        })
        .unwrap_or_default();
    Ok(json!({"SAMLProviderList": list}))
}

pub(crate) fn update(c: &Call, s: &mut State) -> Result<Value, ServiceError> {
    let mut p = find(c, s)?.clone();
    let (doc, m) = metadata(c)?;
    p.metadata = doc;
    p.entity_id = m.entity_id;
    p.certificates = m.certificates;
    p.valid_until = m.valid_until;
    let arn = p.arn();
    s.put_saml(&c.ctx.journal, p);
    Ok(json!({"SAMLProviderArn": arn}))
}

pub(crate) fn delete(c: &Call, s: &mut State) -> Result<Value, ServiceError> {
    let name = find(c, s)?.name.clone();
    s.delete_saml(&c.ctx.journal, c.account, &name);
    Ok(json!({}))
}

#[cfg(test)]
mod tests {
    use super::valid_until;
    use crate::store::SamlProvider;

    fn provider(created: f64, valid: Option<f64>) -> SamlProvider {
        SamlProvider {
            account: "000000000000".into(),
            name: "SAMLADFS".into(),
            metadata: String::new(),
            entity_id: String::new(),
            certificates: Vec::new(),
            created,
            valid_until: valid,
            tags: Default::default(),
        }
    }

    #[test]
    fn a_providers_uuid_fits_the_model_and_is_its_own() {
        let a = super::uuid(&provider(1_488_839_386.0, None));
        assert_eq!(a.len(), 26);
        assert!(a
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit()));
        assert_eq!(a, super::uuid(&provider(1_488_839_386.0, None)));
        assert_ne!(a, super::uuid(&provider(1_488_839_387.0, None)));
    }

    #[test]
    fn get_saml_provider_answers_its_uuid() {
        use crate::api::test_support::{call, iam, root_ctx};
        use serde_json::json;
        let iam = iam();
        let root = root_ctx();
        let arn = call(
            &iam,
            &root,
            "CreateSAMLProvider",
            json!({"Name": "corp", "SAMLMetadataDocument": crate::saml::tests::METADATA}),
        )
        .unwrap()["SAMLProviderArn"]
            .as_str()
            .unwrap()
            .to_string();
        let got = call(
            &iam,
            &root,
            "GetSAMLProvider",
            json!({"SAMLProviderArn": arn}),
        )
        .unwrap();
        let uuid = got["SAMLProviderUUID"].as_str().unwrap_or_default();
        assert!((22..=64).contains(&uuid.len()), "{got}");
    }

    #[test]
    fn a_provider_is_valid_for_its_metadatas_time_or_a_hundred_years() {
        // 2017-03-06T22:29:46Z to 2117-03-06T22:29:46Z, as in the AWS CLI's example.
        assert_eq!(
            valid_until(&provider(1_488_839_386.0, None)),
            4_644_512_986.0
        );
        assert_eq!(
            valid_until(&provider(1.0, Some(4_102_444_800.0))),
            4_102_444_800.0
        );
        // 2000-02-29 has no day a hundred years on (2100 is not a leap year): the 28th.
        let leap = 951_782_400.0;
        assert_eq!(valid_until(&provider(leap, None)), 4_107_456_000.0);
    }
}
