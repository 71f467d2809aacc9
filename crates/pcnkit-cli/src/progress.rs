//! A spinner on standard error for long steps (silent with `--quiet` or when not a terminal).

use indicatif::{ProgressBar, ProgressStyle};

/// Starts a spinner with a message; finish it with `finish_and_clear`.
pub fn spinner(quiet: bool, message: &str) -> ProgressBar {
    if quiet {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new_spinner();
    if let Ok(style) = ProgressStyle::with_template("{spinner} {msg} ({elapsed})") {
        bar.set_style(style);
    }
    bar.set_message(message.to_owned());
    bar.enable_steady_tick(std::time::Duration::from_millis(120));
    bar
}
