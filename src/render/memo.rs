//! What `serve` keeps of one render for the next: a hash of what each
//! document page was made from, so that an unchanged page is not rendered
//! again.

use std::collections::HashMap;

/// Document pages of the previous render: for each path, a hash of
/// everything the page was made from (the document as shown, the outcome of
/// each of its references and links, the site-wide context, the templates).
/// Equal hash, equal page: `serve` keeps the bytes it already has, and a
/// render with a memo does not hand such a page to its sink but lists it
/// as kept (`take_kept`).
#[derive(Default)]
pub struct Memo {
    keys: std::sync::Mutex<HashMap<String, u64>>,
    kept: std::sync::Mutex<Vec<String>>,
}

impl Memo {
    pub(super) fn hit(&self, path: &str, key: u64) -> bool {
        let same = self.keys.lock().is_ok_and(|m| m.get(path) == Some(&key));
        if same && let Ok(mut k) = self.kept.lock() {
            k.push(path.to_string());
        }
        same
    }
    pub(super) fn put(&self, path: String, key: u64) {
        if let Ok(mut m) = self.keys.lock() {
            m.insert(path, key);
        }
    }
    /// Forgets one page (it left the site: a later page at that path must be rendered).
    pub fn forget(&self, path: &str) {
        if let Ok(mut m) = self.keys.lock() {
            m.remove(path);
        }
    }
    /// The pages the last render kept (not handed to its sink).
    pub fn take_kept(&self) -> Vec<String> {
        self.kept
            .lock()
            .map(|mut k| std::mem::take(&mut *k))
            .unwrap_or_default()
    }
    /// Forgets everything (after a render whose outputs were not taken).
    pub fn clear(&self) {
        if let Ok(mut m) = self.keys.lock() {
            m.clear();
        }
        self.take_kept();
    }
}
