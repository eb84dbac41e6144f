"""A/B timing of two smsite binaries on the same repository, runs alternated
in the same minutes (A, B, A, B, ...), each into a fresh output folder after
`sync` and a short pause, as bench/run.py times builds. Prints each run and
the medians: wall seconds, CPU seconds (user + system, which other work on
the machine disturbs less than wall time) and peak resident memory. With
`--new-repo REPO2` the new binary builds REPO2 instead (the same binary
twice: what a part of a repository, such as its measurements folder, adds
to a build).

    python3 bench/compare.py OLD_BINARY NEW_BINARY REPO [--runs 8] [--args "..."] [--new-repo REPO2]
"""
import argparse, os, shutil, statistics, subprocess, sys, tempfile, time


def timed(cmd):
    os.sync()
    time.sleep(0.5)
    start = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(p.pid, 0)
    seconds = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{p.stderr.read().decode(errors='replace')[-2000:]}")
    return seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("old")
    ap.add_argument("new")
    ap.add_argument("repo")
    ap.add_argument("--runs", type=int, default=8)
    ap.add_argument("--args", default="--date 2026-12-01 -q")
    ap.add_argument("--work", default=os.environ.get("BENCH_DIR", "/work" if os.path.isdir("/work") else None))
    ap.add_argument("--new-repo", default=None)
    a = ap.parse_args()
    work = tempfile.mkdtemp(prefix="smsite-compare-", dir=a.work)
    res = {"old": [], "new": []}
    try:
        for r in range(a.runs):
            for name in (("old", "new") if r % 2 == 0 else ("new", "old")):
                out = os.path.join(work, f"{name}-{r}")
                repo = a.new_repo if name == "new" and a.new_repo else a.repo
                s, cpu, mb = timed([getattr(a, name), "build", repo, "--out", out, *a.args.split()])
                res[name].append((s, cpu, mb))
                print(f"run {r} {name}: {s:.3f} s, CPU {cpu:.3f} s, {mb:.0f} MB", file=sys.stderr)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    for name in ("old", "new"):
        t = [s for s, _, _ in res[name]]
        c = [cpu for _, cpu, _ in res[name]]
        m = [mb for _, _, mb in res[name]]
        print(f"{name}: median {statistics.median(t):.3f} s (min {min(t):.3f}, max {max(t):.3f}), "
              f"CPU {statistics.median(c):.3f} s (min {min(c):.3f}), peak {statistics.median(m):.0f} MB")


if __name__ == "__main__":
    main()
