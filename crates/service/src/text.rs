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
    let [a, b, c, d, e] = first_colons::<5>(arn)?;
    // Each `:` is ASCII, so every cut falls on a character boundary.
    Some([
        &arn[..a],
        &arn[a + 1..b],
        &arn[b + 1..c],
        &arn[c + 1..d],
        &arn[d + 1..e],
        &arn[e + 1..],
    ])
}

/// Positions of the first `N` colons of `text`, if it has that many: one pass over the bytes
/// (`splitn` searched afresh for each `:`, a few hundred instructions per ARN, and several
/// ARNs are split on every request).
pub fn first_colons<const N: usize>(text: &str) -> Option<[usize; N]> {
    let mut at = [0; N];
    let mut found = 0;
    if N == 0 {
        return Some(at);
    }
    for (i, b) in text.bytes().enumerate() {
        if b == b':' {
            at[found] = i;
            found += 1;
            if found == N {
                return Some(at);
            }
        }
    }
    None
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
        assert_eq!(super::first_colons::<0>("a:b"), Some([]));
        assert_eq!(super::first_colons::<2>("a:b:c:d"), Some([1, 3]));
        assert_eq!(super::first_colons::<2>("a:b"), None);
        // The same parts as `splitn(6, ':')` gives, whatever the text.
        for text in [
            ":::::",
            "::::",
            "a:b:c:d:e:",
            "a:b:c:d:e:f:g:h",
            "é:ü:ß::€:😀:x",
            "arn:aws:mediaconvert:us-west-2:000000000000:jobs/1-abc",
        ] {
            let reference: Vec<&str> = text.splitn(6, ':').collect();
            let expected = (reference.len() == 6).then(|| {
                let mut out = [""; 6];
                out.copy_from_slice(&reference);
                out
            });
            assert_eq!(arn_parts(text), expected, "{text}");
        }
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
