//! In-repo fuzzing on stable Rust: targets for every parser that reads what
//! an editor writes (front matter, page Markdown with components and
//! citations, glossary, data files, site.yaml, the search extractor and
//! indexer), fed by mutations of the fixture sites and the flagship.
//!
//! There is no coverage feedback (that needs nightly instrumentation): each
//! run mutates seed files with byte edits, splices between seeds and a
//! dictionary of the syntax docent reads (fences, component names, citation
//! and entity syntax, multi-byte and private-use characters, deep
//! brackets). Every target runs under [`crate::isolate::catch`], so a panic
//! becomes a finding with its message and source location; findings are
//! kept once per location. `scripts/fuzz SECONDS` runs this through
//! `examples/fuzz.rs`; `tests/it/fuzz.rs` replays every saved reproducer and
//! runs a short, fixed-seed round of each target.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::markdown::components::Env;
use crate::render::Templates;
use crate::site::Site;

/// What one target is fed and how it runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// A page file: front matter split, parse and checks.
    FrontMatter,
    /// A page file rendered by the Markdown pass with components,
    /// citations and the glossary of the components fixture site.
    Page,
    /// A data file, validated as a table.
    DataFile,
    /// A glossary file, then its terms found in a text.
    Glossary,
    /// A bibliography file.
    Bibliography,
    /// site.yaml.
    SiteConfig,
    /// HTML through the search extractor, then the indexer.
    Search,
}

pub const TARGETS: &[Target] = &[
    Target::FrontMatter,
    Target::Page,
    Target::DataFile,
    Target::Glossary,
    Target::Bibliography,
    Target::SiteConfig,
    Target::Search,
];

impl Target {
    pub fn name(self) -> &'static str {
        match self {
            Target::FrontMatter => "front-matter",
            Target::Page => "page",
            Target::DataFile => "data-file",
            Target::Glossary => "glossary",
            Target::Bibliography => "bibliography",
            Target::SiteConfig => "site-config",
            Target::Search => "search",
        }
    }

    pub fn named(name: &str) -> Option<Target> {
        TARGETS.iter().copied().find(|t| t.name() == name)
    }

    /// Which seed files feed this target, by extension.
    fn takes(self, path: &Path) -> bool {
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        match self {
            Target::FrontMatter | Target::Page => ext == "md",
            Target::DataFile | Target::Glossary | Target::Bibliography | Target::SiteConfig => {
                ext == "yaml" || ext == "yml"
            }
            Target::Search => ext == "html" || ext == "md",
        }
    }
}

/// A loaded site for the targets that need one (components, citations,
/// glossary): `tests/fixtures/components/all`.
pub struct Harness {
    site: Site,
    templates: Templates,
}

