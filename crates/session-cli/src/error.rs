//! The one error type of the tool: a message that is safe to print and an exit code.

use session::identity;

/// Why a command failed, which decides the exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// The command line does not parse (exit code 2).
    Usage,
    /// An argument's value is not acceptable: a bad phrase, seed, key or hex (exit code 1).
    Input,
    /// The system failed us: a file could not be written, no randomness (exit code 1).
    System,
}

/// A failed command. The message never contains a seed, a recovery phrase or any word of one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CliError {
    kind: Kind,
    message: String,
}

impl CliError {
    /// A command-line parsing error.
    pub(crate) fn usage(message: impl Into<String>) -> Self {
        Self {
            kind: Kind::Usage,
            message: message.into(),
        }
    }

    /// A bad argument value.
    pub(crate) fn input(message: impl Into<String>) -> Self {
        Self {
            kind: Kind::Input,
            message: message.into(),
        }
    }

    /// A failure of the system rather than of the input.
    pub(crate) fn system(message: impl Into<String>) -> Self {
        Self {
            kind: Kind::System,
            message: message.into(),
        }
    }

    /// The message to print.
    pub(crate) fn message(&self) -> &str {
        &self.message
    }

    /// The process exit code.
    pub(crate) fn exit_code(&self) -> u8 {
        match self.kind {
            Kind::Usage => 2,
            Kind::Input | Kind::System => 1,
        }
    }
}

/// Library errors are input errors; their messages carry no secrets (an unknown
/// recovery-phrase word is named by its position only).
impl From<session::Error> for CliError {
    fn from(error: session::Error) -> Self {
        Self::input(error.to_string())
    }
}

/// See the conversion from [`session::Error`].
impl From<session::sogs::Error> for CliError {
    fn from(error: session::sogs::Error) -> Self {
        session::Error::from(error).into()
    }
}

/// See the conversion from [`session::Error`].
impl From<identity::Error> for CliError {
    fn from(error: identity::Error) -> Self {
        session::Error::from(error).into()
    }
}

/// See the conversion from [`session::Error`].
impl From<identity::SessionIdError> for CliError {
    fn from(error: identity::SessionIdError) -> Self {
        session::Error::from(error).into()
    }
}

/// See the conversion from [`session::Error`]: onion messages never carry keys or payloads.
impl From<session::onion::Error> for CliError {
    fn from(error: session::onion::Error) -> Self {
        session::Error::from(error).into()
    }
}

/// See the conversion from [`session::Error`]: an answer that does not decrypt or parse.
impl From<session::onion::Failure> for CliError {
    fn from(error: session::onion::Failure) -> Self {
        session::Error::from(error).into()
    }
}

/// See the conversion from [`session::Error`]: config messages never carry their contents.
impl From<session::config::Error> for CliError {
    fn from(error: session::config::Error) -> Self {
        session::Error::from(error).into()
    }
}

/// See the conversion from [`session::Error`]: group errors never carry keys or plaintext.
impl From<session::groups::KeysError> for CliError {
    fn from(error: session::groups::KeysError) -> Self {
        session::Error::from(error).into()
    }
}

/// See the conversion from [`session::Error`].
impl From<session::groups::MessageError> for CliError {
    fn from(error: session::groups::MessageError) -> Self {
        session::Error::from(error).into()
    }
}

/// See the conversion from [`session::Error`].
impl From<session::groups::SubaccountError> for CliError {
    fn from(error: session::groups::SubaccountError) -> Self {
        session::Error::from(error).into()
    }
}

/// Closed-group failures on the network are input errors too: their messages name groups,
/// members and counts, never keys or message contents.
impl From<session::swarm::groups::GroupError> for CliError {
    fn from(error: session::swarm::groups::GroupError) -> Self {
        Self::input(error.to_string())
    }
}

/// See the conversion from [`session::swarm::groups::GroupError`]: config sync errors never
/// carry the configs' contents.
impl From<session::swarm::configs::ConfigError> for CliError {
    fn from(error: session::swarm::configs::ConfigError) -> Self {
        Self::input(error.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use session::identity::MnemonicError;

    #[test]
    fn unknown_words_are_not_repeated() {
        let error = CliError::from(identity::Error::Mnemonic(MnemonicError::UnknownWord {
            position: 3,
            word: "secretword".into(),
        }));
        assert!(!error.message().contains("secretword"));
        assert!(error.message().contains('3'));
        assert_eq!(error.exit_code(), 1);
    }

    #[test]
    fn exit_codes() {
        assert_eq!(CliError::usage("x").exit_code(), 2);
        assert_eq!(CliError::input("x").exit_code(), 1);
        assert_eq!(CliError::system("x").exit_code(), 1);
    }
}
