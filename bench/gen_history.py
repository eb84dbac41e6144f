#!/usr/bin/env python3
"""Turns a generated SMS repository into a git repository with a history.

The folder (made by `cargo run --release --example gen_sms -- --docs 10000
--out DIR`) becomes the first commit; then come COMMITS - 1 commits, dated
evenly over about two years (with jitter, in a few time zones, some late in
the evening so that the recorded day differs from the UTC day), each
touching a few documents:

- body edits (a sentence added to the Purpose section),
- field edits (`owner:` or `review_by:` changed; a new `review_by` falls
  after the last commit, so the repository still checks clean),
- approvals (a body edit that also sets `approved_on` to the commit's day,
  `approved_by` and a new `version`),
- renames and moves within the document's folder (a suffix added to the
  name, or the file moved into an `archived/` folder beneath; sometimes with
  an edit in the same commit). Process documents are never moved: other
  documents link to their files.

Tags `v1.0`, `v2.0` and `audit-2026` mark three points of the history. The
history is written with one `git fast-import` (seconds, not minutes), then
the objects are repacked (as a server packs them for a clone) and the
work tree is checked out to match the last commit. Deterministic for a
given seed, so two runs give the same commits.

    python3 bench/gen_history.py DIR [--commits 2000] [--seed 1] [--end 2026-11-30]
"""

import argparse
import datetime as dt
import os
import random
import re
import subprocess
import sys

ZONES = [("+0000", 0), ("+0100", 60), ("+0200", 120), ("-0500", -300), ("+0530", 330)]
AUTHORS = [
    ("Alice Martin", "alice@example.org"),
    ("Bongani Dlamini", "bongani@example.org"),
    ("Chen Wei", "chen@example.org"),
    ("Dörte Schäfer", "doerte@example.org"),
]
SENTENCES = [
    "The service desk reviews this weekly.",
    "Escalation follows the agreed priority matrix.",
    "Evidence is kept in the record system for three years.",
    "Targets are measured monthly and reported to the customer.",
    "Changes are assessed by the change advisory board.",
]


def read_tree(root):
    """Every file under root (but .git) as {relative path: bytes}."""
    files = {}
    for folder, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d != ".git")
        for name in sorted(names):
            full = os.path.join(folder, name)
            with open(full, "rb") as f:
                files[os.path.relpath(full, root).replace(os.sep, "/")] = f.read()
    return files


def is_document(path, data):
    return path.endswith(".md") and data.startswith(b"---\n") and b"\nid: " in data


def set_field(data, key, value):
    """Replaces the front-matter line `key: ...` (adds it if missing)."""
    line = f"{key}: {value}".encode()
    pat = re.compile(rb"^" + re.escape(key.encode()) + rb": .*$", re.M)
    if pat.search(data):
        return pat.sub(line, data, count=1)
    return data.replace(b"---\n", b"---\n" + line + b"\n", 1)


def edit_body(data, rng, n):
    sentence = f" {rng.choice(SENTENCES)} (revision {n})".encode()
    at = data.find(b"\n\n## Responsibilities")
    if at < 0:
        return data + sentence + b"\n"
    return data[:at] + sentence + data[at:]


def moved_path(path, rng):
    folder, name = path.rsplit("/", 1) if "/" in path else ("", path)
    stem = name[:-3]
    if rng.random() < 0.5 and "/archived" not in folder:
        return f"{folder}/archived/{name}" if folder else f"archived/{name}"
    return f"{folder}/{stem}-r{rng.randrange(1000)}.md" if folder else f"{stem}-r.md"


class Stream:
    """The fast-import stream, written straight to git's standard input."""

    def __init__(self, out):
        self.out = out
        self.mark = 0

    def blob(self, data):
        self.mark += 1
        self.out.write(b"blob\nmark :%d\ndata %d\n" % (self.mark, len(data)))
        self.out.write(data)
        self.out.write(b"\n")
        return self.mark

    def commit(self, when, zone, author, message, ops, parent):
        self.mark += 1
        stamp = f"{int(when.timestamp())} {zone}"
        who = f"{author[0]} <{author[1]}>"
        msg = message.encode()
        head = f"commit refs/heads/main\nmark :{self.mark}\nauthor {who} {stamp}\ncommitter {who} {stamp}\n"
        self.out.write(head.encode("utf-8"))
        self.out.write(b"data %d\n" % len(msg) + msg + b"\n")
        if parent:
            self.out.write(b"from :%d\n" % parent)
        for op in ops:
            self.out.write(op)
        self.out.write(b"\n")
        return self.mark

    def tag(self, name, mark):
        self.out.write(f"reset refs/tags/{name}\nfrom :{mark}\n\n".encode())


