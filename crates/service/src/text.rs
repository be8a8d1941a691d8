//! Strings on the request path: building them, splitting ARNs.

/// `parts` joined in one allocation of the exact size: `format!` costs several times as
/// much through its formatting machinery, and ARNs and keys are built on every request.
pub fn concat(parts: &[&str]) -> String {
    let mut out = String::with_capacity(parts.iter().map(|p| p.len()).sum());
    for p in parts {
        out.push_str(p);
    }
    out
}

/// The six parts of an ARN (`arn`, partition, service, region, account, resource; the
/// resource keeps any further `:`), if it has six.
pub fn arn_parts(arn: &str) -> Option<[&str; 6]> {
    let mut parts = arn.splitn(6, ':');
    let mut out = [""; 6];
    for slot in &mut out {
        *slot = parts.next()?;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    #[test]
    fn splits_arns_in_six() {
        use super::arn_parts;
        assert_eq!(
            arn_parts("arn:aws:iam::aws:policy/a:b"),
            Some(["arn", "aws", "iam", "", "aws", "policy/a:b"])
        );
        assert_eq!(arn_parts("arn:aws:iam::aws"), None);
        assert_eq!(arn_parts(""), None);
    }

    #[test]
    fn joins_in_order() {
        let s = super::concat(&["arn:aws:x:", "us-east-1", ":", "000000000000"]);
        assert_eq!(s, "arn:aws:x:us-east-1:000000000000");
        assert_eq!(s.capacity(), s.len());
        assert_eq!(super::concat(&[]), "");
    }
}
