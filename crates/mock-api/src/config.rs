//! Command-line flags, hand-parsed: a dozen flags do not justify an argument-parser dependency.

use chrono::{DateTime, Utc};
use std::path::PathBuf;

/// What `--fail-every` does to the failing call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FailKind {
    /// HTTP 500 with the error envelope.
    ServerError,
    /// HTTP 200 with a truncated, invalid JSON body.
    Malformed,
}

/// The server's configuration; `Default` is what no flags give (except `now`, see
/// [`Config::from_args`]).
#[derive(Clone, Debug)]
pub struct Config {
    pub port: u16,
    pub keys: Vec<String>,
    pub records: usize,
    pub seed: u64,
    pub now: DateTime<Utc>,
    pub quota: u64,
    pub quota_window_secs: u64,
    pub latency_ms: u64,
    pub fail_every: u64,
    pub fail_kind: FailKind,
    pub hostile_every: usize,
    /// A successful cancel answers 204 with no body instead of the request (the API does not
    /// document the cancel's body).
    pub cancel_no_content: bool,
    pub cors: bool,
    pub expose_rate_headers: bool,
    pub static_dir: Option<PathBuf>,
    /// Data that changes while a client pages: after every `churn_after`-th list call (counted
    /// since start or the last `/__mock/reset-stats`, which restarts the schedule; 0 = off),
    /// the `churn_count` newest pending requests are answered, `churn_times` times in all.
    pub churn_after: u64,
    pub churn_count: usize,
    pub churn_times: u64,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            port: 8787,
            keys: vec!["demo-key".to_owned()],
            records: hitl_core::demo::DEFAULT_COUNT,
            seed: hitl_core::demo::DEFAULT_SEED,
            now: Utc::now(),
            quota: 100,
            quota_window_secs: 3600,
            latency_ms: 0,
            fail_every: 0,
            fail_kind: FailKind::ServerError,
            hostile_every: 0,
            cancel_no_content: false,
            cors: true,
            expose_rate_headers: true,
            static_dir: None,
            churn_after: 0,
            churn_count: 1,
            churn_times: 1,
        }
    }
}

/// `--help` text; every flag is listed here.
pub const HELP: &str = "\
mock-api: the HITL.sh requests API over generated data, for development and tests.

USAGE: mock-api [FLAGS]

  --port N                   listen on 127.0.0.1:N (default 8787; 0 = pick a free port)
  --key K                    accepted bearer key; repeatable (default: demo-key)
  --records N                number of generated requests (default 240)
  --seed S                   generator seed (default 7)
  --now RFC3339              generation time (default: the current time)
  --quota N                  calls per window per key (default 100)
  --quota-window-secs S      quota window length; starts at a key's first call (default 3600)
  --latency-ms N             delay before answering each /v1 call (default 0)
  --fail-every N             every Nth authenticated /v1 call fails (default 0 = off)
  --fail-kind KIND           server-error (HTTP 500 envelope) or malformed (HTTP 200,
                             truncated JSON) (default server-error)
  --hostile-every N          put hostile HTML/script text into every Nth request (0 = off)
  --cancel-reply KIND        request (200 with data.request) or no-content (204, no body)
                             (default request)
  --cors on|off              CORS headers on /v1 responses and preflights (default on)
  --expose-rate-headers on|off
                             list X-RateLimit-* in Access-Control-Expose-Headers (default on)
  --churn-after N            after the Nth list call (counted since start or the last
                             POST /__mock/reset-stats, which restarts the schedule) answer
                             the newest pending requests (default 0 = off)
  --churn-count K            how many pending requests each churn answers (default 1)
  --churn-times T            churn after the Nth, 2Nth, ... list call, T times in all
                             (default 1)
  --static DIR               also serve the built dashboard from DIR (SPA fallback to index.html)
  -h, --help                 print this help

On start it prints one line: mock-api listening on http://127.0.0.1:PORT
";

/// What the command line asked for.
#[derive(Debug)]
pub enum Command {
    Run(Box<Config>),
    Help,
}

