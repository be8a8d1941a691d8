//! AssociateCertificate/DisassociateCertificate: ACM certificates MediaConvert may use for
//! SPEKE key exchanges in this account and Region.

use crate::model::{self, bad_request, conflict, not_found, Certificate};
use crate::MediaConvert;
use kit::input::req_str;
use kit::Stored;
use serde_json::{json, Value};
use service::{RequestContext, ServiceError};

/// Whether `arn` is an ACM certificate ARN (`arn:aws:acm:REGION:ACCOUNT:certificate/ID`).
fn is_acm_certificate(arn: &str) -> bool {
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    parts.len() == 6
        && parts[0] == "arn"
        && parts[2] == "acm"
        && !parts[3].is_empty()
        && parts[4].len() == 12
        && parts[5].starts_with("certificate/")
        && parts[5].len() > "certificate/".len()
}

impl MediaConvert {
    pub(crate) fn associate_certificate(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let cert = req_str(input, "Arn")?;
        if !is_acm_certificate(cert) {
            return Err(bad_request(format!(
                "/arn: {cert} is not the ARN of an AWS Certificate Manager certificate"
            )));
        }
        let key = model::arn(ctx, "certificates", cert);
        let mut state = self.state.write();
        if state.certificates.get_in(ctx, &key).is_some() {
            return Err(conflict(format!(
                "Certificate {cert} is already associated"
            )));
        }
        let c = Certificate {
            arn: cert.to_string(),
        };
        state
            .certificates
            .put(&ctx.journal, &key, Stored::new(c, Default::default()));
        Ok(json!({}))
    }

    pub(crate) fn disassociate_certificate(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let cert = req_str(input, "Arn")?;
        let key = model::arn(ctx, "certificates", cert);
        let mut state = self.state.write();
        state
            .certificates
            .get_in(ctx, &key)
            .ok_or_else(|| not_found(format!("Certificate {cert} is not associated")))?;
        state.certificates.remove(&ctx.journal, &key);
        Ok(json!({}))
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn acm_arns() {
        assert!(super::is_acm_certificate(
            "arn:aws:acm:us-east-1:123456789012:certificate/abc"
        ));
        assert!(!super::is_acm_certificate(
            "arn:aws:iam::123456789012:role/x"
        ));
        assert!(!super::is_acm_certificate("cert"));
    }
}
