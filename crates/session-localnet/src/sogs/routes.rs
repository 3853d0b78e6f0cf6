//! The route table: which handler answers which method and (decoded) path, with Flask's
//! 404 for an unknown path and 405 for a known path with another method.

use super::ctx::Ctx;
use super::reply::{Answer, Reply};
use super::{dms, files, general, messages, permissions, pins, reactions, rooms, users};

/// Answers `ctx.request` (already authenticated).
pub(crate) fn route(ctx: &mut Ctx<'_>) -> Reply {
    dispatch(ctx).unwrap_or_else(|error| error)
}

/// Runs `answer` if `method` is one of `allowed` (GET also serves HEAD), else 405.
fn on(method: &str, allowed: &[&str], answer: impl FnOnce() -> Answer) -> Answer {
    let head_as_get = method == "HEAD" && allowed.contains(&"GET");
    if allowed.contains(&method) || head_as_get {
        answer()
    } else {
        Err(Reply::error_page(405))
    }
}

fn dispatch(ctx: &mut Ctx<'_>) -> Answer {
    let path = ctx.request.path.clone();
    let method = ctx.request.method.clone();
    let m = method.as_str();
    let Some(rest) = path.strip_prefix('/') else {
        return Err(Reply::error_page(404));
    };
    let segments: Vec<&str> = rest.split('/').collect();
    match segments.as_slice() {
        ["capabilities"] => on(m, &["GET"], || general::capabilities(ctx)),
        ["auth_test", "whoami"] => on(m, &["GET"], || general::whoami(ctx, false)),
        ["auth_test", "auth_required"] => on(m, &["GET", "POST"], || general::whoami(ctx, true)),
        ["rooms"] => on(m, &["GET"], || rooms::list(ctx)),
        ["rooms", "all", sid] => on(m, &["DELETE"], || messages::delete_everywhere(ctx, sid)),
        ["room", token] => match m {
            "PUT" => rooms::update(ctx, token),
            _ => on(m, &["GET"], || rooms::get(ctx, token)),
        },
        ["room", token, "pollInfo", n] => on(m, &["GET"], || rooms::poll_info(ctx, token, n)),
        ["room", token, "permissions"] => on(m, &["GET"], || permissions::list(ctx, token)),
        ["room", token, "permissions", sid] => match m {
            "POST" => permissions::set(ctx, token, sid),
            _ => on(m, &["GET"], || permissions::get(ctx, token, sid)),
        },
        ["room", token, "futurePermissions"] => {
            on(m, &["GET"], || permissions::list_future(ctx, token, None))
        }
        ["room", token, "futurePermissions", sid] => match m {
            "POST" => permissions::schedule(ctx, token, sid),
            _ => on(m, &["GET"], || {
                permissions::list_future(ctx, token, Some(sid))
            }),
        },
        ["room", token, "all", sid] => on(m, &["DELETE"], || messages::delete_all(ctx, token, sid)),
        ["room", token, "messages", "since", n] => {
            on(m, &["GET"], || messages::since(ctx, token, n))
        }
        ["room", token, "messages", "recent"] => {
            on(m, &["GET"], || messages::recent(ctx, token, None))
        }
        ["room", token, "messages", "before", id] => {
            on(m, &["GET"], || messages::recent(ctx, token, Some(id)))
        }
        ["room", token, "message"] => on(m, &["POST"], || messages::post(ctx, token)),
        ["room", token, "message", id] => match m {
            "PUT" => messages::edit(ctx, token, id),
            "DELETE" => messages::delete(ctx, token, id),
            _ => on(m, &["GET"], || messages::one(ctx, token, id)),
        },
        ["room", token, "pin", id] => on(m, &["POST"], || pins::pin(ctx, token, id)),
        ["room", token, "unpin", "all"] => on(m, &["POST"], || pins::unpin_all(ctx, token)),
        ["room", token, "unpin", id] => on(m, &["POST"], || pins::unpin(ctx, token, id)),
        ["room", token, "reaction", id, reaction @ ..] if !reaction.is_empty() => {
            let reaction = reaction.join("/");
            match m {
                "PUT" => reactions::add(ctx, token, id, &reaction),
                _ => on(m, &["DELETE"], || {
                    reactions::remove(ctx, token, id, &reaction)
                }),
            }
        }
        ["room", token, "reactions", id] => {
            on(m, &["DELETE"], || reactions::clear(ctx, token, id, None))
        }
        ["room", token, "reactions", id, reaction @ ..] => {
            let reaction = reaction.join("/");
            on(m, &["DELETE"], || {
                reactions::clear(ctx, token, id, Some(&reaction))
            })
        }
        ["room", token, "reactors", id, reaction @ ..] if !reaction.is_empty() => {
            let reaction = reaction.join("/");
            on(m, &["GET"], || {
                reactions::reactors(ctx, token, id, &reaction)
            })
        }
        ["room", token, "file"] => on(m, &["POST"], || files::upload(ctx, token)),
        ["room", token, "file", id, ..] => on(m, &["GET"], || files::download(ctx, token, id)),
        ["user", sid, "ban"] => on(m, &["POST"], || users::ban(ctx, sid)),
        ["user", sid, "unban"] => on(m, &["POST"], || users::unban(ctx, sid)),
        ["user", sid, "moderator"] => on(m, &["POST"], || users::moderator(ctx, sid)),
        ["inbox"] => match m {
            "DELETE" => dms::clear(ctx),
            _ => on(m, &["GET"], || dms::list(ctx, false, None)),
        },
        ["inbox", "since", id] => on(m, &["GET"], || dms::list(ctx, false, Some(id))),
        ["inbox", sid] => on(m, &["POST"], || dms::send(ctx, sid)),
        ["outbox"] => on(m, &["GET"], || dms::list(ctx, true, None)),
        ["outbox", "since", id] => on(m, &["GET"], || dms::list(ctx, true, Some(id))),
        _ => Err(Reply::error_page(404)),
    }
}
