//! The live state shared by the rebuild loop and the HTTP threads: the
//! current site generation and the history of what each generation
//! changed. Publishing swaps the site and records its changes under one
//! lock, then wakes every event stream, so a reload is only ever announced
//! for a site that is already being served.

use std::collections::{BTreeSet, VecDeque};
use std::sync::{Arc, Condvar, Mutex, RwLock};
use std::time::Duration;

use super::site::Site;

/// Generations remembered for event streams that reconnect or connect late.
const HISTORY: usize = 256;
/// Above this many changed paths an event just says "everything".
const MAX_PATHS: usize = 2000;

/// What changed between two generations.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Change {
    /// Every page changed (the findings overlay, or too many to list).
    pub all: bool,
    pub paths: BTreeSet<String>,
}

impl Change {
    pub fn is_empty(&self) -> bool {
        !self.all && self.paths.is_empty()
    }
    fn merge(&mut self, other: &Change) {
        self.all |= other.all;
        if !self.all {
            self.paths.extend(other.paths.iter().cloned());
        }
        if self.all || self.paths.len() > MAX_PATHS {
            self.all = true;
            self.paths.clear();
        }
    }
    /// The `data:` of a reload event.
    pub fn to_json(&self, generation: u64) -> String {
        serde_json::json!({"generation": generation, "all": self.all, "changed": self.paths})
            .to_string()
    }
}

struct History {
    generation: u64,
    /// (generation, what it changed), oldest first.
    changes: VecDeque<(u64, Change)>,
}

/// The served site and its change history.
pub struct Live {
    site: RwLock<Arc<Site>>,
    history: Mutex<History>,
    wake: Condvar,
    /// Identifies this server process: a page from an earlier server reloads.
    pub boot: u64,
}

impl Default for Live {
    fn default() -> Self {
        Self::new()
    }
}

impl Live {
    pub fn new() -> Live {
        let boot = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64 ^ u64::from(std::process::id()))
            .unwrap_or(1);
        Live {
            site: RwLock::new(Arc::new(Site::default())),
            history: Mutex::new(History {
                generation: 0,
                changes: VecDeque::new(),
            }),
            wake: Condvar::new(),
            boot,
        }
    }

    /// The site being served now.
    pub fn site(&self) -> Arc<Site> {
        match self.site.read() {
            Ok(s) => s.clone(),
            Err(p) => p.into_inner().clone(),
        }
    }

    /// Serves `site` as the next generation and announces `change`; returns the generation.
    pub fn publish(&self, mut site: Site, mut change: Change) -> u64 {
        let mut h = match self.history.lock() {
            Ok(h) => h,
            Err(p) => p.into_inner(),
        };
        h.generation += 1;
        let generation = h.generation;
        site.generation = generation;
        match self.site.write() {
            Ok(mut s) => *s = Arc::new(site),
            Err(p) => *p.into_inner() = Arc::new(site),
        }
        change.merge(&Change::default());
        h.changes.push_back((generation, change));
        while h.changes.len() > HISTORY {
            h.changes.pop_front();
        }
        drop(h);
        self.wake.notify_all();
        generation
    }

    /// The current generation and what changed after generation `since`
    /// (everything when `since` is unknown: too old, or from another server).
    pub fn since(&self, since: u64) -> (u64, Change) {
        let h = match self.history.lock() {
            Ok(h) => h,
            Err(p) => p.into_inner(),
        };
        Self::since_locked(&h, since)
    }

    fn since_locked(h: &History, since: u64) -> (u64, Change) {
        let mut c = Change::default();
        if since >= h.generation {
            if since > h.generation {
                c.all = true;
            }
            return (h.generation, c);
        }
        match h.changes.front() {
            Some((oldest, _)) if *oldest <= since + 1 => {
                for (g, ch) in &h.changes {
                    if *g > since {
                        c.merge(ch);
                    }
                }
            }
            _ => c.all = true,
        }
        (h.generation, c)
    }

    /// Waits up to `timeout` for a generation after `since`; returns as [`Live::since`].
    pub fn wait(&self, since: u64, timeout: Duration) -> (u64, Change) {
        let h = match self.history.lock() {
            Ok(h) => h,
            Err(p) => p.into_inner(),
        };
        let h = match self
            .wake
            .wait_timeout_while(h, timeout, |h| h.generation <= since)
        {
            Ok((h, _)) => h,
            Err(p) => p.into_inner().0,
        };
        Self::since_locked(&h, since)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ch(paths: &[&str]) -> Change {
        Change {
            all: false,
            paths: paths.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn changes_since_a_generation_are_merged() {
        let live = Live::new();
        live.publish(Site::default(), ch(&["index.html"]));
        live.publish(Site::default(), ch(&["a.html"]));
        live.publish(Site::default(), ch(&["b.html"]));
        assert_eq!(live.site().generation, 3);
        assert_eq!(live.since(1), (3, ch(&["a.html", "b.html"])));
        assert_eq!(live.since(3), (3, Change::default()));
        // A generation this server never had: reload everything.
        assert!(live.since(9).1.all);
    }

    #[test]
    fn forgotten_generations_mean_everything() {
        let live = Live::new();
        for _ in 0..HISTORY + 5 {
            live.publish(Site::default(), ch(&["x.html"]));
        }
        assert!(live.since(1).1.all);
        assert!(!live.since((HISTORY + 4) as u64).1.all);
    }

    #[test]
    fn wait_returns_on_publish_or_timeout() {
        let live = Arc::new(Live::new());
        let (g, c) = live.wait(0, Duration::from_millis(10));
        assert_eq!((g, c.is_empty()), (0, true));
        let l2 = live.clone();
        let t = std::thread::spawn(move || l2.wait(0, Duration::from_secs(10)));
        std::thread::sleep(Duration::from_millis(20));
        live.publish(Site::default(), ch(&["p.html"]));
        let (g, c) = t.join().unwrap_or_default();
        assert_eq!((g, c), (1, ch(&["p.html"])));
    }
}
