//! Reading members of a parsed IAM request (a JSON object keyed by member names).

use serde_json::Value;
use service::ServiceError;

/// An optional string member (the kit's accessor; the rest of this module is IAM's own:
/// the query protocol's numbers and flags may arrive as strings, and IAM words its errors
/// `ValidationError`).
pub use kit::input::opt_str as opt;

/// A required string member; its absence is a ValidationError, as AWS words it.
pub fn req<'a>(input: &'a Value, member: &str) -> Result<&'a str, ServiceError> {
    opt(input, member).ok_or_else(|| {
        let mut name = member.to_string();
        if let Some(first) = name.get(0..1) {
            name = format!("{}{}", first.to_lowercase(), name.get(1..).unwrap_or_default());
        }
        ServiceError::new(
            "ValidationError",
            format!("1 validation error detected: Value null at '{name}' failed to satisfy constraint: Member must not be null"),
        )
        .with_status(400)
    })
}

/// A required member naming a managed policy by ARN. An ARN that cannot name one is
/// `InvalidInput` "ARN … is not valid." in AWS's words (what IAM answers, for instance, for a
/// policy ARN nested in another); a well-formed ARN of no policy is the caller's
/// `NoSuchEntity`.
pub fn policy_arn<'a>(input: &'a Value, member: &str) -> Result<&'a str, ServiceError> {
    let arn = req(input, member)?;
    if is_policy_arn(arn) {
        Ok(arn)
    } else {
        Err(crate::api::errors::invalid(format!(
            "ARN {arn} is not valid."
        )))
    }
}

/// Whether `arn` has the form of a managed policy's ARN: IAM's service, no region, an account
/// (or `aws`), and `policy/` with an optional path and a name of IAM's name characters.
/// IAM checks every element of the ARNs its APIs are given (its 2024 notice: the partition,
/// the service `iam`, a blank region, the resource type, no trailing spaces).
pub fn is_policy_arn(arn: &str) -> bool {
    let Some(["arn", "aws", "iam", "", account, resource]) = service::arn_parts(arn) else {
        return false;
    };
    let account_ok =
        account == "aws" || (account.len() == 12 && account.bytes().all(|b| b.is_ascii_digit()));
    let Some(rest) = resource.strip_prefix("policy/") else {
        return false;
    };
    let name = rest.rsplit('/').next().unwrap_or_default();
    account_ok
        && !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"+=,.@_-".contains(&b))
        && rest
            .bytes()
            .all(|b| (0x21..=0x7e).contains(&b) && b != b':')
}

/// The required `Status` member of the Update… credential operations: `Active` or `Inactive`.
pub fn status(input: &Value) -> Result<&str, ServiceError> {
    let status = req(input, "Status")?;
    if status != "Active" && status != "Inactive" {
        return Err(crate::api::errors::constraint(
            "status",
            "Member must satisfy enum value set",
        ));
    }
    Ok(status)
}

/// An optional numeric member.
pub fn num(input: &Value, member: &str) -> Option<f64> {
    match input.get(member)? {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.parse().ok(),
        _ => None,
    }
}

/// An optional boolean member.
pub fn flag(input: &Value, member: &str) -> Option<bool> {
    match input.get(member)? {
        Value::Bool(b) => Some(*b),
        Value::String(s) => Some(s == "true"),
        _ => None,
    }
}

