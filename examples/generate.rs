//! Writes synthetic submissions for trying jixiao at scale:
//!
//!     cargo run --release --example generate -- DIR [FILES] [SEED]
//!
//! FILES defaults to 1000, SEED to 2025; the same seed gives the same files.

#[path = "../benches/synth/mod.rs"]
mod synth;

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(dir) = args.next() else {
        eprintln!("usage: generate DIR [FILES] [SEED]");
        std::process::exit(2);
    };
    let files = args.next().and_then(|a| a.parse().ok()).unwrap_or(1000);
    let seed = args.next().and_then(|a| a.parse().ok()).unwrap_or(2025);
    match synth::generate(std::path::Path::new(&dir), files, seed) {
        Ok(g) => println!(
            "{} files, {} projects, {} indicators in {dir}",
            g.files, g.projects, g.indicators
        ),
        Err(e) => {
            eprintln!("generate: {e}");
            std::process::exit(1);
        }
    }
}
