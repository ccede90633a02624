//! The `docent` binary: parse arguments, run a command, print errors,
//! exit 0 (success), 1 (content errors) or 2 (usage errors).

use clap::Parser;
use docent::cli::{Cli, Command};
use docent::{BuildOptions, Error};

/// Pages are built from many short-lived allocations on every core; see
/// Cargo.toml for why mimalloc.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let cli = Cli::parse();
    let (quiet, verbose) = (cli.quiet, cli.verbose);
    let result = match cli.command {
        Command::Build {
            root,
            output,
            drafts,
            base_url,
            strict,
            no_cache,
        } => {
            let progress = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
            let opts = BuildOptions {
                root,
                output,
                drafts,
                base_url,
                strict,
                today: None,
                progress: Some(progress.clone()),
                analyze: false,
                cache: !no_cache,
            };
            let bar = (!quiet).then(|| docent::output::Progress::start(progress));
            let result = docent::build(&opts);
            drop(bar);
            result.map(|r| {
                for w in &r.warnings {
                    eprint!("{}", docent::output::paint(&w.render("warning")));
                }
                if verbose {
                    for (stage, t) in &r.timings {
                        eprintln!("  {stage:<10} {:>8.1} ms", t.as_secs_f64() * 1000.0);
                    }
                    eprintln!(
                        "  {} pages loaded from the rebuild cache unread, {} kept unrendered",
                        r.unread, r.reused
                    );
                }
                if !quiet {
                    println!("{}", r.summary());
                }
            })
        }
        Command::Check {
            root,
            format,
            strict,
            drafts,
        } => {
            let mut opts = BuildOptions::new(root);
            opts.drafts = drafts;
            let report = docent::check::run(&opts);
            match format {
                docent::cli::Format::Text if quiet => {
                    let errors: String = report
                        .findings
                        .iter()
                        .filter(|f| f.severity == docent::check::Severity::Error)
                        .map(|f| f.diagnostic.render("error"))
                        .collect();
                    eprint!("{}", docent::output::paint(&errors));
                }
                docent::cli::Format::Text => {
                    eprint!("{}", docent::output::paint(&report.to_text()))
                }
                docent::cli::Format::Json => print!("{}", report.to_json()),
            }
            std::process::exit(report.exit_code(strict));
        }
        Command::Serve {
            root,
            port,
            bind,
            open,
            drafts,
            no_cache,
        } => docent::serve::serve(&docent::serve::ServeOptions {
            root,
            bind,
            port,
            drafts,
            open,
            quiet,
            incremental: !no_cache,
        }),
        Command::New {
            path,
            section,
            root,
        } => docent::new::new_page(&root, &path, section).map(|created| {
            if !quiet {
                println!("Created {}", created.display());
            }
        }),
        Command::Init { dir } => docent::init::init(&dir).map(|()| {
            if quiet {
                return;
            }
            println!(
                "Created a new site in {}. Build it with: docent build --root {}",
                dir.display(),
                dir.display()
            );
        }),
    };
    if let Err(e) = result {
        match &e {
            Error::Build(_) => eprintln!("{}", docent::output::paint(&e.to_string())),
            _ => eprintln!("{}", docent::output::paint(&format!("error: {e}"))),
        }
        std::process::exit(e.exit_code());
    }
}
