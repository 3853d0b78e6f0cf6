//! `session-cli localnet`: runs a local Session network in the foreground. It prints one JSON
//! line once every listener accepts connections, then serves until it is interrupted
//! (Ctrl-C or SIGTERM), when it shuts the network down.

use serde::Serialize;
use session::localnet::LocalNet;

use crate::cli::LocalnetArgs;
use crate::error::CliError;
use crate::output;

/// One node in the ready line.
#[derive(Debug, Serialize)]
struct NodeLine {
    ed25519: String,
    x25519: String,
    https_port: u16,
    /// Lowercase hex without padding, as the storage server writes swarm ids.
    swarm_id: String,
}

/// The file server in the ready line.
#[derive(Debug, Serialize)]
struct FileServerLine {
    url: String,
    x25519: String,
    ed25519: String,
}

/// The community server (SOGS double) in the ready line.
#[derive(Debug, Serialize)]
struct SogsLine {
    url: String,
    x25519: String,
    /// The room every network starts with, as a room URL.
    lobby_url: String,
}

/// The ready line.
#[derive(Debug, Serialize)]
struct Ready {
    seed_url: String,
    seed_cert_pem: String,
    nodes: Vec<NodeLine>,
    file_server: FileServerLine,
    sogs: SogsLine,
}

fn ready_line(net: &LocalNet) -> Ready {
    let file_server = net.file_server();
    let sogs = net.sogs();
    Ready {
        seed_url: net.seed_url().to_owned(),
        seed_cert_pem: net.seed_cert_pem().to_owned(),
        nodes: net
            .nodes()
            .iter()
            .map(|node| NodeLine {
                ed25519: hex::encode(node.ed25519()),
                x25519: hex::encode(node.x25519()),
                https_port: node.https_port(),
                swarm_id: format!("{:x}", node.swarm_id()),
            })
            .collect(),
        file_server: FileServerLine {
            url: file_server.url.clone(),
            x25519: hex::encode(file_server.x25519),
            ed25519: hex::encode(file_server.ed25519),
        },
        sogs: SogsLine {
            url: sogs.url.clone(),
            x25519: hex::encode(sogs.x25519),
            lobby_url: format!("{}/lobby?public_key={}", sogs.url, hex::encode(sogs.x25519)),
        },
    }
}

/// Starts the network, prints the ready line and serves until interrupted.
pub(crate) fn run(args: &LocalnetArgs) -> Result<(), CliError> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|error| CliError::system(format!("cannot start the runtime: {error}")))?;
    runtime.block_on(async {
        let mut builder = LocalNet::builder().nodes(args.nodes).swarms(args.swarms);
        if let Some(port_base) = args.port_base {
            builder = builder.port_base(port_base);
        }
        if let Some(dir) = &args.data_dir {
            builder = builder.data_dir(dir);
        }
        let net = builder
            .start()
            .await
            .map_err(|error| CliError::input(format!("cannot start the network: {error}")))?;
        let line = output::to_json(&ready_line(&net))?;
        output::print_line(&line)?;
        wait_for_interrupt().await?;
        net.shutdown().await;
        Ok(())
    })
}

#[cfg(unix)]
async fn wait_for_interrupt() -> Result<(), CliError> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut terminate = signal(SignalKind::terminate())
        .map_err(|error| CliError::system(format!("cannot watch for SIGTERM: {error}")))?;
    tokio::select! {
        result = tokio::signal::ctrl_c() => {
            result.map_err(|error| CliError::system(format!("cannot watch for Ctrl-C: {error}")))
        }
        _ = terminate.recv() => Ok(()),
    }
}

#[cfg(not(unix))]
async fn wait_for_interrupt() -> Result<(), CliError> {
    tokio::signal::ctrl_c()
        .await
        .map_err(|error| CliError::system(format!("cannot watch for Ctrl-C: {error}")))
}
