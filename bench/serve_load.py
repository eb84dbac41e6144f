"""Driver for bench/serve-load.sh: loopback only, bounded in time."""
import os, re, shutil, socket, subprocess, sys, tempfile, threading, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SMSITE = os.path.join(ROOT, "target/release/smsite")
DURATION = int(os.environ.get("DURATION", "15"))
CLIENTS = int(os.environ.get("SSE_CLIENTS", "8"))

work = tempfile.mkdtemp(prefix="smsite-load-")
repo = os.path.join(work, "sms")
shutil.copytree(os.path.join(ROOT, "sample-sms"), repo)
proc = subprocess.Popen([SMSITE, "serve", repo, "--port", "0", "--date", "2026-12-01"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
try:
    host, port = None, None
    deadline = time.time() + 60
    while time.time() < deadline:
        line = proc.stdout.readline()
        m = re.search(r"http://([\d.]+):(\d+)/", line or "")
        if m:
            host, port = m.group(1), int(m.group(2))
            break
    if not port:
        sys.exit("serve did not print its address")
    stop = threading.Event()
    reloads = [0] * CLIENTS

    def sse(i):
        s = socket.create_connection((host, port), timeout=DURATION + 30)
        s.sendall(b"GET /__smsite/events HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n")
        buf = b""
        while not stop.is_set():
            try:
                data = s.recv(65536)
            except OSError:
                break
            if not data:
                break
            buf += data
            reloads[i] = buf.count(b"event: reload")
        s.close()

    threads = [threading.Thread(target=sse, args=(i,), daemon=True) for i in range(CLIENTS)]
    for t in threads:
        t.start()
    target = os.path.join(repo, "policies/service-management-policy.md")
    original = open(target, encoding="utf-8").read()
    edits = [0]

    def editor():
        end = time.time() + DURATION
        while time.time() < end and not stop.is_set():
            edits[0] += 1
            tmp = target + ".tmp"
            with open(tmp, "w", encoding="utf-8") as f:
                f.write(original + f"\n\nEdit {edits[0]}.\n")
            os.replace(tmp, target)  # an atomic save, as editors do
            time.sleep(0.2)

    ed = threading.Thread(target=editor, daemon=True)
    ed.start()
    results = []
    for path in ["/doc/SVC-TOS.html", "/index.html"]:
        p = subprocess.run(["wrk", "-t2", "-c32", f"-d{DURATION // 2}s", "--latency", f"http://{host}:{port}{path}"], capture_output=True, text=True, timeout=DURATION + 60)
        results.append((path, p.stdout))
    ed.join(timeout=DURATION + 5)
    time.sleep(1)
    stop.set()
    with open(target, "w", encoding="utf-8") as f:
        f.write(original)

    def grab(out, pat):
        m = re.search(pat, out)
        return m.group(1) if m else "?"

    lines = ["# `smsite serve` under load", "",
             f"Loopback only. `wrk -t2 -c32` for {DURATION // 2} s per page while {CLIENTS} event-stream clients stay connected and "
             f"a document is saved (atomic rename) every 200 ms ({edits[0]} saves). Produced by `bash bench/serve-load.sh`.", "",
             "| page | requests/s | p50 | p90 | p99 | max | non-2xx/3xx | socket errors |", "|---|---|---|---|---|---|---|---|"]
    pats = {"rps": r"Requests/sec:\s+([\d.]+)", "p50": r"50%\s+(\S+)", "p90": r"90%\s+(\S+)", "p99": r"99%\s+(\S+)", "max": r"Latency\s+\S+\s+\S+\s+(\S+)"}
    for path, out in results:
        v = {k: grab(out, p) for k, p in pats.items()}
        non2xx = grab(out, r"Non-2xx or 3xx responses: (\d+)")
        sock = grab(out, r"Socket errors: (.*)")
        non2xx = "0" if non2xx == "?" else non2xx
        sock = "none" if sock == "?" else sock
        lines.append(f"| `{path}` | {v['rps']} | {v['p50']} | {v['p90']} | {v['p99']} | {v['max']} | {non2xx} | {sock} |")
    lines += ["", f"Reload events received per event-stream client: {', '.join(map(str, reloads))}.", ""]
    for path, out in results:
        lines += [f"<details><summary>wrk output for {path}</summary>", "", "```", out.strip(), "```", "", "</details>", ""]
    open(os.path.join(ROOT, "bench/serve-load.md"), "w", encoding="utf-8").write("\n".join(lines))
    print("\n".join(lines[:12]))
finally:
    proc.kill()
    proc.wait()
    shutil.rmtree(work, ignore_errors=True)
