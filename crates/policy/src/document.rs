//! Parsing and validating a policy document into compiled statements, with AWS's
//! `MalformedPolicyDocument` reasons.

use crate::arn::ArnPattern;
use crate::condition::{ConditionBlock, ConditionError};
use crate::context::Context;
use crate::matcher::Wildcard;
use crate::principal::PrincipalElement;
use serde_json::value::RawValue;
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::fmt;

/// Which role a document plays; decides which elements it must/must not have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PolicyKind {
    /// Attached to a user, group or role (inline or managed).
    Identity,
    /// Attached to a resource; needs `Principal`.
    Resource,
    /// A role's trust (assume-role) policy; needs `Principal`, has no `Resource`.
    Trust,
    /// A permissions boundary (a managed policy's document).
    Boundary,
    /// A session policy passed to AssumeRole*/GetFederationToken.
    Session,
}

/// AWS's MalformedPolicyDocument reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyError {
    /// The message AWS returns, e.g. `Syntax errors in policy.`
    pub message: String,
}

impl PolicyError {
    /// An error with `message`.
    pub(crate) fn new(message: impl Into<String>) -> Self {
        PolicyError {
            message: message.into(),
        }
    }

    /// The catch-all for malformed JSON and wrong element shapes.
    pub(crate) fn syntax() -> Self {
        PolicyError::new("Syntax errors in policy.")
    }

    fn legacy() -> Self {
        PolicyError::new("The policy failed legacy parsing")
    }
}

impl fmt::Display for PolicyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for PolicyError {}

/// `Action` or `NotAction`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ActionElement {
    not: bool,
    patterns: Vec<Wildcard>,
}

impl ActionElement {
    /// Whether the element applies to `action` (case-insensitive).
    pub(crate) fn matches(&self, action: &str) -> bool {
        let ascii = action.is_ascii();
        self.patterns.iter().any(|p| p.matches_known(action, ascii)) != self.not
    }

    /// Whether it may apply to some action of service `namespace`: an `Action` with a
    /// pattern that some `namespace:…` matches, or a `NotAction` that does not exclude every
    /// action of the service (`*`, `namespace:*`).
    fn may_apply_to_service(&self, namespace: &str) -> bool {
        let prefix = format!("{namespace}:");
        if self.not {
            let everything = format!("{prefix}*");
            !self
                .patterns
                .iter()
                .any(|p| p.matches(&everything) && p.matches(&prefix))
        } else {
            self.patterns
                .iter()
                .any(|p| p.matches_some_text_starting(&prefix))
        }
    }
}

/// `Resource` or `NotResource`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ResourceElement {
    not: bool,
    patterns: Vec<ArnPattern>,
}

impl ResourceElement {
    /// Whether the element applies to `resource` (variables from `ctx`).
    pub(crate) fn matches(&self, resource: &str, ctx: &Context) -> bool {
        self.patterns.iter().any(|p| p.matches(resource, ctx)) != self.not
    }

    /// Context keys the element's variables read, if the resource part is unresolvable.
    pub(crate) fn variable_keys(&self) -> impl Iterator<Item = &str> {
        self.patterns
            .iter()
            .flat_map(|p| p.template().variable_keys())
    }
}

/// One compiled statement.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Statement {
    /// Shared with the statements that matched it (a decision's explanation).
    pub(crate) sid: Option<std::sync::Arc<str>>,
    pub(crate) allow: bool,
    pub(crate) principal: Option<PrincipalElement>,
    pub(crate) actions: ActionElement,
    /// `None` in trust policies, which have no `Resource`.
    pub(crate) resources: Option<ResourceElement>,
    pub(crate) condition: ConditionBlock,
    pub(crate) start: (u32, u32),
    pub(crate) end: (u32, u32),
}

/// A parsed, compiled policy document (no JSON re-parsing or pattern compilation at
/// evaluation time, except for patterns containing policy variables).
#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    source: String,
    kind: PolicyKind,
    statements: Vec<Statement>,
}

const TOP_ELEMENTS: [&str; 3] = ["Version", "Id", "Statement"];
const STATEMENT_ELEMENTS: [&str; 9] = [
    "Sid",
    "Effect",
    "Principal",
    "NotPrincipal",
    "Action",
    "NotAction",
    "Resource",
    "NotResource",
    "Condition",
];

/// A string or an array of strings; `None` for any other shape.
fn string_list(v: &Value) -> Option<Vec<String>> {
    match v {
        Value::String(s) => Some(vec![s.clone()]),
        Value::Array(items) => items
            .iter()
            .map(|i| i.as_str().map(str::to_string))
            .collect(),
        _ => None,
    }
}

/// 1-based line and column of byte `offset` in `text`.
fn position(text: &str, offset: usize) -> (u32, u32) {
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = before.get(line_start..).map_or(0, |s| s.chars().count()) + 1;
    (line as u32, col as u32)
}

/// Byte spans of the statements in `json`, in order (best effort: empty if not found).
fn statement_spans(json: &str) -> Vec<(usize, usize)> {
    let Ok(top) = serde_json::from_str::<BTreeMap<String, &RawValue>>(json) else {
        return Vec::new();
    };
    let Some(raw) = top.get("Statement") else {
        return Vec::new();
    };
    let base = json.as_ptr() as usize;
    let span = |r: &RawValue| {
        let start = (r.get().as_ptr() as usize).saturating_sub(base);
        (start, start + r.get().len())
    };
    if raw.get().starts_with('[') {
        serde_json::from_str::<Vec<&RawValue>>(raw.get())
            .map(|v| v.into_iter().map(span).collect())
            .unwrap_or_default()
    } else {
        vec![span(raw)]
    }
}

const VENDOR_MESSAGE: &str =
    "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.";

/// Whether a trust policy may name `action` (STS actions only).
fn is_sts_action(action: &str) -> bool {
    action == "*"
        || action
            .get(..4)
            .is_some_and(|p| p.eq_ignore_ascii_case("sts:"))
}

/// The actions of STS (the Service Authorization Reference's list). A new trust policy's
/// action must name one: IAM refuses `sts:InvalidAction` with "AssumeRole policy may only
/// specify STS AssumeRole actions." (LocalStack's recorded
/// test_iam_roles.snapshot.json test_update_assume_role_policy_errors). Which of them AWS
/// takes in a trust policy is not recorded, so none that exists is refused.
const STS_ACTIONS: [&str; 16] = [
    "sts:AssumeRole",
    "sts:AssumeRoleWithSAML",
    "sts:AssumeRoleWithWebIdentity",
    "sts:AssumeRoot",
    "sts:DecodeAuthorizationMessage",
    "sts:GetAccessKeyInfo",
    "sts:GetCallerIdentity",
    "sts:GetDelegatedAccessToken",
    "sts:GetFederationToken",
    "sts:GetServiceBearerToken",
    "sts:GetSessionToken",
    "sts:GetWebIdentityToken",
    "sts:SetContext",
    "sts:SetSourceIdentity",
    "sts:TagGetWebIdentityToken",
    "sts:TagSession",
];

/// Whether a new trust policy may name `action`: an STS action, or a pattern matching one.
fn names_sts_action(action: &str) -> bool {
    let pattern = Wildcard::new(action, true);
    STS_ACTIONS.iter().any(|a| pattern.matches(a))
}

