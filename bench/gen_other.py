#!/usr/bin/env python3
"""Independent generator of a realistic ISO/IEC 20000 SMS repository for smsite.

Written only from the input-format contract (sms-format.md) and the clause list
of ISO/IEC 20000-1:2018.  Standard library only, deterministic for a given seed.

    python3 bench/gen_other.py OUT_DIR [--docs 10000] [--seed 1] [--code-every 10] [--force]

OUT_DIR receives sms.yaml, requirements/, assets/ and folders of Markdown
documents (front matter) and YAML records.  Every rule of the contract is meant
to pass on the build date 2026-12-01 (a small, deliberate number of warnings:
overdue reviews, one expired contract, an untested continuity plan).
"""
import argparse
import datetime as dt
import json
import os
import random
import re
import shutil
import sys

BUILD_DATE = dt.date(2026, 12, 1)

# --------------------------------------------------------------------------
# ISO/IEC 20000-1:2018 leaves (57), from the clause list.
# --------------------------------------------------------------------------
ISO_LEAVES = """4.1 4.2 4.3 4.4 5.1 5.2.1 5.2.2 5.3 6.1 6.2.1 6.2.2 6.3 7.1 7.2 7.3 7.4
7.5.1 7.5.2 7.5.3 7.5.4 7.6 8.1 8.2.1 8.2.2 8.2.3 8.2.4 8.2.5 8.2.6 8.3.1 8.3.2
8.3.3 8.3.4.1 8.3.4.2 8.4.1 8.4.2 8.4.3 8.5.1.1 8.5.1.2 8.5.1.3 8.5.2.1 8.5.2.2
8.5.2.3 8.5.3 8.6.1 8.6.2 8.6.3 8.7.1 8.7.2 8.7.3.1 8.7.3.2 8.7.3.3 9.1 9.2 9.3
9.4 10.1 10.2""".split()
assert len(ISO_LEAVES) == 57, len(ISO_LEAVES)

# Our own catalogue (requirements/corp.yaml).  Leaves only are listed in CORP_LEAVES.
CORP_CATALOGUE = """\
# Corporate IT control requirements of Halvorsen Freight Group, set by the
# Group Risk Committee.  Referenced as CORP:<id>.
catalogue: CORP
title: Halvorsen Group IT control requirements
requirements:
  - id: BCK-1
    title: Production data is backed up and can be restored
    children:
      - id: BCK-1.1
        title: Production data is backed up every day and kept for 35 days
      - id: BCK-1.2
        title: A restore of every high or critical service is tested each quarter
  - id: ACC-1
    title: Access to systems is controlled
    children:
      - id: ACC-1.1
        title: Privileged access is reviewed every quarter
      - id: ACC-1.2
        title: "Leavers: access removed within one working day"
      - id: ACC-1.3
        title: Multi-factor authentication on all remote and privileged access
  - id: PAT-1
    title: Critical security patches are applied within 14 days
  - id: DRT-1
    title: Disaster recovery of critical services is tested yearly
  - id: SAT-1
    title: Customer satisfaction is surveyed twice a year
  - id: MED-1
    title: End-of-life media are destroyed with a certificate of destruction
  - id: PCI-1
    title: Cardholder data environments comply with PCI DSS
  - id: ESG-1
    title: Data-centre energy use is reported every quarter
"""
CORP_LEAVES = ["BCK-1.1", "BCK-1.2", "ACC-1.1", "ACC-1.2", "ACC-1.3", "PAT-1",
               "DRT-1", "SAT-1", "ESG-1"]   # MED-1 other-party, PCI-1 not-applicable

ALL_LEAVES = ["ISO20000-1:" + c for c in ISO_LEAVES] + ["CORP:" + c for c in CORP_LEAVES]

# --------------------------------------------------------------------------
# Vocabulary
# --------------------------------------------------------------------------
ORG = "Halvorsen Freight Group"
ROLES = ["Head of IT Services", "Service Level Manager", "Incident Manager",
         "Change Manager", "Problem Manager", "Service Desk Manager",
         "Information Security Manager", "Continuity Manager", "Supplier Manager",
         "Capacity Manager", "Configuration Manager", "Release Manager",
         "Quality Manager", "Network Lead", "Platform Lead", "Applications Lead",
         "Identity Lead", "Data Protection Officer", "Finance Business Partner",
         "Business Relationship Manager", "Asset Manager", "Knowledge Manager"]
APPROVERS = ["Head of IT Services", "Chief Operating Officer", "Chief Financial Officer",
             "Chief Information Officer", "Group Risk Committee", "Quality Manager"]
SERVICE_WORDS = ["Freight booking", "Warehouse management", "Customs declarations",
                 "Fleet telematics", "Payroll", "General ledger", "Procurement",
                 "E-mail and calendar", "Video conferencing", "Identity and access",
                 "Wide-area network", "Campus Wi-Fi", "Backup and recovery",
                 "Service desk", "Document management", "Data warehouse",
                 "Customer portal", "EDI gateway", "Route optimisation",
                 "Yard management", "Print and scan", "Mobile devices",
                 "Endpoint management", "Web hosting", "API platform",
                 "Container registry", "Object storage", "Database hosting",
                 "Monitoring and alerting", "Telephony", "CRM", "HR information system",
                 "Time and attendance", "Access badges", "CCTV platform",
                 "Tachograph download", "Invoice scanning", "Contract repository",
                 "Learning platform", "Intranet"]
SITES = ["Bergen", "Göteborg", "Aarhus", "Hamburg", "Rotterdam", "Gdańsk", "Tallinn",
         "Oslo", "Malmö", "Kiel", "Antwerpen", "Le Havre", "Bilbao", "Porto", "Zürich"]
COMPANIES = ["Nordlys Cloud AS", "Fjordnet Telecom", "Bitvault Backup GmbH",
             "Kranwerk Systems", "Polar Print Services", "Skagerrak Consulting",
             "Baltic Data Centres", "Tundra Software Ltd", "Helix Security Oy",
             "Meridian Payroll BV", "Vesta Hardware", "Nimbus Mail Ltd",
             "Lindqvist & Berg AB", "Østfold Facilities", "Kestrel Networks",
             "Aurora Analytics", "Granite Identity", "Harbourline EDI",
             "Sæter Logistics IT", "Orca Voice"]
HOSTS = ["app", "db", "web", "api", "edi", "wms", "erp", "ldap", "mq", "k8s", "nas", "fw"]
METRICS = [("availability", "%", "calendar month", [99.0, 99.5, 99.8, 99.9, 99.95]),
           ("P1 response", "min", None, [10, 15, 30]),
           ("P1 resolution", "h", None, [2, 4, 8]),
           ("P2 resolution", "h", None, [8, 16, 24]),
           ("request fulfilment", "business days", "calendar month", [2, 3, 5]),
           ("customer satisfaction", "score of 5", "quarter", [4.0, 4.2, 4.5])]

