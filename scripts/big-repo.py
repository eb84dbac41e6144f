#!/usr/bin/env python3
"""Make a large SMS repository for measurements: sample-sms plus N generated
approved records (default 9,911, for 10,000 documents in all), each with a
few headings and ~400 words of body drawn from sample-sms's own vocabulary
plus a few words unique to the document (host names, ticket numbers).

    python3 scripts/big-repo.py /tmp/big-sms [N]
    smsite build /tmp/big-sms --out /tmp/big-site --date 2026-12-01
"""
import os, random, re, shutil, sys

here = os.path.dirname(os.path.abspath(__file__))
sample = os.path.join(here, "..", "sample-sms")
out = sys.argv[1]
n = int(sys.argv[2]) if len(sys.argv) > 2 else 9911
rng = random.Random(20000)
if os.path.exists(out):
    shutil.rmtree(out)
shutil.copytree(sample, out)
words = []
for dp, _, files in os.walk(sample):
    for f in files:
        if f.endswith(".md"):
            words += re.findall(r"[A-Za-z][a-z]{2,}", open(os.path.join(dp, f), encoding="utf-8").read())
words = sorted(set(words))
clauses = ["ISO20000-1:8.%d" % i for i in (1, 2)] + ["ISO20000-1:9.1", "ISO20000-1:9.2", "ISO20000-1:10.2"]
gen = os.path.join(out, "records", "generated")
os.makedirs(gen)
for i in range(n):
    body = []
    for h in range(4):
        body.append("## " + " ".join(rng.choice(words) for _ in range(3)).capitalize() + "\n")
        para = [rng.choice(words) for _ in range(100)]
        para += ["srv-kgp-%05d" % rng.randrange(100000), "CHG%07d" % rng.randrange(10**7)]
        body.append(" ".join(para) + ".\n")
    sat = "satisfies: [\"%s\"]\n" % rng.choice(clauses) if i % 3 == 0 else ""
    with open(os.path.join(gen, "rec-%05d.md" % i), "w", encoding="utf-8") as f:
        f.write(
            "---\nid: REC-GEN-%05d\ntitle: Generated record %d %s %s\nowner: SMS Manager\nversion: \"1.0\"\n"
            "status: approved\napproved_by: Head of IT Services\napproved_on: 2026-06-01\nreview_by: 2027-06-01\n%s---\n\n%s"
            % (i, i, rng.choice(words), rng.choice(words), sat, "\n".join(body))
        )
print("wrote", n, "records into", gen)
