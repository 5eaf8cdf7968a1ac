//! The base layer: what every stage may use and that uses no stage. The form definition
//! ([`form`]), the indicator taxonomy ([`taxonomy`]), the normalized data ([`model`]), findings
//! ([`issue`]) and the number and text helpers several stages share ([`text`]).

pub mod form;
pub mod issue;
pub mod model;
pub mod taxonomy;
pub mod text;
