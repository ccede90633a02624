//! The order of docent's modules, and the test that keeps it: a module
//! uses only modules of lower layers, so the data flows one way through
//! the stages and no two stages depend on each other. When the test fails,
//! pass what the lower module needs in (a small trait it defines, as
//! `markdown::components::ComponentTemplates` does for the templates) or
//! move the shared type down (`site` holds the plain data every stage
//! reads; `fingerprint` the hashes and stamps).

/// Every top-level module of the crate and its layer, lowest first.
pub(crate) const LAYERS: &[(&str, u8)] = &[
    // Foundations: no stage's knowledge.
    ("error", 0),
    ("util", 0),
    ("text", 1),
    ("yaml", 1),
    ("url", 1),
    ("date", 1),
    ("output", 1),
    ("isolate", 1),
    ("confine", 1),
    ("embedded", 1),
    ("fingerprint", 1),
    ("myst", 1),
    // The stages, in the order the data flows.
    ("config", 2),
    ("i18n", 2),
    ("site", 3),
    ("review", 4),
    ("translation", 4),
    ("load", 5),
    ("images", 5),
    ("markdown", 6),
    ("render", 7),
    ("write", 8),
    ("feeds", 9),
    ("search", 9),
    ("generated", 10),
    ("cache", 11),
    ("import", 11),
    // What runs the pipeline (lib.rs itself sits above all of these).
    ("check", 12),
    ("serve", 12),
    ("new", 12),
    ("init", 12),
    ("cli", 12),
    ("stress", 12),
    ("fuzz", 12),
    ("layers", 12),
];

#[cfg(test)]
mod tests {
    use super::LAYERS;
    use std::path::{Path, PathBuf};

    /// The layer of `check`, `serve` and the other commands.
    const RUNS_THE_PIPELINE: u8 = 12;

    fn layer(module: &str) -> Option<u8> {
        LAYERS.iter().find(|(m, _)| *m == module).map(|&(_, l)| l)
    }

    /// The top-level module a file under `src/` belongs to.
    fn module_of(rel: &Path) -> Option<String> {
        let first = rel.components().next()?.as_os_str().to_str()?;
        Some(first.strip_suffix(".rs").unwrap_or(first).to_string())
    }

    /// The modules named by `crate::` paths in `code` (outside comments
    /// and test modules), with the line each is on.
    fn uses(code: &str) -> Vec<(usize, String)> {
        let code = code.split("#[cfg(test)]").next().unwrap_or(code);
        let mut out = Vec::new();
        for (n, line) in code.lines().enumerate() {
            let line = line.trim_start();
            if line.starts_with("//") {
                continue;
            }
            for (at, _) in line.match_indices("crate::") {
                let rest = &line[at + "crate::".len()..];
                if let Some(group) = rest.strip_prefix('{') {
                    // `use crate::{a::b, c}`: the first name of each item.
                    let mut depth = 0;
                    let mut item_start = true;
                    let mut name = String::new();
                    for c in group.chars() {
                        match c {
                            '{' => depth += 1,
                            '}' if depth == 0 => break,
                            '}' => depth -= 1,
                            ',' if depth == 0 => item_start = true,
                            c if item_start && (c.is_alphanumeric() || c == '_') => name.push(c),
                            _ if item_start && !name.is_empty() => {
                                out.push((n + 1, std::mem::take(&mut name)));
                                item_start = false;
                            }
                            _ => {}
                        }
                    }
                    if !name.is_empty() {
                        out.push((n + 1, name));
                    }
                } else {
                    let name: String = rest
                        .chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '_')
                        .collect();
                    out.push((n + 1, name));
                }
            }
        }
        out
    }

    fn rust_files(dir: &Path) -> Vec<PathBuf> {
        walkdir::WalkDir::new(dir)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.path().extension().is_some_and(|x| x == "rs"))
            .map(|e| e.into_path())
            .collect()
    }

    #[test]
    fn modules_only_use_lower_layers() {
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut wrong = Vec::new();
        for file in rust_files(&src) {
            let rel = file.strip_prefix(&src).unwrap();
            if rel == Path::new("lib.rs") || rel == Path::new("main.rs") {
                continue;
            }
            let module = module_of(rel).unwrap();
            let Some(own) = layer(&module) else {
                wrong.push(format!(
                    "src/{}: module `{module}` has no layer in src/layers.rs",
                    rel.display()
                ));
                continue;
            };
            let code = std::fs::read_to_string(&file).unwrap();
            for (line, used) in uses(&code) {
                if used == module || used == "self" || used == "super" {
                    continue;
                }
                match layer(&used) {
                    Some(l) if l < own => {}
                    Some(l) => wrong.push(format!(
                        "src/{}:{line}: `{module}` (layer {own}) uses `{used}` (layer {l}); \
                         a module may only use lower layers",
                        rel.display()
                    )),
                    // An item of lib.rs (the pipeline: BuildOptions, …),
                    // which only what runs the pipeline may use.
                    None if own >= RUNS_THE_PIPELINE => {}
                    None => wrong.push(format!(
                        "src/{}:{line}: `{module}` (layer {own}) uses `crate::{used}` of the \
                         pipeline in lib.rs",
                        rel.display()
                    )),
                }
            }
        }
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }

    #[test]
    fn the_checker_sees_every_form_of_use() {
        let code = "use crate::render::Templates;\n\
                    // crate::serve in a comment\n\
                    let x = crate::load::load(root);\n\
                    use crate::{site::{Page, Site}, write};\n\
                    #[cfg(test)]\nuse crate::cache;\n";
        let names: Vec<(usize, String)> = uses(code);
        let names: Vec<(usize, &str)> = names.iter().map(|(l, n)| (*l, n.as_str())).collect();
        assert_eq!(
            names,
            [(1, "render"), (3, "load"), (4, "site"), (4, "write")]
        );
        // Every module on disk has a layer (the test above reports any
        // that does not); and lower layers come first in the table.
        assert!(LAYERS.windows(2).all(|w| w[0].1 <= w[1].1));
    }
}
