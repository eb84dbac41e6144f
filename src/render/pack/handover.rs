//! Bodies handed from the document pages, which render them, to the pack
//! writer, which takes each in pack order as its template reaches it.

/// Bodies handed from whoever renders them (the document pages) to the
/// pack writer, which takes each one, in pack order, as its template
/// reaches it: bodies are rendered once, and few are held at a time.
pub struct Handover {
    state: std::sync::Mutex<Slots>,
    ready: std::sync::Condvar,
}

struct Slots {
    bodies: Vec<Option<String>>,
    /// No more bodies will come.
    closed: bool,
    /// How many bodies were handed over.
    given: usize,
    /// Wake the pack writer when `given` reaches this: it waits for a
    /// batch, not for each body (a thread switch per body costs more than
    /// the body's splicing).
    wake_at: usize,
}

/// Bodies the pack writer lets arrive before it wakes.
const BATCH: usize = 64;

impl Handover {
    /// Room for `n` bodies, by position in the pack.
    pub fn new(n: usize) -> Handover {
        Handover {
            state: std::sync::Mutex::new(Slots {
                bodies: vec![None; n],
                closed: false,
                given: 0,
                wake_at: usize::MAX,
            }),
            ready: std::sync::Condvar::new(),
        }
    }

    /// Hands over the body of the `k`-th pack document.
    pub fn give(&self, k: usize, body: String) {
        if let Ok(mut s) = self.state.lock()
            && let Some(slot) = s.bodies.get_mut(k)
        {
            *slot = Some(body);
            s.given += 1;
            if s.given >= s.wake_at {
                s.wake_at = usize::MAX;
                self.ready.notify_all();
            }
        }
    }

    /// No more bodies will come (called when the producer ends, even by a panic).
    pub fn close(&self) {
        if let Ok(mut s) = self.state.lock() {
            s.closed = true;
            self.ready.notify_all();
        }
    }

    /// Waits for the `k`-th body and takes it; empty if it never comes.
    pub fn take(&self, k: usize) -> String {
        let Ok(mut s) = self.state.lock() else {
            return String::new();
        };
        loop {
            if let Some(b) = s.bodies.get_mut(k).and_then(Option::take) {
                return b;
            }
            if s.closed || k >= s.bodies.len() {
                return String::new();
            }
            // Bodies come roughly in pack order: once `k + BATCH` have, `k` most likely has.
            s.wake_at = (s.given + 1).max(k + 1 + BATCH).min(s.bodies.len());
            s = match self.ready.wait(s) {
                Ok(s) => s,
                Err(_) => return String::new(),
            };
        }
    }
}

/// Closes a [`Handover`] when dropped.
pub struct CloseOnDrop<'a>(pub &'a Handover);

impl Drop for CloseOnDrop<'_> {
    fn drop(&mut self) {
        self.0.close();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn handover_waits_for_each_body_and_never_hangs() {
        let h = Handover::new(3);
        std::thread::scope(|t| {
            t.spawn(|| {
                let _close = CloseOnDrop(&h);
                h.give(1, "b".into());
                std::thread::sleep(std::time::Duration::from_millis(20));
                h.give(0, "a".into());
                // Body 2 never comes: closing releases the writer.
            });
            assert_eq!(h.take(0), "a");
            assert_eq!(h.take(1), "b");
            assert_eq!(h.take(2), "");
            assert_eq!(h.take(7), "");
        });
    }
}