impl Harness {
    /// Load the components fixture under the repository at `repo`.
    pub fn new(repo: &Path) -> Result<Harness, String> {
        let root = repo.join("tests/fixtures/components/all");
        let mut site = crate::load::load(&root, &Default::default())
            .and_then(|mut s| crate::markdown::glossary::attach(&mut s).map(|()| s))
            .map_err(|d| format!("cannot load {}: {d:?}", root.display()))?;
        // Math macros, so pages exercise their expansion: one with
        // arguments, one that never ends.
        use crate::config::MathMacro::{Plain, WithArgs};
        site.config.markdown.math_macros = [
            ("R", Plain(r"\mathbb{R}".into())),
            ("pair", WithArgs(r"\langle #1, #2 \rangle".into(), 2)),
            ("loop", Plain(r"x \loop".into())),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
        let mut templates =
            crate::render::theme::load(&site).map_err(|d| format!("templates: {d:?}"))?;
        crate::render::prepare(&site, &mut templates);
        Ok(Harness { site, templates })
    }

    /// Run `target` on `input`; `Err` is a panic (message and location).
    pub fn run(&self, target: Target, input: &[u8]) -> Result<(), String> {
        crate::isolate::catch(None, target.name(), || self.run_unguarded(target, input))
            .map_err(|d| d.message)
    }

    fn run_unguarded(&self, target: Target, input: &[u8]) {
        let shown = Path::new("content/fuzz.md");
        let Ok(text) = crate::text::decode(input.to_vec(), shown) else {
            return;
        };
        match target {
            Target::FrontMatter => {
                let _ = self.page_from(&text);
            }
            Target::Page => {
                if let Some(page) = self.page_from(&text) {
                    let env = Env {
                        images: None,
                        site: &self.site,
                        templates: &self.templates,
                        analyze: true,
                    };
                    let _ = crate::markdown::render_page(&self.site, &page, &env);
                }
            }
            Target::DataFile => {
                if let Some(file) = data_file(&text) {
                    let _ = crate::markdown::components::table::validate(&file);
                }
            }
            Target::Glossary => {
                if let Some(file) = data_file(&text)
                    && let Ok(g) = crate::markdown::glossary::Glossary::from_data(&file, false)
                {
                    let mut used = vec![false; g.terms.len()];
                    let _ = g.find_all(&text, &mut used);
                }
            }
            Target::Bibliography => {
                if let Some(file) = data_file(&text) {
                    let mut data = std::collections::HashMap::new();
                    data.insert(self.site.config.bibliography.clone(), file);
                    let _ = crate::load::bibliography::load(
                        &self.site.config,
                        &data,
                        &self.site.content_dir,
                    );
                }
            }
            Target::SiteConfig => {
                let _ = crate::config::SiteConfig::parse(&text, Path::new("site.yaml"));
            }
            Target::Search => {
                let page = crate::search::extract::page_text(&text);
                let doc = crate::search::Doc::new("/fuzz/".into(), "Fuzz".into(), 0, false, &page);
                // The build counts words while it scans the HTML, without
                // the text: it must give the same terms and weights.
                let counted =
                    crate::search::Doc::from_html("/fuzz/".into(), "Fuzz".into(), 0, false, &text);
                assert!(
                    counted == doc,
                    "words counted while scanning differ from the extracted text's"
                );
                let _ = crate::search::index(vec![doc], "en");
            }
        }
    }

    /// The input as the text of a page of the harness site, loaded the way
    /// `docent build` loads one (`None` when loading refuses it).
    fn page_from(&self, text: &str) -> Option<crate::site::Page> {
        crate::load::page_from_text(text, "fuzz.md", false).ok()
    }
}

/// The input parsed as a data file (`None` when it is not YAML).
fn data_file(text: &str) -> Option<crate::site::DataFile> {
    let shown = PathBuf::from("content/fuzz.yaml");
    let origin = crate::yaml::Origin {
        path: &shown,
        file_text: text,
        line_offset: 0,
    };
    let value = crate::yaml::parse_value(text, origin).ok()?;
    Some(crate::site::DataFile {
        shown_path: shown,
        text: text.to_string(),
        value,
    })
}

/// Seed inputs for `target`: the files of the fixture sites, the flagship's
/// content and the theme's templates.
pub fn seeds(repo: &Path, target: Target) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    for dir in [
        "tests/fixtures",
        "content",
        "themes/default/templates",
        "tests/fuzz/seeds",
    ] {
        for entry in walkdir::WalkDir::new(repo.join(dir))
            .sort_by_file_name()
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file() && target.takes(e.path()))
        {
            if let Ok(bytes) = std::fs::read(entry.path())
                && bytes.len() <= 64 * 1024
            {
                out.push(bytes);
            }
        }
    }
    if out.is_empty() {
        out.push(b"---\ntitle: x\n---\n".to_vec());
    }
    out
}

