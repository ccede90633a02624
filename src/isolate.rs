//! Panic isolation: a bug in docent that panics while handling one page (or
//! one build) becomes an "internal error" diagnostic naming what was being
//! done, instead of killing the process without a location. The build then
//! fails like any other, so the output folder is left as promised and
//! `docent serve` keeps serving and rebuilding.
//!
//! The panic's message and source location are captured by a panic hook
//! while [`catch`] runs, and not printed: they go into the diagnostic.

use std::cell::{Cell, RefCell};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;
use std::sync::Once;

use crate::error::{Diagnostic, Kind};

thread_local! {
    /// Set while [`catch`] runs on this thread: panics are captured, not printed.
    static CATCHING: Cell<u32> = const { Cell::new(0) };
    /// The last captured panic on this thread: message and location.
    static LAST: RefCell<Option<String>> = const { RefCell::new(None) };
}

static HOOK: Once = Once::new();

/// Install (once per process) a panic hook that captures panics raised
/// inside [`catch`] and leaves all others to the previous hook.
fn install_hook() {
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if CATCHING.with(Cell::get) == 0 {
                previous(info);
                return;
            }
            let payload = info.payload();
            let message = payload
                .downcast_ref::<&str>()
                .map(|s| (*s).to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".into());
            let at = info
                .location()
                .map(|l| format!(" (at {}:{})", l.file(), l.line()))
                .unwrap_or_default();
            LAST.with(|l| *l.borrow_mut() = Some(format!("{message}{at}")));
        }));
    });
}

/// Run `f`; a panic inside it becomes an internal-error diagnostic about
/// `file` (a path to show, e.g. `content/safety.md`) while `doing` (e.g.
/// "rendering this page").
pub(crate) fn catch<T>(
    file: Option<&Path>,
    doing: &str,
    f: impl FnOnce() -> T,
) -> Result<T, Diagnostic> {
    install_hook();
    CATCHING.with(|c| c.set(c.get() + 1));
    let result = catch_unwind(AssertUnwindSafe(f));
    CATCHING.with(|c| c.set(c.get() - 1));
    result.map_err(|_| {
        let detail = LAST
            .with(|l| l.borrow_mut().take())
            .unwrap_or_else(|| "unknown panic".into());
        internal(file, doing, &detail)
    })
}

/// The diagnostic for a bug in docent hit while `doing` something.
fn internal(file: Option<&Path>, doing: &str, detail: &str) -> Diagnostic {
    let mut d = Diagnostic::new(
        Kind::Internal,
        format!("internal error in docent while {doing}: {detail}"),
    )
    .hint(
        "this is a bug in docent, not in your content; please report it with the file \
         named here attached. The other pages were still checked.",
    );
    if let Some(f) = file {
        d = d.file(f);
    }
    d
}

/// For tests of the isolation itself, which need a page that panics: in
/// debug builds only, the page whose content-relative path equals
/// `DOCENT_TEST_PANIC_PAGE` panics while rendering. Release builds have no
/// such switch (the check compiles away).
pub(crate) fn test_probe(rel_path: &str) {
    if cfg!(debug_assertions)
        && std::env::var_os("DOCENT_TEST_PANIC_PAGE").is_some_and(|v| v == rel_path)
    {
        panic!("test probe: DOCENT_TEST_PANIC_PAGE names {rel_path}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_a_located_internal_error() {
        let d = catch(
            Some(Path::new("content/x.md")),
            "rendering this page",
            || {
                let v: Vec<u8> = Vec::new();
                v[3]
            },
        )
        .unwrap_err();
        assert_eq!(d.kind, Kind::Internal);
        assert_eq!(d.path.as_deref(), Some(Path::new("content/x.md")));
        assert!(d.message.contains("while rendering this page"), "{d}");
        assert!(d.message.contains("index out of bounds"), "{d}");
        assert!(d.message.contains("src/isolate.rs"), "{d}");
        assert!(d.hint.as_deref().unwrap().contains("bug in docent"));
    }

    #[test]
    fn values_pass_through_and_nested_catches_unwind_correctly() {
        assert_eq!(catch(None, "x", || 7).unwrap(), 7);
        let outer = catch(None, "outer", || {
            let inner = catch(None, "inner", || panic!("first"));
            assert!(inner.unwrap_err().message.contains("first"));
            panic!("second")
        });
        assert!(outer.unwrap_err().message.contains("second"));
    }
}
