//! What a job may do, decided when it is submitted. The account's input policy must allow each
//! input's location type, or the job is refused. MediaConvert must be able to assume the
//! service role, and the role's own policies must allow `s3:GetObject` on each S3 input and
//! `s3:PutObject` on each file the job writes. The submitting user needs none of that; the
//! role does. A job that fails a role check ends in ERROR with the code and message
//! MediaConvert reports.

use crate::model::{InputKind, InputPolicy, Outcome};
use crate::settings::{push_s3_object_arn, OutputFile};
use crate::PRINCIPAL;
use service::{RoleTrust, ServiceRoles, SourceResource};
use std::ops::Range;

/// `ErrorCode` of a job whose input location MediaConvert does not read.
pub const INPUT_ERROR: i64 = 1010;

/// AWS's answer (a 400 `BadRequestException`) to a job whose input location the account's
/// input policy disallows: such a job is not submitted (User Guide, "How to allow or disallow
/// input location types using a policy").
pub const DISALLOWED_INPUT: &str = "You specified an input location that your policy disallows. \
                                    Specify an allowed input location and resubmit your job.";

/// Whether the input policy disallows the location of any of `inputs`.
pub fn disallows_any(policy: &InputPolicy, inputs: &[&str]) -> bool {
    inputs
        .iter()
        .filter_map(|url| InputKind::of(url))
        .any(|kind| !policy.allows(kind))
}
/// `ErrorCode` of a job whose outputs the role may not write (AWS: 1401, "Unable to write to
/// output file [s3://…]: [Failed to write data: Access Denied]").
pub const ACCESS_DENIED: i64 = 1401;
/// `ErrorCode` of a job whose role MediaConvert cannot use as named, another account's
/// (AWS: 1432, "… [Failed to read data: Invalid role provided in RESOURCE_ROLE_ARN]", as
/// users report it for a role ARN MediaConvert does not understand).
pub const ROLE_ERROR: i64 = 1432;
/// `ErrorCode` of a job whose S3 input the role may not read, or whose role MediaConvert
/// cannot assume (AWS: 1434, "… [Failed to read data: AssumeRole failed]]", the AWS CLI's
/// get-job example).
pub const INPUT_DENIED: i64 = 1434;

/// `ErrorCode` of a job with accelerated transcoding ENABLED whose settings accelerated
/// transcoding does not support. AWS's error code list names no code for it; 1999 is the
/// last of its 1xxx (job) codes, and what AWS reports here is unverified.
pub const NOT_ACCELERABLE: i64 = 1999;

/// The end of a job with accelerated transcoding ENABLED and an output without video ("Your
/// output must contain a video component. MediaConvert doesn't support accelerated
/// transcoding with audio-only outputs.").
pub fn not_accelerable(url: &str) -> Outcome {
    Outcome::Error {
        code: NOT_ACCELERABLE,
        message: format!(
            "Job settings are not compatible with accelerated transcoding: output [{url}] has no \
             video, and accelerated transcoding doesn't support audio-only outputs. Set \
             AccelerationSettings Mode to PREFERRED to run such jobs without acceleration, or to \
             DISABLED"
        )
        .into(),
    }
}

