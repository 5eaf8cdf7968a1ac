//! The base layer: what every stage may use and that uses no stage. The form definition
//! ([`form`]), the indicator taxonomy ([`taxonomy`]), the normalized data ([`model`]), findings
//! ([`issue`]), the number and text helpers several stages share ([`text`]), and the temporary
//! file that keeps long texts out of memory in a streaming consolidation ([`spill`]) and the
//! projects parked in it ([`park`]), the memory given back between a streaming
//! consolidation's stages ([`memory`]), and the marks by which jixiao knows its own outputs
//! again ([`own`]).

pub mod form;
pub mod issue;
pub mod memory;
pub mod model;
pub mod own;
pub mod park;
pub mod spill;
pub mod taxonomy;
pub mod text;
