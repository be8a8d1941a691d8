//! A service's operations, listed once with [`operations!`](crate::operations): the list
//! dispatches, answers NotImplemented for an operation listed without a handler, is checked
//! against the model in a test, and (in tests and debug builds) refuses handler output the
//! output shape does not declare.

use serde_json::Value;
use service::{RequestContext, ServiceError};

/// What [`operations!`](crate::operations) generates for a service.
pub trait Operations: Sized + 'static {
    /// The model's signing name.
    const SIGNING_NAME: &'static str;
    /// Every operation of the model, with whether it has a handler.
    const OPERATIONS: &'static [(&'static str, bool)];
    /// Where answers knowingly leave the model because AWS's own answers do (see
    /// [`allowed_off_model`](crate::allowed_off_model)).
    const AS_AWS_ANSWERS: &'static [(&'static str, &'static str)];
    /// Runs `operation`.
    fn dispatch(
        &self,
        ctx: &RequestContext,
        operation: &str,
        input: &Value,
    ) -> Result<Value, ServiceError>;
}

/// In tests and debug builds, output the operation's output shape does not allow is an
/// error: a member it lacks (the serializer would drop it silently), a required member
/// missing, a value of the wrong type or outside its enum — unless `as_aws_answers` lists it.
/// In release builds the output passes.
pub fn checked_output(
    signing_name: &str,
    operation: &str,
    as_aws_answers: &[(&str, &str)],
    out: Result<Value, ServiceError>,
) -> Result<Value, ServiceError> {
    #[cfg(debug_assertions)]
    if let Ok(value) = &out {
        if let Some(model) = protocol::Registry::shared().model(signing_name) {
            let extra = crate::undeclared_members(model, operation, value);
            if !extra.is_empty() {
                return Err(ServiceError::internal(format!(
                    "{signing_name}:{operation} produced members its output shape does not have: {}",
                    extra.join(", ")
                )));
            }
            let off: Vec<String> = crate::off_model_members(model, operation, value)
                .into_iter()
                .filter(|f| !crate::allowed_off_model(as_aws_answers, operation, f))
                .collect();
            if !off.is_empty() {
                return Err(ServiceError::internal(format!(
                    "{signing_name}:{operation} answered off its output shape (a required member missing, or a value of the wrong type): {}",
                    off.join(", ")
                )));
            }
        }
    }
    #[cfg(not(debug_assertions))]
    let _ = (signing_name, operation, as_aws_answers);
    out
}

/// The answer for an operation the list does not have at all.
#[doc(hidden)]
pub fn unknown_operation(signing_name: &str, operation: &str) -> ServiceError {
    ServiceError::new(
        "UnknownOperationException",
        format!("{signing_name} has no operation {operation}"),
    )
    .with_status(400)
}

/// Compares a service's list with its model: every model operation listed once, nothing else.
/// Returns the differences, one per line.
pub fn check_against_model<S: Operations>() -> Result<(), String> {
    let registry = protocol::Registry::shared();
    let model = registry
        .model(S::SIGNING_NAME)
        .ok_or_else(|| format!("no model {}", S::SIGNING_NAME))?;
    let mut problems = Vec::new();
    for op in model.operation_names() {
        match S::OPERATIONS.iter().filter(|(name, _)| *name == op).count() {
            0 => problems.push(format!("{op} is in the model but not in the list")),
            1 => {}
            n => problems.push(format!("{op} is listed {n} times")),
        }
    }
    for (name, _) in S::OPERATIONS {
        if model.operation(name).is_none() {
            problems.push(format!("{name} is listed but not in the model"));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n"))
    }
}

/// Lists a service's operations once: `Name => handler` for an implemented operation (a
/// `fn(&Self, &RequestContext, &Value) -> Result<Value, ServiceError>`: a method path or a
/// closure without captures), or just `Name` for one that answers NotImplemented.
///
/// ```ignore
/// kit::operations! { MediaConvert, "mediaconvert";
///     CreateQueue => MediaConvert::create_queue,
///     GetQueue => |s, ctx, input| s.get_queue(ctx, input),
///     StartJobsQuery,
/// }
/// ```
#[macro_export]
macro_rules! operations {
    ($service:ty, $signing:literal $(, as_aws_answers: [$(($aop:literal, $apath:literal)),* $(,)?])?; $($op:ident $(=> $handler:expr)?),* $(,)?) => {
        impl $crate::Operations for $service {
            const SIGNING_NAME: &'static str = $signing;
            const AS_AWS_ANSWERS: &'static [(&'static str, &'static str)] =
                &[$($(($aop, $apath)),*)?];
            const OPERATIONS: &'static [(&'static str, bool)] =
                &[$((stringify!($op), $crate::__has_handler!($($handler)?))),*];

            fn dispatch(
                &self,
                ctx: &$crate::__service::RequestContext,
                operation: &str,
                input: &$crate::__json::Value,
            ) -> Result<$crate::__json::Value, $crate::__service::ServiceError> {
                let out = match operation {
                    $(stringify!($op) => $crate::__call_handler!(self, ctx, input, $signing, operation $(, $handler)?),)*
                    other => Err($crate::__unknown_operation($signing, other)),
                };
                $crate::__checked_output($signing, operation, Self::AS_AWS_ANSWERS, out)
            }
        }
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __has_handler {
    () => {
        false
    };
    ($h:expr) => {
        true
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __call_handler {
    ($s:ident, $c:ident, $i:ident, $sig:literal, $op:ident) => {
        Err($crate::__service::ServiceError::not_implemented($sig, $op))
    };
    ($s:ident, $c:ident, $i:ident, $sig:literal, $op:ident, $h:expr) => {{
        let handler: fn(
            &Self,
            &$crate::__service::RequestContext,
            &$crate::__json::Value,
        ) -> Result<$crate::__json::Value, $crate::__service::ServiceError> = $h;
        handler($s, $c, $i)
    }};
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use service::Principal;
    use std::sync::Arc;

    struct Sts;

    impl Sts {
        fn who(&self, ctx: &RequestContext, _: &Value) -> Result<Value, ServiceError> {
            Ok(json!({"Account": ctx.account()}))
        }
    }

    crate::operations! { Sts, "sts";
        AssumeRole,
        AssumeRoleWithSAML,
        AssumeRoleWithWebIdentity,
        AssumeRoot,
        DecodeAuthorizationMessage,
        GetAccessKeyInfo,
        GetCallerIdentity => Sts::who,
        GetDelegatedAccessToken,
        GetFederationToken => |_, _, _| Ok(json!({"Nonsense": 1})),
        GetSessionToken,
        GetWebIdentityToken,
    }

    fn ctx() -> RequestContext {
        RequestContext::new("r", Arc::new(Principal::root("123", "k")), "us-east-1")
    }

    #[test]
    fn the_list_dispatches_refuses_and_checks() {
        check_against_model::<Sts>().unwrap();
        assert_eq!(
            Sts.dispatch(&ctx(), "GetCallerIdentity", &json!({}))
                .unwrap(),
            json!({"Account": "123"})
        );
        let e = Sts.dispatch(&ctx(), "AssumeRole", &json!({})).unwrap_err();
        assert_eq!((e.code.as_str(), e.status), ("NotImplemented", Some(501)));
        let e = Sts.dispatch(&ctx(), "Nope", &json!({})).unwrap_err();
        assert_eq!(e.code, "UnknownOperationException");
        let e = Sts
            .dispatch(&ctx(), "GetFederationToken", &json!({}))
            .unwrap_err();
        assert!(e.message.contains("Nonsense"), "{e}");
    }
}
