//! The `jixiao` binary: parse the arguments (help in Chinese, see [`jixiao::cli::command`]), run,
//! turn the outcome into an exit status.

use std::process::ExitCode;

use clap::FromArgMatches;

fn main() -> ExitCode {
    let matches = jixiao::cli::command().get_matches();
    let cli = match jixiao::cli::Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(e) => e.exit(),
    };
    match jixiao::app::run(cli) {
        Ok(status) => ExitCode::from(status),
        Err(e) => {
            eprintln!("jixiao: {e}");
            ExitCode::from(2)
        }
    }
}
