//! Output for people: colours for `error:`/`warning:` labels on a terminal
//! (never when `NO_COLOR` is set or output is piped), and a progress line
//! for long builds (not in CI, not when piped).

use std::io::{IsTerminal, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

/// Write to standard output. A reader that went away (`docent check
/// --format json | head -1`) is not an error: the rest is dropped, and the
/// command still ends with its own exit code.
pub fn out(text: &str) {
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
}

/// Write to standard error, likewise ignoring a reader that went away.
pub fn err(text: &str) {
    let _ = std::io::stderr().lock().write_all(text.as_bytes());
}

/// Whether stderr should get colours.
pub fn colour() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stderr().is_terminal()
}

/// Colour the severity labels at the start of lines, if colours are on.
pub fn paint(text: &str) -> String {
    if !colour() {
        return text.to_string();
    }
    paint_always(text)
}

/// Colour labels regardless of the terminal (for tests).
pub fn paint_always(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 32);
    for line in text.split_inclusive('\n') {
        let coloured = [
            ("error:", "\x1b[1;31m"),
            ("warning:", "\x1b[1;33m"),
            ("info:", "\x1b[1;36m"),
        ]
        .iter()
        .find_map(|(label, code)| {
            line.strip_prefix(label)
                .map(|rest| format!("{code}{label}\x1b[0m{rest}"))
        });
        out.push_str(coloured.as_deref().unwrap_or(line));
    }
    out
}

/// A progress line on stderr while pages render; cleared on drop.
pub struct Progress {
    done: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Progress {
    /// Start showing `counter` (pages rendered) if stderr is a terminal and
    /// this is not CI; otherwise do nothing.
    pub fn start(counter: Arc<AtomicUsize>) -> Progress {
        let done = Arc::new(AtomicBool::new(false));
        let show = std::io::stderr().is_terminal() && std::env::var_os("CI").is_none();
        let thread = show.then(|| {
            let done = done.clone();
            std::thread::spawn(move || {
                let mut shown = false;
                // Short builds finish before the first tick and print nothing.
                std::thread::sleep(Duration::from_millis(300));
                while !done.load(Ordering::Relaxed) {
                    let n = counter.load(Ordering::Relaxed);
                    crate::output::err(&format!("\r  rendering… {n} pages done"));
                    let _ = std::io::stderr().flush();
                    shown = true;
                    std::thread::sleep(Duration::from_millis(100));
                }
                if shown {
                    crate::output::err("\r\x1b[2K");
                }
            })
        });
        Progress { done, thread }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.done.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn labels_are_coloured_only_at_line_start() {
        let s = super::paint_always("error: x\n --> a\nwarning: y\nno error: here\n");
        assert!(s.starts_with("\x1b[1;31merror:\x1b[0m x\n"));
        assert!(s.contains("\x1b[1;33mwarning:\x1b[0m y\n"));
        assert!(s.ends_with("no error: here\n"));
    }
}
