//! Room file routes: upload (raw bytes, optional RFC 5987 filename) and download with the
//! headers pysogs sends (`Content-Disposition`, `Date` = upload time, `Expires`).

use serde_json::json;

use super::ctx::{Ctx, parse_id};
use super::reply::{Answer, Reply};
use super::request::{percent_decode, percent_encode};
use super::state::{FILE_EXPIRY_S, StoredFile};
use super::views::http_date;

/// The filename of a `Content-Disposition` header: `filename*=UTF-8''<pct>` preferred,
/// else `filename="…"` / `filename=…`.
fn filename(disposition: &str) -> Option<String> {
    let mut plain = None;
    for part in disposition.split(';').skip(1) {
        let Some((key, value)) = part.split_once('=') else {
            continue;
        };
        let key = key.trim().to_ascii_lowercase();
        let value = value.trim();
        if key == "filename*" {
            let (charset, rest) = value.split_once('\'')?;
            let (_, encoded) = rest.split_once('\'')?;
            if charset.eq_ignore_ascii_case("utf-8") {
                return Some(percent_decode(encoded, false));
            }
        } else if key == "filename" {
            plain = Some(value.trim_matches('"').to_owned());
        }
    }
    plain.filter(|name| !name.is_empty())
}

/// `POST /room/R/file`.
pub(crate) fn upload(ctx: &mut Ctx<'_>, token: &str) -> Answer {
    let (uploader, perms) = ctx.require_write(token)?;
    if !perms.upload {
        return Err(Reply::error_page(403));
    }
    if ctx.request.body.is_empty() {
        return Err(Reply::error_page(400));
    }
    let name = ctx.request.header("Content-Disposition").and_then(filename);
    let id = ctx.state.next_file_id();
    let now = ctx.now;
    ctx.state.files.insert(
        id,
        StoredFile {
            room: token.to_owned(),
            uploader,
            message: None,
            data: ctx.request.body.clone(),
            filename: name,
            uploaded: now,
            expiry: Some(now + FILE_EXPIRY_S),
        },
    );
    Ok(Reply::json(201, &json!({"id": id})))
}

/// `GET /room/R/file/{id}[/{any filename}]`.
pub(crate) fn download(ctx: &Ctx<'_>, token: &str, id: &str) -> Answer {
    let id = parse_id(id)?;
    ctx.require_read(token)?;
    let file = ctx
        .state
        .files
        .get(&id)
        .filter(|file| file.room == token)
        .ok_or_else(|| Reply::error_page(404))?;
    let disposition = file.filename.as_ref().map_or_else(
        || "attachment".to_owned(),
        |name| format!("attachment; filename*=UTF-8''{}", percent_encode(name)),
    );
    // Werkzeug's order: the view's headers, then the content type it sets last.
    let mut reply = Reply {
        status: 200,
        headers: Vec::new(),
        body: file.data.clone(),
    }
    .with_header("Date", http_date(file.uploaded))
    .with_header("Content-Disposition", disposition);
    if let Some(expiry) = file.expiry {
        reply = reply.with_header("Expires", http_date(expiry));
    }
    Ok(reply.with_header("Content-Type", "application/octet-stream"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filenames() {
        assert_eq!(
            filename("attachment; filename*=UTF-8''caf%C3%A9.txt").as_deref(),
            Some("café.txt")
        );
        assert_eq!(
            filename("attachment; filename=\"a.txt\"").as_deref(),
            Some("a.txt")
        );
        assert_eq!(filename("attachment"), None);
    }
}