FILLER = [
    "The {svc} service is used at {site} and the other sites named in the scope.",
    "Figures come from the ITSM tool and were checked by the {role}.",
    "Actions are tracked in the corrective action log until they are closed.",
    "Where a supplier component was involved, the supplier confirmed the analysis in writing.",
    "Lessons learned were shared at the weekly operations meeting and in the knowledge base.",
    "The record is kept for three years in line with the document control policy.",
    "No personal data beyond user names and work contact details is held in this record.",
    "Users at {site} were informed through the status page and the service desk.",
    "The {role} confirmed that the outcome meets the targets agreed with customers.",
    "Measurements were taken from the monitoring platform at five-minute intervals.",
    "Any deviation from the plan was recorded and approved before it was applied.",
    "The next review will compare these results with the previous quarter's figures.",
    "Costs were within the budget approved for the {svc} service this year.",
    "This entry supersedes the informal notes kept in the team channel.",
]

LANGS = ["yaml", "json", "sh", "bash", "sql", "powershell", "python", "toml", "ini",
         "javascript", "rust", "go", "dockerfile", "text", "smsrunbook"]


def code_block(lang, rnd, ctx):
    host = "%s%02d.%s.halvorsen.example" % (rnd.choice(HOSTS), rnd.randint(1, 40),
                                            rnd.choice(["bgo", "got", "hh", "rtm", "osl"]))
    ref = ctx.get("svc_id", "SVC-0001")
    n = rnd.randint(2, 90)
    if lang == "yaml":
        body = ("# alerting rule deployed with this change\n"
                "groups:\n  - name: %s\n    rules:\n      - alert: HighLatency\n"
                "        expr: histogram_quantile(0.95, rate(http_seconds_bucket[5m])) > 0.%d\n"
                "        for: 10m\n        labels: {severity: page, service: \"%s\"}\n"
                "        annotations:\n          runbook: \"see [[%s]]\"\n") % (ref.lower(), n, ref, ref)
    elif lang == "json":
        body = json.dumps({"service": ref, "host": host, "window": "22:00-02:00",
                           "checks": [{"name": "http", "expect": 200},
                                      {"name": "tls-days-left", "min": n}],
                           "note": "[[not a reference]] inside code"}, indent=2) + "\n"
    elif lang in ("sh", "bash"):
        body = ("#!/usr/bin/env %s\n# Restore check, run from the jump host\nset -euo pipefail\n"
                "HOST=%s\nssh \"$HOST\" 'systemctl status app --no-pager | head -n 5'\n"
                "if [[ $(curl -s -o /dev/null -w '%%{http_code}' https://$HOST/health) != 200 ]]; then\n"
                "  echo \"health check failed on $HOST\" >&2; exit 1\nfi\n") % (lang, host)
    elif lang == "sql":
        body = ("-- incidents per priority in the reporting window\n"
                "SELECT priority, COUNT(*) AS n, AVG(resolve_minutes) AS avg_min\n"
                "FROM incident\nWHERE service_id = '%s'\n"
                "  AND opened_at >= DATE '2026-10-01' AND opened_at < DATE '2026-11-01'\n"
                "GROUP BY priority\nORDER BY priority;\n") % ref
    elif lang == "powershell":
        body = ("# Disable a leaver's account and remove group memberships\n"
                "$user = Get-ADUser -Identity 'j.doe%d' -Properties MemberOf\n"
                "$user.MemberOf | ForEach-Object { Remove-ADGroupMember -Identity $_ -Members $user -Confirm:$false }\n"
                "Disable-ADAccount -Identity $user\nWrite-Output \"Disabled $($user.SamAccountName) on $(Get-Date -Format s)\"\n") % n
    elif lang == "python":
        body = ("# availability from monitoring samples (5-minute buckets)\n"
                "def availability(samples, planned=()):\n"
                "    up = sum(1 for s in samples if s.ok or s.ts in planned)\n"
                "    return round(100.0 * up / max(len(samples), 1), 3)\n\n"
                "print(availability(load('%s', month='2026-11')))  # target %d.9 %%\n") % (ref, 99)
    elif lang == "toml":
        body = ("# backup job definition\n[job.%s]\nsource = \"%s:/var/lib/app\"\n"
                "schedule = \"0 1 * * *\"\nretention_days = 35\nimmutable = true\n\n"
                "[job.%s.notify]\nemail = [\"ops@halvorsen.example\"]\n") % (ref.lower(), host, ref.lower())
    elif lang == "ini":
        body = ("; monitoring agent configuration\n[agent]\nhost = %s\ninterval = 60\n\n"
                "[check.http]\nurl = https://%s/health\ntimeout = %d\n") % (host, host, n % 10 + 1)
    elif lang == "javascript":
        body = ("// status page banner for the maintenance window\n"
                "const banner = { service: '%s', from: '2026-11-%02dT22:00Z', hours: %d };\n"
                "fetch('/api/status', { method: 'POST', body: JSON.stringify(banner) })\n"
                "  .then(r => r.ok || console.error(`status ${r.status}`));\n") % (ref, n % 28 + 1, n % 5 + 1)
    elif lang == "rust":
        body = ("// breach check used by the SLA report job\n"
                "fn breached(target: f64, actual: f64) -> bool {\n    actual < target\n}\n\n"
                "fn main() {\n    let v: Vec<u8> = vec![1, 2, 3];\n"
                "    println!(\"{} {}\", breached(99.9, 99.%d), v.len());\n}\n") % (n % 10)
    elif lang == "go":
        body = ("// probe used by synthetic monitoring\npackage main\n\n"
                "import (\n\t\"fmt\"\n\t\"net/http\"\n)\n\n"
                "func main() {\n\tr, err := http.Get(\"https://%s/health\")\n"
                "\tif err != nil || r.StatusCode != 200 {\n\t\tfmt.Println(\"DOWN\", err)\n\t\treturn\n\t}\n"
                "\tfmt.Println(\"UP\")\n}\n") % host
    elif lang == "dockerfile":
        body = ("FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl \\\n"
                "    && rm -rf /var/lib/apt/lists/*\nCOPY probe.sh /usr/local/bin/probe\n"
                "HEALTHCHECK --interval=30s CMD probe https://%s/health\nENTRYPOINT [\"/usr/local/bin/probe\"]\n") % host
    elif lang == "text":
        body = ("2026-11-%02d 22:%02d:11 INFO  failover started on %s\n"
                "2026-11-%02d 22:%02d:40 WARN  replica lag 14s\n"
                "2026-11-%02d 22:%02d:02 INFO  failover complete, [[%s]] restored\n") % (
                    n % 28 + 1, n % 50, host, n % 28 + 1, n % 50 + 1, n % 28 + 1, n % 50 + 3, ref)
    else:  # unknown language
        body = ("STEP 1  announce window on status page\nSTEP 2  drain %s\n"
                "STEP 3  apply patch bundle 2026-11\nSTEP 4  verify [[%s]] health <= 5 min\n") % (host, ref)
    return "```%s\n%s```\n" % (lang, body)


