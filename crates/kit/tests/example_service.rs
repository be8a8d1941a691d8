//! The service of KIT_API.md, compiled and run: a MediaConvert-shaped service on the kit and
//! the authorization engine (queues: create, get, list with paging, delete, tags; a job that
//! passes a role).

use kit::input::{opt_str, req_str, timestamp};
use kit::{PageRequest, Paging, Store, Stored, TagRules};
use parking_lot::RwLock;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use service::{
    Access, AuthzSpec, ContextValue, Locate, Principal, RequestContext, Runtime, Service,
    ServiceError, StoredFacts,
};
use std::sync::Arc;

// --- state ---------------------------------------------------------------------------------

/// A queue as stored (typed; the API view is built from it).
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Queue {
    name: String,
    description: Option<String>,
    created_at: f64,
}

struct State {
    queues: Store<Queue>,
}

struct Convert {
    runtime: Arc<Runtime>,
    state: RwLock<State>,
}

const TAGS: TagRules = TagRules::new("BadRequestException");
const PAGING: Paging = Paging::new(20, "BadRequestException").members("MaxResults", "NextToken");

fn not_found(name: &str) -> ServiceError {
    ServiceError::new(
        "NotFoundException",
        format!("The specified queue: {name} does not exist"),
    )
}

fn queue_arn(ctx: &RequestContext, name: &str) -> String {
    format!(
        "arn:aws:mediaconvert:{}:{}:queues/{name}",
        ctx.region,
        ctx.account()
    )
}

fn view(arn: &str, q: &Queue) -> Value {
    json!({"Arn": arn, "Name": q.name, "Description": q.description,
           "CreatedAt": timestamp(q.created_at), "Status": "ACTIVE", "Type": "CUSTOM"})
}

// --- handlers ------------------------------------------------------------------------------

impl Convert {
    fn create_queue(&self, ctx: &RequestContext, input: &Value) -> Result<Value, ServiceError> {
        let name = req_str(input, "Name")?;
        let tags = TAGS.read(input, "Tags")?;
        let arn = queue_arn(ctx, name);
        let mut state = self.state.write();
        if state.queues.get_in(ctx, &arn).is_some() {
            return Err(ServiceError::new(
                "ConflictException",
                format!("Queue {name} already exists"),
            ));
        }
        let queue = Queue {
            name: name.to_string(),
            description: opt_str(input, "Description").map(str::to_string),
            created_at: self.runtime.clock.now(),
        };
        let out = json!({ "Queue": view(&arn, &queue) });
        state
            .queues
            .put(&ctx.journal, &arn, Stored::new(queue, tags));
        Ok(out)
    }

    fn get_queue(&self, ctx: &RequestContext, input: &Value) -> Result<Value, ServiceError> {
        let name = req_str(input, "Name")?;
        let arn = queue_arn(ctx, name);
        let state = self.state.read();
        let q = state
            .queues
            .get_in(ctx, &arn)
            .ok_or_else(|| not_found(name))?;
        Ok(json!({ "Queue": view(&arn, &q.value) }))
    }

    fn list_queues(&self, ctx: &RequestContext, input: &Value) -> Result<Value, ServiceError> {
        let key = &self.runtime.token_key;
        let page = PageRequest::read(key, &PAGING, ctx, "ListQueues", input, "")?;
        let state = self.state.read();
        let found = state.queues.page(ctx, key, &page, |_, _| true);
        let queues: Vec<Value> = found
            .items
            .iter()
            .map(|(arn, q)| view(arn, &q.value))
            .collect();
        let mut out = serde_json::Map::from_iter([("Queues".to_string(), Value::from(queues))]);
        page.put_token(&mut out, found.next);
        Ok(Value::Object(out))
    }

    fn delete_queue(&self, ctx: &RequestContext, input: &Value) -> Result<Value, ServiceError> {
        let name = req_str(input, "Name")?;
        let arn = queue_arn(ctx, name);
        let mut state = self.state.write();
        state
            .queues
            .get_in(ctx, &arn)
            .ok_or_else(|| not_found(name))?;
        state.queues.remove(&ctx.journal, &arn);
        Ok(json!({}))
    }

