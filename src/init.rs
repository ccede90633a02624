//! `docent init DIR`: scaffold a new site that builds with the built-in theme.

use std::fs;
use std::path::Path;

use crate::error::{Error, Result};

const SITE_YAML: &str = "\
# docent site configuration. See the README for every key.
title: My explainer
description: Clear, cited answers about one topic.
base_url: /
language: en
theme: default
toc:
  min_level: 2
  max_level: 3
";

const HOME: &str = "\
---
title: Welcome
description: What this site explains and where to start.
---

This site explains one topic in plain language, with sources.

## Where to start

Read [the first page](getting-started.md).

## How we write

Every figure has a source. Pages say what the evidence shows and where it is uncertain.
";

const PAGE: &str = "\
---
title: Getting started
description: A first page to edit.
weight: 1
---

Edit `content/getting-started.md` and run `docent build` again.

## Headings make the table of contents

Each `##` and `###` heading appears in the \"On this page\" list.

## Links between pages

Link to another page by its file: [home](_index.md).
";

/// Create a site in `dir`, which must be empty or not exist yet.
pub fn init(dir: &Path) -> Result<()> {
    crate::error::require_new_folder(dir, "init")?;
    let write = |rel: &str, text: &str| -> Result<()> {
        let p = dir.join(rel);
        if let Some(parent) = p.parent() {
            fs::create_dir_all(parent)
                .map_err(|e| Error::io(format!("cannot create {}", parent.display()), e))?;
        }
        fs::write(&p, text).map_err(|e| Error::io(format!("cannot write {}", p.display()), e))
    };
    write("site.yaml", SITE_YAML)?;
    write("content/_index.md", HOME)?;
    write("content/getting-started.md", PAGE)?;
    // The output, and the folder the next output is prepared in.
    write(".gitignore", "/public\n/.public.docent-stage\n")?;
    Ok(())
}
