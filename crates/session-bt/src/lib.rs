#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]

mod decode;
mod encode;
mod error;
mod limits;
mod value;

pub use decode::{decode, decode_prefix, decode_with};
pub use encode::{
    DictWriter, ListWriter, write_bytes, write_dict, write_int, write_list, write_uint, write_value,
};
pub use error::{DecodeError, DecodeErrorKind, EncodeError};
pub use limits::{Limits, MAX_DEPTH_CAP};
pub use value::{Dict, Entry, Kind, Value};
