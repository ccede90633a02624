//! `scripts/fuzz SECONDS [TARGET…]`: fuzz docent's parsers for a while and
//! save each distinct panic under `tests/fuzz/crashes/` (see `src/fuzz.rs`).
//! Exits 1 when a run found a panic.

use std::path::Path;
use std::time::Duration;

use docent::fuzz::{Budget, Harness, TARGETS, Target};

fn main() {
    let all: Vec<String> = std::env::args().skip(1).collect();
    if all.first().map(String::as_str) == Some("--replay") {
        replay(&all[1..]);
        return;
    }
    let mut args = std::env::args().skip(1);
    let seconds: u64 = match args.next().map(|a| a.parse()) {
        Some(Ok(s)) => s,
        _ => {
            eprintln!(
                "usage: scripts/fuzz SECONDS [TARGET…]  (targets: {})",
                names()
            );
            std::process::exit(2);
        }
    };
    let mut targets: Vec<Target> = Vec::new();
    for name in args {
        match Target::named(&name) {
            Some(t) => targets.push(t),
            None => {
                eprintln!("unknown target `{name}`; targets: {}", names());
                std::process::exit(2);
            }
        }
    }
    if targets.is_empty() {
        targets = TARGETS.to_vec();
    }
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let harness = Harness::new(repo).unwrap_or_else(|e| {
        eprintln!("{e}");
        std::process::exit(1);
    });
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(1, |d| d.as_nanos() as u64);
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    eprintln!(
        "fuzzing {} target(s) for {seconds} s on {threads} threads (seed {seed})",
        targets.len()
    );
    let summary = docent::fuzz::run(
        &harness,
        repo,
        &targets,
        seed,
        Budget::Time(Duration::from_secs(seconds)),
        threads,
    );
    for (name, n) in &summary.per_target {
        println!("{name:<14} {n:>12} executions");
    }
    for f in &summary.findings {
        let path = docent::fuzz::reproducer_path(repo, f);
        let _ = std::fs::create_dir_all(path.parent().unwrap());
        let _ = std::fs::write(&path, &f.input);
        println!(
            "PANIC {}: {}\n  saved as {}",
            f.target.name(),
            f.message,
            path.display()
        );
    }
    for s in &summary.slow {
        let path = docent::fuzz::slow_path(repo, s);
        let _ = std::fs::create_dir_all(path.parent().unwrap());
        let _ = std::fs::write(&path, &s.input);
        println!(
            "SLOW {}: {:.1} s\n  saved as {}",
            s.target.name(),
            s.elapsed.as_secs_f64(),
            path.display()
        );
    }
    println!(
        "{} executions, {} distinct panic{}",
        summary.executions,
        summary.findings.len(),
        if summary.findings.len() == 1 { "" } else { "s" }
    );
    if !summary.findings.is_empty() {
        std::process::exit(1);
    }
}

fn names() -> String {
    TARGETS
        .iter()
        .map(|t| t.name())
        .collect::<Vec<_>>()
        .join(", ")
}

/// `scripts/fuzz --replay TARGET FILE…`: run saved inputs once each, with
/// the time each took and any panic.
fn replay(args: &[String]) {
    let Some(target) = args.first().and_then(|t| Target::named(t)) else {
        eprintln!(
            "usage: scripts/fuzz --replay TARGET FILE…  (targets: {})",
            names()
        );
        std::process::exit(2);
    };
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let harness = Harness::new(repo).unwrap_or_else(|e| {
        eprintln!("{e}");
        std::process::exit(1);
    });
    for file in &args[1..] {
        let input = std::fs::read(file).unwrap_or_else(|e| {
            eprintln!("cannot read {file}: {e}");
            std::process::exit(1);
        });
        let started = std::time::Instant::now();
        let result = harness.run(target, &input);
        let took = started.elapsed().as_secs_f64();
        match result {
            Ok(()) => println!("{file}: ok in {took:.3} s"),
            Err(m) => println!("{file}: PANIC in {took:.3} s: {m}"),
        }
    }
}
