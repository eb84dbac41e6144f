"""Times smsite (and Hugo) builds; see bench/run.sh. Writes bench/results.md."""
import json, os, platform, re, shutil, socket, statistics, subprocess, sys, tempfile, threading, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SMSITE = os.path.join(ROOT, "target/release/smsite")
GEN = os.path.join(ROOT, "target/release/examples/gen_sms")
RUNS = int(os.environ.get("RUNS", "5"))
SIZES = [int(s) for s in os.environ.get("SIZES", "1000 10000 40000").split()]
DATE = "2026-12-01"
# Fresh folders for every run, deleted only at the end: on these virtual
# machines creating files soon after deleting many is several times slower.
WORK = tempfile.mkdtemp(prefix="smsite-bench-", dir=os.environ.get("BENCH_DIR", "/work" if os.path.isdir("/work") else None))


# `ext4` on these virtual machines creates files several times more slowly
# for some minutes after many were deleted (a previous run's outputs, the
# test suite's sites): this file system has no journal, and its inode
# allocator then steps over every inode freed in the last one to six
# minutes, one cache lookup each. A build then spends seconds in the
# kernel. Before timing anything, file creation is probed until it is back
# to normal (at most SETTLE_MAX seconds), and the probe goes in the results.
PROBE_DIRS, PROBE_FILES = 4, 500
SETTLED_US = float(os.environ.get("SETTLED_US", "80"))
SETTLE_MAX = float(os.environ.get("SETTLE_MAX", "1200"))


def probe():
    """Microseconds to create a file of 4 KB: the slowest of PROBE_DIRS fresh
    folders of PROBE_FILES each (each new folder may land in another part of
    the disk, some of them clear of recent deletions). The folders stay until
    the end: deleting them would slow the next probe."""
    block = b"x" * 4096
    worst = 0.0
    for _ in range(PROBE_DIRS):
        d = tempfile.mkdtemp(prefix="probe-", dir=WORK)
        start = time.perf_counter()
        for i in range(PROBE_FILES):
            with open(os.path.join(d, f"p{i}.html"), "wb") as f:
                f.write(block)
        worst = max(worst, (time.perf_counter() - start) / PROBE_FILES * 1e6)
    return worst


def settle():
    """Waits until file creation is normal; returns (µs a file, seconds waited)."""
    start = time.time()
    us = probe()
    while us > SETTLED_US and time.time() - start < SETTLE_MAX:
        print(f"creating a file takes {us:.0f} µs here (settled: under {SETTLED_US:.0f}); "
              "waiting for the file system to settle after recent deletions", file=sys.stderr)
        time.sleep(30)
        us = probe()
    return us, time.time() - start


def timed(cmd, cwd=None):
    """Runs cmd; returns (seconds, peak KB of its resident set)."""
    # The previous run's files are flushed first, so that no run pays for
    # the writeback of the one before (the same for smsite and Hugo).
    os.sync()
    time.sleep(0.5)
    # Timed here to the millisecond (`/usr/bin/time` rounds to 10 ms, a
    # fifth of the smallest target, and timing around it would count its
    # own start); the peak from the child's own rusage.
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        p = subprocess.Popen(cmd, cwd=cwd, stdout=out, stderr=out)
        _, status, usage = os.wait4(p.pid, 0)
        seconds = time.perf_counter() - start
        p.returncode = os.waitstatus_to_exitcode(status)
        if p.returncode != 0:
            out.seek(0)
            sys.exit(f"failed: {' '.join(cmd)}\n{out.read()[-4000:].decode(errors='replace')}")
    return seconds, usage.ru_maxrss


def fresh(name):
    return os.path.join(WORK, f"{name}-{time.time_ns()}")


def stats(xs):
    return {"median": statistics.median(xs), "min": min(xs), "max": max(xs)}


def smsite_build(repo):
    return timed([SMSITE, "build", repo, "--out", fresh("out"), "--date", DATE, "--quiet"])


def hugo_build(site):
    return timed(["hugo", "--quiet", "-d", fresh("hugo-out")], cwd=site)