/// Validates an action's vendor prefix the way IAM does.
fn check_action(action: &str) -> Result<(), PolicyError> {
    if action == "*" {
        return Ok(());
    }
    let parts: Vec<&str> = action.split(':').collect();
    match parts.as_slice() {
        [_] => Err(PolicyError::new(VENDOR_MESSAGE)),
        [vendor, _] => {
            if *vendor != "*"
                && !vendor
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.')
            {
                Err(PolicyError::new(format!("Vendor {vendor} is not valid")))
            } else {
                Ok(())
            }
        }
        _ => Err(PolicyError::new(
            "Actions/Condition can contain only one colon.",
        )),
    }
}

/// The resource as IAM quotes it in a partition error: its first part read as `arn`, and `*`
/// for each part missing up to six (`a:b:cadfsdf` → `arn:b:cadfsdf:*:*:*`,
/// `aws:s3:::example_bucket` → `arn:s3:::example_bucket:*`, as AWS answered in LocalStack's
/// recorded test_create_policy_invalid_document[invalid-21…24]).
fn quoted_arn(resource: &str) -> String {
    let mut parts: Vec<&str> = resource.split(':').collect();
    parts[0] = "arn";
    while parts.len() < 6 {
        parts.push("*");
    }
    parts.join(":")
}

/// What an IAM resource's path may start with (besides `*` and `root`), as AWS lists them.
const IAM_RESOURCE_PREFIXES: [&str; 13] = [
    "user/",
    "federated-user/",
    "role/",
    "group/",
    "instance-profile/",
    "mfa/",
    "server-certificate/",
    "policy/",
    "sms-mfa/",
    "saml-provider/",
    "oidc-provider/",
    "report/",
    "access-report/",
];

/// Whether the legacy parser refuses `resource`: an ARN of a known partition that has more
/// than three parts must have all six and name a service (`arn:aws:s3::example_bucket`,
/// `arn:aws::fdsasf` and `arn:aws::::example_bucket` fail legacy parsing, `arn:aws:fdsasf`
/// and `arn:error:s3::example_bucket` do not: LocalStack's recorded
/// test_create_policy_invalid_document[invalid-25, 36, 68, 71, 77] and
/// test_create_policy_valid_document[valid-9]).
fn fails_legacy_resource(resource: &str) -> bool {
    let parts: Vec<&str> = resource.split(':').collect();
    match parts.as_slice() {
        ["arn", "aws" | "aws-cn" | "aws-us-gov", ..] if parts.len() >= 4 => {
            parts.len() < 6 || parts[2].is_empty()
        }
        _ => false,
    }
}

/// Validates a resource's ARN shape the way IAM does. `new`: also the checks IAM makes of a
/// document it is given (region information in IAM and S3 resources, IAM resource paths),
/// which documents stored before are not held to.
fn check_resource(resource: &str, new: bool) -> Option<PolicyError> {
    if resource == "*" {
        return None;
    }
    if !resource.contains(':') {
        return Some(PolicyError::new(format!(
            "Resource {resource} must be in ARN format or \"*\"."
        )));
    }
    let quoted = quoted_arn(resource);
    let parts: Vec<&str> = quoted.splitn(6, ':').collect();
    let [_, partition, service, region, account, path] = parts[..] else {
        return None;
    };
    if !matches!(partition, "aws" | "aws-cn" | "aws-us-gov" | "*") {
        return Some(PolicyError::new(format!(
            "Partition \"{partition}\" is not valid for resource \"{quoted}\"."
        )));
    }
    if service.is_empty() || service.contains('*') || service.contains('?') {
        return Some(PolicyError::new(
            "Resource vendor must be fully qualified and cannot contain regexes.",
        ));
    }
    if !new {
        return None;
    }
    // A region given (a wildcard is not region information: no recording shows it refused).
    let regional = !region.is_empty() && region != "*";
    match service {
        "iam" if regional => Some(PolicyError::new(format!(
            "IAM resource {resource} cannot contain region information."
        ))),
        "iam" if !iam_path_is_valid(path) => Some(PolicyError::new(
            "IAM resource path must either be \"*\", root, or start with user/, federated-user/, role/, group/, instance-profile/, mfa/, server-certificate/, policy/, sms-mfa/, saml-provider/, oidc-provider/, report/, access-report/.",
        )),
        // S3's regional resources (access points, jobs, Storage Lens) name an account; a
        // bucket or object has neither region nor account.
        "s3" if regional && account.is_empty() => Some(PolicyError::new(format!(
            "Resource {resource} can not contain region information."
        ))),
        _ => None,
    }
}

/// Whether an IAM resource's path is one IAM accepts: `*`, `root`, a known resource type's
/// prefix, or a pattern with a wildcard before its first `/` (no recording shows one refused).
fn iam_path_is_valid(path: &str) -> bool {
    let kind = path.split('/').next().unwrap_or_default();
    path == "*"
        || path == "root"
        || kind.contains(['*', '?'])
        || IAM_RESOURCE_PREFIXES.iter().any(|p| path.starts_with(p))
}

impl Policy {
    /// Parses and validates `json` as a policy of `kind`; AWS's MalformedPolicyDocument
    /// reason on failure. Checks run in IAM's order and the first failing stage is reported:
    /// grammar, legacy parsing, unique Sids, actions present, resources present (or, for
    /// trust policies, absent), resource ARN formats, action and condition-key vendors,
    /// then the `Principal` rules of the kind.
    pub fn parse(json: &str, kind: PolicyKind) -> Result<Policy, PolicyError> {
        Policy::parse_checked(json, kind, false, false)
    }

    /// Parses a document IAM is given (CreateRole, UpdateAssumeRolePolicy, Put…Policy): as
    /// [`Policy::parse`], and also held to the checks documents stored before are not:
    /// resources of known partitions that the legacy parser refuses, region information in
    /// IAM and S3 resources, IAM resource paths, and a trust policy's actions being STS's
    /// assume-role actions.
    pub fn parse_new(json: &str, kind: PolicyKind) -> Result<Policy, PolicyError> {
        Policy::parse_checked(json, kind, false, true)
    }

    /// Checks what IAM asks of the `Sid`s of a new identity policy (inline or managed): "The
    /// Sid element supports ASCII uppercase letters (A-Z), lowercase letters (a-z), and
    /// numbers (0-9)". Not part of parsing, so documents stored before are read as they were.
    pub fn check_identity_sids(&self) -> Result<(), PolicyError> {
        let alphanumeric = |sid: &str| sid.bytes().all(|b| b.is_ascii_alphanumeric());
        if self
            .statements
            .iter()
            .filter_map(|s| s.sid.as_deref())
            .all(alphanumeric)
        {
            return Ok(());
        }
        Err(PolicyError::new(
            "Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the regular expression [0-9A-Za-z]*",
        ))
    }

    /// Checks what IAM asks of the `AWS` principals of a new trust or resource policy: an IAM
    /// ARN names the account (`root`), a user or a role, else `Invalid principal in policy:
    /// "AWS":"<arn>"`. Not part of parsing, so documents stored before are read as they were
    /// (a data directory or an import holding one restores).
    pub fn check_new_principals(&self) -> Result<(), PolicyError> {
        match self
            .principal_values("AWS")
            .find(|v| crate::principal::names_no_principal(v))
        {
            Some(v) => Err(PolicyError::new(format!(
                "Invalid principal in policy: \"AWS\":\"{v}\""
            ))),
            None => Ok(()),
        }
    }

