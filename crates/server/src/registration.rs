//! The one place services are registered: adding a service is one line here.

use service::{Runtime, Service};
use std::sync::Arc;

/// Every emulated service, one line each.
pub fn services(runtime: &Arc<Runtime>, iam: &Arc<iam::Iam>) -> Vec<Arc<dyn Service>> {
    vec![
        iam.iam_service(),
        iam.sts_service(),
        ivs::Ivs::new(runtime.clone()),
        mediaconvert::MediaConvert::new(runtime.clone(), iam.clone()),
        mediaconnect::MediaConnect::new(runtime.clone(), iam.clone()),
        mediapackage::MediaPackage::new(runtime.clone()),
        mediapackage::MediaPackageV2::new(runtime.clone()),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;
    use service::{Access, Principal, RequestContext, ServiceError};

    /// A model without a service crate yet: the engine's mapping from the model and the
    /// reference alone.
    struct ModelOnly(&'static str);

    impl Service for ModelOnly {
        fn signing_name(&self) -> &'static str {
            self.0
        }
        fn handle(&self, _: &RequestContext, op: &str, _: Value) -> Result<Value, ServiceError> {
            Err(ServiceError::not_implemented(self.0, op))
        }
    }

    /// A registered service's static spec and stored facts, without its state lookups.
    struct SpecOnly(Arc<dyn Service>);

    impl Service for SpecOnly {
        fn signing_name(&self) -> &'static str {
            self.0.signing_name()
        }
        fn authz_spec(&self) -> service::AuthzSpec {
            self.0.authz_spec()
        }
        fn handle(&self, _: &RequestContext, op: &str, _: Value) -> Result<Value, ServiceError> {
            Err(ServiceError::not_implemented(self.signing_name(), op))
        }
    }

    /// Whether `access` is one the reference allows for `op`'s action: the action exists, and
    /// the resource has one of the action's ARN formats (or is `*` / the ARN AWS reports when
    /// the action has no required resource type).
    fn conforms(prefix: &str, op: &str, access: &Access) -> Result<(), String> {
        if access.action == "iam:PassRole" {
            let role =
                authz::ArnFormat::new("arn:${Partition}:iam::${Account}:role/${RoleNameWithPath}");
            return role
                .matches(&access.resource)
                .then_some(())
                .ok_or("PassRole on a non-role".into());
        }
        let Some(authz::Plan::Action(plan)) = authz::plan(prefix, op) else {
            return Err("no action".into());
        };
        if access.action != plan.action {
            return Err(format!("action {} is not {}", access.action, plan.action));
        }
        let (service, action) = access.action.split_once(':').unwrap_or_default();
        let facts = protocol::authz_facts::service(service).ok_or("no facts")?;
        let listed = facts.action(action).is_some() || authz::overrides::find(prefix, op).is_some();
        if !listed {
            return Err(format!("{} is not in the reference", access.action));
        }
        let typed = plan
            .types
            .iter()
            .any(|t| t.format.matches(&access.resource));
        let open = !plan.types.iter().any(|t| t.required)
            && (access.resource == "*"
                || access.resource.starts_with(&format!("arn:aws:{service}:")));
        if typed || open {
            Ok(())
        } else {
            Err(format!(
                "resource {} has none of the action's ARN formats",
                access.resource
            ))
        }
    }

    #[test]
    fn every_operation_of_every_model_maps_to_accesses_the_reference_allows() {
        let runtime = Arc::new(Runtime::for_tests());
        let iam = iam::Iam::new(runtime.clone(), iam::Mode::Enforce);
        let mut all = services(&runtime, &iam);
        for name in [
            "mediaconnect",
            "mediaconvert",
            "mediapackage",
            "mediapackagev2",
        ] {
            if !all.iter().any(|s| s.signing_name() == name) {
                all.push(Arc::new(ModelOnly(name)));
            }
        }
        let registry = protocol::Registry::shared();
        let caller = Principal {
            account: "000000000000".into(),
            arn: "arn:aws:iam::000000000000:user/bob".into(),
            kind: service::PrincipalKind::User,
            user_id: "AIDAEXAMPLE".into(),
            username: Some("bob".into()),
            access_key_id: "AKIAEXAMPLE".into(),
            session: None,
        };
        let ctx = RequestContext::new("r", Arc::new(caller), "us-west-2");
        let mut problems = Vec::new();
        let mut checked = 0;
        for svc in &all {
            let name = svc.signing_name();
            let model = registry.model(name).unwrap();
            for op in model.operations() {
                let mut input = protocol::sample::valid_input(model, op);
                // Well-formed ARNs where the sample has placeholder text.
                for (member, arn) in [
                    ("PolicyArn", "arn:aws:iam::000000000000:policy/p"),
                    ("PolicySourceArn", "arn:aws:iam::000000000000:user/bob"),
                    (
                        "OpenIDConnectProviderArn",
                        "arn:aws:iam::000000000000:oidc-provider/example.com",
                    ),
                    (
                        "SAMLProviderArn",
                        "arn:aws:iam::000000000000:saml-provider/s",
                    ),
                    ("SerialNumber", "arn:aws:iam::000000000000:mfa/dev"),
                    // A role passed to a service (MediaConvert's job `Role`).
                    ("Role", "arn:aws:iam::000000000000:role/r"),
                ] {
                    if let Some(v) = input.get_mut(member) {
                        *v = Value::from(arn);
                    }
                }
                // Other ARN members: a resource of the type the action acts on.
                if let (Some(authz::Plan::Action(plan)), Some(map)) =
                    (authz::plan(name, &op.name), input.as_object_mut())
                {
                    for (member, v) in map.iter_mut() {
                        let placeholder = v.as_str().is_some_and(|s| !s.starts_with("arn:"));
                        if placeholder && member.to_ascii_lowercase().ends_with("arn") {
                            if let Some(t) = plan.types.first() {
                                *v =
                                    Value::from(t.format.fill("us-west-2", "000000000000", |_| {
                                        Some("x".to_string())
                                    }));
                            }
                        }
                    }
                }
                let mut result = authz::authorize(svc.as_ref(), &ctx, &op.name, &input);
                if result
                    .as_ref()
                    .is_err_and(|e| e.status.unwrap_or(400) < 500)
                {
                    // The service refused the sample input before authorization (an STS
                    // federation token that does not verify): the mapping from the spec and
                    // the reference must conform all the same.
                    result = authz::authorize(&SpecOnly(svc.clone()), &ctx, &op.name, &input);
                }
                match result {
                    Err(e) => problems.push(format!("{name}:{}: {e}", op.name)),
                    Ok(authz::Authorization::NoPermission) => {}
                    Ok(
                        authz::Authorization::Required(accesses)
                        | authz::Authorization::Each(accesses),
                    ) => {
                        if accesses.is_empty() {
                            problems.push(format!("{name}:{}: no access", op.name));
                        }
                        for a in &accesses {
                            if let Err(e) = conforms(name, &op.name, a) {
                                problems.push(format!("{name}:{}: {e}", op.name));
                            }
                        }
                    }
                }
                checked += 1;
            }
        }
        assert!(
            problems.is_empty(),
            "{} problems:\n{}",
            problems.len(),
            problems.join("\n")
        );
        assert!(checked > 400, "{checked} operations");
    }
}
