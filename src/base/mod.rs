//! The base layer: what every stage may use and that uses no stage. The form definition
//! ([`form`]), the indicator taxonomy ([`taxonomy`]), the normalized data ([`model`]), findings
//! ([`issue`]), the number and text helpers several stages share ([`text`]), and the temporary
//! file that keeps long texts out of memory in a streaming consolidation ([`spill`]) and the
//! projects parked in it ([`park`]), the memory given back between a streaming
//! consolidation's stages ([`memory`]), the marks by which jixiao knows its own outputs
//! again ([`own`]), and the hash map for texts looked up cell by cell ([`FastMap`]).

pub mod form;
pub mod issue;
pub mod memory;
pub mod model;
pub mod own;
pub mod park;
pub mod spill;
pub mod taxonomy;
pub mod text;

/// A hash map with a fast hasher (foldhash, seeded per process): for the maps of a file's texts,
/// looked up cell by cell, and of the units and projects of a run. The standard one's SipHash was
/// a percent of a check.
pub type FastMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;