/// How the job of a caller in `account`, submitted to queue `queue` (its ARN), will end. The
/// role must be the caller's own: a MediaConvert job runs as a service role of the account that
/// submits it. MediaConvert assumes it for the queue: the trust policy's conditions see
/// `aws:SourceAccount` (the account) and `aws:SourceArn` (the queue's ARN, as the User Guide's
/// "Cross-service confused deputy prevention" says). (Inputs the input policy disallows were
/// refused before: see [`disallows_any`].)
pub fn decide(
    roles: &dyn ServiceRoles,
    account: &str,
    role: &str,
    queue: &str,
    inputs: &[&str],
    outputs: &[OutputFile],
) -> Outcome {
    let fail = |code, message: String| Outcome::Error {
        code,
        message: message.into(),
    };
    let first = inputs.first().copied().unwrap_or_default();
    // A job runs as a service role of the account that submits it.
    if kit::arn_scope(role).map(|(_, a)| a) != Some(account) {
        return fail(
            ROLE_ERROR,
            format!(
                "Unable to open input file [{first}]: [Failed probe/open: [Can't read input stream: \
                 [Failed to read data: Invalid role provided in RESOURCE_ROLE_ARN]]]"
            ),
        );
    }
    let source = SourceResource {
        account,
        arn: queue,
    };
    match roles.role_trust_for(role, PRINCIPAL, source) {
        RoleTrust::Trusted => {}
        RoleTrust::NoSuchRole | RoleTrust::NotTrusted => {
            return fail(
                INPUT_DENIED,
                format!(
                    "Unable to open input file [{first}]: [Failed probe/open: [Failed to read data: \
                     AssumeRole failed]]"
                ),
            );
        }
    }
    // Every S3 permission the job needs, in the order it is checked (inputs, then outputs),
    // asked of IAM at once; the first refusal is reported where the walk below meets it.
    // The objects' ARNs are written into one string, each URL's span of it kept (`None` for
    // a URL that names no S3 object, which needs no permission).
    let urls = inputs
        .iter()
        .map(|u| ("s3:GetObject", *u))
        .chain(outputs.iter().map(|f| ("s3:PutObject", f.url.as_str())));
    let mut arns = String::with_capacity(urls.clone().map(|(_, u)| u.len() + 9).sum());
    let spans: Vec<(&str, Option<Range<usize>>)> = urls
        .map(|(action, url)| {
            let start = arns.len();
            let pushed = push_s3_object_arn(&mut arns, url);
            (action, pushed.then_some(start..arns.len()))
        })
        .collect();
    let checks: Vec<(&str, &str)> = spans
        .iter()
        .filter_map(|(action, span)| Some((*action, &arns[span.clone()?])))
        .collect();
    // The refused check's URL: its place among the inputs, then the outputs.
    let denied = roles.first_denied(role, &checks).and_then(|d| {
        let mut checked = spans.iter().enumerate().filter(|(_, (_, s))| s.is_some());
        checked.nth(d).map(|(i, _)| i)
    });
    for (i, url) in inputs.iter().enumerate() {
        if InputKind::of(url).is_none() {
            return fail(
                INPUT_ERROR,
                format!("Unable to open input file [{url}]: [Unsupported input location]"),
            );
        }
        if denied == Some(i) {
            return fail(
                INPUT_DENIED,
                format!(
                    "Unable to open input file [{url}]: [Failed probe/open: [Can't read input stream: \
                     [Failed to read data: Access Denied]]]"
                ),
            );
        }
    }
    for (j, file) in outputs.iter().enumerate() {
        if denied == Some(inputs.len() + j) {
            return fail(
                ACCESS_DENIED,
                format!(
                    "Unable to write to output file [{}]: [Failed to write data: Access Denied]",
                    file.url
                ),
            );
        }
    }
    Outcome::Complete
}

#[cfg(test)]
mod tests {
    use super::*;

    const QUEUE: &str = "arn:aws:mediaconvert:us-west-2:111111111111:queues/Default";

    /// A role that trusts MediaConvert (or not) and may read `in` and write `out`.
    struct Fake {
        trust: RoleTrust,
    }

    impl ServiceRoles for Fake {
        fn role_trust(&self, _: &str, _: &str) -> RoleTrust {
            panic!("MediaConvert assumes a role for the job's queue")
        }
        fn role_trust_for(&self, _: &str, principal: &str, source: SourceResource) -> RoleTrust {
            assert_eq!(principal, "mediaconvert.amazonaws.com");
            // The account it acts for and the queue's ARN (the User Guide: "The value of
            // aws:SourceArn must be the ARN of the MediaConvert queue").
            assert_eq!(source.account, "111111111111");
            assert_eq!(source.arn, QUEUE);
            self.trust
        }
        fn role_allows(&self, _: &str, action: &str, resource: &str) -> bool {
            matches!(
                (action, resource.split('/').next()),
                ("s3:GetObject", Some("arn:aws:s3:::in"))
                    | ("s3:PutObject", Some("arn:aws:s3:::out"))
            )
        }
    }

