//! `GET /capabilities`, and the `/auth_test/*` routes pysogs' own auth tests register (kept
//! so the auth vectors can be replayed against the double).

use serde_json::{Map, Value, json};

use super::ctx::Ctx;
use super::reply::{Answer, Reply};

/// `GET /capabilities[?required=a,b]`.
pub(crate) fn capabilities(ctx: &Ctx<'_>) -> Answer {
    let mut caps = vec!["reactions", "sogs"];
    if ctx.state.config.require_blind_keys {
        caps.push("blind");
    }
    if ctx.state.config.blind25 {
        caps.push("blind25");
    }
    caps.sort_unstable();
    let mut body = Map::new();
    body.insert("capabilities".into(), json!(caps));
    let mut status = 200;
    if let Some(required) = ctx.request.query_param("required") {
        // In the order asked, duplicates and empty names included, as pysogs lists them.
        let missing: Vec<&str> = required
            .split(',')
            .filter(|cap| !caps.contains(cap))
            .collect();
        if !missing.is_empty() {
            body.insert("missing".into(), json!(missing));
            status = 412;
        }
    }
    Ok(Reply::json(status, &Value::Object(body)))
}

/// `/auth_test/whoami` (GET) and `/auth_test/auth_required` (GET, POST), as in pysogs'
/// `tests/test_auth.py`.
pub(crate) fn whoami(ctx: &Ctx<'_>, require: bool) -> Answer {
    if require {
        ctx.require_user()?;
    }
    let mut body = Map::new();
    if !ctx.request.query.is_empty() {
        body.insert("query".into(), json!(ctx.request.query));
    }
    let user = ctx.user.and_then(|uid| ctx.state.user(uid)).map_or(
        Value::Null,
        |user| json!({"uid": user.id, "session_id": user.session_id}),
    );
    body.insert("user".into(), user);
    if let Some(echo) = ctx.request.header("X-Foo") {
        body.insert("foo".into(), json!(echo));
    }
    if ctx.request.method == "POST" {
        let posted = if ctx.request.body.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&ctx.request.body).map_err(|_| Reply::error_page(500))?
        };
        body.insert("body".into(), posted);
    }
    Ok(Reply::ok(&Value::Object(body)))
}
