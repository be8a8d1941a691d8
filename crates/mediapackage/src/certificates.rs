//! ACM certificates named for SPEKE content key encryption (v1 and v2 `CertificateArn`). Both
//! user guides (drm-content-key-encryption.html): the certificate must be in ACM "in the same
//! Region that you run MediaPackage". ACM is not emulated: a certificate's existence, status
//! and key are not checked.

/// Whether `arn` is an ACM certificate of a Region other than `region`.
pub fn in_other_region(arn: &str, region: &str) -> bool {
    matches!(service::arn_parts(arn), Some(["arn", _, "acm", r, _, _]) if r != region)
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_an_acm_certificate_of_another_region_is_foreign() {
        let cert = |r: &str| format!("arn:aws:acm:{r}:111111111111:certificate/abc");
        assert!(super::in_other_region(&cert("eu-west-1"), "us-west-2"));
        assert!(!super::in_other_region(&cert("us-west-2"), "us-west-2"));
        assert!(!super::in_other_region("not-an-arn", "us-west-2"));
    }
}
