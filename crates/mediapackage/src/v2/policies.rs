//! Channel and origin endpoint policies: validated, stored with the resource (compiled once by
//! the authorize stage, which attaches them to accesses on the resource).

use super::arns::{channel_arn, endpoint_arn, Kind};
use super::channels::member;
use super::errors::invalid;
use super::model::CdnAuthConfiguration;
use super::MediaPackageV2;
use crate::secrets::{check_secret_arn, SecretArnProblem};
use kit::input::req_str;
use serde_json::{json, Value};
use service::{RequestContext, ResourcePolicy, ServiceError};

fn policy_missing(what: &str) -> ServiceError {
    ServiceError::new(
        "ResourceNotFoundException",
        format!("MediaPackage can't process your request because we can't find a policy for your {what}"),
    )
    .with_field(
        "ResourceTypeNotFound",
        if what == "channel" { "CHANNEL" } else { "ORIGIN_ENDPOINT" },
    )
}

fn checked(input: &Value, arn: &str) -> Result<std::sync::Arc<ResourcePolicy>, ServiceError> {
    let text = req_str(input, "Policy")?;
    crate::policy::validate(text, arn).map_err(|m| invalid("INVALID_POLICY", m))?;
    Ok(ResourcePolicy::new(text))
}

/// CDN authorization of an endpoint in `region` of `account`: each secret a well-formed
/// Secrets Manager secret ARN of that region and account, named once; the role an IAM role.
/// (Secrets Manager is not emulated: the secrets' existence and content are not checked.)
fn check_cdn_auth(
    cdn: &CdnAuthConfiguration,
    region: &str,
    account: &str,
) -> Result<(), ServiceError> {
    for (i, arn) in cdn.cdn_identifier_secret_arns.iter().enumerate() {
        match check_secret_arn(arn, region, account) {
            Ok(()) => {}
            Err(SecretArnProblem::Malformed) => return Err(malformed_secret(arn)),
            Err(SecretArnProblem::OtherRegion) => {
                return Err(invalid(
                    "SECRET_FROM_DIFFERENT_REGION",
                    format!("The secret {arn} must be in the origin endpoint's Region ({region})"),
                ))
            }
            Err(SecretArnProblem::OtherAccount) => {
                return Err(invalid(
                    "SECRET_FROM_DIFFERENT_ACCOUNT",
                    format!("The secret {arn} must belong to the origin endpoint's account"),
                ))
            }
        }
        if cdn.cdn_identifier_secret_arns[..i].contains(arn) {
            return Err(invalid(
                "DUPLICATED_SECRET",
                format!("The secret {arn} is listed more than once"),
            ));
        }
    }
    if !service::is_role_arn(&cdn.secrets_role_arn) {
        return Err(invalid(
            "INVALID_ROLE_ARN",
            format!(
                "The secrets role ARN {} is not valid. Valid format: arn:aws:iam::{{accountID}}:role/{{name}}",
                cdn.secrets_role_arn
            ),
        ));
    }
    Ok(())
}

fn malformed_secret(arn: &str) -> ServiceError {
    invalid(
        "MALFORMED_SECRET_ARN",
        format!(
            "The secret ARN {arn} is not valid. Valid format: arn:aws:secretsmanager:{{region}}:{{accountID}}:secret:{{name}}"
        ),
    )
}

impl MediaPackageV2 {
    fn channel_of(ctx: &RequestContext, input: &Value) -> Result<String, ServiceError> {
        Ok(channel_arn(
            &ctx.region,
            ctx.account(),
            req_str(input, "ChannelGroupName")?,
            req_str(input, "ChannelName")?,
        ))
    }

    fn endpoint_of(ctx: &RequestContext, input: &Value) -> Result<String, ServiceError> {
        Ok(endpoint_arn(
            &ctx.region,
            ctx.account(),
            req_str(input, "ChannelGroupName")?,
            req_str(input, "ChannelName")?,
            req_str(input, "OriginEndpointName")?,
        ))
    }

    pub(super) fn put_channel_policy(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let arn = Self::channel_of(ctx, input)?;
        let policy = checked(input, &arn)?;
        let mut state = self.state.write();
        state
            .channels
            .update(ctx, &arn, |c| {
                c.policy = Some(policy);
                Ok(json!({}))
            })
            .unwrap_or_else(|| Err(state.missing(ctx, &arn, Kind::Channel)))
    }

    pub(super) fn get_channel_policy(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let arn = Self::channel_of(ctx, input)?;
        let state = self.state.read();
        let c = state
            .channels
            .get_in(ctx, &arn)
            .ok_or_else(|| state.missing(ctx, &arn, Kind::Channel))?;
        let p = c.policy.as_ref().ok_or_else(|| policy_missing("channel"))?;
        Ok(
            json!({"ChannelGroupName": c.value.group, "ChannelName": c.value.name, "Policy": p.text()}),
        )
    }

    pub(super) fn delete_channel_policy(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let arn = Self::channel_of(ctx, input)?;
        // Idempotent as the deletes of resources (the model lists no
        // ResourceNotFoundException): a missing channel has no policy either.
        let mut state = self.state.write();
        let had = state
            .channels
            .get_in(ctx, &arn)
            .is_some_and(|c| c.policy.is_some());
        if had {
            state.channels.update(ctx, &arn, |c| {
                c.policy = None;
                Ok::<_, ServiceError>(())
            });
        }
        Ok(json!({}))
    }

    pub(super) fn put_origin_endpoint_policy(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let arn = Self::endpoint_of(ctx, input)?;
        let policy = checked(input, &arn)?;
        let cdn = member::<CdnAuthConfiguration>(input, "CdnAuthConfiguration")?;
        if let Some(cdn) = &cdn {
            check_cdn_auth(cdn, &ctx.region, ctx.account())?;
        }
        let mut state = self.state.write();
        state
            .endpoints
            .update(ctx, &arn, |e| {
                e.policy = Some(policy);
                e.value.cdn_auth = cdn;
                Ok(json!({}))
            })
            .unwrap_or_else(|| Err(state.missing(ctx, &arn, Kind::Endpoint)))
    }

    pub(super) fn get_origin_endpoint_policy(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let arn = Self::endpoint_of(ctx, input)?;
        let state = self.state.read();
        let e = state.endpoint(ctx, &arn)?;
        let p = e
            .policy
            .as_ref()
            .ok_or_else(|| policy_missing("origin endpoint"))?;
        let mut out = json!({"ChannelGroupName": e.value.group, "ChannelName": e.value.channel,
            "OriginEndpointName": e.value.name, "Policy": p.text()});
        if let Some(cdn) = &e.value.cdn_auth {
            out["CdnAuthConfiguration"] = json!(cdn);
        }
        Ok(out)
    }

    pub(super) fn delete_origin_endpoint_policy(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let arn = Self::endpoint_of(ctx, input)?;
        // Idempotent as DeleteChannelPolicy.
        let mut state = self.state.write();
        let had = state
            .endpoints
            .get_in(ctx, &arn)
            .is_some_and(|e| e.policy.is_some() || e.value.cdn_auth.is_some());
        if had {
            state.endpoints.update(ctx, &arn, |e| {
                e.policy = None;
                e.value.cdn_auth = None;
                Ok::<_, ServiceError>(())
            });
        }
        Ok(json!({}))
    }
}
