//! jixiao (绩效): reads many budget units' 项目支出绩效目标表 submissions in parallel, normalizes
//! each into the standard form, flags inconsistencies with their exact place, and writes one
//! consolidated workbook and machine-readable reports.
//!
//! The pipeline runs one way, a module per stage:
//! [`discover`] → [`read`] → [`locate`] → [`normalize`] → [`check`] → [`consolidate`] → [`write`].
//! [`process`] runs the per-file stages in parallel; [`app`] ties the run together.

pub mod app;
pub mod base;
pub mod check;
pub mod cli;
pub mod consolidate;
pub mod discover;
pub mod locate;
pub mod normalize;
pub mod process;
pub mod read;
pub mod roster;
pub mod serve;
pub mod write;
