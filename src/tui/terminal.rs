//! The TUI's life with its terminal: signals, suspension, and the terminal going
//! away.
//!
//! - SIGTERM, SIGINT and SIGHUP end the TUI with the conventional status (128 + the
//!   signal's number) after the terminal is restored.
//! - SIGQUIT restores the terminal, then dies as SIGQUIT does by default.
//! - SIGTSTP (and Ctrl-Z, which raw mode delivers as a key) restores the terminal and
//!   stops the process, as vim and less do; on SIGCONT the TUI takes the terminal back
//!   and redraws everything.
//! - When the terminal goes away (the tmux pane or SSH session closed: a hang-up, an
//!   end of file or an error on the tty) the TUI exits within a second with status
//!   129 (128 + SIGHUP), even if it is stuck in a read: crossterm spins forever on a
//!   tty that reads 0 bytes, so a watchdog thread checks the tty ten times a second
//!   and ends the process itself when the event loop does not.

use std::io;
use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use crossterm::event::{Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use signal_hook::consts::{SIGCONT, SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGTSTP};

/// Exit status when the terminal went away (as if by SIGHUP).
pub const EXIT_TERMINAL_GONE: u8 = 128 + 1;

/// How often the watchdog looks at the signals and the terminal.
const WATCH_EVERY: Duration = Duration::from_millis(100);

/// How long the event loop has to finish after a stop before the watchdog ends the
/// process itself.
const GRACE: Duration = Duration::from_millis(200);

#[derive(Default)]
struct Shared {
    /// The exit status asked for (0: none yet).
    stop: AtomicI32,
    /// SIGTSTP arrived: the event loop should suspend.
    suspend: AtomicBool,
    /// SIGCONT arrived: the event loop should take the terminal back and redraw.
    resumed: AtomicBool,
}

/// The TUI's signal and terminal watch; see the module documentation.
pub struct Lifecycle {
    shared: Arc<Shared>,
}

impl Lifecycle {
    /// Installs the signal handlers and starts the watchdog thread.
    pub fn start() -> io::Result<Lifecycle> {
        let shared = Arc::new(Shared::default());
        terminal_fds();
        let mut signals = signal_hook::iterator::Signals::new([
            SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGTSTP, SIGCONT,
        ])?;
        let watched = Arc::clone(&shared);
        std::thread::Builder::new()
            .name("iamscope-watchdog".into())
            .spawn(move || {
                let mut stop_since: Option<Instant> = None;
                loop {
                    for signal in signals.pending() {
                        match signal {
                            SIGQUIT => {
                                super::restore();
                                let _ = signal_hook::low_level::emulate_default_handler(SIGQUIT);
                            }
                            SIGTSTP => watched.suspend.store(true, Ordering::SeqCst),
                            SIGCONT => watched.resumed.store(true, Ordering::SeqCst),
                            other => request_stop(&watched, 128 + other),
                        }
                    }
                    if !terminal_alive() {
                        request_stop(&watched, i32::from(EXIT_TERMINAL_GONE));
                    }
                    let stop = watched.stop.load(Ordering::SeqCst);
                    if stop != 0 {
                        let since = *stop_since.get_or_insert_with(Instant::now);
                        if since.elapsed() >= GRACE {
                            // The event loop is stuck (e.g. in a read on a dead tty).
                            super::restore();
                            std::process::exit(stop);
                        }
                    }
                    std::thread::sleep(WATCH_EVERY);
                }
            })?;
        Ok(Lifecycle { shared })
    }

    /// The exit status to end with, once a signal or the terminal's end asked to stop.
    pub fn exit_code(&self) -> Option<u8> {
        match self.shared.stop.load(Ordering::SeqCst) {
            0 => None,
            code => Some(u8::try_from(code).unwrap_or(1)),
        }
    }

    /// Whether the event loop should stop now; also checks the terminal itself, so
    /// that the loop never enters a read on a terminal that has gone.
    pub fn should_stop(&self) -> bool {
        if self.exit_code().is_none() && !terminal_alive() {
            request_stop(&self.shared, i32::from(EXIT_TERMINAL_GONE));
        }
        self.exit_code().is_some()
    }

    /// Asks to suspend, as SIGTSTP does (for Ctrl-Z, which raw mode turns into a key).
    pub fn request_suspend(&self) {
        self.shared.suspend.store(true, Ordering::SeqCst);
    }

    /// Whether a suspension was asked for since the last call.
    pub fn take_suspend(&self) -> bool {
        self.shared.suspend.swap(false, Ordering::SeqCst)
    }

    /// Whether the process was continued (SIGCONT) since the last call.
    pub fn take_resumed(&self) -> bool {
        self.shared.resumed.swap(false, Ordering::SeqCst)
    }
}

fn request_stop(shared: &Shared, code: i32) {
    let _ = shared
        .stop
        .compare_exchange(0, code, Ordering::SeqCst, Ordering::SeqCst);
}

/// Ctrl-Z: raw mode delivers it as a key instead of sending SIGTSTP.
pub fn is_suspend_key(event: &Event) -> bool {
    matches!(
        event,
        Event::Key(KeyEvent {
            code: KeyCode::Char('z'),
            modifiers,
            kind: KeyEventKind::Press,
            ..
        }) if modifiers.contains(KeyModifiers::CONTROL)
    )
}

/// Restores the terminal, stops the process (as the default SIGTSTP action would) and,
/// once continued, takes the terminal back. The caller redraws everything.
pub fn suspend() -> io::Result<()> {
    super::restore();
    signal_hook::low_level::raise(signal_hook::consts::SIGSTOP)?;
    reenter()
}

/// Takes the terminal back after the process was continued: raw mode, alternate
/// screen and mouse capture again (the shell reset them while we were stopped). The
/// caller redraws everything.
pub fn reenter() -> io::Result<()> {
    crossterm::terminal::enable_raw_mode()?;
    crossterm::execute!(
        io::stdout(),
        crossterm::terminal::EnterAlternateScreen,
        crossterm::event::EnableMouseCapture
    )
}

/// The descriptors that were terminals when the TUI started: after a hang-up they
/// no longer say they are (isatty fails with EIO), so they are remembered.
static TERMINAL_FDS: OnceLock<Vec<i32>> = OnceLock::new();

fn terminal_fds() -> &'static [i32] {
    TERMINAL_FDS.get_or_init(|| {
        #[cfg(unix)]
        {
            [libc::STDIN_FILENO, libc::STDOUT_FILENO]
                .into_iter()
                // SAFETY: isatty only reads the descriptor's state.
                .filter(|&fd| unsafe { libc::isatty(fd) } == 1)
                .collect()
        }
        #[cfg(not(unix))]
        Vec::new()
    })
}