impl Config {
    /// Parses the flags (without the program name). `now` defaults to the current time.
    pub fn from_args<I: IntoIterator<Item = String>>(args: I) -> Result<Command, String> {
        let mut cfg = Config::default();
        let mut keys: Vec<String> = Vec::new();
        let mut args = args.into_iter();
        while let Some(flag) = args.next() {
            // `--flag=value` and `--flag value` are both accepted.
            let (flag, inline) = match flag.split_once('=') {
                Some((f, v)) if f.starts_with("--") => (f.to_owned(), Some(v.to_owned())),
                _ => (flag, None),
            };
            if flag == "-h" || flag == "--help" {
                return Ok(Command::Help);
            }
            let value = match inline.or_else(|| args.next()) {
                Some(v) => v,
                None => return Err(format!("{flag} needs a value (see --help)")),
            };
            match flag.as_str() {
                "--port" => cfg.port = number(&flag, &value)?,
                "--key" => keys.push(value),
                "--records" => cfg.records = number(&flag, &value)?,
                "--seed" => cfg.seed = number(&flag, &value)?,
                "--now" => {
                    cfg.now = DateTime::parse_from_rfc3339(&value)
                        .map_err(|e| format!("--now {value:?}: {e} (want RFC 3339)"))?
                        .with_timezone(&Utc)
                }
                "--quota" => cfg.quota = number(&flag, &value)?,
                "--quota-window-secs" => cfg.quota_window_secs = number(&flag, &value)?,
                "--latency-ms" => cfg.latency_ms = number(&flag, &value)?,
                "--fail-every" => cfg.fail_every = number(&flag, &value)?,
                "--fail-kind" => {
                    cfg.fail_kind = match value.as_str() {
                        "server-error" => FailKind::ServerError,
                        "malformed" => FailKind::Malformed,
                        _ => {
                            return Err(format!(
                                "--fail-kind: want server-error or malformed, got {value:?}"
                            ))
                        }
                    }
                }
                "--hostile-every" => cfg.hostile_every = number(&flag, &value)?,
                "--cancel-reply" => {
                    cfg.cancel_no_content = match value.as_str() {
                        "request" => false,
                        "no-content" => true,
                        _ => {
                            return Err(format!(
                                "--cancel-reply: want request or no-content, got {value:?}"
                            ))
                        }
                    }
                }
                "--cors" => cfg.cors = on_off(&flag, &value)?,
                "--expose-rate-headers" => cfg.expose_rate_headers = on_off(&flag, &value)?,
                "--churn-after" => cfg.churn_after = number(&flag, &value)?,
                "--churn-count" => cfg.churn_count = number(&flag, &value)?,
                "--churn-times" => cfg.churn_times = number(&flag, &value)?,
                "--static" => cfg.static_dir = Some(PathBuf::from(value)),
                _ => return Err(format!("unknown flag {flag:?} (see --help)")),
            }
        }
        if !keys.is_empty() {
            cfg.keys = keys;
        }
        if cfg.quota_window_secs == 0 {
            return Err("--quota-window-secs must be at least 1".to_owned());
        }
        Ok(Command::Run(Box::new(cfg)))
    }
}

fn number<T: std::str::FromStr>(flag: &str, value: &str) -> Result<T, String> {
    value
        .parse()
        .map_err(|_| format!("{flag}: {value:?} is not a valid number"))
}

fn on_off(flag: &str, value: &str) -> Result<bool, String> {
    match value {
        "on" => Ok(true),
        "off" => Ok(false),
        _ => Err(format!("{flag}: want on or off, got {value:?}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Config, String> {
        match Config::from_args(args.iter().map(|s| s.to_string()))? {
            Command::Run(cfg) => Ok(*cfg),
            Command::Help => Err("help".into()),
        }
    }

    #[test]
    fn defaults_and_flags() {
        let d = parse(&[]).unwrap();
        assert_eq!(
            (d.port, d.quota, d.keys.clone()),
            (8787, 100, vec!["demo-key".into()])
        );
        let c = parse(&[
            "--port",
            "0",
            "--key",
            "a",
            "--key=b",
            "--fail-kind",
            "malformed",
            "--cors",
            "off",
            "--cancel-reply",
            "no-content",
            "--now",
            "2024-03-15T10:45:00Z",
        ])
        .unwrap();
        assert!(c.cancel_no_content && !d.cancel_no_content);
        assert!(parse(&["--cancel-reply", "maybe"]).is_err());
        assert_eq!(c.port, 0);
        assert_eq!(c.keys, vec!["a".to_owned(), "b".to_owned()]);
        assert_eq!(c.fail_kind, FailKind::Malformed);
        assert!(!c.cors);
        assert_eq!(c.now.to_rfc3339(), "2024-03-15T10:45:00+00:00");
        assert!(parse(&["--help"]).is_err());
        assert!(parse(&["--port"]).is_err());
        assert!(parse(&["--bogus", "1"]).is_err());
        assert!(parse(&["--cors", "maybe"]).is_err());
        assert_eq!((d.churn_after, d.churn_count, d.churn_times), (0, 1, 1));
        let c = parse(&[
            "--churn-after",
            "3",
            "--churn-count=5",
            "--churn-times",
            "2",
        ])
        .unwrap();
        assert_eq!((c.churn_after, c.churn_count, c.churn_times), (3, 5, 2));
        assert!(parse(&["--churn-after", "-1"]).is_err());
    }
}