/// The syntax docent reads, for insertion at random places.
const DICTIONARY: &[&str] = &[
    "---\n",
    "title: ",
    "description: ",
    "date: 2024-02-29",
    "date: 2024-08-09 10:00",
    "reviewed_by: ",
    "takeaways: [",
    "extra: {",
    "```{faq}\n",
    "```{table}\n",
    "```{chart}\n",
    "```{takeaways}\n",
    "```{testimonial}\n",
    "```{figure}\n",
    "```{callout}\n",
    "```rust\n",
    // MyST (issue 25): directives, colon fences, options, targets, roles.
    ":::{note}\n",
    "::::{warning}\n",
    ":::\n",
    "```{admonition} T\n",
    "```{figure} pic.png\n",
    "```{glossary}\n",
    ":name: fig\n",
    // MyST tables and images (list rows, header rows, a caption argument).
    "```{list-table} Caption\n",
    "```{image} pic.png\n",
    "```{table} Caption\n",
    ":header-rows: 1\n",
    ":label: tbl\n",
    ":alt: text\n",
    "* - a\n  - b\n",
    "  - ",
    "| a | b |\n|---|---|\n",
    // Attribute lists after images (Pandoc, Quarto, attr_list).
    "![](pic.png){alt='x'}",
    "){fig-alt=\"a\nb\" .c #i width=3}",
    "{: ",
    // Containers without braces (Docusaurus, VitePress, Quarto, Pandoc).
    "::: tip Title\n",
    ":::note[T]\n",
    "::: {.callout-warning title=\"T\"}\n",
    ":::: challenge\n",
    "::: solution :::\n",
    "```{.python}\n",
    ":class: dropdown\n",
    "(label)=\n",
    "{ref}`",
    "{numref}`",
    "{eq}`",
    "```{prf:theorem} T\n",
    "{prf:ref}`",
    "```{only} not html\n",
    "```{raw} html\n",
    "{index}`",
    "$$ (",
    "\\mbox{",
    "$\\pair{",
    "$\\R",
    "\\loop",
    "{doc}`",
    "{term}`",
    "{cite:p}`",
    "{cite:t}`",
    "```\n",
    "~~~\n",
    "[@",
    "[@mitchell2021]",
    "[@mitchell2021; @mitchell2023, p. 4]",
    "[@{",
    "[@a%b#c&d:/",
    "{prf:Theorem}",
    "(main)=\n",
    "]",
    "&amp;",
    "&#x;",
    "&#1114112;",
    "&nbsp;",
    "&",
    "%",
    "%2",
    "%aé.md",
    "<script>",
    "</script>",
    "<style>",
    "</style>",
    "<!--",
    "-->",
    "<div data-search-body>",
    "</div>",
    "<main>",
    "</main>",
    "{#id}",
    "{.class}",
    "## ",
    "# ",
    "###### ",
    "[^1]",
    "[^1]: ",
    "![a](",
    "](",
    ".md",
    "../",
    "../../",
    "#anchor",
    "\r",
    "\r\n",
    "\t",
    "- q: ",
    "  a: ",
    "- ",
    "data: studies.yaml\n",
    "x: study\n",
    "y: [n, mdma]\n",
    "rows:\n",
    "columns:\n",
    "- {key: n, label: N, type: integer}\n",
    "type: percent",
    "filter: study = MAPP1\n",
    "sort: -n\n",
    "ref: veteran\n",
    "level: 9\n",
    "items:\n",
    "term: ",
    "aliases: [",
    "definition: ",
    "type: article\n",
    "author: ",
    "parent:\n",
    "serial-number: {doi: ",
    "retracted: true\n",
    "base_url: ",
    "language: ",
    "theme: ",
    "nav_limit: 0\n",
    "newsletter:\n",
    "toc: {min_level: 6, max_level: 1}\n",
    "$",
    "$$",
    "|",
    "| --- |",
    "> [!WARNING]\n",
    "\u{feff}",
    ":",
    "\"",
    "'",
    "*",
    "_",
    "`",
    "<",
    ">",
    "\\",
    "é",
    "→",
    "😀",
    "\u{e000}",
    "\u{e001}",
    "\u{200b}",
    "\u{0}",
    "null",
    "~",
    "!!binary ",
    "&anchor ",
    "*anchor",
    "<<: ",
    "? ",
    "9223372036854775808",
    "-1",
    "1e309",
    "[[[[[[[[",
    "{{{{{{{{",
];

/// A small, fast, seedable generator (xorshift64*): runs are reproducible
/// from their seed, and no dependency is needed.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }

    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// A number below `n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next_u64() % n as u64) as usize
        }
    }
}

/// One mutant of `input`: one to four edits, some of them taking from
/// `corpus` or the dictionary.
pub fn mutate(rng: &mut Rng, input: &[u8], corpus: &[Vec<u8>]) -> Vec<u8> {
    let mut out = input.to_vec();
    for _ in 0..1 + rng.below(4) {
        let len = out.len();
        let at = rng.below(len + 1);
        match rng.below(10) {
            0 if len > 0 => {
                let i = rng.below(len);
                out[i] ^= 1 << rng.below(8);
            }
            1 if len > 0 => {
                let i = rng.below(len);
                out[i] = rng.next_u64() as u8;
            }
            2 => out.insert(at, rng.next_u64() as u8),
            3 if len > 0 => {
                let end = (at + 1 + rng.below(32)).min(len);
                out.drain(at.min(len - 1)..end);
            }
            4 if len > 0 => {
                let start = rng.below(len);
                let end = (start + 1 + rng.below(64)).min(len);
                let chunk = out[start..end].to_vec();
                out.splice(at..at, chunk);
            }
            5 | 6 => {
                let token = DICTIONARY[rng.below(DICTIONARY.len())].as_bytes();
                out.splice(at..at, token.iter().copied());
            }
            7 if !corpus.is_empty() => {
                let other = &corpus[rng.below(corpus.len())];
                let from = rng.below(other.len() + 1);
                out.truncate(at);
                out.extend_from_slice(&other[from..]);
            }
            8 => {
                let token = ["[", "{", "- ", "> ", "*", "`", "#", "&", "é"][rng.below(9)];
                let times = 1 + rng.below(300);
                out.splice(at..at, token.repeat(times).into_bytes());
            }
            _ => {
                // A line from elsewhere in the input, duplicated.
                if let Some(start) = out[..at].iter().rposition(|&b| b == b'\n') {
                    let end = out[start + 1..]
                        .iter()
                        .position(|&b| b == b'\n')
                        .map_or(out.len(), |e| start + 1 + e);
                    let line = out[start..end].to_vec();
                    out.splice(at..at, line);
                }
            }
        }
        out.truncate(256 * 1024);
    }
    out
}