    fn list_tags(&self, ctx: &RequestContext, input: &Value) -> Result<Value, ServiceError> {
        let arn = req_str(input, "Arn")?;
        let state = self.state.read();
        let q = state
            .queues
            .get_in(ctx, arn)
            .ok_or_else(|| not_found(arn))?;
        Ok(json!({"ResourceTags": {"Arn": arn, "Tags": kit::tags_to_map(&q.tags)}}))
    }
}

kit::operations! { Convert, "mediaconvert";
    AssociateCertificate, CancelJob, CreateJob, CreateJobTemplate, CreatePreset,
    CreateQueue => Convert::create_queue,
    CreateResourceShare, DeleteJobTemplate, DeletePolicy, DeletePreset,
    DeleteQueue => Convert::delete_queue,
    DescribeEndpoints, DisassociateCertificate, GetJob, GetJobTemplate, GetJobsQueryResults,
    GetPolicy, GetPreset,
    GetQueue => Convert::get_queue,
    ListJobTemplates, ListJobs, ListPresets,
    ListQueues => Convert::list_queues,
    ListTagsForResource => Convert::list_tags,
    ListVersions, Probe, PutPolicy, SearchJobs, StartJobsQuery, TagResource, UntagResource,
    UpdateJobTemplate, UpdatePreset, UpdateQueue,
}

// --- the seam ------------------------------------------------------------------------------

impl Service for Convert {
    fn signing_name(&self) -> &'static str {
        "mediaconvert"
    }

    fn authz_spec(&self) -> AuthzSpec {
        AuthzSpec {
            principal: "mediaconvert.amazonaws.com",
            arn_members: &[("Arn", "*")],
            id_members: &[("Name", "Queue", "QueueName")],
            role_members: &["Role"],
            tag_members: &["Tags"],
            tag_key_members: &["TagKeys"],
        }
    }

    /// CreateJob names its queue by name or ARN: only the service knows which.
    fn locate(&self, ctx: &RequestContext, q: &mut Locate<'_>) -> Result<(), ServiceError> {
        if q.operation == "CreateJob" {
            if let Some(queue) = opt_str(q.input, "Queue") {
                let arn = if queue.starts_with("arn:") {
                    queue.to_string()
                } else {
                    queue_arn(ctx, queue)
                };
                q.set("Queue", vec![arn]);
            }
        }
        Ok(())
    }

    fn stored(&self, _ctx: &RequestContext, arn: &str) -> Option<StoredFacts> {
        self.state.read().queues.get(arn).map(Stored::facts)
    }

    fn handle(
        &self,
        ctx: &RequestContext,
        operation: &str,
        input: Value,
    ) -> Result<Value, ServiceError> {
        kit::Operations::dispatch(self, ctx, operation, &input)
    }

    fn restore(&self, record: &service::Record) -> Result<(), String> {
        let mut state = self.state.write();
        match record.table.as_str() {
            "queue" => state.queues.restore(record),
            other => Err(format!("mediaconvert has no table {other}")),
        }
    }

    fn records(&self) -> Vec<service::Record> {
        self.state.read().queues.records()
    }

    fn reset(&self) {
        self.state.write().queues.clear();
    }
}

// --- tests ---------------------------------------------------------------------------------

fn convert() -> Convert {
    Convert {
        runtime: Arc::new(Runtime::for_tests()),
        state: RwLock::new(State {
            queues: Store::new("queue"),
        }),
    }
}

fn ctx(account: &str) -> RequestContext {
    RequestContext::new("r", Arc::new(Principal::root(account, "k")), "us-east-1")
}

fn accesses(s: &Convert, c: &RequestContext, op: &str, input: Value) -> Vec<Access> {
    match authz::authorize(s, c, op, &input).unwrap() {
        authz::Authorization::Required(a) => a,
        other => panic!("{other:?}"),
    }
}

#[test]
fn the_operation_list_matches_the_model() {
    kit::check_against_model::<Convert>().unwrap();
}

