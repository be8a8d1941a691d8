//! `POST /_mediamock/console/signin`: an IAM user's console-password sign-in. Unsigned by
//! nature (the password is the credential); it answers only temporary credentials of the
//! user's own session, which the browser then signs every API call with.

use crate::app::App;
use crate::pipeline::Incoming;
use crate::response::{self, Body};
use hyper::Response;
use iam::console_sign_in::{SignInError, SignInRequest, INCORRECT};
use serde_json::{json, Value};
use std::sync::Arc;

/// The route under the admin prefix.
pub const ROUTE: &str = "console/signin";

/// The largest sign-in body read (account, name, two passwords): small, as it is unsigned.
pub const MAX_BODY: usize = 4096;

/// Serves one sign-in request.
pub async fn serve(app: &Arc<App>, req: &Incoming<'_>) -> Response<Body> {
    let rid = req.request_id;
    if req.method != "POST" {
        return error(405, "MethodNotAllowed", "sign in with POST", rid);
    }
    let Some(sign_in) = parse(req.body) else {
        return error(
            400,
            "ValidationError",
            "the body must be JSON with account, userName and password",
            rid,
        );
    };
    let journal = service::Journal::default();
    let outcome = {
        let _commit = app.commit_gate.read().await;
        let outcome = app.iam.console_sign_in(&sign_in, &journal);
        if let Some(store) = app.services.get("iam") {
            if let Err(e) = app.persist(store.as_ref(), &journal).await {
                return error(500, "ServiceFailure", &e, rid);
            }
        }
        outcome
    };
    match outcome {
        Ok(s) => no_store(response::json(
            200,
            &json!({"AccessKeyId": s.access_key_id, "SecretAccessKey": s.secret_access_key,
                "SessionToken": s.session_token, "Expiration": s.expiration,
                "Arn": s.arn, "Account": s.account}),
            rid,
        )),
        Err(SignInError::Incorrect) => error(401, "AuthenticationFailed", INCORRECT, rid),
        Err(SignInError::Throttled { retry_after }) => error(
            429,
            "TooManyRequests",
            &format!("Too many failed sign-in attempts. Try again in {retry_after} seconds."),
            rid,
        ),
        Err(SignInError::NewPasswordRequired { reason }) => {
            error(403, "PasswordResetRequired", &reason, rid)
        }
        Err(SignInError::Expired) => error(
            403,
            "PasswordExpired",
            "Your password has expired. Contact your administrator to reset it.",
            rid,
        ),
        Err(SignInError::NewPasswordRefused { code, message }) => {
            let status = if code == "AccessDenied" { 403 } else { 400 };
            error(status, &code, &message, rid)
        }
    }
}

/// The request's fields; `None` when a required one is missing or not a string.
fn parse(body: &[u8]) -> Option<SignInRequest> {
    let v: Value = serde_json::from_slice(body).ok()?;
    let field = |k: &str| v.get(k).and_then(Value::as_str).map(str::to_string);
    Some(SignInRequest {
        account: field("account")?,
        user_name: field("userName")?,
        password: field("password")?,
        new_password: field("newPassword").filter(|p| !p.is_empty()),
    })
}

fn error(status: u16, code: &str, message: &str, request_id: &str) -> Response<Body> {
    no_store(response::json(
        status,
        &json!({"code": code, "message": message}),
        request_id,
    ))
}

/// Credentials in an answer are never cached.
fn no_store(mut r: Response<Body>) -> Response<Body> {
    if let Ok(v) = "no-store".parse() {
        r.headers_mut().insert(hyper::header::CACHE_CONTROL, v);
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_fields_and_refuses_missing_ones() {
        let r =
            parse(br#"{"account":"000000000000","userName":"a","password":"p","newPassword":""}"#)
                .unwrap();
        assert_eq!(r.user_name, "a");
        assert_eq!(r.new_password, None);
        let r =
            parse(br#"{"account":"x","userName":"a","password":"p","newPassword":"n"}"#).unwrap();
        assert_eq!(r.new_password.as_deref(), Some("n"));
        assert!(parse(br#"{"account":"x","userName":"a"}"#).is_none());
        assert!(parse(br#"{"account":"x","userName":1,"password":"p"}"#).is_none());
        assert!(parse(b"not json").is_none());
    }
}
