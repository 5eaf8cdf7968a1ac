//! The `jixiao` binary: parse the arguments (help and mistakes in Chinese, see
//! [`jixiao::cli::command`] and [`jixiao::cli::parse_error_message`]), run, turn the outcome into
//! an exit status.

use std::process::ExitCode;

use clap::FromArgMatches;

#[global_allocator]
static GLOBAL: jixiao::base::memory::Allocator = jixiao::base::memory::Allocator;

fn main() -> ExitCode {
    let parsed = jixiao::cli::command()
        .try_get_matches()
        .and_then(|matches| jixiao::cli::Cli::from_arg_matches(&matches));
    let cli = match parsed {
        Ok(cli) => cli,
        Err(e) => match jixiao::cli::parse_error_message(&e) {
            // A mistake on the command line: said in Chinese, exit status 2 as for any run
            // that could not start.
            Some(message) => {
                eprint!("{message}");
                return ExitCode::from(2);
            }
            None => e.exit(),
        },
    };
    match jixiao::app::run(cli) {
        Ok(status) => ExitCode::from(status),
        Err(e) => {
            eprintln!("jixiao: {e}");
            ExitCode::from(2)
        }
    }
}
