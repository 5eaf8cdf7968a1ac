//! The benchmark's floor read of a folder on one thread (`benches/floor.rs`), for counting its
//! instructions beside `check --jobs 1` (`scripts/instructions.sh`):
//!
//!     cargo run --release --example bare_read -- DIR
//!
//! Prints how many rows it read.

// The parallel read, which the benchmark times, is not used here.
#[allow(dead_code)]
#[path = "../benches/floor.rs"]
mod floor;

fn main() {
    let Some(dir) = std::env::args().nth(1) else {
        eprintln!("usage: bare_read DIR");
        std::process::exit(2);
    };
    let files = floor::folder_files(std::path::Path::new(&dir)).unwrap_or_else(|e| {
        eprintln!("bare_read: {dir}: {e}");
        std::process::exit(1);
    });
    let rows: usize = files.iter().map(|path| floor::bare_read(path)).sum();
    println!("{rows} rows in {} files", files.len());
}
