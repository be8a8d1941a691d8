//! Strings on the request path: building them, splitting ARNs and checking their shapes.

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

/// A 12-digit AWS account ID.
pub fn is_account_id(a: &str) -> bool {
    a.len() == 12 && a.bytes().all(|b| b.is_ascii_digit())
}

/// A partition name: `aws`, `aws-cn`, `aws-us-gov`, …
pub fn is_partition(p: &str) -> bool {
    p == "aws"
        || p.strip_prefix("aws-").is_some_and(|rest| {
            rest.split('-')
                .all(|w| !w.is_empty() && w.bytes().all(|b| b.is_ascii_lowercase()))
        })
}

/// Whether a tag key or value begins with `aws:` in any letter case, the prefix AWS keeps for
/// its own tags ("Don't use aws:, AWS:, or any upper or lowercase combination of such as a
/// prefix for either keys or values", AWS's tagging guide).
pub fn has_reserved_tag_prefix(text: &str) -> bool {
    text.get(..4)
        .is_some_and(|p| p.eq_ignore_ascii_case("aws:"))
}

/// `arn:PARTITION:iam::ACCOUNT:role/[PATH/]NAME`: a name of IAM's characters, at most 64, and
/// path segments of printable ASCII, none empty (IAM's own patterns).
pub fn is_role_arn(arn: &str) -> bool {
    let Some(["arn", partition, "iam", "", account, resource]) = arn_parts(arn) else {
        return false;
    };
    let Some((path, name)) = resource
        .strip_prefix("role/")
        .map(|r| r.rsplit_once('/').unwrap_or(("", r)))
    else {
        return false;
    };
    let name_ok = (1..=64).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"+=,.@_-".contains(&b));
    is_partition(partition)
        && is_account_id(account)
        && name_ok
        && (path.is_empty()
            || path
                .split('/')
                .all(|seg| !seg.is_empty() && seg.bytes().all(|b| (0x21..=0x7e).contains(&b))))
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_reserved_tag_prefix_in_any_case() {
        use super::has_reserved_tag_prefix;
        for reserved in ["aws:", "AWS:x", "Aws:stage", "aWs:"] {
            assert!(has_reserved_tag_prefix(reserved), "{reserved}");
        }
        for free in ["", "aws", "x-aws:", "awsx:", "aw€", "é:aws"] {
            assert!(!has_reserved_tag_prefix(free), "{free}");
        }
    }

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
    fn role_arns_accounts_and_partitions() {
        use super::{is_account_id, is_partition, is_role_arn};
        for good in [
            "arn:aws:iam::444455556666:role/SpekeAccess",
            "arn:aws-us-gov:iam::444455556666:role/a/b/c",
            "arn:aws-cn:iam::444455556666:role/service-role/x+=,.@_-",
        ] {
            assert!(is_role_arn(good), "{good}");
        }
        for bad in [
            "MediaConvertRole",
            "arn:aws:iam::444455556666:user/x",
            "arn:aws:iam::1234:role/x",
            "arn:aws:iam:us-east-1:444455556666:role/x",
            "arn:aws:iam::444455556666:role/",
            "arn:aws:iam::444455556666:role/a b",
            "arn:aws:iam::444455556666:role/sp ace",
            "arn:aws:iam::444455556666:role/a//b",
            "arn:aws:iam::4444:role/SpekeAccess",
            "arn:aws:iam::444455556666:user/SpekeAccess",
            "arn:aws:iam:us-east-1:444455556666:role/SpekeAccess",
            "arn:amazon:iam::444455556666:role/x",
            "arn:gcp:iam::444455556666:role/x",
            "SpekeAccess",
            &format!("arn:aws:iam::444455556666:role/{}", "n".repeat(65)),
        ] {
            assert!(!is_role_arn(bad), "{bad}");
        }
        assert!(is_account_id("000000000000"));
        assert!(!is_account_id("00000000000a") && !is_account_id("0000"));
        assert!(is_partition("aws") && is_partition("aws-iso-b"));
        assert!(!is_partition("aws-") && !is_partition("aws-US") && !is_partition("azure"));
    }

    #[test]
    fn joins_in_order() {
        let s = super::concat(&["arn:aws:x:", "us-east-1", ":", "000000000000"]);
        assert_eq!(s, "arn:aws:x:us-east-1:000000000000");
        assert_eq!(s.capacity(), s.len());
        assert_eq!(super::concat(&[]), "");
    }
}