#[test]
fn queues_create_get_list_delete_with_tags_and_paging() {
    let s = convert();
    let c = ctx("111111111111");
    for i in 0..5 {
        s.handle(
            &c,
            "CreateQueue",
            json!({"Name": format!("q{i}"), "Tags": {"team": "a"}}),
        )
        .unwrap();
    }
    let e = s
        .handle(&c, "CreateQueue", json!({"Name": "q0"}))
        .unwrap_err();
    assert_eq!(e.code, "ConflictException");
    let got = s.handle(&c, "GetQueue", json!({"Name": "q1"})).unwrap();
    assert_eq!(got["Queue"]["Name"], "q1");
    let arn = got["Queue"]["Arn"].as_str().unwrap().to_string();
    let tags = s
        .handle(&c, "ListTagsForResource", json!({ "Arn": arn }))
        .unwrap();
    assert_eq!(tags["ResourceTags"]["Tags"], json!({"team": "a"}));
    let first = s
        .handle(&c, "ListQueues", json!({"MaxResults": 3}))
        .unwrap();
    assert_eq!(first["Queues"].as_array().unwrap().len(), 3);
    let next = s
        .handle(
            &c,
            "ListQueues",
            json!({"MaxResults": 3, "NextToken": first["NextToken"]}),
        )
        .unwrap();
    assert_eq!(next["Queues"].as_array().unwrap().len(), 2);
    assert!(next.get("NextToken").is_none());
    // Another account sees nothing and cannot reuse the token.
    let other = ctx("222222222222");
    assert_eq!(
        s.handle(&other, "GetQueue", json!({"Name": "q1"}))
            .unwrap_err()
            .code,
        "NotFoundException"
    );
    let e = s
        .handle(
            &other,
            "ListQueues",
            json!({"NextToken": first["NextToken"]}),
        )
        .unwrap_err();
    assert_eq!(e.code, "BadRequestException");
    s.handle(&c, "DeleteQueue", json!({"Name": "q1"})).unwrap();
    assert_eq!(
        s.handle(&c, "GetQueue", json!({"Name": "q1"}))
            .unwrap_err()
            .code,
        "NotFoundException"
    );
    assert_eq!(
        s.handle(&c, "CancelJob", json!({})).unwrap_err().code,
        "NotImplemented"
    );
    // The journal replays into the same state.
    let replica = convert();
    for (_, r) in c.journal.take() {
        replica.restore(&r).unwrap();
    }
    assert_eq!(replica.records(), s.records());
}

#[test]
fn the_engine_authorizes_queues_and_passed_roles() {
    let s = convert();
    let c = ctx("111111111111");
    s.handle(
        &c,
        "CreateQueue",
        json!({"Name": "q", "Tags": {"team": "a"}}),
    )
    .unwrap();
    let get = accesses(&s, &c, "GetQueue", json!({"Name": "q"}));
    assert_eq!(get[0].action, "mediaconvert:GetQueue");
    assert_eq!(
        get[0].resource,
        "arn:aws:mediaconvert:us-east-1:111111111111:queues/q"
    );
    assert!(get[0].context.contains(&(
        "aws:ResourceTag/team".into(),
        ContextValue::String("a".into())
    )));
    let create = accesses(
        &s,
        &c,
        "CreateQueue",
        json!({"Name": "n", "Tags": {"k": "v"}}),
    );
    assert_eq!(create[0].resource, "*");
    assert!(create[0].context.contains(&(
        "aws:TagKeys".into(),
        ContextValue::Strings(vec!["k".into()])
    )));
    let role = "arn:aws:iam::111111111111:role/convert";
    let job = accesses(
        &s,
        &c,
        "CreateJob",
        json!({"Role": role, "Queue": "q", "Settings": {}}),
    );
    assert_eq!(
        job[0].resource,
        "arn:aws:mediaconvert:us-east-1:111111111111:queues/q"
    );
    assert_eq!(job[1].action, "iam:PassRole");
    assert_eq!(job[1].resource, role);
    assert_eq!(
        job[1].context,
        vec![(
            "iam:PassedToService".into(),
            ContextValue::String("mediaconvert.amazonaws.com".into())
        )]
    );
}