/// A panic found: the target, its message (with location) and the input.
pub struct Finding {
    pub target: Target,
    pub message: String,
    pub input: Vec<u8>,
}

/// An input that took longer than [`SLOW`] (a sign of work that grows
/// faster than the input: docent's inputs here are at most 256 KB).
pub struct Slow {
    pub target: Target,
    pub elapsed: Duration,
    pub input: Vec<u8>,
}

/// What counts as a slow execution.
pub const SLOW: Duration = Duration::from_secs(1);

/// An execution still running after this long is taken for a hang: the
/// run saves its input and stops.
pub const HANG: Duration = Duration::from_secs(60);

/// What a run did.
#[derive(Default)]
pub struct Summary {
    pub executions: u64,
    pub per_target: Vec<(&'static str, u64)>,
    pub findings: Vec<Finding>,
    pub slow: Vec<Slow>,
}

/// The execution each worker is in (its start and input), for the hang
/// watchdog.
type Current = std::sync::Mutex<Option<(Target, Instant, Vec<u8>)>>;

/// Fuzz `targets` from `seed` until `budget` runs out: a time, or a number
/// of executions per target. One thread per target, up to `threads` at once.
pub fn run(
    harness: &Harness,
    repo: &Path,
    targets: &[Target],
    seed: u64,
    budget: Budget,
    threads: usize,
) -> Summary {
    let chunks: Vec<&[Target]> = targets
        .chunks(targets.len().div_ceil(threads.max(1)).max(1))
        .collect();
    let current: Vec<Current> = chunks.iter().map(|_| Default::default()).collect();
    let done = std::sync::atomic::AtomicBool::new(false);
    let results: Vec<Outcome> = std::thread::scope(|scope| {
        let current = &current;
        let done = &done;
        scope.spawn(move || watchdog(repo, current, done));
        let mut out = Vec::new();
        for (w, chunk) in chunks.iter().enumerate() {
            let handle = scope.spawn(move || {
                let mut results = Vec::new();
                for (k, &t) in chunk.iter().enumerate() {
                    // A time budget is shared among a thread's targets, so
                    // the run takes about that long on the wall clock.
                    let budget = match budget {
                        Budget::Time(d) => Budget::Time(d / chunk.len() as u32),
                        b => b,
                    };
                    let seed = seed ^ ((w as u64 * 31 + k as u64 + 1) * 7919);
                    results.push(fuzz_one(harness, repo, t, seed, budget, &current[w]));
                }
                results
            });
            out.push(handle);
        }
        let all = out
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_default())
            .collect();
        done.store(true, std::sync::atomic::Ordering::Relaxed);
        all
    });
    let mut summary = Summary::default();
    for o in results {
        summary.executions += o.executions;
        summary.per_target.push((o.target.name(), o.executions));
        summary.findings.extend(o.findings);
        summary.slow.extend(o.slow);
    }
    summary
}

/// What fuzzing one target found.
struct Outcome {
    target: Target,
    executions: u64,
    findings: Vec<Finding>,
    slow: Vec<Slow>,
}

