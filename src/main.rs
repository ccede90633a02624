//! The `docent` binary: parse arguments, run a command, print errors,
//! exit 0 (success), 1 (content errors) or 2 (usage errors).

use clap::Parser;
use docent::cli::{Cli, Command};
use docent::{BuildOptions, Error};

fn main() {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Build {
            root,
            output,
            drafts,
            base_url,
            quiet,
            strict,
        } => {
            let opts = BuildOptions {
                root,
                output,
                drafts,
                base_url,
                strict,
                today: None,
            };
            docent::build(&opts).map(|r| {
                for w in &r.warnings {
                    eprint!("{}", w.render("warning"));
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
                docent::cli::Format::Text => eprint!("{}", report.to_text()),
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
            quiet,
        } => docent::serve::serve(&docent::serve::ServeOptions {
            root,
            bind,
            port,
            drafts,
            open,
            quiet,
        }),
        Command::New {
            path,
            section,
            root,
        } => docent::new::new_page(&root, &path, section).map(|created| {
            println!("Created {}", created.display());
        }),
        Command::Init { dir } => docent::init::init(&dir).map(|()| {
            println!(
                "Created a new site in {}. Build it with: docent build --root {}",
                dir.display(),
                dir.display()
            );
        }),
    };
    if let Err(e) = result {
        match &e {
            Error::Build(_) => eprintln!("{e}"),
            _ => eprintln!("error: {e}"),
        }
        std::process::exit(e.exit_code());
    }
}