/// Whether the terminal is still there: false once a tty behind standard input or
/// output has hung up (its pane or session closed), reports an error, or no longer
/// answers terminal requests.
pub fn terminal_alive() -> bool {
    #[cfg(unix)]
    for &fd in terminal_fds() {
        let mut poll = libc::pollfd {
            fd,
            events: libc::POLLIN,
            revents: 0,
        };
        // SAFETY: one valid pollfd, no wait.
        let ready = unsafe { libc::poll(&mut poll, 1, 0) };
        if ready > 0 && poll.revents & (libc::POLLHUP | libc::POLLERR | libc::POLLNVAL) != 0 {
            return false;
        }
        // SAFETY: tcgetattr writes into a termios we own.
        let mut modes: libc::termios = unsafe { std::mem::zeroed() };
        if unsafe { libc::tcgetattr(fd, &mut modes) } != 0
            && matches!(
                io::Error::last_os_error().raw_os_error(),
                Some(libc::EIO | libc::EBADF | libc::ENOTTY)
            )
        {
            return false;
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ctrl_z_suspends() {
        let key = |c, m| Event::Key(KeyEvent::new(KeyCode::Char(c), m));
        assert!(is_suspend_key(&key('z', KeyModifiers::CONTROL)));
        assert!(!is_suspend_key(&key('z', KeyModifiers::NONE)));
        assert!(!is_suspend_key(&key('x', KeyModifiers::CONTROL)));
    }
}