/// A list of strings (missing = empty).
pub fn strings(input: &Value, member: &str) -> Vec<String> {
    input
        .get(member)
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// A `Tags` list of `{Key, Value}`.
pub fn tags(input: &Value, member: &str) -> Vec<(String, String)> {
    input
        .get(member)
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|t| {
                    Some((
                        opt(t, "Key")?.to_string(),
                        opt(t, "Value").unwrap_or_default().to_string(),
                    ))
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Why a request's tags may not be set, if one of them begins with `aws:` (in any case), the
/// prefix AWS reserves: "You cannot create a tag key or value that begins with the text
/// aws:. This tag prefix is reserved for AWS internal use." (IAM User Guide, id_tags, "Rules
/// for tagging in IAM and AWS STS", which session tags follow too). AWS documents no wording
/// for this refusal in IAM or STS; this message is mediamock's, in the words EC2 answers for
/// its reserved tag keys ("Tag keys starting with 'aws:' are reserved for internal use").
pub fn reserved_tag_problem(tags: &[(String, String)]) -> Option<&'static str> {
    let reserved = service::has_reserved_tag_prefix;
    if tags.iter().any(|(k, _)| reserved(k)) {
        Some("Tag keys starting with 'aws:' are reserved for internal use.")
    } else if tags.iter().any(|(_, v)| reserved(v)) {
        Some("Tag values starting with 'aws:' are reserved for internal use.")
    } else {
        None
    }
}

/// Whether two tags of a request have the same key without regard to (ASCII) case, as STS
/// compares session tags and IAM compares users' and roles' tags. A set rather than a scan
/// per tag, whatever the number of tags a request carries.
pub fn duplicate_tag_keys(tags: &[(String, String)]) -> bool {
    repeated_tag_keys(tags, true)
}

/// Whether two tags of a request have the same key, compared without regard to (ASCII) case
/// when `ignore_case`, exactly otherwise.
pub fn repeated_tag_keys(tags: &[(String, String)], ignore_case: bool) -> bool {
    let mut seen = std::collections::HashSet::with_capacity(tags.len());
    !tags.iter().all(|(k, _)| {
        seen.insert(if ignore_case {
            std::borrow::Cow::Owned(k.to_ascii_lowercase())
        } else {
            std::borrow::Cow::Borrowed(k.as_str())
        })
    })
}

/// AWS's answer to tags with the same key in one request, in IAM (`InvalidInput`, as
/// CloudFormation and Terraform users quote it for CreateRole) and STS
/// (`InvalidParameterValue`, LocalStack's AssumeRole snapshot recorded against AWS).
pub const DUPLICATE_TAG_KEYS: &str =
    "Duplicate tag keys found. Please note that Tag keys are case insensitive.";

/// Tags as IAM outputs them.
pub fn tags_json(tags: &[(String, String)]) -> Value {
    Value::Array(
        sorted_tags(tags)
            .map(|(k, v)| serde_json::json!({"Key": k, "Value": v}))
            .collect(),
    )
}

/// An entity's tags sorted by key, as IAM answers them ("The returned list of tags is sorted
/// by tag key", the API Reference of every `List…Tags` and of GetSAMLProvider,
/// GetOpenIDConnectProvider and the creations that answer tags).
pub fn sorted_tags(tags: &[(String, String)]) -> impl Iterator<Item = &(String, String)> {
    let mut sorted: Vec<&(String, String)> = tags.iter().collect();
    sorted.sort_by(|a, b| a.0.cmp(&b.0));
    sorted.into_iter()
}

/// A path member, `/` when absent; must start and end with `/`.
pub fn path(input: &Value, member: &str) -> Result<String, ServiceError> {
    let p = opt(input, member).unwrap_or("/");
    if !p.starts_with('/') || !p.ends_with('/') || p.len() > 512 {
        return Err(ServiceError::new(
            "ValidationError",
            format!("The specified value for {} is invalid. It must begin and end with / and contain only alphanumeric characters and/or / characters.", member.to_lowercase()),
        )
        .with_status(400));
    }
    Ok(p.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_members() {
        let v = json!({"UserName": "bob", "MaxItems": 5, "Tags": [{"Key": "a", "Value": "1"}]});
        assert_eq!(opt(&v, "UserName"), Some("bob"));
        assert_eq!(num(&v, "MaxItems"), Some(5.0));
        assert_eq!(tags(&v, "Tags"), vec![("a".to_string(), "1".to_string())]);
        let e = req(&v, "GroupName").unwrap_err();
        assert!(e.message.contains("'groupName'"));
        assert!(path(&json!({"Path": "x"}), "Path").is_err());
        assert_eq!(path(&v, "Path").unwrap(), "/");
    }

    #[test]
    fn reserved_prefixes_and_duplicate_keys() {
        let t = |list: &[(&str, &str)]| -> Vec<(String, String)> {
            list.iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        };
        for (key, value) in [("aws:x", ""), ("AwS:", "v"), ("k", "AWS:v")] {
            assert!(
                reserved_tag_problem(&t(&[(key, value)])).is_some(),
                "{key}={value}"
            );
        }
        // Elsewhere in the text, or a multi-byte character across the prefix's length: fine.
        for (key, value) in [
            ("x-aws:", "aws"),
            ("aw€", "a€s:"),
            ("é", ""),
            ("aws", "aws"),
        ] {
            assert!(
                reserved_tag_problem(&t(&[(key, value)])).is_none(),
                "{key}={value}"
            );
        }
        assert!(duplicate_tag_keys(&t(&[
            ("Dept", "a"),
            ("x", ""),
            ("dEPT", "b")
        ])));
        assert!(!duplicate_tag_keys(&t(&[("Dept", "a"), ("Dep", "b")])));
    }

    #[test]
    fn policy_arns() {
        for good in [
            "arn:aws:iam::aws:policy/AdministratorAccess",
            "arn:aws:iam::aws:policy/service-role/AWSElementalMediaConvertFullAccess",
            "arn:aws:iam::000000000000:policy/team/a+b=c,d.e@f_g-h",
        ] {
            assert!(is_policy_arn(good), "{good}");
        }
        for bad in [
            "not-an-arn-but-long-enough",
            // AWS's answer for a policy ARN nested in another (aws-cdk-examples issue 287).
            "arn:aws:iam::aws:policy/arn:aws:iam::aws:policy/AmazonDynamoDBFullAccess",
            "arn:aws:s3:::bucket",
            "arn:aws:iam:us-east-1:000000000000:policy/x",
            "arn:aws:iam::0000:policy/x",
            "arn:aws:iam::000000000000:role/x",
            "arn:aws:iam::000000000000:policy/",
            "arn:aws:iam::000000000000:policy/x ",
            "arn:aws-cn:iam::aws:policy/AdministratorAccess",
        ] {
            assert!(!is_policy_arn(bad), "{bad}");
        }
        let e = policy_arn(&json!({"PolicyArn": "nope"}), "PolicyArn").unwrap_err();
        assert_eq!(e.code, "InvalidInput");
        assert_eq!(e.message, "ARN nope is not valid.");
    }
}