/// Every second: an execution running longer than [`HANG`] is a hang. Its
/// input is saved as a slow reproducer and the process stops (the worker
/// cannot be interrupted).
fn watchdog(repo: &Path, current: &[Current], done: &std::sync::atomic::AtomicBool) {
    while !done.load(std::sync::atomic::Ordering::Relaxed) {
        std::thread::sleep(Duration::from_millis(200));
        for slot in current {
            let guard = slot.lock().unwrap_or_else(|p| p.into_inner());
            if let Some((target, started, input)) = guard.as_ref()
                && started.elapsed() > HANG
            {
                let s = Slow {
                    target: *target,
                    elapsed: started.elapsed(),
                    input: input.clone(),
                };
                let path = slow_path(repo, &s);
                let _ = std::fs::create_dir_all(path.parent().unwrap_or(repo));
                let _ = std::fs::write(&path, &s.input);
                crate::output::err(&format!(
                    "HANG {}: an execution has run for {:.0} s; input saved as {}\n",
                    target.name(),
                    s.elapsed.as_secs_f64(),
                    path.display()
                ));
                std::process::exit(3);
            }
        }
    }
}

/// How long a run goes on.
#[derive(Debug, Clone, Copy)]
pub enum Budget {
    Time(Duration),
    Executions(u64),
}

fn fuzz_one(
    harness: &Harness,
    repo: &Path,
    target: Target,
    seed: u64,
    budget: Budget,
    current: &Current,
) -> Outcome {
    let corpus = seeds(repo, target);
    let mut rng = Rng::new(seed ^ (target.name().len() as u64 * 0x9e37_79b9));
    let start = Instant::now();
    let mut findings: Vec<Finding> = Vec::new();
    let mut slow: Vec<Slow> = Vec::new();
    let mut n = 0u64;
    // Mutants that were themselves mutated from mutants go deeper.
    let mut now = corpus[0].clone();
    loop {
        match budget {
            Budget::Time(d) if n % 64 == 0 && start.elapsed() >= d => break,
            Budget::Executions(max) if n >= max => break,
            _ => {}
        }
        if rng.below(8) == 0 {
            now = corpus[rng.below(corpus.len())].clone();
        }
        let input = mutate(&mut rng, &now, &corpus);
        n += 1;
        let started = Instant::now();
        *current.lock().unwrap_or_else(|p| p.into_inner()) = Some((target, started, input.clone()));
        let result = harness.run(target, &input);
        let elapsed = started.elapsed();
        if elapsed > SLOW && slow.len() < 20 {
            slow.push(Slow {
                target,
                elapsed,
                input: input.clone(),
            });
        }
        if let Err(message) = result {
            let place = location_of(&message);
            if !findings.iter().any(|f| location_of(&f.message) == place) {
                findings.push(Finding {
                    target,
                    message,
                    input: input.clone(),
                });
            }
        }
        if rng.below(4) != 0 {
            now = input;
        }
    }
    *current.lock().unwrap_or_else(|p| p.into_inner()) = None;
    Outcome {
        target,
        executions: n,
        findings,
        slow,
    }
}

/// The `(at file:line)` part of a panic message: findings are kept once
/// per place in the code.
pub fn location_of(message: &str) -> &str {
    message.rfind(" (at ").map_or(message, |i| &message[i..])
}

/// Where a finding is saved: `tests/fuzz/crashes/<target>-<hash>`, named by
/// the panic's place in the code so a finding is saved once.
pub fn reproducer_path(repo: &Path, f: &Finding) -> PathBuf {
    let hash = xxhash_rust::xxh3::xxh3_64(location_of(&f.message).as_bytes());
    repo.join("tests/fuzz/crashes")
        .join(format!("{}-{hash:016x}", f.target.name()))
}

/// Where a slow input is saved: `tests/fuzz/slow/<target>-<hash>` (by
/// input; for investigation, not replayed by the tests).
pub fn slow_path(repo: &Path, s: &Slow) -> PathBuf {
    let hash = xxhash_rust::xxh3::xxh3_64(&s.input);
    repo.join("tests/fuzz/slow")
        .join(format!("{}-{hash:016x}", s.target.name()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mutation_is_reproducible_from_the_seed() {
        let corpus = vec![b"---\ntitle: a\n---\nbody\n".to_vec()];
        let run = |seed| {
            let mut rng = Rng::new(seed);
            (0..50)
                .map(|_| mutate(&mut rng, &corpus[0], &corpus))
                .collect::<Vec<_>>()
        };
        assert_eq!(run(7), run(7));
        assert_ne!(run(7), run(8));
    }

    #[test]
    fn a_panic_location_names_the_finding() {
        assert_eq!(
            location_of("internal error in docent while page: boom (at src/x.rs:3)"),
            " (at src/x.rs:3)"
        );
    }
}
