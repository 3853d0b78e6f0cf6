//! `session-cli`: a command-line tool over the Session libraries.
//!
//! Every command prints one JSON object on stdout and exits 0. On failure it prints
//! `{"error": "<message>"}` on stderr and exits 1 (bad input) or 2 (bad command line).
//! See the crate README for every subcommand.

#![forbid(unsafe_code)]

mod attachment;
mod cli;
mod community;
mod config;
mod config_net;
mod connect;
mod error;
mod group;
mod group_net;
mod id;
mod input;
mod localnet;
mod message;
mod onion;
mod output;
mod qr;
mod receive;
mod send;

use std::process::ExitCode;

use cli::{
    AttachmentCommand, Cli, Command, CommunityCommand, ConfigCommand, GroupCommand, IdCommand,
    Invocation, MessageCommand, OnionCommand,
};
use error::CliError;

fn main() -> ExitCode {
    match cli::parse() {
        // The network keeps running after its ready line, so it prints that line itself.
        Ok(Invocation::Run(Cli {
            command: Command::Localnet(args),
        })) => match localnet::run(&args) {
            Ok(()) => ExitCode::SUCCESS,
            Err(error) => output::fail(&error),
        },
        Ok(Invocation::Run(cli)) => match run(cli) {
            Ok(json) => output::succeed(&json),
            Err(error) => output::fail(&error),
        },
        Ok(Invocation::Info(info)) => output::info(&info),
        Err(error) => output::fail(&error),
    }
}

/// Runs one command and returns its JSON output.
fn run(cli: Cli) -> Result<String, CliError> {
    match cli.command {
        Command::Id(command) => match command {
            IdCommand::New => output::to_json(&id::new()?),
            IdCommand::Show(args) => output::to_json(&id::show(&args)?),
            IdCommand::Blind(args) => output::to_json(&id::blind(&args)?),
            IdCommand::Sign(args) => output::to_json(&id::sign(&args)?),
            IdCommand::Qr(args) => output::to_json(&qr::run(&args)?),
        },
        Command::Message(command) => match command {
            MessageCommand::Encrypt(args) => output::to_json(&message::encrypt(&args)?),
            MessageCommand::Decrypt(args) => output::to_json(&message::decrypt(&args)?),
        },
        Command::Attachment(command) => match command {
            AttachmentCommand::Encrypt(args) => output::to_json(&attachment::encrypt(&args)?),
            AttachmentCommand::Decrypt(args) => output::to_json(&attachment::decrypt(&args)?),
        },
        Command::Onion(command) => match command {
            OnionCommand::Build(args) => output::to_json(&onion::build(&args)?),
            OnionCommand::DecryptResponse(args) => {
                output::to_json(&onion::decrypt_response(&args)?)
            }
        },
        Command::Send(args) => output::to_json(&send::run(&args)?),
        Command::Receive(args) => output::to_json(&receive::run(&args)?),
        Command::Community(command) => match command {
            CommunityCommand::Rooms(args) => output::to_json(&community::rooms(&args)?),
            CommunityCommand::Read(args) => output::to_json(&community::read(&args)?),
            CommunityCommand::Post(args) => output::to_json(&community::post(&args)?),
            CommunityCommand::React(args) => output::to_json(&community::react(&args)?),
            CommunityCommand::Upload(args) => output::to_json(&community::upload(&args)?),
            CommunityCommand::DmSend(args) => output::to_json(&community::dm_send(&args)?),
            CommunityCommand::DmRead(args) => output::to_json(&community::dm_read(&args)?),
        },
        Command::Config(command) => match command {
            ConfigCommand::Read(args) => output::to_json(&config::read(&args)?),
            ConfigCommand::Show(args) => output::to_json(&config_net::show(&args)?),
        },
        Command::Group(command) => match command {
            GroupCommand::Rekey(args) => output::to_json(&group::rekey(&args)?),
            GroupCommand::LoadKeys(args) => output::to_json(&group::load_keys(&args)?),
            GroupCommand::Decrypt(args) => output::to_json(&group::decrypt(&args)?),
            GroupCommand::Subaccount(args) => output::to_json(&group::subaccount(&args)?),
            GroupCommand::SignRequest(args) => output::to_json(&group::sign_request(&args)?),
            GroupCommand::Create(args) => output::to_json(&group_net::create(&args)?),
            GroupCommand::Send(args) => output::to_json(&group_net::send(&args)?),
            GroupCommand::Read(args) => output::to_json(&group_net::read(&args)?),
            GroupCommand::Invite(args) => output::to_json(&group_net::invite(&args)?),
            GroupCommand::Remove(args) => output::to_json(&group_net::remove(&args)?),
            GroupCommand::Promote(args) => output::to_json(&group_net::promote(&args)?),
        },
        Command::Localnet(_) => Err(CliError::system("localnet runs from main")),
    }
}
