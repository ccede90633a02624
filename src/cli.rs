//! Command-line interface (clap derive).

use std::path::PathBuf;

use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(name = "docent", version, about = "Build clear, cited, accessible explainer sites", long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// Print only warnings and errors (no progress, summary or info lines)
    #[arg(long, short, global = true)]
    pub quiet: bool,
    /// Print what each stage did and how long it took
    #[arg(long, short, global = true)]
    pub verbose: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site into the output folder (public/ by default)
    Build {
        /// Site folder (holds site.yaml and content/)
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Output folder [default: ROOT/public]
        #[arg(long)]
        output: Option<PathBuf>,
        /// Include pages marked `draft: true`
        #[arg(long)]
        drafts: bool,
        /// Override `base_url` from site.yaml
        #[arg(long)]
        base_url: Option<String>,
        /// Treat warnings (pages past their review date) as errors
        #[arg(long)]
        strict: bool,
        /// Render every page, ignoring the rebuild cache
        #[arg(long)]
        no_cache: bool,
    },
    /// Check links, anchors, images, headings, citations, review dates and
    /// reading level, without writing anything
    Check {
        /// Site folder (holds site.yaml and content/)
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Output format
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Exit 1 on warnings too
        #[arg(long)]
        strict: bool,
        /// Include pages marked `draft: true`
        #[arg(long)]
        drafts: bool,
    },
    /// Build in memory, serve on 127.0.0.1, rebuild and reload on change
    Serve {
        /// Site folder (holds site.yaml and content/)
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Port (0 picks a free one)
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// Address to listen on; anything but loopback exposes the site to your network
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Open the site in a browser
        #[arg(long)]
        open: bool,
        /// Include pages marked `draft: true`
        #[arg(long)]
        drafts: bool,
        /// Re-render every page on each change (no incremental rebuilds)
        #[arg(long)]
        no_cache: bool,
        /// Also answer requests for this host name (besides localhost and IP
        /// addresses), e.g. a name for this machine on your network; repeatable
        #[arg(long = "allow-host", value_name = "NAME")]
        allow_hosts: Vec<String>,
    },
    /// Create a page (or with --section a section) under content/
    New {
        /// Path relative to content/, e.g. safety/risks.md
        path: PathBuf,
        /// Create a section (PATH/_index.md)
        #[arg(long)]
        section: bool,
        /// Create the translation into this language (one of site.yaml's
        /// `languages:`) of the default-language page at PATH
        #[arg(long, value_name = "CODE", conflicts_with = "section")]
        lang: Option<String>,
        /// Site folder (holds site.yaml and content/)
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Create a docent site in DEST from a MkDocs, Jupyter Book, mdBook,
    /// Hugo or Zola project in SRC (which is only read)
    Import {
        /// The tool SRC was written for
        #[arg(long, value_enum)]
        from: crate::import::Tool,
        /// The project's folder (holding mkdocs.yml, _config.yml or
        /// myst.yml, book.toml, hugo.toml or config.toml)
        src: PathBuf,
        /// The new site's folder (must be empty or not exist)
        dest: PathBuf,
    },
    /// Create a new site in DIR using the built-in default theme
    Init {
        /// Folder to create (must be empty or not exist)
        dir: PathBuf,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Text,
    Json,
}
