//! Repository tasks, run as `cargo xtask <task>` (the alias lives in `.cargo/config.toml`).
//!
//! - `gen-proto`: regenerates the Rust code for session-protocol's `.proto` files into
//!   `crates/session-protocol/src/generated/`, with protox and prost-build (no `protoc`).
//! - `gen-proto --check`: regenerates into a scratch directory and fails if the result differs
//!   from the committed files in any way (a changed, missing or extra file).

use std::ffi::OsString;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The `.proto` files, relative to the proto directory, in the order they are compiled.
const PROTO_FILES: [&str; 2] = ["SessionProtos.proto", "WebSocketResources.proto"];

/// The proto directory, relative to the workspace root.
const PROTO_DIR: &str = "crates/session-protocol/proto";

/// Where the generated Rust is committed, relative to the workspace root.
const GENERATED_DIR: &str = "crates/session-protocol/src/generated";

/// Why a task failed.
#[derive(Debug, thiserror::Error)]
enum TaskError {
    /// The command line was not understood.
    #[error("{0}\n\nusage: cargo xtask gen-proto [--check]")]
    Usage(String),
    /// protox could not parse or check the `.proto` files.
    #[error("compiling the .proto files: {0}")]
    Protox(#[from] Box<protox::Error>),
    /// A file could not be read or written.
    #[error("{action} {path}: {source}")]
    Io {
        /// What was being done.
        action: &'static str,
        /// The file or directory.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// prost-build failed to generate code.
    #[error("generating Rust code: {0}")]
    ProstBuild(std::io::Error),
    /// `--check` found generated files that differ from the committed ones.
    #[error(
        "the committed generated code is stale; run `cargo xtask gen-proto` and commit the result:\n{0}"
    )]
    Stale(String),
}

fn main() -> ExitCode {
    match run(std::env::args_os().skip(1).collect()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("xtask: {error}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: Vec<OsString>) -> Result<(), TaskError> {
    let args: Vec<&str> = args
        .iter()
        .map(|arg| {
            arg.to_str()
                .ok_or_else(|| TaskError::Usage(format!("argument {arg:?} is not UTF-8")))
        })
        .collect::<Result<_, _>>()?;
    match args.as_slice() {
        ["gen-proto"] => gen_proto(&workspace_root()),
        ["gen-proto", "--check"] => check_proto(&workspace_root()),
        _ => Err(TaskError::Usage(format!("unknown task {args:?}"))),
    }
}

/// The workspace root: the parent of this crate's directory.
fn workspace_root() -> PathBuf {
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest_dir.parent().unwrap_or(manifest_dir).to_path_buf()
}

/// Regenerates the committed files in place.
fn gen_proto(root: &Path) -> Result<(), TaskError> {
    let scratch = Scratch::new()?;
    let generated = generate(root, scratch.path())?;
    let target = root.join(GENERATED_DIR);
    fs::create_dir_all(&target).map_err(io("creating", &target))?;
    // Remove generated files that the current protos no longer produce.
    for stale in rust_files(&target)? {
        if !generated.contains(&stale) {
            let path = target.join(&stale);
            fs::remove_file(&path).map_err(io("removing", &path))?;
        }
    }
    for name in &generated {
        let from = scratch.path().join(name);
        let to = target.join(name);
        let bytes = fs::read(&from).map_err(io("reading", &from))?;
        fs::write(&to, bytes).map_err(io("writing", &to))?;
        println!("wrote {}", to.display());
    }
    Ok(())
}

/// Regenerates into a scratch directory and compares with the committed files.
fn check_proto(root: &Path) -> Result<(), TaskError> {
    let scratch = Scratch::new()?;
    let generated = generate(root, scratch.path())?;
    let target = root.join(GENERATED_DIR);
    let committed = if target.exists() {
        rust_files(&target)?
    } else {
        Vec::new()
    };

    let mut problems = Vec::new();
    for name in &generated {
        let fresh_path = scratch.path().join(name);
        let fresh = fs::read(&fresh_path).map_err(io("reading", &fresh_path))?;
        let committed_path = target.join(name);
        match fs::read(&committed_path) {
            Ok(old) if old == fresh => {}
            Ok(_) => problems.push(format!("  changed: {}", committed_path.display())),
            Err(_) => problems.push(format!("  missing: {}", committed_path.display())),
        }
    }
    for name in committed.iter().filter(|name| !generated.contains(name)) {
        problems.push(format!("  not generated: {}", target.join(name).display()));
    }

    if problems.is_empty() {
        println!(
            "generated protobuf code is current ({} files)",
            generated.len()
        );
        Ok(())
    } else {
        Err(TaskError::Stale(problems.join("\n")))
    }
}

/// Compiles the protos with protox and writes prost's Rust into `out`; returns the file names,
/// sorted.
fn generate(root: &Path, out: &Path) -> Result<Vec<String>, TaskError> {
    let proto_dir = root.join(PROTO_DIR);
    let descriptors = protox::compile(PROTO_FILES, [&proto_dir]).map_err(Box::new)?;
    prost_build::Config::new()
        .out_dir(out)
        .compile_fds(descriptors)
        .map_err(TaskError::ProstBuild)?;
    rust_files(out)
}

/// The names of the `.rs` files in `dir`, sorted.
fn rust_files(dir: &Path) -> Result<Vec<String>, TaskError> {
    let mut names = Vec::new();
    for entry in fs::read_dir(dir).map_err(io("listing", dir))? {
        let entry = entry.map_err(io("listing", dir))?;
        let name = entry.file_name();
        if let Some(name) = name.to_str().filter(|name| name.ends_with(".rs")) {
            names.push(name.to_owned());
        }
    }
    names.sort();
    Ok(names)
}

/// Wraps an I/O error with what was being done to which path.
fn io(action: &'static str, path: &Path) -> impl FnOnce(std::io::Error) -> TaskError {
    let path = path.to_path_buf();
    move |source| TaskError::Io {
        action,
        path,
        source,
    }
}

/// A scratch directory under the system temporary directory, removed on drop.
struct Scratch(PathBuf);

impl Scratch {
    fn new() -> Result<Self, TaskError> {
        let path =
            std::env::temp_dir().join(format!("session-rs-gen-proto-{}", std::process::id()));
        if path.exists() {
            fs::remove_dir_all(&path).map_err(io("clearing", &path))?;
        }
        fs::create_dir_all(&path).map_err(io("creating", &path))?;
        Ok(Self(path))
    }

    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        // Best effort: a leftover scratch directory is harmless.
        let _ = fs::remove_dir_all(&self.0);
    }
}
