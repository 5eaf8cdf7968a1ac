//! The `jixiao` binary: parse the arguments, run, turn the outcome into an exit status.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = jixiao::cli::Cli::parse();
    match jixiao::app::run(cli) {
        Ok(status) => ExitCode::from(status),
        Err(e) => {
            eprintln!("jixiao: {e}");
            ExitCode::from(2)
        }
    }
}