    fn out(url: &str) -> OutputFile {
        OutputFile {
            group: 0,
            url: url.into(),
            frame: None,
            manifest: false,
        }
    }

    #[test]
    fn an_arns_account_is_its_fifth_field() {
        // The role was checked to be a role ARN before: its fifth field is its account.
        let arn = "arn:aws:iam::111111111111:role/r";
        assert_eq!(kit::arn_scope(arn).map(|(_, a)| a), arn.split(':').nth(4));
        // Anything less names no account, so the job is refused.
        for arn in ["arn:aws:iam::", "arn:aws:iam:", "a:b:c:d:e:f:g", "role", ""] {
            assert_eq!(kit::arn_scope(arn), None, "{arn}");
        }
    }

    #[test]
    fn the_role_trust_input_policy_and_s3_access_decide() {
        let ok = Fake {
            trust: RoleTrust::Trusted,
        };
        let open = InputPolicy::default();
        let role = "arn:aws:iam::111111111111:role/r";
        let run = |roles: &Fake, inputs: &[&str], outputs: &[OutputFile]| {
            decide(roles, "111111111111", role, QUEUE, inputs, outputs)
        };
        assert_eq!(
            run(&ok, &["s3://in/a.mp4"], &[out("s3://out/a.mp4")]),
            Outcome::Complete
        );
        // A role MediaConvert cannot assume: AWS's code and words (the AWS CLI's get-job
        // example).
        for trust in [RoleTrust::NotTrusted, RoleTrust::NoSuchRole] {
            let Outcome::Error { code, message } = run(&Fake { trust }, &["s3://in/a.mp4"], &[])
            else {
                panic!("must fail")
            };
            assert_eq!(code, INPUT_DENIED);
            assert_eq!(
                &*message,
                "Unable to open input file [s3://in/a.mp4]: [Failed probe/open: [Failed to read \
                 data: AssumeRole failed]]"
            );
        }
        // Another account's role, even one that trusts MediaConvert, is not the caller's:
        // MediaConvert does not understand it.
        let Outcome::Error { code, message } =
            decide(&ok, "222222222222", role, QUEUE, &["s3://in/a.mp4"], &[])
        else {
            panic!("must fail")
        };
        assert_eq!(code, ROLE_ERROR);
        assert_eq!(
            &*message,
            "Unable to open input file [s3://in/a.mp4]: [Failed probe/open: [Can't read input \
             stream: [Failed to read data: Invalid role provided in RESOURCE_ROLE_ARN]]]"
        );
        let Outcome::Error { code, message } = run(&ok, &["s3://elsewhere/a.mp4"], &[]) else {
            panic!("must fail")
        };
        assert_eq!(code, INPUT_DENIED);
        assert!(message.contains("s3://elsewhere/a.mp4"));
        let Outcome::Error { code, .. } = run(&ok, &["s3://in/a.mp4"], &[out("s3://in/x.mp4")])
        else {
            panic!("must fail")
        };
        assert_eq!(code, ACCESS_DENIED);
        let no_http = InputPolicy {
            http: Some("DISALLOWED".into()),
            ..InputPolicy::default()
        };
        // The input policy refuses the job before it runs (CreateJob's 400).
        assert!(disallows_any(
            &no_http,
            &["s3://in/a.mp4", "http://h/a.mp4"]
        ));
        assert!(!disallows_any(
            &no_http,
            &["s3://in/a.mp4", "https://h/a.mp4"]
        ));
        assert!(
            !disallows_any(&no_http, &["ftp://h/a.mp4"]),
            "not a policy's to refuse"
        );
        assert!(!disallows_any(&open, &["http://h/a.mp4"]));
        assert_eq!(
            run(&ok, &["https://h/a.mp4"], &[]),
            Outcome::Complete,
            "HTTP inputs do not need S3 permissions"
        );
    }
}
