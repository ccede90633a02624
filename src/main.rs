//! The `docent` binary: parse arguments, run a command, print errors,
//! exit 0 (success), 1 (content errors) or 2 (usage errors).

use clap::Parser;
use docent::cli::{Cli, Command};
use docent::output::{err, out, paint};
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
                    err(&paint(&w.render("warning")));
                }
                if verbose {
                    err(&docent::timings_report(&r.timings));
                    err(&format!(
                        "  {} pages loaded from the rebuild cache unread, {} kept unrendered\n",
                        r.unread, r.reused
                    ));
                    err(&format!(
                        "  {} folders of the output listed for files made by hand\n",
                        r.files.folders_listed
                    ));
                }
                if !quiet {
                    out(&format!("{}\n", r.summary()));
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
                        .filter(|f| f.severity >= docent::check::Severity::Warning)
                        .map(|f| format!("{}\n", f.diagnostic.render(f.severity.label())))
                        .collect();
                    err(&paint(&errors));
                }
                docent::cli::Format::Text => err(&paint(&report.to_text())),
                docent::cli::Format::Json => out(&report.to_json()),
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
            allow_hosts,
        } => docent::serve::serve(&docent::serve::ServeOptions {
            root,
            bind,
            port,
            drafts,
            open,
            quiet,
            verbose,
            incremental: !no_cache,
            allow_hosts,
        }),
        Command::New {
            path,
            section,
            lang,
            root,
        } => match lang {
            Some(lang) => docent::new::new_translation(&root, &path, &lang),
            None => docent::new::new_page(&root, &path, section),
        }
        .map(|created| {
            if !quiet {
                out(&format!("Created {}\n", created.display()));
            }
        }),
        Command::Import { from, src, dest } => {
            docent::import::import(from, &src, &dest).map(|report| {
                if !quiet {
                    out(&report.render());
                }
            })
        }
        Command::Init { dir } => docent::init::init(&dir).map(|()| {
            if quiet {
                return;
            }
            out(&format!(
                "Created a new site in {}. Build it with: docent build --root {}\n",
                dir.display(),
                dir.display()
            ));
        }),
    };
    if let Err(e) = result {
        match &e {
            Error::Build(_) => err(&paint(&format!("{e}\n"))),
            _ => err(&paint(&format!("error: {e}\n"))),
        }
        std::process::exit(e.exit_code());
    }
}
