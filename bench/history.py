"""Document control over time at 10,000 documents with 2,000 commits.

Generates the repository (`examples/gen_sms`, then `bench/gen_history.py`),
then times, alternating the kinds of run so that the machine's other load
falls on all of them alike:

- `smsite build --no-history` (the baseline: the footer's revision only),
- `smsite build` with history, cold (no cache: a fresh clone, as in CI),
- `smsite build` with history, warm (the cache in `.git/smsite/history`);

then `smsite diff` between HEAD~1000 and HEAD and between HEAD~1000 and the
work tree, and `serve`'s save-to-reload latency on the same repository.

    python3 bench/history.py            # RUNS=7 by default
"""
import os, shutil, statistics, subprocess, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import run  # noqa: E402  (the build timer, fresh folders, serve latency)

RUNS = int(os.environ.get("RUNS", "7"))


def main():
    repo = os.path.join(run.WORK, "hist-10k")
    subprocess.run([run.GEN, "--docs", "10000", "--out", repo], check=True, capture_output=True)
    subprocess.run([sys.executable, os.path.join(run.ROOT, "bench/gen_history.py"), repo], check=True, capture_output=True)
    cache = os.path.join(repo, ".git", "smsite")
    run.settle()

    def build(extra, cold=False):
        if cold:
            shutil.rmtree(cache, ignore_errors=True)
        cmd = [run.SMSITE, "build", repo, "--out", run.fresh("out"), "--date", run.DATE, "--quiet"] + extra
        return run.timed(cmd)

    build([])  # the cache, once
    times = {"no history": [], "history, cold": [], "history, warm": []}
    peak = {k: 0 for k in times}
    for _ in range(RUNS):
        for name, extra, cold in [("no history", ["--no-history"], False), ("history, cold", [], True), ("history, warm", [], False)]:
            t, kb = build(extra, cold)
            times[name].append(t)
            peak[name] = max(peak[name], kb)
    base = statistics.median(times["no history"])
    print("| build of 10,000 documents, 2,000 commits | median s | min | max | vs no history | peak MB |")
    print("|---|---|---|---|---|---|")
    for name, xs in times.items():
        s = run.stats(xs)
        print(f"| {name} | {s['median']:.3f} | {s['min']:.3f} | {s['max']:.3f} | {s['median'] / base:.2f} × | {peak[name] // 1024} |")
    for label, args in [("diff HEAD~1000 HEAD", ["HEAD~1000", "HEAD"]), ("diff HEAD~1000 (work tree)", ["HEAD~1000"])]:
        xs = [run.timed([run.SMSITE, "diff", repo, *args, "--format", "json", "--date", run.DATE])[0] for _ in range(RUNS)]
        s = run.stats(xs)
        print(f"| {label} | {s['median']:.3f} | {s['min']:.3f} | {s['max']:.3f} | | |")
    print("serve, save to reload (ms):", run.serve_latency(repo))
    shutil.rmtree(run.WORK, ignore_errors=True)


if __name__ == "__main__":
    main()