    /// Checks what IAM asks of the `Principal` elements of a new role trust policy, beyond
    /// [`Policy::check_new_principals`]. Not part of parsing, so documents stored before are
    /// read as they were.
    /// - The bare `"Principal": "*"` is refused, in an `Allow` or a `Deny` statement, while
    ///   `{"AWS": "*"}` is accepted. AWS's answer, quoted in aws/aws-cdk#5732 (CloudFormation,
    ///   with its request ID), the AWS CDK's own role tests and terraform-provider-aws#4248:
    ///   `AssumeRolepolicy contained an invalid principal: "STAR":"*".`
    /// - A statement whose principal lists nobody (`{"AWS": []}`, as Terraform renders an
    ///   empty identifier list) is refused with AWS's answer quoted with request IDs in
    ///   terraform-aws-modules/terraform-aws-iam#47, hashicorp/terraform#20502 and
    ///   cloudposse/terraform-aws-cloudwatch-logs#7.
    /// - A `Federated` value must be a provider's ARN or a domain name
    ///   ([`crate::principal::valid_federated_value`]).
    pub fn check_new_trust_principals(&self) -> Result<(), PolicyError> {
        let elements = self.statements.iter().filter_map(|s| s.principal.as_ref());
        for e in elements {
            if e.is_bare_star() {
                return Err(PolicyError::new(
                    "AssumeRolepolicy contained an invalid principal: \"STAR\":\"*\".",
                ));
            }
            if e.names_nobody() {
                return Err(PolicyError::new(
                    "Invalid principal in policy: com.amazon.balsa.error.InvalidPolicyException: The passed in policy has a statement with no principals!",
                ));
            }
        }
        if self
            .principal_values("Federated")
            .any(|v| !crate::principal::valid_federated_value(v))
        {
            return Err(PolicyError::new(
                "Federated principals must be valid domain names or SAML metadata ARNs",
            ));
        }
        Ok(())
    }

    /// Parses a managed policy's document (CreatePolicy, CreatePolicyVersion, boundaries):
    /// as [`Policy::parse_new`] with `Identity`, and AWS also requires `"Version": "2012-10-17"`
    /// ("Policy document must be version 2012-10-17 or greater.").
    pub fn parse_managed(json: &str) -> Result<Policy, PolicyError> {
        Policy::parse_checked(json, PolicyKind::Identity, true, true)
    }

    fn parse_checked(
        json: &str,
        kind: PolicyKind,
        managed: bool,
        new: bool,
    ) -> Result<Policy, PolicyError> {
        let doc: Value = serde_json::from_str(json).map_err(|_| {
            // IAM words text that is not JSON at all differently for a role's trust policy
            // (CreateRole, UpdateAssumeRolePolicy: "This policy contains invalid Json", as
            // users quote it) than for permissions policies ("Syntax errors in policy.").
            if kind == PolicyKind::Trust {
                PolicyError::new("This policy contains invalid Json")
            } else {
                PolicyError::syntax()
            }
        })?;
        let top = doc.as_object().ok_or_else(PolicyError::syntax)?;
        if let Some(unknown) = top.keys().find(|k| !TOP_ELEMENTS.contains(&k.as_str())) {
            // A role's trust policy names the first element it does not know (CreateRole and
            // UpdateAssumeRolePolicy answer e.g. "Unknown field statement", "Unknown field
            // _comment"; Terraform's aws_iam_role acceptance test asserts "Unknown field
            // invalid" for `{"invalid":true}`). Permissions policies keep the catch-all.
            return Err(if kind == PolicyKind::Trust {
                PolicyError::new(format!("Unknown field {unknown}"))
            } else {
                PolicyError::syntax()
            });
        }
        let variables = match top.get("Version") {
            None => false,
            Some(Value::String(v)) if v == "2012-10-17" => true,
            Some(Value::String(v)) if v == "2008-10-17" => false,
            Some(_) => return Err(PolicyError::syntax()),
        };
        if top.get("Id").is_some_and(|v| !v.is_string()) {
            return Err(PolicyError::syntax());
        }
        let raw_statements: Vec<&Map<String, Value>> = match top.get("Statement") {
            Some(Value::Object(s)) => vec![s],
            Some(Value::Array(items)) if !items.is_empty() => items
                .iter()
                .map(Value::as_object)
                .collect::<Option<_>>()
                .ok_or_else(PolicyError::syntax)?,
            _ => return Err(PolicyError::syntax()),
        };
        for s in &raw_statements {
            check_statement_syntax(s)?;
        }
        if managed && !variables {
            return Err(PolicyError::new(
                "Policy document must be version 2012-10-17 or greater.",
            ));
        }
        // Legacy parsing: `Effect` case-sensitively; condition values such as dates.
        let mut conditions = Vec::with_capacity(raw_statements.len());
        for s in &raw_statements {
            if !matches!(
                s.get("Effect").and_then(Value::as_str),
                Some("Allow" | "Deny")
            ) {
                return Err(PolicyError::legacy());
            }
            let resources = ["Resource", "NotResource"]
                .iter()
                .filter_map(|k| s.get(*k).and_then(string_list))
                .flatten();
            if new && resources.into_iter().any(|r| fails_legacy_resource(&r)) {
                return Err(PolicyError::legacy());
            }
            let block = match s.get("Condition") {
                Some(c) => ConditionBlock::parse(c, variables).map_err(|e| match e {
                    ConditionError::Syntax => PolicyError::syntax(),
                    ConditionError::Legacy => PolicyError::legacy(),
                })?,
                None => ConditionBlock::default(),
            };
            conditions.push(block);
        }
        let mut sids: Vec<&str> = Vec::new();
        for s in &raw_statements {
            if let Some(sid) = s.get("Sid").and_then(Value::as_str) {
                if !sid.is_empty() {
                    if sids.contains(&sid) {
                        return Err(PolicyError::new(
                            "Statement IDs (SID) in a single policy must be unique.",
                        ));
                    }
                    sids.push(sid);
                }
            }
        }
        let non_empty = |s: &Map<String, Value>, k: &str| {
            s.get(k)
                .and_then(string_list)
                .is_some_and(|l| !l.is_empty())
        };
        for s in &raw_statements {
            if !non_empty(s, "Action") && !non_empty(s, "NotAction") {
                return Err(PolicyError::new("Policy statement must contain actions."));
            }
        }
        let has_resource =
            |s: &Map<String, Value>| s.contains_key("Resource") || s.contains_key("NotResource");
        if kind == PolicyKind::Trust {
            if raw_statements.iter().any(|s| has_resource(s)) {
                return Err(PolicyError::new("Has prohibited field Resource"));
            }
        } else {
            for s in &raw_statements {
                if !non_empty(s, "Resource") && !non_empty(s, "NotResource") {
                    return Err(PolicyError::new("Policy statement must contain resources."));
                }
            }
        }
        for s in &raw_statements {
            for k in ["Resource", "NotResource"] {
                let list = s.get(k).and_then(string_list).unwrap_or_default();
                if let Some(e) = list.iter().find_map(|r| check_resource(r, new)) {
                    return Err(e);
                }
            }
        }
        for s in &raw_statements {
            for k in ["Action", "NotAction"] {
                for a in s.get(k).and_then(string_list).unwrap_or_default() {
                    check_action(&a)?;
                    let known = if new {
                        names_sts_action(&a)
                    } else {
                        is_sts_action(&a)
                    };
                    if kind == PolicyKind::Trust && k == "Action" && !known {
                        return Err(PolicyError::new(
                            "AssumeRole policy may only specify STS AssumeRole actions.",
                        ));
                    }
                }
            }
        }
        let has_principal =
            |s: &Map<String, Value>| s.contains_key("Principal") || s.contains_key("NotPrincipal");
        match kind {
            PolicyKind::Identity | PolicyKind::Boundary | PolicyKind::Session => {
                if raw_statements.iter().any(|s| has_principal(s)) {
                    return Err(PolicyError::new(
                        "Policy document should not specify a principal.",
                    ));
                }
            }
            PolicyKind::Resource | PolicyKind::Trust => {
                if raw_statements.iter().any(|s| !has_principal(s)) {
                    return Err(PolicyError::new("Missing required field Principal"));
                }
            }
        }
        let spans = statement_spans(json);
        let mut statements = Vec::with_capacity(raw_statements.len());
        for (i, (s, condition)) in raw_statements.iter().zip(conditions).enumerate() {
            let mut st = compile_statement(s, variables, condition)?;
            if let Some((a, b)) = spans.get(i) {
                // AWS's simulator starts a statement one column past its `{` and ends it one
                // past its `}` (the AWS CLI's simulate-custom-policy example: 38 and 167 for
                // braces at columns 37 and 166).
                st.start = position(json, *a + 1);
                st.end = position(json, *b);
            }
            statements.push(st);
        }
        Ok(Policy {
            source: json.to_string(),
            kind,
            statements,
        })
    }