# --------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------
def slug(heading, seen):
    """GitHub-style anchor: lower case, punctuation dropped, spaces to '-', repeats -1, -2."""
    s = heading.strip().lower()
    s = re.sub(r"[^\w\- ]", "", s)   # keeps letters (incl. non-ASCII), digits, _, -, space
    s = s.replace(" ", "-")
    if s in seen:
        seen[s] += 1
        return "%s-%d" % (s, seen[s])
    seen[s] = 0
    return s


PLAIN_OK = re.compile(r"^[A-Za-zÀ-ÿ][A-Za-zÀ-ÿ0-9 ,.()/&'+-]*$")


def yscalar(v):
    """A YAML scalar for a string: plain when safe, else a double-quoted one."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return repr(v)
    if isinstance(v, dt.date):
        return v.isoformat()
    s = str(v)
    if PLAIN_OK.match(s) and s.lower() not in ("yes", "no", "on", "off", "true", "false",
                                               "null", "y", "n") and not s.endswith(" "):
        return s
    return json.dumps(s, ensure_ascii=False)


def d(y, m, day):
    return dt.date(y, m, day)


def rdate(rnd, start, end):
    span = (end - start).days
    return start + dt.timedelta(days=rnd.randint(0, span))


class Doc:
    __slots__ = ("id", "kind", "path", "fmt", "title", "status", "headings", "fields",
                 "extra", "sub", "idx")

    def __init__(self, id, kind, path, fmt, title, sub=None):
        self.id, self.kind, self.path, self.fmt, self.title = id, kind, path, fmt, title
        self.status = "approved"
        self.headings = []   # list of (text, slug)
        self.fields = {}
        self.extra = {}
        self.sub = sub
        self.idx = 0


# Record types: (folder, id prefix, share of records, primary clauses, headings)
RECORD_TYPES = [
    ("incidents", "INC", 34, ["8.6.1"], ["Summary", "Timeline", "Impact", "Diagnosis & workaround", "Resolution", "Follow-up actions"]),
    ("changes", "CHG", 22, ["8.5.1.2", "8.5.1.3"], ["Description", "Risk assessment", "Implementation plan", "Back-out plan", "Approval (CAB)", "Post-implementation review"]),
    ("problems", "PRB", 7, ["8.6.3"], ["Problem statement", "Root cause analysis", "Known error", "Permanent fix", "Follow-up actions"]),
    ("requests", "SRQ", 9, ["8.6.2"], ["Request", "Fulfilment", "Approval", "Notes"]),
    ("releases", "REL", 4, ["8.5.3"], ["Release scope", "Deployment plan", "Acceptance criteria", "Early life support"]),
    ("reviews", "MRV", 2, ["9.3"], ["Attendees", "Inputs reviewed", "Decisions", "Actions", "Notes"]),
    ("audits", "AUD", 2, ["9.2"], ["Audit scope", "Method", "Findings", "Conclusion"]),
    ("security-incidents", "SEC", 3, ["8.7.3.3"], ["Summary", "Timeline", "Containment", "Lessons learned"]),
    ("continuity-tests", "DRT", 1, ["8.7.2", "CORP:DRT-1"], ["Test details", "Results", "Observations", "Conclusion"]),
    ("availability", "AVL", 3, ["8.7.1"], ["Measurement", "Results", "Breaches", "Actions"]),
    ("capacity", "CAP", 2, ["8.4.3"], ["Utilisation", "Forecast", "Actions"]),
    ("configuration", "CMDB", 2, ["8.2.6"], ["Baseline", "Verification", "Discrepancies"]),
    ("assets", "AST", 1, ["8.2.5", "CORP:ESG-1"], ["Inventory", "Lifecycle", "Disposals"]),
    ("competence", "CMP", 1, ["7.2", "7.3"], ["Roles covered", "Training completed", "Gaps"]),
    ("complaints", "CPL", 1, ["8.3.2", "CORP:SAT-1"], ["Complaint", "Investigation", "Response"]),
    ("corrective-actions", "CAPA", 2, ["10.1"], ["Nonconformity", "Cause", "Correction", "Effectiveness check"]),
    ("improvements", "IMP", 1, ["10.2"], ["Opportunity", "Benefits", "Decision", "Progress"]),
    ("access-reviews", "ACR", 1, ["8.7.3.2", "CORP:ACC-1.1", "CORP:ACC-1.2"], ["Scope", "Results", "Exceptions"]),
    ("backups", "BKP", 1, ["CORP:BCK-1.1", "CORP:BCK-1.2"], ["Restore test", "Results", "Issues"]),
    ("patching", "PAT", 1, ["CORP:PAT-1", "8.7.3.2", "CORP:ACC-1.3"], ["Patch window", "Coverage", "Exceptions"]),
]

PROCESS_NAMES = [
    ("Incident management", ["8.6.1"]), ("Service request management", ["8.6.2"]),
    ("Problem management", ["8.6.3"]), ("Change management", ["8.5.1.1", "8.5.1.2", "8.5.1.3"]),
    ("Service design and transition", ["8.5.2.1", "8.5.2.2", "8.5.2.3"]),
    ("Release and deployment management", ["8.5.3"]),
    ("Service level management", ["8.3.3"]), ("Supplier management", ["8.3.4.1", "8.3.4.2"]),
    ("Business relationship management", ["8.3.2"]), ("Relationship and agreement", ["8.3.1"]),
    ("Service portfolio management", ["8.2.1", "8.2.2", "8.2.3"]),
    ("Service catalogue management", ["8.2.4"]), ("Asset management", ["8.2.5"]),
    ("Configuration management", ["8.2.6"]), ("Budgeting and accounting", ["8.4.1"]),
    ("Demand management", ["8.4.2"]), ("Capacity management", ["8.4.3"]),
    ("Availability management", ["8.7.1"]), ("Service continuity management", ["8.7.2"]),
    ("Information security management", ["8.7.3.1", "8.7.3.2", "8.7.3.3"]),
    ("Service reporting", ["9.4"]), ("Internal audit", ["9.2"]),
    ("Management review", ["9.3"]), ("Monitoring and measurement", ["9.1"]),
    ("Continual improvement", ["10.1", "10.2"]), ("Risk management", ["6.1"]),
    ("Document control", ["7.5.1", "7.5.2", "7.5.3", "7.5.4"]),
    ("Knowledge management", ["7.6"]), ("Communication", ["7.4"]),
    ("Competence and awareness", ["7.2", "7.3"]), ("Operational planning and control", ["8.1"]),
]
POLICY_NAMES = [
    ("Service management policy", ["5.2.1", "5.2.2", "5.1"]),
    ("Change management policy", ["8.5.1.1"]),
    ("Information security policy", ["8.7.3.1"]),
    ("Document control policy", ["7.5.2", "7.5.3"]),
    ("Supplier policy", ["8.3.4.1"]), ("Access control policy", ["8.7.3.2", "CORP:ACC-1.3"]),
    ("Backup policy", ["CORP:BCK-1.1"]), ("Acceptable use policy", ["7.3"]),
    ("Roles and responsibilities policy", ["5.3"]), ("Continuity policy", ["8.7.2"]),
    ("Capacity policy", ["8.4.3"]), ("Release policy", ["8.5.3"]),
]
PLAN_NAMES = [
    ("Service management plan", ["6.3", "8.1", "4.4"]), ("Scope and context", ["4.1", "4.2", "4.3"]),
    ("Objectives plan", ["6.2.2"]), ("Communication plan", ["7.4"]),
    ("Resource plan", ["7.1"]), ("Audit programme", ["9.2"]),
    ("Transition plan", ["8.5.2.1", "8.5.2.3"]), ("Service design", ["8.5.2.2"]),
    ("Budget plan", ["8.4.1"]), ("Demand forecast", ["8.4.2"]),
    ("Knowledge plan", ["7.6"]), ("Interested parties register", ["4.2"]),
]

# shares of the whole repository, per kind (records take the rest)
SHARES = {"service": 0.015, "sla": 0.02, "continuity-plan": 0.006, "supplier": 0.008,
          "contract": 0.012, "policy": 0.004, "process": 0.006, "procedure": 0.03,
          "plan": 0.006, "capacity-plan": 0.003, "objective": 0.006, "risk": 0.03,
          "report": 0.04, "audit-finding": 0.02}


def build_model(n, rnd):
    docs = []
    by_kind = {}
    used_ids = set()

    def add(doc):
        assert doc.id not in used_ids, doc.id
        used_ids.add(doc.id)
        doc.idx = len(docs)
        docs.append(doc)
        by_kind.setdefault(doc.kind, []).append(doc)
        return doc

    counts = {k: max(3, int(round(n * s))) for k, s in SHARES.items()}
    counts["record"] = n - sum(counts.values())
    if counts["record"] < len(RECORD_TYPES):
        raise SystemExit("--docs too small")

    def slugname(s):
        return re.sub(r"[^a-z0-9]+", "-", s.lower()).strip("-")

    # services (YAML records)
    nsvc = counts["service"]
    for i in range(nsvc):
        base = SERVICE_WORDS[i % len(SERVICE_WORDS)]
        region = SITES[(i // len(SERVICE_WORDS)) % len(SITES)]
        title = base if i < len(SERVICE_WORDS) else "%s (%s)" % (base, region)
        sid = "SVC-%04d" % (i + 1)
        doc = add(Doc(sid, "service", "services/%s-%04d.yaml" % (slugname(base), i + 1), "yaml", title))
        doc.fields["criticality"] = ["low", "medium", "medium", "high", "critical"][rnd.randrange(5)]
    svcs = by_kind["service"]
    # a few retired services (never referenced by live documents)
    for s in svcs[-max(1, nsvc // 60):]:
        s.status = "retired"
        s.fields["criticality"] = "low"
    live_svcs = [s for s in svcs if s.status != "retired"]

    # suppliers + contracts
    nsup = counts["supplier"]
    for i in range(nsup):
        comp = COMPANIES[i % len(COMPANIES)]
        if i >= len(COMPANIES):
            comp = "%s (%s)" % (comp, SITES[(i // len(COMPANIES)) % len(SITES)])
        add(Doc("SUP-%03d" % (i + 1), "supplier", "suppliers/%s-%03d.yaml" % (slugname(comp), i + 1), "yaml", comp))
    sups = by_kind["supplier"]
    ncon = counts["contract"]
    for i in range(ncon):
        sup = sups[i % nsup]
        kind_word = rnd.choice(["Master services agreement", "Support and maintenance agreement",
                                "Hosting agreement", "Licence agreement", "Operational level agreement"])
        c = add(Doc("CON-%04d" % (i + 1), "contract", "contracts/%s/con-%04d.yaml" % (sup.id.lower(), i + 1),
                    "yaml", "%s with %s" % (kind_word, sup.title)))
        c.fields["supplier"] = sup.id
        sup.fields.setdefault("contracts", []).append(c.id)
    # one deliberately expired contract still referenced by its supplier (contract-expired warning)
    by_kind["contract"][-1].extra["expired"] = True

    # policies / processes / procedures / plans / objectives
    for i in range(counts["policy"]):
        name, cl = POLICY_NAMES[i % len(POLICY_NAMES)]
        title = name if i < len(POLICY_NAMES) else "%s, %s annex" % (name, SITES[i % len(SITES)])
        p = add(Doc("POL-%03d" % (i + 1), "policy", "policies/%s-%03d.md" % (slugname(name), i + 1), "md", title))
        p.extra["clauses"] = cl
    for i in range(counts["process"]):
        name, cl = PROCESS_NAMES[i % len(PROCESS_NAMES)]
        title = name if i < len(PROCESS_NAMES) else "%s (%s region)" % (name, SITES[i % len(SITES)])
        p = add(Doc("PRC-%03d" % (i + 1), "process", "processes/%s-%03d.md" % (slugname(name), i + 1), "md", title))
        p.extra["clauses"] = cl
    procs = by_kind["process"]
    for i in range(counts["procedure"]):
        prc = procs[i % len(procs)]
        verb = rnd.choice(["Handling", "Escalating", "Recording", "Reviewing", "Approving", "Testing",
                           "Reporting", "Closing", "Verifying", "Planning"])
        obj = rnd.choice(["major incidents", "emergency changes", "standard changes", "known errors",
                          "backups", "restores", "access requests", "leavers", "patches",
                          "certificates", "firewall rules", "supplier invoices", "SLA breaches",
                          "capacity alerts", "service requests", "releases", "CMDB updates"])
        p = add(Doc("PROC-%04d" % (i + 1), "procedure",
                    "procedures/%s/proc-%04d.md" % (slugname(prc.title.split(" (")[0]), i + 1), "md",
                    "%s %s (%s)" % (verb, obj, SITES[i % len(SITES)])))
        p.fields["process"] = prc.id
        p.extra["clauses"] = prc.extra["clauses"]
    for i in range(counts["plan"]):
        name, cl = PLAN_NAMES[i % len(PLAN_NAMES)]
        year = 2026 + (i // len(PLAN_NAMES)) % 3
        p = add(Doc("PLN-%03d" % (i + 1), "plan", "plans/%s-%03d.md" % (slugname(name), i + 1), "md",
                    "%s %d" % (name, year) if i >= len(PLAN_NAMES) else name))
        p.extra["clauses"] = cl
    for i in range(counts["capacity-plan"]):
        p = add(Doc("CPL-%03d" % (i + 1), "capacity-plan", "plans/capacity/cpl-%03d.md" % (i + 1), "md",
                    "Capacity plan %d, %s" % (2027 + i % 2, SITES[i % len(SITES)])))
    for i in range(counts["objective"]):
        m = METRICS[i % len(METRICS)]
        add(Doc("OBJ-%03d" % (i + 1), "objective", "objectives/obj-%03d.md" % (i + 1), "md",
                "Objective: %s, %s" % (m[0], SITES[i % len(SITES)])))
    for i in range(counts["risk"]):
        threat = rnd.choice(["Ransomware attack on", "Loss of key staff for", "Supplier failure affecting",
                             "Capacity exhaustion of", "Data-centre power loss affecting",
                             "Unpatched vulnerability in", "Licence non-compliance of",
                             "Data breach through", "Network outage affecting"])
        svc = live_svcs[i % len(live_svcs)]
        add(Doc("RSK-%04d" % (i + 1), "risk", "risks/%s/rsk-%04d.yaml" % (SITES[i % len(SITES)].lower()
                .replace("ö", "o").replace("ü", "u").replace("ń", "n"), i + 1), "yaml",
                "%s %s" % (threat, svc.title)))

    # SLAs: every live service gets one; the rest are extra (gold/silver) SLAs
    nsla = max(counts["sla"], len(live_svcs))
    for i in range(nsla):
        svc = live_svcs[i % len(live_svcs)]
        tier = ["Gold", "Silver", "Bronze"][(i // len(live_svcs)) % 3]
        s = add(Doc("SLA-%04d" % (i + 1), "sla", "slas/sla-%04d.md" % (i + 1), "md",
                    "Service level agreement, %s (%s)" % (svc.title, tier)))
        s.fields["service"] = [svc.id]
        if i % 7 == 0:   # some SLAs cover a dependent service as well
            other = live_svcs[(i * 3 + 1) % len(live_svcs)]
            if other.id != svc.id:
                s.fields["service"].append(other.id)

    # continuity plans: all high/critical live services covered
    hc = [s for s in live_svcs if s.fields["criticality"] in ("high", "critical")]
    nbcp = counts["continuity-plan"]
    for i in range(nbcp):
        cov = hc[i::nbcp] or [live_svcs[i % len(live_svcs)]]
        b = add(Doc("BCP-%03d" % (i + 1), "continuity-plan", "continuity/bcp-%03d.md" % (i + 1), "md",
                    "Service continuity plan %d: %s" % (i + 1, cov[0].title)))
        b.fields["covers"] = [s.id for s in cov]

    # reports
    for i in range(counts["report"]):
        svc = live_svcs[i % len(live_svcs)]
        year, month = 2025 + (i // 12) % 2, i % 12 + 1
        add(Doc("RPT-%05d" % (i + 1), "report", "reports/%d/rpt-%05d.md" % (year, i + 1), "md",
                "Service report %d-%02d, %s" % (year, month, svc.title)))

    # records
    nrec = counts["record"]
    tot = sum(t[2] for t in RECORD_TYPES)
    alloc = [max(1, nrec * t[2] // tot) for t in RECORD_TYPES]
    alloc[0] += nrec - sum(alloc)
    for t, cnt in zip(RECORD_TYPES, alloc):
        folder, prefix, _, _, _ = t
        for j in range(cnt):
            year = 2025 + (j % 2)
            month = (j // 2) % 12 + 1
            rid = "%s-%d-%05d" % (prefix, year, j + 1)
            fmt = "yaml" if (j % 5 == 0) else "md"
            path = "records/%s/%d/%02d/%s.%s" % (folder, year, month, rid.lower(), fmt)
            title = "%s %s" % ({"INC": "Incident", "CHG": "Change", "PRB": "Problem", "SRQ": "Service request",
                                "REL": "Release", "MRV": "Management review", "AUD": "Internal audit",
                                "SEC": "Security incident", "DRT": "Continuity test", "AVL": "Availability report",
                                "CAP": "Capacity review", "CMDB": "CMDB verification", "AST": "Asset review",
                                "CMP": "Competence record", "CPL": "Complaint", "CAPA": "Corrective action",
                                "IMP": "Improvement", "ACR": "Access review", "BKP": "Backup restore test",
                                "PAT": "Patch compliance"}[prefix], rid)
            r = add(Doc(rid, "record", path, fmt, title, sub=t))

    recs = by_kind["record"]
    for i in range(counts["audit-finding"]):
        aud = [r for r in recs if r.sub[1] == "AUD"]
        raised = aud[i % len(aud)]
        f = add(Doc("AF-%04d" % (i + 1), "audit-finding", "records/audit-findings/af-%04d.md" % (i + 1), "md",
                    "Audit finding %d: %s" % (i + 1, rnd.choice(["missing approval evidence",
                                                                "overdue review", "untested restore",
                                                                "incomplete CMDB data", "late leaver removal"]))))
        f.fields["raised_in"] = raised.id

    # statuses: drafts / in review / retired, a few of every kind (not services, SLAs,
    # continuity plans, suppliers, contracts: those must stay approved for the rules)
    for doc in docs:
        if doc.kind in ("service", "sla", "continuity-plan", "supplier", "contract"):
            continue
        x = rnd.random()
        if x < 0.03:
            doc.status = "draft"
        elif x < 0.05:
            doc.status = "review"
        elif x < 0.06 and doc.kind in ("record", "report", "risk", "procedure"):
            doc.status = "retired"
    return docs, by_kind, counts


def headings_for(doc, rnd):
    k = doc.kind
    if k == "record":
        hs = list(doc.sub[4])
    elif k == "service":
        hs = ["Service description", "Service hours & support", "Dependencies", "Service levels", "Notes"]
    elif k == "sla":
        hs = ["Parties", "Service levels", "Customer responsibilities", "Reporting", "Notes"]
    elif k == "continuity-plan":
        hs = ["Scope", "Recovery objectives", "Recovery options", "Business fallback", "Tests"]
    elif k == "supplier":
        hs = ["Profile", "Services supported", "Relationship", "Performance"]
    elif k == "contract":
        hs = ["Summary", "Service levels", "Obligations relevant to the SMS", "Exit"]
    elif k == "policy":
        hs = ["Purpose", "Scope", "Policy statements", "Roles and responsibilities", "Compliance"]
    elif k in ("process", "procedure"):
        hs = ["Purpose", "Activities", "Roles", "Measures", "Interfaces with other processes"]
    elif k in ("plan", "capacity-plan"):
        hs = ["Context", "Objectives", "Approach", "Milestones", "Resources"]
    elif k == "objective":
        hs = ["Objective", "Measurement", "Progress"]
    elif k == "risk":
        hs = ["Description", "Treatment", "Review history"]
    elif k == "report":
        hs = ["Summary", "Service levels achieved", "Incidents and problems", "Changes", "Outlook"]
    else:
        hs = ["Finding", "Evidence", "Corrective action", "Notes"]
    if rnd.random() < 0.2:
        hs.append("Notes")    # a repeated heading: second gets the "-1" slug
    seen = {}
    doc.headings = [(h, slug(h, seen)) for h in hs]


class Picker:
    """Chooses link targets among live (non-retired) documents."""

    def __init__(self, docs, by_kind, rnd):
        self.rnd = rnd
        self.live = {k: [d for d in v if d.status != "retired"] for k, v in by_kind.items()}
        self.live_all = [d for d in docs if d.status != "retired"]

    def one(self, kind=None, exclude=None):
        pool = self.live_all if kind is None else self.live[kind]
        for _ in range(10):
            d = self.rnd.choice(pool)
            if d is not exclude:
                return d
        return d


def rel(src, dst):
    return os.path.relpath(dst, os.path.dirname(src) or ".").replace(os.sep, "/")


def fill(text, rnd, ctx):
    return text.format(svc=ctx["svc_title"], site=rnd.choice(SITES), role=rnd.choice(ROLES))


def make_body(doc, rnd, pick, ctx, code_lang):
    """Markdown body (~1.5 KB) with headings, a GFM table, [[refs]], relative links and
    (optionally) a fenced code block."""
    out = []
    svc = ctx["svc"]
    proc = pick.one("process")
    link_t = pick.one(rnd.choice(["process", "procedure", "policy", "sla", "service", "record", "plan"]),
                      exclude=doc)
    anchor_h = rnd.choice(link_t.headings)
    other_rec = pick.one("record", exclude=doc)
    hs = doc.headings
    code_at = rnd.randrange(len(hs)) if code_lang else -1
    for i, (h, s) in enumerate(hs):
        out.append("## %s\n" % h)
        if i == 0:
            out.append("This %s concerns [[%s]] and is handled under [[%s|the %s process]]. "
                       "It follows the activities in [%s](%s#%s)." % (
                           doc.kind.replace("-", " "), svc.id, proc.id, proc.title.lower(),
                           anchor_h[0].lower(), rel(doc.path, link_t.path), anchor_h[1])
                       + " " + fill(rnd.choice(FILLER), rnd, ctx) + "\n")
        elif i == 1:
            # GFM table with references in cells (pipe escaped) and inline code with [[
            out.append("| Item | Value | Reference |\n|---|---:|:---|")
            rows = rnd.randint(3, 5)
            for r in range(rows):
                t = pick.one()
                out.append("| %s | %s | [[%s\\|%s]] |" % (
                    rnd.choice(["Start", "End", "Duration", "Users affected", "Priority", "Target",
                                "Measured", "Owner", "Site", "Cost (EUR)"]),
                    rnd.choice(["%d" % rnd.randint(1, 500), "%d.%d %%" % (rnd.randint(90, 99), rnd.randint(0, 9)),
                                "P%d" % rnd.randint(1, 4), rnd.choice(SITES), "`[[x]]` literal"]),
                    t.id, t.title.replace("|", "/")))
            out.append("")
            out.append("Figures above were taken on %s from the `itsm` export (`[[` is literal in code)." %
                       rdate(rnd, d(2025, 1, 1), d(2026, 11, 30)).isoformat())
            out.append("")
        elif h.startswith("Notes") and i == len(hs) - 1 and sum(1 for x in hs if x[0] == "Notes") > 1:
            first = [x for x in hs if x[0] == "Notes"][0]
            out.append("Further notes, continuing [the first notes](#%s). See also [[%s]]." % (first[1], other_rec.id))
            out.append("")
        else:
            kind_sentence = rnd.choice([
                "- Related record: [[%s]]\n- Process: [[%s]]\n- Owner: %s" % (other_rec.id, proc.id, rnd.choice(ROLES)),
                "1. Confirm scope with the %s.\n2. Apply the steps of [%s](%s).\n3. Record the outcome in [[%s]]." % (
                    rnd.choice(ROLES), link_t.title, rel(doc.path, link_t.path), other_rec.id),
                "The %s reviewed the outcome against [[ISO20000-1:%s]]; evidence is attached to [[%s]]." % (
                    rnd.choice(ROLES), rnd.choice(ISO_LEAVES), other_rec.id),
            ])
            out.append(kind_sentence)
            out.append("")
            out.append(fill(rnd.choice(FILLER), rnd, ctx) + " " + fill(rnd.choice(FILLER), rnd, ctx))
            out.append("")
        if i == code_at:
            out.append("Commands used (for the record):\n")
            out.append(code_block(code_lang, rnd, ctx))
    body = "\n".join(out).rstrip() + "\n"
    # pad towards ~1.5 KB
    while len(body.encode()) < 1400:
        body += "\n" + fill(rnd.choice(FILLER), rnd, ctx) + " " + fill(rnd.choice(FILLER), rnd, ctx) + "\n"
    return body


def satisfies_for(doc, rnd, spread):
    out = []
    k = doc.kind
    if k == "record":
        out += doc.sub[3]
    elif k in ("policy", "process", "procedure", "plan"):
        out += doc.extra["clauses"]
    else:
        out += {"service": ["8.2.4", "8.2.1"], "sla": ["8.3.3"], "continuity-plan": ["8.7.2"],
                "supplier": ["8.3.4.1"], "contract": ["8.3.4.1", "8.3.4.2"], "capacity-plan": ["8.4.3"],
                "objective": ["6.2.1"], "risk": ["6.1"], "report": ["9.4", "9.1"],
                "audit-finding": ["9.2", "10.1"]}[k]
    out = out[: rnd.randint(1, len(out))]
    out = [c if c.startswith("CORP:") else "ISO20000-1:" + c for c in out]
    if spread is not None and spread not in out:
        out.append(spread)
    return out


def front(doc, rnd, picks, spread, svc_id=None):
    """Ordered list of (key, yaml-value-text) for the document's fields."""
    f = []
    f.append(("id", doc.id))
    f.append(("title", yscalar(doc.title)))
    if doc.kind in ("capacity-plan", "audit-finding") or (doc.kind == "record" and doc.sub[1] == "CAPA"):
        f.append(("kind", doc.kind))
    f.append(("owner", yscalar(rnd.choice(ROLES))))
    f.append(("version", '"%d.%d"' % (rnd.randint(1, 4), rnd.randint(0, 9))))
    if doc.status != "draft" or rnd.random() < 0.5:
        f.append(("status", doc.status))
    approved_on = rdate(rnd, d(2025, 12, 1), d(2026, 11, 25))
    if doc.status == "approved":
        f.append(("approved_by", yscalar(rnd.choice(APPROVERS))))
        f.append(("approved_on", approved_on.isoformat()))
    if doc.status != "retired":
        if rnd.random() < 0.01 and doc.kind not in ("continuity-plan",):
            rb = rdate(rnd, d(2026, 6, 1), d(2026, 11, 30))   # overdue review (warning)
            doc.extra["overdue"] = True
        else:
            rb = rdate(rnd, d(2027, 1, 15), d(2028, 6, 30))
        f.append(("review_by", rb.isoformat()))
    f.append(("classification", rnd.choice(["public", "internal", "internal", "internal", "confidential"])))
    sat = satisfies_for(doc, rnd, spread)
    if sat and doc.status != "retired":
        lines = []
        for j, s in enumerate(sat):
            if j == 0 and rnd.random() < 0.25:
                lines.append("  - {req: %s, note: %s}" % (s, json.dumps("Evidence kept in %s." % doc.id)))
            else:
                lines.append("  - " + s)
        f.append(("satisfies", "\n" + "\n".join(lines)))
    k = doc.kind
    if k == "service":
        f.append(("criticality", doc.fields["criticality"]))
        live = [s for s in picks.live["service"] if s.id < doc.id]
        if live and doc.status != "retired":
            deps = sorted({s.id for s in rnd.sample(live, min(len(live), rnd.randint(0, 3)))})
            if deps:
                f.append(("depends_on", "\n" + "\n".join("  - " + x for x in deps)))
        sups = sorted({s.id for s in rnd.sample(picks.live["supplier"], rnd.randint(1, 2))})
        f.append(("suppliers", "[%s]" % ", ".join(sups)))
        f.append(("customers", "\n" + "\n".join("  - " + yscalar(x) for x in rnd.sample(
            ["Finance", "Operations", "Sales", "HR", "Logistics", "Warehousing", "Customs team",
             "Drivers", "Customers (external)", "Group IT"], rnd.randint(1, 4)))))
    elif k == "sla":
        sv = doc.fields["service"]
        f.append(("service", sv[0] if len(sv) == 1 else "[%s]" % ", ".join(sv)))
        tl = []
        for m in rnd.sample(METRICS, rnd.randint(2, 4)):
            t = "{metric: %s, target: %s" % (yscalar(m[0]), rnd.choice(m[3]))
            if m[1]:
                t += ", unit: %s" % json.dumps(m[1])
            if m[2] and rnd.random() < 0.7:
                t += ", period: %s" % m[2]
            tl.append("  - " + t + "}")
        f.append(("targets", "\n" + "\n".join(tl)))
    elif k == "supplier":
        f.append(("contracts", "\n" + "\n".join("  - " + c for c in doc.fields["contracts"])))
    elif k == "contract":
        f.append(("supplier", doc.fields["supplier"]))
        if doc.extra.get("expired"):
            f.append(("expires_on", "2026-10-31"))
        else:
            f.append(("expires_on", rdate(rnd, d(2027, 3, 1), d(2030, 12, 31)).isoformat()))
    elif k == "continuity-plan":
        f.append(("covers", "\n" + "\n".join("  - " + c for c in doc.fields["covers"])))
        f.append(("rto", rnd.choice(["30m", "2h", "4h", "8h", "24h", "2d"])))
        f.append(("rpo", rnd.choice(["5m", "15m", "1h", "4h", "24h"])))
        if doc.id != "BCP-001":   # one plan never tested (continuity-plan-untested warning)
            f.append(("last_tested", rdate(rnd, d(2026, 1, 10), d(2026, 11, 20)).isoformat()))
    elif k in ("process", "procedure"):
        f.append(("process_owner", yscalar(rnd.choice(ROLES))))
        f.append(("inputs", "\n" + "\n".join("  - " + yscalar(x) for x in rnd.sample(
            ["Tickets", "Monitoring alerts", "Requests for change", "Known errors", "Customer feedback",
             "Audit results", "Supplier reports", "Capacity forecasts"], 2))))
        f.append(("outputs", "\n" + "\n".join("  - " + yscalar(x) for x in rnd.sample(
            ["Records", "Reports", "Decisions", "Restored services", "Updated CMDB", "Action items"], 2))))
    elif k == "capacity-plan":
        ss = sorted({s.id for s in rnd.sample(picks.live["service"], rnd.randint(2, 6))})
        f.append(("services", "[%s]" % ", ".join(ss)))
        f.append(("horizon_end", "%d-12-31" % (2027 + doc.idx % 2)))
    elif k == "objective":
        f.append(("target_date", rdate(rnd, d(2027, 1, 1), d(2027, 12, 31)).isoformat()))
    elif k == "risk":
        f.append(("likelihood", rnd.choice(["rare", "unlikely", "possible", "likely", "almost-certain"])))
        f.append(("impact", rnd.choice(["minor", "moderate", "major", "severe"])))
        f.append(("treatment", rnd.choice(["treat", "treat", "tolerate", "transfer"])))
    elif k == "record":
        f.append(("record_type", doc.sub[0]))
        f.append(("services", "[%s]" % svc_id))
        f.append(("occurred_on", rdate(rnd, d(2025, 1, 1), d(2026, 11, 28)).isoformat()))
        if doc.sub[1] in ("INC", "PRB", "SEC"):
            f.append(("priority", rnd.choice(["P1", "P2", "P3", "P3", "P4", "P4"])))
    elif k == "audit-finding":
        raised = doc.fields["raised_in"]
        if raised not in {r.id for r in picks.live["record"]}:
            raised = next(r.id for r in picks.live["record"] if r.sub[1] == "AUD")
        f.append(("raised_in", raised))
        f.append(("severity", rnd.choice(["major", "minor", "observation"])))
        f.append(("due_on", rdate(rnd, d(2026, 12, 15), d(2027, 6, 30)).isoformat()))
    return f


