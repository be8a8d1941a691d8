use crate::{Journal, Principal};
use std::net::IpAddr;
use std::sync::Arc;

/// Everything about one request a service may need besides its input.
#[derive(Debug)]
pub struct RequestContext {
    /// The `x-amzn-RequestId` of this request.
    pub request_id: String,
    /// Who is calling.
    pub principal: Arc<Principal>,
    /// The region of the credential scope.
    pub region: String,
    /// The client's address (`aws:SourceIp`).
    pub source_ip: Option<IpAddr>,
    /// `aws:SecureTransport` as policies see it: the server's `--secure-transport` setting
    /// (mediamock itself serves plain HTTP; AWS's API endpoints take only TLS).
    pub secure_transport: bool,
    /// The `Host` the client addressed (for URLs that point back at this server).
    pub host: Option<String>,
    /// Durable records this request writes; the server commits them before it answers.
    pub journal: Journal,
    /// The resources the caller may not act on, for an operation whose items AWS authorizes
    /// one by one ([`crate::Locate::decide_each`]): the handler answers a refusal for each.
    pub refused: Vec<String>,
    /// The input member the service reads apart ([`crate::Service::doc_member`]), when the
    /// server read it so (the input value then leaves it out).
    pub doc_member: Option<crate::DocMember>,
}

impl RequestContext {
    /// A context for `principal` in `region` with a fresh journal (a region given owned is
    /// kept, not copied).
    pub fn new(
        request_id: impl Into<String>,
        principal: Arc<Principal>,
        region: impl Into<String>,
    ) -> Self {
        RequestContext {
            request_id: request_id.into(),
            principal,
            region: region.into(),
            source_ip: None,
            secure_transport: false,
            host: None,
            journal: Journal::default(),
            refused: Vec::new(),
            doc_member: None,
        }
    }

    /// The caller's account.
    pub fn account(&self) -> &str {
        &self.principal.account
    }
}
