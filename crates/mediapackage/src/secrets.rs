//! Secrets Manager secret ARNs named for CDN authorization (v1 `Authorization`, v2
//! `CdnAuthConfiguration`). Both user guides: "The secret must use the same AWS account and
//! Region settings as your MediaPackage resources" (cdn-auth-setup.html). Secrets Manager is not
//! emulated: a secret's existence and content are not checked.

/// What is wrong with a secret ARN.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecretArnProblem {
    /// Not `arn:PARTITION:secretsmanager:REGION:ACCOUNT:secret:NAME`.
    Malformed,
    /// A secret of another Region.
    OtherRegion,
    /// A secret of another account.
    OtherAccount,
}

/// Checks that `arn` is a Secrets Manager secret of `region` and `account`.
pub fn check_secret_arn(arn: &str, region: &str, account: &str) -> Result<(), SecretArnProblem> {
    let Some(["arn", partition, "secretsmanager", r, a, resource]) = service::arn_parts(arn) else {
        return Err(SecretArnProblem::Malformed);
    };
    let name_ok = resource.strip_prefix("secret:").is_some_and(|n| {
        !n.is_empty()
            && n.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"/_+=.@-".contains(&b))
    });
    if !service::is_partition(partition) || r.is_empty() || !service::is_account_id(a) || !name_ok {
        Err(SecretArnProblem::Malformed)
    } else if r != region {
        Err(SecretArnProblem::OtherRegion)
    } else if a != account {
        Err(SecretArnProblem::OtherAccount)
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_secret_arn_is_of_the_resource_region_and_account() {
        let check = |arn: &str| check_secret_arn(arn, "us-west-2", "111111111111");
        assert_eq!(
            check("arn:aws:secretsmanager:us-west-2:111111111111:secret:cdn-AbC123"),
            Ok(())
        );
        for bad in [
            "x",
            "arn:aws:s3:::bucket/key",
            "arn:aws:secretsmanager:us-west-2:111111111111:other:cdn",
            "arn:aws:secretsmanager:us-west-2:111111111111:secret:",
            "arn:aws:secretsmanager:us-west-2:12:secret:cdn",
            "arn:aws:secretsmanager::111111111111:secret:cdn",
        ] {
            assert_eq!(check(bad), Err(SecretArnProblem::Malformed), "{bad}");
        }
        assert_eq!(
            check("arn:aws:secretsmanager:eu-west-1:111111111111:secret:cdn"),
            Err(SecretArnProblem::OtherRegion)
        );
        assert_eq!(
            check("arn:aws:secretsmanager:us-west-2:222222222222:secret:cdn"),
            Err(SecretArnProblem::OtherAccount)
        );
    }
}
