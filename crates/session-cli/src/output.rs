//! Printing results: one JSON object on stdout, or `{"error": ...}` on stderr.

use std::io::Write;
use std::process::ExitCode;

use serde::Serialize;

use crate::error::CliError;

/// Serialises a command's output as one line of JSON.
pub(crate) fn to_json<T: Serialize>(value: &T) -> Result<String, CliError> {
    serde_json::to_string(value)
        .map_err(|error| CliError::system(format!("cannot serialise the output: {error}")))
}

/// Prints a command's JSON on stdout; exit code 0, or 1 if stdout cannot be written.
pub(crate) fn succeed(json: &str) -> ExitCode {
    match print_line(json) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => fail(&error),
    }
}

/// Prints one line on stdout and flushes it, for commands that keep running after their
/// output (so a caller reading the pipe sees it at once).
pub(crate) fn print_line(json: &str) -> Result<(), CliError> {
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "{json}")
        .and_then(|()| stdout.flush())
        .map_err(|error| CliError::system(format!("cannot write to stdout: {error}")))
}

/// Prints `{"error": message}` on stderr and returns the error's exit code.
pub(crate) fn fail(error: &CliError) -> ExitCode {
    let json = serde_json::json!({ "error": error.message() });
    // Nothing is left to report to if stderr is gone, so a failed write is ignored.
    let _ = writeln!(std::io::stderr().lock(), "{json}");
    ExitCode::from(error.exit_code())
}

/// Prints `--help` or `--version` output as clap formats it (on stdout) and exits 0.
pub(crate) fn info(info: &clap::Error) -> ExitCode {
    match info.print() {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => fail(&CliError::system(format!(
            "cannot write to stdout: {error}"
        ))),
    }
}