def quote(path):
    return b'"' + path.encode("utf-8").replace(b"\\", b"\\\\").replace(b'"', b'\\"') + b'"'


def commit_times(n, end, rng):
    """n moments, oldest first, evenly over two years before end, with jitter."""
    start = end - dt.timedelta(days=730)
    step = (end - start) / n
    times = []
    for i in range(n):
        t = start + step * i + dt.timedelta(minutes=rng.randrange(int(step.total_seconds() // 120)))
        zone, minutes = rng.choice(ZONES)
        tz = dt.timezone(dt.timedelta(minutes=minutes))
        local = t.astimezone(tz)
        if rng.random() < 0.15:  # late in the evening where it was recorded
            local = local.replace(hour=23, minute=30)
        times.append((local, zone))
    return times


def change(files, docs, rng, n, day, end):
    """One commit's edits: (message, fast-import file operations)."""
    picks = rng.sample(docs, rng.randint(1, 4))
    ops, what = [], []
    roll = rng.random()
    for path in picks:
        data = files[path]
        if roll < 0.10 and not path.startswith("processes/"):
            new = moved_path(path, rng)
            if new in files:
                continue
            if rng.random() < 0.5:
                data = edit_body(data, rng, n)
            if new.count("/") > path.count("/"):  # one folder deeper: relative links too
                data = data.replace(b"](../", b"](../../")
            del files[path]
            files[new] = data
            docs[docs.index(path)] = new
            ops.append(b"D " + quote(path) + b"\n")
            path = new
            what.append("move")
        elif roll < 0.55:
            data = edit_body(data, rng, n)
            what.append("edit")
        elif roll < 0.75:
            if rng.random() < 0.5:
                data = set_field(data, "owner", rng.choice(["Service owner", "SMS manager", "Operations lead"]))
            else:
                # Next review after the last commit, so the repository checks clean.
                review = end.date() + dt.timedelta(days=30 + rng.randrange(300))
                data = set_field(data, "review_by", review.isoformat())
            what.append("field")
        else:
            data = edit_body(data, rng, n)
            data = set_field(data, "approved_on", day.isoformat())
            data = set_field(data, "approved_by", "Management board")
            data = set_field(data, "version", f'"2.{n}"')
            what.append("approve")
        files[path] = data
        ops.append(b"M 100644 inline " + quote(path) + b"\ndata %d\n" % len(data) + data + b"\n")
    kinds = ", ".join(sorted(set(what))) or "nothing"
    return f"Update {len(ops)} documents ({kinds}), change {n}", ops


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("dir")
    ap.add_argument("--commits", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--end", default="2026-11-30", help="day of the last commit (about)")
    a = ap.parse_args()
    if os.path.exists(os.path.join(a.dir, ".git")):
        sys.exit(f"{a.dir} is already a git repository: generate a fresh folder first")
    rng = random.Random(a.seed)
    files = read_tree(a.dir)
    docs = sorted(p for p, d in files.items() if is_document(p, d))
    if not docs:
        sys.exit(f"no documents under {a.dir}: run the gen_sms example first")
    end = dt.datetime.fromisoformat(a.end + "T18:00:00+00:00")
    times = commit_times(a.commits, end, rng)
    subprocess.run(["git", "init", "-q", "-b", "main", a.dir], check=True)
    fi = subprocess.Popen(["git", "-C", a.dir, "fast-import", "--quiet"], stdin=subprocess.PIPE)
    s = Stream(fi.stdin)
    ops = [b"M 100644 inline " + quote(p) + b"\ndata %d\n" % len(d) + d + b"\n" for p, d in files.items()]
    when, zone = times[0]
    last = s.commit(when, zone, AUTHORS[0], "Initial SMS documentation", ops, None)
    for n in range(1, a.commits):
        when, zone = times[n]
        message, ops = change(files, docs, rng, n, when.date(), end)
        last = s.commit(when, zone, AUTHORS[n % len(AUTHORS)], message, ops, last)
        for at, name in ((a.commits // 3, "v1.0"), (a.commits // 2, "audit-2026")):
            if n == at:
                s.tag(name, last)
    s.tag("v2.0", last)
    fi.stdin.close()
    if fi.wait() != 0:
        sys.exit("git fast-import failed")
    # fast-import's pack has few, poor deltas; repack as a server would for a clone.
    subprocess.run(["git", "-C", a.dir, "repack", "-adfq"], check=True)
    subprocess.run(["git", "-C", a.dir, "reset", "-q", "--hard"], check=True)
    subprocess.run(["git", "-C", a.dir, "clean", "-q", "-fd"], check=True)
    print(f"{a.dir}: {a.commits} commits, {len(docs)} documents")


if __name__ == "__main__":
    main()