def serve_latency(repo, edits=15):
    """Median time from a file's save to the reload event of `smsite serve`."""
    p = subprocess.Popen([SMSITE, "serve", repo, "--port", "0", "--date", DATE], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        url = None
        t0 = time.time()
        while time.time() - t0 < 60:
            line = p.stdout.readline()
            m = re.search(r"http://([\d.]+):(\d+)/", line or "")
            if m:
                url = (m.group(1), int(m.group(2)))
                break
        if not url:
            return None
        # A document (not an excluded README): the first policy.
        pol = os.path.join(repo, "policies")
        target = os.path.join(pol, sorted(f for f in os.listdir(pol) if f.endswith(".md"))[0])
        original = open(target, encoding="utf-8").read()
        doc_id = re.search(r"^id:\s*(\S+)", original, re.M).group(1)
        page = f"doc/{doc_id}.html"
        s = socket.create_connection(url, timeout=30)
        s.sendall(b"GET /__smsite/events HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n")
        buf = b""
        events = []
        done = threading.Event()

        def reader():
            nonlocal buf
            while not done.is_set():
                try:
                    chunk = s.recv(65536)
                except OSError:
                    return
                if not chunk:
                    return
                buf += chunk
                while b"\n\n" in buf:
                    frame, buf = buf.split(b"\n\n", 1)
                    # Only a reload naming the edited page (or every page) counts.
                    if b"event: reload" in frame and (page.encode() in frame or b'"all":true' in frame):
                        events.append(time.time())

        th = threading.Thread(target=reader, daemon=True)
        th.start()
        time.sleep(1.0)
        lat = []
        for i in range(edits):
            n = len(events)
            t = time.time()
            with open(target, "w", encoding="utf-8") as fh:
                fh.write(original + f"\n\nEdit {i}.\n")
            while len(events) == n and time.time() - t < 10:
                time.sleep(0.001)
            if len(events) > n:
                lat.append((events[n] - t) * 1000)
            # Let the aggregates of this edit finish before the next one.
            time.sleep(1.5)
        with open(target, "w", encoding="utf-8") as fh:
            fh.write(original)
        done.set()
        s.close()
        return stats(lat) if lat else None
    finally:
        p.kill()
        p.wait()


def machine():
    cpu = ""
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        mem = open("/proc/meminfo").readline().split(":", 1)[1].strip()
    except OSError:
        pass
    hugo = subprocess.run(["hugo", "version"], capture_output=True, text=True).stdout.strip()
    ver = subprocess.run([SMSITE, "--version"], capture_output=True, text=True).stdout.strip()
    rev = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    return f"{os.cpu_count()} cores, {cpu}, {mem} RAM, {platform.system()} {platform.release()}; {ver} (commit {rev}); {hugo}"


def main():
    if os.environ.get("ONLY") == "serve":
        sample_copy = os.path.join(WORK, "sample-copy")
        shutil.copytree(os.path.join(ROOT, "sample-sms"), sample_copy)
        print("sample-sms", serve_latency(sample_copy))
        repo = os.path.join(WORK, "sms-10000")
        subprocess.run([GEN, "--docs", "10000", "--out", repo], check=True, capture_output=True)
        print("10,000 documents", serve_latency(repo))
        shutil.rmtree(WORK, ignore_errors=True)
        return
    rows = []
    print(f"working in {WORK}", file=sys.stderr)
    probe_us, waited = settle()
    # sample-sms
    t = [smsite_build(os.path.join(ROOT, "sample-sms")) for _ in range(RUNS)]
    sample_docs = json.loads(subprocess.run([SMSITE, "check", os.path.join(ROOT, "sample-sms"), "--format", "json", "--date", DATE], capture_output=True, text=True).stdout)["summary"]["documents"]
    rows.append((f"sample-sms ({sample_docs} documents)", stats([x[0] for x in t]), max(x[1] for x in t), None))
    repos = {}
    for n in SIZES:
        repo = os.path.join(WORK, f"sms-{n}")
        subprocess.run([GEN, "--docs", str(n), "--out", repo], check=True, capture_output=True)
        repos[n] = repo
    # The sizes alternate run by run (as smsite and Hugo do below), so that
    # the machine's drift from minute to minute weighs on all of them alike
    # and the growth from 10,000 to 40,000 compares like with like.
    times = {n: [] for n in SIZES}
    for _ in range(RUNS):
        for n in SIZES:
            times[n].append(smsite_build(repos[n]))
    for n in SIZES:
        t = times[n]
        rows.append((f"{n:,} documents (code block in 1 of 10)", stats([x[0] for x in t]), max(x[1] for x in t), None))
        print(rows[-1], file=sys.stderr)
    # 10,000 documents written by a second, independent generator (from the
    # format's contract alone): other shapes, longer documents (2.2 KB on
    # average against 1.2), more references and front matter.
    if os.environ.get("OTHER", "1") == "1":
        other = os.path.join(WORK, "other-10000")
        subprocess.run([sys.executable, os.path.join(ROOT, "bench/gen_other.py"), other, "--docs", "10000"], check=True, capture_output=True)
        t = [smsite_build(other) for _ in range(RUNS)]
        rows.append(("10,000 documents, independent generator (`bench/gen_other.py`)", stats([x[0] for x in t]), max(x[1] for x in t), None))
        print(rows[-1], file=sys.stderr)
    # The Hugo comparison: the same 10,000 pages, one highlighted code block each.
    plain = os.path.join(WORK, "sms-plain-10000")
    hugo_site = os.path.join(WORK, "hugo-plain-10000")
    subprocess.run([GEN, "--docs", "10000", "--out", plain, "--hugo", hugo_site, "--code-every", "1"], check=True, capture_output=True)
    ts, th = [], []
    for _ in range(RUNS):
        ts.append(smsite_build(plain))
        th.append(hugo_build(hugo_site))
    s_med = statistics.median(x[0] for x in ts)
    h_med = statistics.median(x[0] for x in th)
    rows.append(("10,000 pages, one code block each: smsite", stats([x[0] for x in ts]), max(x[1] for x in ts), None))
    rows.append(("10,000 pages, one code block each: Hugo", stats([x[0] for x in th]), max(x[1] for x in th), None))
    latency = {}
    try:
        sample_copy = os.path.join(WORK, "sample-copy")
        shutil.copytree(os.path.join(ROOT, "sample-sms"), sample_copy)
        latency["sample-sms"] = serve_latency(sample_copy)
        if 10000 in repos:
            latency["10,000 documents"] = serve_latency(repos[10000])
    except Exception as e:  # serve may be unavailable in an old build
        print(f"serve latency not measured: {e}", file=sys.stderr)

    out = ["# Benchmark results", "", f"Machine: {machine()}.", "",
           f"Clean full builds (`smsite build --date {DATE}`), {RUNS} runs each, fresh output folder per run; "
           "times in seconds (wall clock), memory is peak resident set size. Produced by `bash bench/run.sh`.", "",
           f"File creation before the runs: {probe_us:.0f} µs a file (files of 4 KB, the slowest of {PROBE_DIRS} folders"
           + (f"; after waiting {waited:.0f} s for the file system to settle" if waited >= 1 else "") + ")"
           + ("." if probe_us <= SETTLED_US else
              f". **Not settled** (over {SETTLED_US:.0f} µs after {SETTLE_MAX:.0f} s): files were deleted "
              "in the last minutes, and builds here pay for it in the kernel; run again later."), "",
           "| workload | median s | min s | max s | peak MB |", "|---|---|---|---|---|"]
    for name, st, mem, _ in rows:
        out.append(f"| {name} | {st['median']:.3f} | {st['min']:.3f} | {st['max']:.3f} | {mem / 1024:.0f} |")
    out += ["", f"smsite / Hugo on the same 10,000 pages: **{s_med / h_med:.2f}** (target at most 0.30).", ""]
    if len(SIZES) >= 2 and 10000 in SIZES and 40000 in SIZES:
        t10 = next(r[1]["median"] for r in rows if r[0].startswith("10,000 documents (code"))
        t40 = next(r[1]["median"] for r in rows if r[0].startswith("40,000 documents (code"))
        out += [f"Growth 10,000 → 40,000 documents: **{t40 / t10:.2f} ×** (target at most 4.5 ×).", ""]
    out += ["Save-to-reload latency of `smsite serve` (ms, a document rewritten, until the reload event):", ""]
    for k, v in latency.items():
        out.append(f"- {k}: " + (f"median {v['median']:.0f}, min {v['min']:.0f}, max {v['max']:.0f}" if v else "not measured"))
    out.append("")
    path = os.environ.get("RESULTS") or os.path.join(ROOT, "bench/results.md")
    body = "\n".join(out)
    # Keep the hand-written analysis below the generated table.
    notes = ""
    if os.path.exists(path):
        old = open(path, encoding="utf-8").read()
        if "\n## Analysis" in old:
            notes = old[old.index("\n## Analysis"):]
    open(path, "w", encoding="utf-8").write(body + notes)
    print(body)
    shutil.rmtree(WORK, ignore_errors=True)


if __name__ == "__main__":
    main()
