//! The Session protocol (work in progress): messages, padding, encryption, envelopes and
//! attachments, with no I/O.
#![forbid(unsafe_code)]