    /// The original JSON.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// How many statements the document has.
    pub fn statement_count(&self) -> usize {
        self.statements.len()
    }

    /// The kind it was parsed as.
    pub fn kind(&self) -> PolicyKind {
        self.kind
    }

    /// The values every statement's `Principal` or `NotPrincipal` lists under `kind` (`AWS`,
    /// `Service`, `Federated`), in order.
    pub fn principal_values<'p>(&'p self, kind: &'p str) -> impl Iterator<Item = &'p str> + 'p {
        self.statements
            .iter()
            .filter_map(|s| s.principal.as_ref())
            .flat_map(move |p| p.values(kind).iter().map(String::as_str))
    }

    /// Whether a trust policy lets service principal `service` (`ivs.amazonaws.com`) perform
    /// `action` in the request context `context` builds: a statement naming the service and
    /// action that allows it with its conditions holding, and none that denies it with its
    /// conditions holding (an explicit deny wins). Conditions are those of identity policies
    /// (IfExists, Null and the set operators alike). `context` is called at most once, and only
    /// when such a statement has a `Condition`: a policy without conditions costs no context.
    pub fn trusts_service(
        &self,
        service: &str,
        action: &str,
        context: impl FnOnce() -> Context,
    ) -> bool {
        self.trusts(action, |p| p.names_service(service), context)
    }

    /// Whether a trust policy lets federated provider `provider` (an OIDC/SAML provider ARN or
    /// a web identity provider name) perform `action`, on the same terms as `trusts_service`.
    pub fn trusts_federated(
        &self,
        provider: &str,
        action: &str,
        context: impl FnOnce() -> Context,
    ) -> bool {
        self.trusts(action, |p| p.names_federated(provider), context)
    }

    fn trusts(
        &self,
        action: &str,
        named: impl Fn(&PrincipalElement) -> bool,
        context: impl FnOnce() -> Context,
    ) -> bool {
        let mut make = Some(context);
        let mut built: Option<Context> = None;
        let mut holds = |s: &Statement| {
            if s.condition.is_empty() {
                return true;
            }
            if built.is_none() {
                built = make.take().map(|f| f());
            }
            built
                .as_ref()
                .is_some_and(|ctx| s.condition.holds(ctx, &mut Vec::new()))
        };
        let mut allowed = false;
        for s in &self.statements {
            if !s.actions.matches(action) || !s.principal.as_ref().is_some_and(&named) {
                continue;
            }
            if !s.allow {
                if holds(s) {
                    return false;
                }
            } else if !allowed {
                allowed = holds(s);
            }
        }
        allowed
    }

    /// Whether an `Allow` statement may grant some action of service `namespace` (IAM's
    /// ListPoliciesGrantingServiceAccess: actions only, not resources or conditions).
    pub fn allows_some_action_of(&self, namespace: &str) -> bool {
        self.statements
            .iter()
            .any(|s| s.allow && s.actions.may_apply_to_service(namespace))
    }

    pub(crate) fn statements(&self) -> &[Statement] {
        &self.statements
    }

    /// Whether `other` compiles to the same rules: same kind and statements, whatever the
    /// JSON's layout (source text and statement positions are ignored).
    pub fn same_rules(&self, other: &Policy) -> bool {
        let rules = |p: &Policy| -> Vec<Statement> {
            p.statements
                .iter()
                .cloned()
                .map(|mut s| {
                    (s.start, s.end) = ((0, 0), (0, 0));
                    s
                })
                .collect()
        };
        self.kind == other.kind && rules(self) == rules(other)
    }
}

/// The JSON-shape checks behind "Syntax errors in policy."
fn check_statement_syntax(s: &Map<String, Value>) -> Result<(), PolicyError> {
    if s.keys().any(|k| !STATEMENT_ELEMENTS.contains(&k.as_str())) {
        return Err(PolicyError::syntax());
    }
    for (a, b) in [
        ("Action", "NotAction"),
        ("Resource", "NotResource"),
        ("Principal", "NotPrincipal"),
    ] {
        if s.contains_key(a) && s.contains_key(b) {
            return Err(PolicyError::syntax());
        }
    }
    match s.get("Effect").and_then(Value::as_str) {
        Some(e) if e.eq_ignore_ascii_case("allow") || e.eq_ignore_ascii_case("deny") => {}
        _ => return Err(PolicyError::syntax()),
    }
    for k in ["Action", "NotAction", "Resource", "NotResource"] {
        if s.get(k).is_some_and(|v| string_list(v).is_none()) {
            return Err(PolicyError::syntax());
        }
    }
    if s.get("Sid").is_some_and(|v| !v.is_string()) {
        return Err(PolicyError::syntax());
    }
    if s.get("Condition").is_some_and(|v| !v.is_object()) {
        return Err(PolicyError::syntax());
    }
    Ok(())
}

