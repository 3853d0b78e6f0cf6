//! `id qr`: a Session ID as a QR code, drawn on stderr or written as SVG.
//!
//! The code holds the bare 66-character Session ID, as the Session apps encode it. stdout
//! keeps the one-JSON-object contract; the drawing goes to stderr, where a person sees it and
//! a script ignores it.

use std::io::Write;

use qrcode::QrCode;
use qrcode::render::{svg, unicode};
use serde::Serialize;
use session::SessionId;

use crate::cli::QrArgs;
use crate::error::CliError;
use crate::input::Account;

/// What `id qr` prints.
#[derive(Debug, Serialize)]
pub(crate) struct Qr {
    /// The Session ID in the code.
    session_id: String,
    /// The SVG file written, or `null` when the code was drawn on stderr.
    svg: Option<String>,
}

/// `id qr`.
pub(crate) fn run(args: &QrArgs) -> Result<Qr, CliError> {
    let id = match args.source.account()? {
        Account::Secret(seed) => seed.keypair().session_id(),
        Account::Public(id) => id,
    };
    let code = code(&id)?;
    let svg = match &args.svg {
        Some(path) => {
            std::fs::write(path, to_svg(&code)).map_err(|error| {
                CliError::system(format!("cannot write {}: {error}", path.display()))
            })?;
            Some(path.display().to_string())
        }
        None => {
            writeln!(std::io::stderr().lock(), "{}", to_terminal(&code))
                .map_err(|error| CliError::system(format!("cannot write to stderr: {error}")))?;
            None
        }
    };
    Ok(Qr {
        session_id: id.to_string(),
        svg,
    })
}

/// The QR code of a Session ID.
fn code(id: &SessionId) -> Result<QrCode, CliError> {
    QrCode::new(id.to_string())
        .map_err(|error| CliError::system(format!("cannot make the QR code: {error}")))
}

/// Unicode half blocks, two modules per character cell. Light modules (and the quiet zone)
/// are drawn as blocks in the text colour, so the code scans on the usual light-on-dark
/// terminal.
fn to_terminal(code: &QrCode) -> String {
    code.render::<unicode::Dense1x2>()
        .dark_color(unicode::Dense1x2::Light)
        .light_color(unicode::Dense1x2::Dark)
        .build()
}

/// A standalone SVG document, black on white, at least 256 pixels square.
fn to_svg(code: &QrCode) -> String {
    code.render::<svg::Color<'_>>()
        .min_dimensions(256, 256)
        .dark_color(svg::Color("#000000"))
        .light_color(svg::Color("#ffffff"))
        .build()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_both_ways() {
        let id: SessionId = "054830367d369d94605247999a375dbd0a0f65fdec5de1535612bcb6d4de452c69"
            .parse()
            .unwrap();
        let code = code(&id).unwrap();
        let art = to_terminal(&code);
        assert!(art.contains('\u{2588}'));
        assert!(art.lines().count() > 10);
        let svg = to_svg(&code);
        assert!(svg.starts_with("<?xml"));
        assert!(svg.ends_with("</svg>"));
    }
}
