//! Building strings on the request path.

/// `parts` joined in one allocation of the exact size: `format!` costs several times as
/// much through its formatting machinery, and ARNs and keys are built on every request.
pub fn concat(parts: &[&str]) -> String {
    let mut out = String::with_capacity(parts.iter().map(|p| p.len()).sum());
    for p in parts {
        out.push_str(p);
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn joins_in_order() {
        let s = super::concat(&["arn:aws:x:", "us-east-1", ":", "000000000000"]);
        assert_eq!(s, "arn:aws:x:us-east-1:000000000000");
        assert_eq!(s.capacity(), s.len());
        assert_eq!(super::concat(&[]), "");
    }
}