fn compile_statement(
    s: &Map<String, Value>,
    variables: bool,
    condition: ConditionBlock,
) -> Result<Statement, PolicyError> {
    let (not_action, actions) = match s.get("Action") {
        Some(v) => (false, string_list(v).unwrap_or_default()),
        None => (
            true,
            s.get("NotAction").and_then(string_list).unwrap_or_default(),
        ),
    };
    let resources = match (s.get("Resource"), s.get("NotResource")) {
        (Some(v), _) => Some((false, string_list(v).unwrap_or_default())),
        (None, Some(v)) => Some((true, string_list(v).unwrap_or_default())),
        (None, None) => None,
    };
    let principal = match (s.get("Principal"), s.get("NotPrincipal")) {
        (Some(p), _) => Some(PrincipalElement::parse(p, false)?),
        (None, Some(p)) => Some(PrincipalElement::parse(p, true)?),
        (None, None) => None,
    };
    Ok(Statement {
        sid: s
            .get("Sid")
            .and_then(Value::as_str)
            .map(std::sync::Arc::from),
        allow: s.get("Effect").and_then(Value::as_str) == Some("Allow"),
        principal,
        actions: ActionElement {
            not: not_action,
            patterns: actions.iter().map(|a| Wildcard::new(a, true)).collect(),
        },
        resources: resources.map(|(not, list)| ResourceElement {
            not,
            patterns: list.iter().map(|r| ArnPattern::new(r, variables)).collect(),
        }),
        condition,
        start: (0, 0),
        end: (0, 0),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(json: &str, kind: PolicyKind) -> String {
        match Policy::parse(json, kind) {
            Ok(_) => panic!("expected an error for {json}"),
            Err(e) => e.message,
        }
    }

    const OK: &str = r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"ivs:*","Resource":"*"}}"#;

    #[test]
    fn a_new_trust_policy_names_principals_as_iam_accepts() {
        let check = |principal: &str, effect: &str| {
            let doc = format!(
                r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"{effect}","Principal":{principal},"Action":"sts:AssumeRole"}}]}}"#
            );
            let p = Policy::parse(&doc, PolicyKind::Trust).expect("parses, as stored ones must");
            p.check_new_trust_principals().map_err(|e| e.message)
        };
        let star = r#"AssumeRolepolicy contained an invalid principal: "STAR":"*"."#;
        let nobody = "Invalid principal in policy: com.amazon.balsa.error.InvalidPolicyException: The passed in policy has a statement with no principals!";
        for effect in ["Allow", "Deny"] {
            assert_eq!(check(r#""*""#, effect).unwrap_err(), star);
            assert_eq!(check(r#"{"AWS":[]}"#, effect).unwrap_err(), nobody);
            assert_eq!(check("{}", effect).unwrap_err(), nobody);
            assert_eq!(check(r#"{"AWS":"*"}"#, effect), Ok(()));
            assert_eq!(check(r#"{"AWS":["*"]}"#, effect), Ok(()));
            assert_eq!(
                check(r#"{"AWS":[],"Service":"ec2.amazonaws.com"}"#, effect),
                Ok(())
            );
            assert_eq!(
                check(r#"{"Federated":"cognito-identity.amazonaws.com"}"#, effect),
                Ok(())
            );
        }
    }

    #[test]
    fn a_new_trust_policy_names_federated_principals_by_domain_or_provider_arn() {
        let check = |federated: &str| {
            let doc = format!(
                r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"Federated":"{federated}"}},"Action":"sts:AssumeRoleWithWebIdentity"}}]}}"#
            );
            let p = Policy::parse(&doc, PolicyKind::Trust).expect("parses, as stored ones must");
            p.check_new_trust_principals().map_err(|e| e.message)
        };
        for ok in [
            "accounts.google.com",
            "www.amazon.com",
            "graph.facebook.com",
            "cognito-identity.amazonaws.com",
            "arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-west-2.amazonaws.com/id/ABC",
            "arn:aws:iam::111122223333:saml-provider/Okta",
            "arn:aws-us-gov:iam::111122223333:oidc-provider/example.com",
        ] {
            assert_eq!(check(ok), Ok(()), "{ok}");
        }
        for bad in [
            "arn:aws:iam::111122223333:role/admin",
            "arn:aws:iam::111122223333:oidc-provider/",
            "arn:aws:eks:us-west-2:111122223333:cluster/c",
            "https://oidc.eks.us-west-2.amazonaws.com/id/ABC",
            "oidc.eks.us-west-2.amazonaws.com/id/ABC",
            "bad name",
            "*",
            "",
        ] {
            assert_eq!(
                check(bad).unwrap_err(),
                "Federated principals must be valid domain names or SAML metadata ARNs",
                "{bad}"
            );
        }
    }

    #[test]
    fn which_services_a_policy_may_grant() {
        let grants = |element: &str, action: &str, effect: &str| {
            let doc = format!(
                r#"{{"Version":"2012-10-17","Statement":{{"Effect":"{effect}","{element}":"{action}","Resource":"*"}}}}"#
            );
            let p = Policy::parse(&doc, PolicyKind::Identity).unwrap();
            ["ivs", "s3", "mediaconvert"]
                .into_iter()
                .filter(|ns| p.allows_some_action_of(ns))
                .collect::<Vec<_>>()
        };
        assert_eq!(grants("Action", "ivs:GetChannel", "Allow"), ["ivs"]);
        assert_eq!(grants("Action", "IVS:get*", "Allow"), ["ivs"]);
        assert_eq!(
            grants("Action", "*", "Allow"),
            ["ivs", "s3", "mediaconvert"]
        );
        assert_eq!(
            grants("Action", "mediaconvert:?etJob", "Allow"),
            ["mediaconvert"]
        );
        assert_eq!(grants("Action", "ivs:*", "Deny"), Vec::<&str>::new());
        assert_eq!(
            grants("NotAction", "s3:*", "Allow"),
            ["ivs", "mediaconvert"]
        );
        assert_eq!(
            grants("NotAction", "s3:GetObject", "Allow"),
            ["ivs", "s3", "mediaconvert"]
        );
        assert_eq!(grants("NotAction", "*", "Allow"), Vec::<&str>::new());
    }

    #[test]
    fn accepts_object_or_array_and_both_versions() {
        let p = Policy::parse(OK, PolicyKind::Identity).expect("valid");
        assert_eq!(p.statement_count(), 1);
        assert_eq!(p.source(), OK);
        let old = r#"{"Version":"2008-10-17","Statement":[{"Effect":"Deny","Action":["ivs:A","ivs:B"],"Resource":["*"]},{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}"#;
        assert_eq!(
            Policy::parse(old, PolicyKind::Identity).map(|p| p.statement_count()),
            Ok(2)
        );
    }

    #[test]
    fn syntax_errors() {
        for bad in [
            "not json",
            "[]",
            r#"{"Version":"2012-10-17"}"#,
            r#"{"Version":"2012-10-17","Statement":[]}"#,
            r#"{"Version":"2013-01-01","Statement":{"Effect":"Allow","Action":"a:b","Resource":"*"}}"#,
            r#"{"Version":"2012-10-17","Extra":1,"Statement":{"Effect":"Allow","Action":"a:b","Resource":"*"}}"#,
            r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"a:b","Resource":"*","Bogus":1}}"#,
            r#"{"Version":"2012-10-17","Statement":{"Effect":"Permit","Action":"a:b","Resource":"*"}}"#,
            r#"{"Version":"2012-10-17","Statement":{"Action":"a:b","Resource":"*"}}"#,
            r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"a:b","NotAction":"a:c","Resource":"*"}}"#,
            r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":7,"Resource":"*"}}"#,
            r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"a:b","Resource":"*","Condition":{"Bogus":{"a:b":"c"}}}}"#,
        ] {
            assert_eq!(
                err(bad, PolicyKind::Identity),
                "Syntax errors in policy.",
                "{bad}"
            );
        }
    }

    #[test]
    fn legacy_parsing_errors() {
        let lower = r#"{"Version":"2012-10-17","Statement":{"Effect":"allow","Action":"a:b","Resource":"*"}}"#;
        assert_eq!(
            err(lower, PolicyKind::Identity),
            "The policy failed legacy parsing"
        );
        let date = r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"a:b","Resource":"*","Condition":{"DateLessThan":{"aws:CurrentTime":"soon"}}}}"#;
        assert_eq!(
            err(date, PolicyKind::Identity),
            "The policy failed legacy parsing"
        );
    }

    #[test]
    fn element_rules() {
        let dup = r#"{"Version":"2012-10-17","Statement":[{"Sid":"A","Effect":"Allow","Action":"a:b","Resource":"*"},{"Sid":"A","Effect":"Allow","Action":"a:b","Resource":"*"}]}"#;
        assert_eq!(
            err(dup, PolicyKind::Identity),
            "Statement IDs (SID) in a single policy must be unique."
        );
        let no_action = r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Resource":"*"}}"#;
        assert_eq!(
            err(no_action, PolicyKind::Identity),
            "Policy statement must contain actions."
        );
        let no_resource =
            r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"a:b"}}"#;
        assert_eq!(
            err(no_resource, PolicyKind::Identity),
            "Policy statement must contain resources."
        );
        let vendorless = r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"GetChannel","Resource":"*"}}"#;
        assert_eq!(
            err(vendorless, PolicyKind::Identity),
            "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc."
        );
        let colons = r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"a:b:c","Resource":"*"}}"#;
        assert_eq!(
            err(colons, PolicyKind::Identity),
            "Actions/Condition can contain only one colon."
        );
        let not_arn = r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"a:b","Resource":"bucket"}}"#;
        assert_eq!(
            err(not_arn, PolicyKind::Identity),
            "Resource bucket must be in ARN format or \"*\"."
        );
    }

    /// Resource ARNs as AWS answered CreatePolicy in LocalStack's recorded
    /// test_create_policy_invalid_document / test_create_policy_valid_document.
    #[test]
    fn resource_arns_as_iam_checks_them() {
        let with = |resource: &str, action: &str| {
            format!(
                r#"{{"Version":"2012-10-17","Statement":{{"Effect":"Allow"{action},"Resource":"{resource}"}}}}"#
            )
        };
        let new = |resource: &str| {
            Policy::parse_managed(&with(resource, r#","Action":"s3:ListBucket""#))
                .map(|_| ())
                .map_err(|e| e.message)
        };
        // A partition error quotes the resource read as a six-part ARN.
        for (resource, quoted) in [
            ("a:bsdfdsafsad", "arn:bsdfdsafsad:*:*:*:*"),
            ("a:b:cadfsdf", "arn:b:cadfsdf:*:*:*"),
            ("a:b:c:d:e:f:g:h", "arn:b:c:d:e:f:g:h"),
            ("aws:s3:::example_bucket", "arn:s3:::example_bucket:*"),
            (
                "arn:error:s3:::example_bucket",
                "arn:error:s3:::example_bucket",
            ),
        ] {
            let partition = quoted.split(':').nth(1).unwrap();
            let message =
                format!("Partition \"{partition}\" is not valid for resource \"{quoted}\".");
            assert_eq!(new(resource), Err(message.clone()), "{resource}");
            let stored = Policy::parse(
                &with(resource, r#","Action":"s3:ListBucket""#),
                PolicyKind::Identity,
            );
            assert_eq!(stored.map_err(|e| e.message), Err(message));
        }
        let list = r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:ListBucket","Resource":["arn:error:s3:::example_bucket","arn:error:s3::example_bucket"]}}"#;
        assert_eq!(
            Policy::parse_managed(list)
                .map(|_| ())
                .map_err(|e| e.message),
            Err(
                "Partition \"error\" is not valid for resource \"arn:error:s3:::example_bucket\"."
                    .to_string()
            )
        );
        assert_eq!(
            new("arn:aws:iam:us-east-1::example_bucket"),
            Err("IAM resource arn:aws:iam:us-east-1::example_bucket cannot contain region information.".to_string())
        );
        assert_eq!(
            new("arn:aws:s3:us-east-1::example_bucket"),
            Err(
                "Resource arn:aws:s3:us-east-1::example_bucket can not contain region information."
                    .to_string()
            )
        );
        assert_eq!(
            new("arn:aws:iam:::example_bucket"),
            Err("IAM resource path must either be \"*\", root, or start with user/, federated-user/, role/, group/, instance-profile/, mfa/, server-certificate/, policy/, sms-mfa/, saml-provider/, oidc-provider/, report/, access-report/.".to_string())
        );
        let legacy = Err("The policy failed legacy parsing".to_string());
        for resource in [
            "arn:aws:s3::example_bucket",
            "arn:aws::::example_bucket",
            "arn:aws::fdsasf",
        ] {
            assert_eq!(new(resource), legacy, "{resource}");
        }
        // Before the statement's missing actions are reported.
        let no_action = with("arn:aws:s3::example_bucket", "");
        assert_eq!(
            Policy::parse_managed(&no_action)
                .map(|_| ())
                .map_err(|e| e.message),
            legacy
        );
        let not_resource = r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:ListBucket","NotResource":"arn:aws:s3::example_bucket"}}"#;
        assert_eq!(
            Policy::parse_managed(not_resource)
                .map(|_| ())
                .map_err(|e| e.message),
            legacy
        );
        assert_eq!(
            new("arn:aws"),
            Err("Resource vendor must be fully qualified and cannot contain regexes.".to_string())
        );
        for ok in [
            "arn:aws:iam:::user/example_bucket",
            "arn:aws:iam::111122223333:root",
            "arn:aws:iam::*:role/*",
            "arn:aws:iam::aws:policy/ReadOnlyAccess",
            "arn:aws:s33:::example_bucket",
            "arn:aws:fdsasf",
            "arn:aws:cloudwatch:us-east-1::example_bucket",
            "arn:aws:ec2:us-east-1::example_bucket",
            "arn:aws:invalid-service:us-east-1::example_bucket",
            "arn:aws:s3:us-west-2:123456789012:accesspoint/my-access-point",
            "arn:aws:rds:region:*:*",
        ] {
            assert_eq!(new(ok), Ok(()), "{ok}");
        }
        // Documents stored before these checks are read as they were.
        for stored in [
            "arn:aws:iam:us-east-1::example_bucket",
            "arn:aws:s3:us-east-1::example_bucket",
            "arn:aws:iam:::example_bucket",
            "arn:aws:s3::example_bucket",
        ] {
            let doc = with(stored, r#","Action":"s3:ListBucket""#);
            assert!(
                Policy::parse(&doc, PolicyKind::Identity).is_ok(),
                "{stored}"
            );
        }
    }

    /// A condition key needs no vendor prefix: AWS accepted `a` under each operator in
    /// LocalStack's recorded test_create_policy_valid_document[valid-18, 32, 33, 34, 35].
    #[test]
    fn condition_keys_need_no_vendor() {
        for condition in [
            r#"{"DateGreaterThan":{"a":[]}}"#,
            r#"{"StringEqualsIfExists":{"a":"asf"}}"#,
            r#"{"ForAnyValue:StringEqualsIfExists":{"a":"asf"}}"#,
            r#"{"DateLessThanEquals":{"a":"2019-07-01T13:20:15Z"}}"#,
            r#"{"StringEquals":{"username":"x"}}"#,
        ] {
            let doc = format!(
                r#"{{"Version":"2012-10-17","Statement":{{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::example_bucket","Condition":{condition}}}}}"#
            );
            assert!(Policy::parse_managed(&doc).is_ok(), "{condition}");
        }
        // An action still needs one.
        let action = r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"invalid","Resource":"arn:aws:s3:::example_bucket"}}"#;
        assert_eq!(
            err(action, PolicyKind::Identity),
            "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc."
        );
    }

    /// A new trust policy's actions must be STS's: `sts:InvalidAction` is refused
    /// (LocalStack's recorded test_update_assume_role_policy_errors), one stored before is read.
    #[test]
    fn a_new_trust_policy_names_sts_actions() {
        let with = |action: &str| {
            format!(
                r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"Service":"ec2.amazonaws.com"}},"Action":{action}}}]}}"#
            )
        };
        let new = |action: &str| {
            Policy::parse_new(&with(action), PolicyKind::Trust)
                .map(|_| ())
                .map_err(|e| e.message)
        };
        let refused = Err("AssumeRole policy may only specify STS AssumeRole actions.".to_string());
        for bad in [
            r#""sts:InvalidAction""#,
            r#"["sts:AssumeRole","sts:Nothing*"]"#,
            r#""ec2:RunInstances""#,
        ] {
            assert_eq!(new(bad), refused, "{bad}");
        }
        for ok in [
            r#""sts:AssumeRole""#,
            r#"["sts:AssumeRoleWithWebIdentity","sts:TagSession"]"#,
            r#""STS:assumerolewithsaml""#,
            r#""sts:SetSourceIdentity""#,
            r#""sts:SetContext""#,
            r#""sts:*""#,
            r#""sts:Assume*""#,
            r#""*""#,
        ] {
            assert_eq!(new(ok), Ok(()), "{ok}");
        }
        assert!(Policy::parse(&with(r#""sts:InvalidAction""#), PolicyKind::Trust).is_ok());
    }

    #[test]
    fn managed_policies_need_the_current_version() {
        let old = r#"{"Version":"2008-10-17","Statement":{"Effect":"Allow","Action":"a:b","Resource":"*"}}"#;
        let none = r#"{"Statement":{"Effect":"Allow","Action":"a:b","Resource":"*"}}"#;
        for doc in [old, none] {
            assert!(Policy::parse(doc, PolicyKind::Identity).is_ok());
            assert_eq!(
                Policy::parse_managed(doc).map(|_| ()),
                Err(PolicyError::new(
                    "Policy document must be version 2012-10-17 or greater."
                ))
            );
        }
        assert!(Policy::parse_managed(OK).is_ok());
    }

    #[test]
    fn identity_policy_sids_are_alphanumeric() {
        let with = |sid: &str| {
            format!(
                r#"{{"Version":"2012-10-17","Statement":{{"Sid":"{sid}","Effect":"Allow","Action":"a:b","Resource":"*"}}}}"#
            )
        };
        let sids = |sid: &str| {
            Policy::parse(&with(sid), PolicyKind::Identity)
                .unwrap()
                .check_identity_sids()
                .map_err(|e| e.message)
        };
        for bad in ["a b", "Allow-Read", "x_1"] {
            assert_eq!(
                sids(bad),
                Err("Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the regular expression [0-9A-Za-z]*".to_string())
            );
        }
        assert_eq!(sids("AllowRead1"), Ok(()));
        assert_eq!(sids(""), Ok(()));
    }

    #[test]
    fn stages_report_in_iam_order() {
        // A bad resource is reported before a bad action vendor.
        let both = r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"GetChannel","Resource":"bucket"}}"#;
        assert_eq!(
            err(both, PolicyKind::Identity),
            "Resource bucket must be in ARN format or \"*\"."
        );
        // Missing actions before missing resources.
        let neither = r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow"}}"#;
        assert_eq!(
            err(neither, PolicyKind::Identity),
            "Policy statement must contain actions."
        );
    }

    #[test]
    fn principal_rules_per_kind() {
        let with = r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"a:b","Resource":"*"}}"#;
        for kind in [
            PolicyKind::Identity,
            PolicyKind::Boundary,
            PolicyKind::Session,
        ] {
            assert_eq!(
                err(with, kind),
                "Policy document should not specify a principal."
            );
        }
        assert!(Policy::parse(with, PolicyKind::Resource).is_ok());
        assert_eq!(
            err(OK, PolicyKind::Resource),
            "Missing required field Principal"
        );
        let no_principal =
            r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"sts:AssumeRole"}}"#;
        assert_eq!(
            err(no_principal, PolicyKind::Trust),
            "Missing required field Principal"
        );
        let bad = r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"alice"},"Action":"sts:AssumeRole"}}"#;
        assert_eq!(
            err(bad, PolicyKind::Trust),
            "Invalid principal in policy: \"AWS\":\"alice\""
        );
        let trust_resource = r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"Service":"ivs.amazonaws.com"},"Action":"sts:AssumeRole","Resource":"*"}}"#;
        assert_eq!(
            err(trust_resource, PolicyKind::Trust),
            "Has prohibited field Resource"
        );
        let trust_action = r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"Service":"ivs.amazonaws.com"},"Action":"ivs:GetChannel"}}"#;
        assert_eq!(
            err(trust_action, PolicyKind::Trust),
            "AssumeRole policy may only specify STS AssumeRole actions."
        );
        // An element a policy does not know: a trust policy names the first one.
        assert_eq!(
            err(r#"{"invalid":true}"#, PolicyKind::Trust),
            "Unknown field invalid"
        );
        let lower_case = r#"{"statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}],"version":"2012-10-17"}"#;
        assert_eq!(
            err(lower_case, PolicyKind::Trust),
            "Unknown field statement"
        );
        let commented = r#"{"Version":"2012-10-17","_comment":"x","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;
        assert_eq!(err(commented, PolicyKind::Trust), "Unknown field _comment");
        assert_eq!(
            err(r#"{"invalid":true}"#, PolicyKind::Identity),
            "Syntax errors in policy."
        );
        // Text that is not JSON: a trust policy's words differ from a permissions policy's.
        let not_json = "assume-role-policy.json";
        assert_eq!(
            err(not_json, PolicyKind::Trust),
            "This policy contains invalid Json"
        );
        assert_eq!(
            err(not_json, PolicyKind::Identity),
            "Syntax errors in policy."
        );
    }

    #[test]
    fn service_principals_are_service_host_names() {
        let trust = |service: &str| {
            format!(
                r#"{{"Version":"2012-10-17","Statement":{{"Effect":"Allow","Principal":{{"Service":["ivs.amazonaws.com","{service}"]}},"Action":"sts:AssumeRole"}}}}"#
            )
        };
        for good in [
            "ec2.amazonaws.com",
            "logs.us-east-1.amazonaws.com",
            "ecs-tasks.amazonaws.com",
            "alexa-appkit.amazon.com",
            "ec2.amazonaws.com.cn",
        ] {
            assert!(
                Policy::parse(&trust(good), PolicyKind::Trust).is_ok(),
                "{good}"
            );
        }
        // `amazonaws.com` alone: AWS's answer in aws-cdk-examples issue 801.
        for bad in [
            "amazonaws.com",
            "ec2",
            "*",
            "EC2.amazonaws.com",
            "a..amazonaws.com",
        ] {
            assert_eq!(
                err(&trust(bad), PolicyKind::Trust),
                format!("Invalid principal in policy: \"SERVICE\":\"{bad}\""),
                "{bad}"
            );
        }
    }

    #[test]
    fn service_and_federated_trust() {
        let t = r#"{"Version":"2012-10-17","Statement":[
            {"Effect":"Allow","Principal":{"Service":["ivs.amazonaws.com"]},"Action":"sts:AssumeRole"},
            {"Effect":"Allow","Principal":{"Federated":"cognito-identity.amazonaws.com"},"Action":"sts:AssumeRoleWithWebIdentity"}]}"#;
        let p = Policy::parse(t, PolicyKind::Trust).expect("valid");
        // Without conditions, no context is asked for.
        let none = || -> Context { panic!("no statement has a condition") };
        assert!(p.trusts_service("ivs.amazonaws.com", "sts:AssumeRole", none));
        assert!(!p.trusts_service("ec2.amazonaws.com", "sts:AssumeRole", none));
        assert!(p.trusts_federated(
            "cognito-identity.amazonaws.com",
            "sts:AssumeRoleWithWebIdentity",
            none
        ));
        assert!(!p.trusts_federated("cognito-identity.amazonaws.com", "sts:AssumeRole", none));
    }

    /// The request context a service principal's AssumeRole has (the IAM User Guide's
    /// `aws:SourceAccount`, `aws:SourceArn`, `aws:PrincipalServiceName`).
    fn service_context(account: &str, source_arn: &str) -> Context {
        let mut c = Context::new();
        let s = |v: &str| service::ContextValue::String(v.into());
        c.set("aws:SourceAccount", s(account));
        c.set("aws:SourceArn", s(source_arn));
        c.set("aws:PrincipalServiceName", s("mediaconvert.amazonaws.com"));
        c
    }

    /// A trust policy for MediaConvert whose statements are `statements` (JSON).
    fn trust(statements: &str) -> Policy {
        let json = format!(r#"{{"Version":"2012-10-17","Statement":[{statements}]}}"#);
        Policy::parse(&json, PolicyKind::Trust).expect("valid")
    }

    const MC: &str = "mediaconvert.amazonaws.com";
    const QUEUE: &str = "arn:aws:mediaconvert:us-west-2:111122223333:queues/Default";

    fn trusted(p: &Policy, account: &str, source_arn: &str) -> bool {
        p.trusts_service(MC, "sts:AssumeRole", || {
            service_context(account, source_arn)
        })
    }

    #[test]
    fn a_service_trust_evaluates_its_conditions() {
        // The confused-deputy guard AWS documents: the account the service acts for.
        let account = trust(
            r#"{"Effect":"Allow","Principal":{"Service":"mediaconvert.amazonaws.com"},"Action":"sts:AssumeRole",
                "Condition":{"StringEquals":{"aws:SourceAccount":"111122223333"}}}"#,
        );
        assert!(trusted(&account, "111122223333", QUEUE));
        assert!(!trusted(&account, "444455556666", QUEUE), "another account");
        // The resource it acts for, with an ARN pattern (the MediaConvert User Guide's).
        let arn = trust(
            r#"{"Effect":"Allow","Principal":{"Service":"mediaconvert.amazonaws.com"},"Action":"sts:AssumeRole",
                "Condition":{"ArnLike":{"aws:SourceArn":"arn:aws:mediaconvert:*:111122223333:*"}}}"#,
        );
        assert!(trusted(&arn, "111122223333", QUEUE));
        assert!(!trusted(
            &arn,
            "111122223333",
            "arn:aws:mediaconvert:us-west-2:444455556666:queues/Default"
        ));
        // Every clause must hold.
        let both = trust(
            r#"{"Effect":"Allow","Principal":{"Service":"mediaconvert.amazonaws.com"},"Action":"sts:AssumeRole",
                "Condition":{"StringEquals":{"aws:SourceAccount":"111122223333","aws:PrincipalServiceName":"mediaconvert.amazonaws.com"},
                             "ArnLike":{"aws:SourceArn":"arn:aws:mediaconvert:*:111122223333:queues/Other"}}}"#,
        );
        assert!(!trusted(&both, "111122223333", QUEUE));
        // A key the request lacks fails a plain operator and passes its IfExists form.
        let absent = |op: &str| {
            trust(&format!(
                r#"{{"Effect":"Allow","Principal":{{"Service":"mediaconvert.amazonaws.com"}},"Action":"sts:AssumeRole",
                    "Condition":{{"{op}":{{"aws:SourceVpc":"vpc-1"}}}}}}"#
            ))
        };
        assert!(!trusted(&absent("StringEquals"), "111122223333", QUEUE));
        assert!(trusted(
            &absent("StringEqualsIfExists"),
            "111122223333",
            QUEUE
        ));
        let null = trust(
            r#"{"Effect":"Allow","Principal":{"Service":"mediaconvert.amazonaws.com"},"Action":"sts:AssumeRole",
                "Condition":{"Null":{"aws:SourceArn":"false","aws:SourceVpc":"true"}}}"#,
        );
        assert!(trusted(&null, "111122223333", QUEUE));
        // A statement for another service trusts nothing here.
        let other = trust(
            r#"{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}"#,
        );
        assert!(!trusted(&other, "111122223333", QUEUE));
    }

    #[test]
    fn a_service_trust_denied_under_conditions_that_hold_is_denied() {
        let allow = r#"{"Effect":"Allow","Principal":{"Service":"mediaconvert.amazonaws.com"},"Action":"sts:AssumeRole"}"#;
        let deny = |condition: &str| {
            trust(&format!(
                r#"{allow},{{"Effect":"Deny","Principal":{{"Service":"mediaconvert.amazonaws.com"}},"Action":"sts:AssumeRole"{condition}}}"#
            ))
        };
        let conditioned =
            deny(r#","Condition":{"StringNotEquals":{"aws:SourceAccount":"111122223333"}}"#);
        assert!(
            trusted(&conditioned, "111122223333", QUEUE),
            "the deny's condition fails"
        );
        assert!(
            !trusted(&conditioned, "444455556666", QUEUE),
            "an explicit deny wins"
        );
        assert!(!trusted(&deny(""), "111122223333", QUEUE), "unconditional");
        // A deny listed first wins too, and one for another service does not apply.
        let first = trust(&format!(
            r#"{{"Effect":"Deny","Principal":{{"Service":"mediaconvert.amazonaws.com"}},"Action":"sts:AssumeRole",
                "Condition":{{"ArnLike":{{"aws:SourceArn":"arn:aws:mediaconvert:*:*:queues/Default"}}}}}},{allow}"#
        ));
        assert!(!trusted(&first, "111122223333", QUEUE));
        assert!(trusted(
            &first,
            "111122223333",
            "arn:aws:mediaconvert:us-west-2:111122223333:queues/Other"
        ));
        let elsewhere = trust(&format!(
            r#"{allow},{{"Effect":"Deny","Principal":{{"Service":"ec2.amazonaws.com"}},"Action":"sts:AssumeRole"}}"#
        ));
        assert!(trusted(&elsewhere, "111122223333", QUEUE));
    }

    #[test]
    fn the_context_is_built_once_and_only_for_a_condition() {
        let p = trust(
            r#"{"Effect":"Allow","Principal":{"Service":"mediaconvert.amazonaws.com"},"Action":"sts:AssumeRole",
                "Condition":{"StringEquals":{"aws:SourceAccount":"1"}}},
               {"Effect":"Deny","Principal":{"Service":"mediaconvert.amazonaws.com"},"Action":"sts:AssumeRole",
                "Condition":{"StringEquals":{"aws:SourceAccount":"2"}}},
               {"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole",
                "Condition":{"StringEquals":{"aws:SourceAccount":"1"}}}"#,
        );
        let mut calls = 0;
        assert!(p.trusts_service(MC, "sts:AssumeRole", || {
            calls += 1;
            service_context("1", QUEUE)
        }));
        assert_eq!(calls, 1);
        // The statements for another service have conditions, but none names this one.
        let mut calls = 0;
        assert!(
            !p.trusts_service("ivs.amazonaws.com", "sts:AssumeRole", || {
                calls += 1;
                Context::new()
            })
        );
        assert_eq!(calls, 0);
    }

    #[test]
    fn statement_positions() {
        let json = "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\"Effect\": \"Allow\", \"Action\": \"a:b\", \"Resource\": \"*\"},\n    {\"Effect\": \"Deny\", \"Action\": \"a:c\", \"Resource\": \"*\"}\n  ]\n}";
        let p = Policy::parse(json, PolicyKind::Identity).expect("valid");
        let s = p.statements();
        assert_eq!(s[0].start, (4, 6));
        assert_eq!(s[0].end, (4, 58));
        assert_eq!(s[1].start, (5, 6));
        // The AWS CLI's simulate-custom-policy example, as AWS answered it.
        let json = r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"dynamodb:*","Resource":"*","Condition":{"DateGreaterThan":{"aws:CurrentTime":"2018-08-16T12:00:00Z"}}}}"#;
        let p = Policy::parse(json, PolicyKind::Identity).expect("valid");
        let s = p.statements();
        assert_eq!((s[0].start, s[0].end), ((1, 38), (1, 167)));
    }
}
