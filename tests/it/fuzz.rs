//! The fuzz targets in the test suite (see `src/fuzz.rs` and `scripts/fuzz`):
//! every saved reproducer under `tests/fuzz/crashes/` must run without a
//! panic, and a short fixed-seed round of every target must find none.

use std::path::Path;

use docent::fuzz::{Budget, Harness, TARGETS, Target};

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn every_saved_reproducer_runs_without_a_panic() {
    let harness = Harness::new(repo()).unwrap();
    let dir = repo().join("tests/fuzz/crashes");
    let mut failures = Vec::new();
    let mut count = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        if name.starts_with('.') || name.ends_with(".md") {
            continue;
        }
        let target = name
            .rsplit_once('-')
            .and_then(|(t, _)| Target::named(t))
            .unwrap_or_else(|| panic!("{name}: not <target>-<hash>"));
        count += 1;
        if let Err(m) = harness.run(target, &std::fs::read(&path).unwrap()) {
            failures.push(format!("{name}: {m}"));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
    println!("{count} reproducers replayed");
}

#[test]
fn a_short_fixed_seed_round_of_every_target_finds_no_panic() {
    let harness = Harness::new(repo()).unwrap();
    let summary = docent::fuzz::run(
        &harness,
        repo(),
        TARGETS,
        20261130,
        Budget::Executions(1500),
        2,
    );
    let found: Vec<String> = summary
        .findings
        .iter()
        .map(|f| format!("{}: {}", f.target.name(), f.message))
        .collect();
    assert!(found.is_empty(), "{found:#?}");
    assert_eq!(summary.executions, 1500 * TARGETS.len() as u64);
}