def render(doc, fields, body):
    lines = []
    for key, val in fields:
        if val.startswith("\n"):
            lines.append("%s:%s" % (key, val))
        else:
            lines.append("%s: %s" % (key, val))
    if doc.fmt == "md":
        return "---\n" + "\n".join(lines) + "\n---\n\n" + body
    ind = "".join(("  " + l if l else "") + "\n" for l in body.rstrip("\n").split("\n"))
    return "\n".join(lines) + "\nbody: |\n" + ind


SMS_YAML = """\
# Halvorsen Freight Group, Group IT: service management system.
# Generated by bench/gen_other.py ({n} documents, seed {seed}).
name: Halvorsen Group IT Service Management System
organisation: Halvorsen Freight Group ASA

scope: |
  The service management system of **Halvorsen Group IT** covers the planning,
  design, transition, delivery and improvement of the IT services in the group
  service catalogue, delivered to the freight, warehousing and finance business
  units at {sites} and the other sites in the site register.

  Operational technology in the warehouses (conveyors, scanners owned by the
  facilities teams) is outside the scope, except for the network connections to it.

requirements:
  - ISO20000-1
  - requirements/corp.yaml

applicability:
  - req: "CORP:MED-1"
    status: other-party
    party: Bitvault Backup GmbH
    evidence: [{media_contract}]
  - req: "CORP:PCI-1"
    status: not-applicable
    justification: >-
      The group takes no card payments; freight is invoiced to account customers and
      settled by bank transfer, so no in-scope system handles cardholder data.
  - {{req: "ISO20000-1:8.4.1", status: other-party, party: "Group Finance", evidence: [{fin_contract}]}}

folders:
  policies: policy
  plans: plan
  plans/capacity: capacity-plan
  processes: process
  procedures: procedure
  services: service
  slas: sla
  suppliers: supplier
  contracts: contract
  continuity: continuity-plan
  objectives: objective
  risks: risk
  records: record
  records/audit-findings: audit-finding
  reports: report

kinds:
  capacity-plan:
    fields:
      services: {{type: ref, to: [service], many: true, required: true}}
      horizon_end: {{type: date}}
  audit-finding:
    fields:
      raised_in: {{type: ref, to: [record], required: true}}
      severity: {{type: enum, values: [major, minor, observation], required: true}}
      due_on: {{type: date}}
  procedure:
    fields:
      process: {{type: ref, to: [process]}}
  risk:
    fields:
      likelihood: {{type: enum, values: [rare, unlikely, possible, likely, almost-certain]}}
      impact: {{type: enum, values: [minor, moderate, major, severe]}}
      treatment: {{type: enum, values: [treat, tolerate, transfer, terminate]}}
  objective:
    fields:
      target_date: {{type: date}}
  record:
    fields:
      record_type: {{type: string}}
      services: {{type: ref, to: [service], many: true}}
      occurred_on: {{type: date}}
      priority: {{type: enum, values: [P1, P2, P3, P4]}}

rules:
  continuity-plan-untested: {{severity: warning, max_age_days: 365}}
  every-supplier-has-contract:
    every: supplier
    where: {{status: approved}}
    referenced_by: contract
    via: supplier
    severity: error
  every-critical-service-has-capacity-plan:
    every: service
    where: {{criticality: [high, critical], status: approved}}
    referenced_by: capacity-plan
    via: services
    severity: warning

exclude: ["**/README.md", "archive-old/**"]
"""


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out")
    ap.add_argument("--docs", type=int, default=10000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--code-every", type=int, default=10,
                    help="put a fenced code block in one document of N (1: every document, 0: none)")
    ap.add_argument("--force", action="store_true", help="replace OUT if it exists")
    a = ap.parse_args()
    if os.path.exists(a.out):
        if not a.force:
            sys.exit("%s exists (use --force)" % a.out)
        shutil.rmtree(a.out)
    rnd = random.Random(a.seed)
    docs, by_kind, counts = build_model(a.docs, rnd)
    for doc in docs:
        headings_for(doc, rnd)
    picks = Picker(docs, by_kind, rnd)

    # critical/high services must be referenced by a capacity plan (user rule): make
    # capacity plans list them (done at render time through picks) -> ensure here
    cpl = by_kind["capacity-plan"]
    hc = [s for s in picks.live["service"] if s.fields["criticality"] in ("high", "critical")]
    for i, s in enumerate(hc):
        cpl[i % len(cpl)].fields.setdefault("must", []).append(s.id)

    # spread: every leaf gets evidence from many approved documents
    approved = [dd for dd in docs if dd.status == "approved"]
    spread = {}
    for j, dd in enumerate(approved):
        if j % 3 == 0:
            spread[dd.id] = ALL_LEAVES[(j // 3) % len(ALL_LEAVES)]

    os.makedirs(a.out)
    lang_count = {}
    kind_count = {}
    fmt_count = {}
    code_i = 0
    live_svcs = picks.live["service"]
    for n_doc, doc in enumerate(docs):
        svc = live_svcs[n_doc % len(live_svcs)]
        if doc.kind == "sla":
            svc = next(s for s in live_svcs if s.id == doc.fields["service"][0])
        ctx = {"svc": svc, "svc_title": svc.title, "svc_id": svc.id}
        code_lang = None
        if a.code_every and n_doc % a.code_every == (a.code_every - 1 if a.code_every > 1 else 0):
            code_lang = LANGS[code_i % len(LANGS)]
            code_i += 1
            lang_count[code_lang] = lang_count.get(code_lang, 0) + 1
        fields = front(doc, rnd, picks, spread.get(doc.id), svc.id)
        if doc.kind == "capacity-plan":
            must = doc.fields.get("must", [])
            fields = [(k, v) for k, v in fields if k != "services"]
            ss = sorted(set(must) | {s.id for s in rnd.sample(live_svcs, 2)})
            fields.insert(len(fields) - 1, ("services", "[%s]" % ", ".join(ss)))
        body = make_body(doc, rnd, picks, ctx, code_lang)
        text = render(doc, fields, body)
        p = os.path.join(a.out, doc.path)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        kind_count[doc.kind] = kind_count.get(doc.kind, 0) + 1
        fmt_count[doc.fmt] = fmt_count.get(doc.fmt, 0) + 1

    # sms.yaml, catalogue, assets, things that must be skipped
    media = next(c for c in by_kind["contract"] if c.fields["supplier"] == "SUP-003")
    fin = by_kind["contract"][1]
    with open(os.path.join(a.out, "sms.yaml"), "w", encoding="utf-8") as fh:
        fh.write(SMS_YAML.format(n=len(docs), seed=a.seed, sites=", ".join(SITES[:5]),
                                 media_contract=media.id, fin_contract=fin.id))
    os.makedirs(os.path.join(a.out, "requirements"))
    with open(os.path.join(a.out, "requirements", "corp.yaml"), "w", encoding="utf-8") as fh:
        fh.write(CORP_CATALOGUE)
    os.makedirs(os.path.join(a.out, "assets", "evidence"))
    with open(os.path.join(a.out, "assets", "logo.svg"), "w") as fh:
        fh.write('<svg xmlns="http://www.w3.org/2000/svg" width="120" height="32">'
                 '<rect width="120" height="32" fill="#0a3d62"/><text x="8" y="21" fill="#fff">Halvorsen</text></svg>\n')
    with open(os.path.join(a.out, "assets", "evidence", "cab-minutes-2026-11.pdf"), "wb") as fh:
        fh.write(b"%PDF-1.4\n% evidence placeholder\n%%EOF\n")
    with open(os.path.join(a.out, "README.md"), "w") as fh:
        fh.write("# Halvorsen SMS (generated)\n\nExcluded by `exclude:`; not a document.\n")
    for dname in ("_drafts", "archive-old"):
        os.makedirs(os.path.join(a.out, dname))
        with open(os.path.join(a.out, dname, "unfinished.md"), "w") as fh:
            fh.write("---\nid: DRAFT-1\ntitle: [unterminated\n")   # invalid on purpose: must be skipped
    with open(os.path.join(a.out, "records", ".gitkeep"), "w") as fh:
        fh.write("")
    with open(os.path.join(a.out, "records", "incidents", "README.md"), "w") as fh:
        fh.write("Incident records, one file per incident.\n")

    total = sum(os.path.getsize(os.path.join(r, f)) for r, _, fs in os.walk(a.out) for f in fs)
    summary = {"out": a.out, "documents": len(docs), "by_kind": dict(sorted(kind_count.items())),
               "by_format": fmt_count,
               "records_by_type": {t[0]: sum(1 for dd in by_kind["record"] if dd.sub is t) for t in RECORD_TYPES},
               "status": {s: sum(1 for dd in docs if dd.status == s) for s in ("approved", "review", "draft", "retired")},
               "code_blocks": dict(sorted(lang_count.items())), "code_blocks_total": sum(lang_count.values()),
               "bytes": total}
    print(json.dumps(summary, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
