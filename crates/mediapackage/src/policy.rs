//! Validation of a MediaPackage channel or origin endpoint policy before it is stored: the IAM
//! grammar of a resource policy (`Principal` required), principals only in the forms AWS
//! documents (no partial wildcards), and every `Resource` naming the resource it is attached
//! to. Evaluation is not here: the authorize stage evaluates the stored policy.

use serde_json::Value;

/// Why a policy was refused (the text of v2's `INVALID_POLICY` validation error).
pub fn validate(text: &str, resource_arn: &str) -> Result<(), String> {
    let doc: Value =
        serde_json::from_str(text).map_err(|_| "The policy is not valid JSON".to_string())?;
    policy::Policy::parse(text, policy::PolicyKind::Resource)
        .and_then(|p| p.check_new_principals())
        .map_err(|e| e.message)?;
    let statements = match doc.get("Statement") {
        Some(Value::Array(list)) => list.iter().collect::<Vec<_>>(),
        Some(one @ Value::Object(_)) => vec![one],
        _ => return Err("The policy has no Statement".into()),
    };
    for statement in statements {
        let principal = statement
            .get("Principal")
            .ok_or("Each statement of the policy must name a Principal")?;
        check_principal(principal)?;
        for resource in strings(statement.get("Resource")) {
            if resource != resource_arn {
                return Err(format!(
                    "The policy's Resource {resource} must be the ARN of the resource it is attached to ({resource_arn})"
                ));
            }
        }
        if statement.get("NotResource").is_some() {
            return Err("The policy must name its resource with Resource, not NotResource".into());
        }
    }
    Ok(())
}

/// `"*"`, `{"AWS": …}` with account IDs, account/user/role ARNs or `"*"`, `{"Service": …}`.
fn check_principal(principal: &Value) -> Result<(), String> {
    match principal {
        Value::String(s) if s == "*" => Ok(()),
        Value::Object(map) if !map.is_empty() => {
            for (kind, values) in map {
                let list = strings(Some(values));
                if list.is_empty() {
                    return Err(format!("The policy's Principal {kind} is empty"));
                }
                for p in list {
                    let ok = match kind.as_str() {
                        "AWS" => p == "*" || service::is_account_id(p) || is_iam_arn(p),
                        "Service" => !p.contains('*') && p.ends_with(".amazonaws.com"),
                        _ => false,
                    };
                    if !ok {
                        return Err(format!("The policy has an invalid principal: {kind} {p}"));
                    }
                }
            }
            Ok(())
        }
        _ => Err("The policy has an invalid principal".into()),
    }
}

/// `arn:aws:iam::ACCOUNT:root|user/…|role/…`, no wildcards.
fn is_iam_arn(s: &str) -> bool {
    let parts: Vec<&str> = s.splitn(6, ':').collect();
    parts.len() == 6
        && parts[0] == "arn"
        && parts[1].starts_with("aws")
        && parts[2] == "iam"
        && parts[3].is_empty()
        && service::is_account_id(parts[4])
        && !s.contains('*')
        && !s.contains('?')
        && (parts[5] == "root" || parts[5].starts_with("user/") || parts[5].starts_with("role/"))
}

fn strings(v: Option<&Value>) -> Vec<&str> {
    match v {
        Some(Value::String(s)) => vec![s.as_str()],
        Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ARN: &str =
        "arn:aws:mediapackagev2:us-east-1:111111111111:channelGroup/g/channel/c/originEndpoint/e";

    fn doc(principal: &str, resource: &str) -> String {
        format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{principal},"Action":"mediapackagev2:GetObject","Resource":"{resource}"}}]}}"#
        )
    }

    #[test]
    fn accepts_documented_principals() {
        for p in [
            r#""*""#,
            r#"{"AWS":"*"}"#,
            r#"{"AWS":"arn:aws:iam::222222222222:root"}"#,
            r#"{"AWS":["222222222222","arn:aws:iam::222222222222:role/r"]}"#,
            r#"{"Service":"cloudfront.amazonaws.com"}"#,
        ] {
            validate(&doc(p, ARN), ARN).unwrap_or_else(|e| panic!("{p}: {e}"));
        }
    }

    #[test]
    fn refuses_bad_documents() {
        assert!(validate("{not json", ARN).is_err());
        assert!(validate(&doc(r#"{"AWS":"arn:aws:iam::2222*:root"}"#, ARN), ARN).is_err());
        assert!(validate(
            &doc(r#"{"AWS":"arn:aws:iam::222222222222:user/*"}"#, ARN),
            ARN
        )
        .is_err());
        assert!(validate(&doc(r#"{"Service":"*"}"#, ARN), ARN).is_err());
        let other = ARN.replace("/e", "/other");
        assert!(validate(&doc(r#""*""#, &other), ARN).is_err());
        let no_principal = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#;
        assert!(validate(no_principal, ARN).is_err());
    }
}
