//! `stress DIR PAGES flat|sections`: write the stress site (see
//! `src/stress.rs`) into DIR, for `scripts/bench` and the browser tests.

use docent::stress::{Layout, write_site};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(dir), Some(Ok(pages)), Some(layout)) = (
        args.first(),
        args.get(1).map(|p| p.parse::<usize>()),
        args.get(2).and_then(|l| match l.as_str() {
            "flat" => Some(Layout::Flat),
            "sections" => Some(Layout::Sections),
            _ => None,
        }),
    ) else {
        eprintln!("usage: stress DIR PAGES flat|sections");
        std::process::exit(2);
    };
    if let Err(e) = write_site(std::path::Path::new(dir), pages, layout) {
        eprintln!("cannot write {dir}: {e}");
        std::process::exit(1);
    }
}
