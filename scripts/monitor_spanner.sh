#!/usr/bin/env bash
# A live terminal view of the DICOM Query Spanner, refreshed every few seconds: query rate and outcomes, latency
# percentiles, cache hit rate, coalesced queries, worker utilization, the SCP listeners' C-FINDs (rate, in flight, by
# final status), queue depths, and per PACS its health, circuit,
# C-FIND latency, results and errors by outcome. It reads the services' /actuator/prometheus and RabbitMQ's
# management API (or `rabbitmqctl list_queues` when the API is not there).
#
#   scripts/monitor_spanner.sh                 # local processes (scripts/start_enterprise_spanner.sh), Ctrl-C ends
#   scripts/monitor_spanner.sh --once          # one report (two samples --interval apart, for rates) and exit
#   scripts/monitor_spanner.sh --prometheus http://localhost:9090
#                                              # docker-compose.enterprise.yml: every replica, through Prometheus
#
# Options (and environment): --interval SECONDS (5), --gateway URL (SPANNER_MONITOR_GATEWAY, http://localhost:8001),
# --coordinator URL[,URL...] (SPANNER_MONITOR_COORDINATORS, http://localhost:8002), --worker URL[,URL...]
# (SPANNER_MONITOR_WORKERS, http://localhost:8003), --listener URL (SPANNER_MONITOR_LISTENER, http://localhost:8004),
# --prometheus URL (SPANNER_MONITOR_PROMETHEUS; replaces the four above), --rabbitmq-api URL
# (SPANNER_MONITOR_RABBITMQ_API, http://localhost:15672; user/password RABBITMQ_USER/RABBITMQ_PASSWORD, guest/guest),
# RABBITMQCTL (rabbitmqctl) for the fallback. Exit code 0; 1 if no service could be read at all.
set -euo pipefail
MONITOR_SCRIPT="$0" exec /usr/bin/python3 - "$@" <<'EOF'
import base64, json, math, os, re, subprocess, sys, time, urllib.error, urllib.parse, urllib.request
from collections import defaultdict

args = sys.argv[1:]
opts = {
    "interval": "5",
    "gateway": os.environ.get("SPANNER_MONITOR_GATEWAY", "http://localhost:8001"),
    "coordinator": os.environ.get("SPANNER_MONITOR_COORDINATORS", "http://localhost:8002"),
    "worker": os.environ.get("SPANNER_MONITOR_WORKERS", "http://localhost:8003"),
    "listener": os.environ.get("SPANNER_MONITOR_LISTENER", "http://localhost:8004"),
    "prometheus": os.environ.get("SPANNER_MONITOR_PROMETHEUS", ""),
    "rabbitmq-api": os.environ.get("SPANNER_MONITOR_RABBITMQ_API", "http://localhost:15672"),
}
once = False
i = 0
while i < len(args):
    a = args[i]
    if a == "--once":
        once = True
    elif a in ("-h", "--help"):
        sys.exit(subprocess.call(["sed", "-n", "2,18p", os.environ["MONITOR_SCRIPT"]]))
    elif a.startswith("--") and a[2:] in opts and i + 1 < len(args):
        opts[a[2:]] = args[i + 1]
        i += 1
    else:
        print(f"unknown option: {a} (see --help)", file=sys.stderr)
        sys.exit(2)
    i += 1
interval = float(opts["interval"])

SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)')
LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"')

def parse(text, extra=()):
    """Prometheus text format -> list of (name, labels dict, value)."""
    out = []
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        m = SAMPLE.match(line)
        if not m:
            continue
        labels = dict(LABEL.findall(m.group(3) or ""))
        labels.update(extra)
        try:
            out.append((m.group(1), labels, float(m.group(4))))
        except ValueError:
            pass
    return out

def fetch(url, timeout=3, auth=None):
    req = urllib.request.Request(url)
    if auth:
        req.add_header("Authorization", "Basic " + base64.b64encode(auth.encode()).decode())
    with urllib.request.urlopen(req, timeout=timeout) as r:
        return r.read().decode("utf-8", "replace")

SERVICES = [("api-gateway", "gateway"), ("spanner-coordinator", "coordinator"),
            ("dimse-query-worker", "worker"), ("dimse-scp-listener", "listener")]

def sample():
    """One reading of every source: samples, instances up per service, queues, errors."""
    samples, up, notes = [], defaultdict(lambda: [0, 0]), []
    if opts["prometheus"]:
        match = '{__name__=~"spanner_.*|http_server_requests_seconds_count|rabbitmq_queue_messages_ready|rabbitmq_queue_messages_unacked|rabbitmq_queue_consumers|up"}'
        try:
            text = fetch(opts["prometheus"].rstrip("/") + "/federate?match[]=" + urllib.parse.quote(match))
        except (OSError, urllib.error.URLError) as e:
            notes.append(f"Prometheus {opts['prometheus']} unreadable: {e}")
            return samples, up, None, notes
        samples = parse(text)
        for name, labels, value in samples:
            if name == "up" and labels.get("job") in dict(SERVICES):
                up[labels["job"]][1] += 1
                up[labels["job"]][0] += int(value == 1)
        queues = {}
        for name, labels, value in samples:
            if name.startswith("rabbitmq_queue_") and "queue" in labels:
                q = queues.setdefault(labels["queue"], {"ready": 0, "unacked": 0, "consumers": 0})
                q[{"rabbitmq_queue_messages_ready": "ready", "rabbitmq_queue_messages_unacked": "unacked",
                   "rabbitmq_queue_consumers": "consumers"}[name]] += value
        return samples, up, queues, notes
    for job, key in SERVICES:
        for base in [u for u in opts[key].split(",") if u]:
            up[job][1] += 1
            try:
                samples += parse(fetch(base.rstrip("/") + "/actuator/prometheus"), {"job": job, "instance": base})
                up[job][0] += 1
            except (OSError, urllib.error.URLError):
                pass
    return samples, up, rabbit_queues(notes), notes

def rabbit_queues(notes):
    user = os.environ.get("RABBITMQ_USER", "guest") + ":" + os.environ.get("RABBITMQ_PASSWORD", "guest")
    try:
        data = json.loads(fetch(opts["rabbitmq-api"].rstrip("/") + "/api/queues?columns=name,messages_ready,messages_unacknowledged,consumers", auth=user))
        return {q["name"]: {"ready": q.get("messages_ready", 0) or 0, "unacked": q.get("messages_unacknowledged", 0) or 0,
                            "consumers": q.get("consumers", 0) or 0} for q in data}
    except (OSError, urllib.error.URLError, ValueError):
        pass
    cmd = os.environ.get("RABBITMQCTL", "rabbitmqctl").split() + ["-q", "list_queues", "--no-table-headers",
                                                                   "name", "messages_ready", "messages_unacknowledged", "consumers"]
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=15)
    except (OSError, subprocess.TimeoutExpired) as e:
        notes.append(f"queue depths unavailable: no management API at {opts['rabbitmq-api']} and {cmd[0]} failed ({e})")
        return None
    if out.returncode != 0:
        notes.append(f"queue depths unavailable: no management API at {opts['rabbitmq-api']} and rabbitmqctl said: "
                     + (out.stderr.strip().splitlines() or ["?"])[-1])
        return None
    queues = {}
    for line in out.stdout.splitlines():
        parts = line.split()
        if len(parts) == 4 and all(p.isdigit() for p in parts[1:]):
            queues[parts[0]] = {"ready": int(parts[1]), "unacked": int(parts[2]), "consumers": int(parts[3])}
    return queues

def total(samples, name, **want):
    return sum(v for n, l, v in samples if n == name and all(
        (re.fullmatch(w, l.get(k, "")) if isinstance(w, re.Pattern) else l.get(k) == w) for k, w in want.items()))

def by(samples, name, key, **want):
    out = defaultdict(float)
    for n, l, v in samples:
        if n == name and all(l.get(k) == w for k, w in want.items()):
            out[l.get(key, "")] += v
    return out

def buckets(samples, name, key=None):
    """{group: {le: cumulative count}} of a histogram, summed over instances."""
    out = defaultdict(lambda: defaultdict(float))
    for n, l, v in samples:
        if n == name + "_bucket":
            out[l.get(key, "") if key else ""][float(l["le"])] += v
    return out

def quantile(q, bucket_counts):
    """Prometheus' histogram_quantile on {le: cumulative count}."""
    items = sorted(bucket_counts.items())
    if not items or items[-1][1] <= 0:
        return None
    rank = q * items[-1][1]
    lower_le, lower_count = 0.0, 0.0
    for le, count in items:
        if count >= rank:
            if math.isinf(le):
                return lower_le
            if count == lower_count:
                return le
            return lower_le + (le - lower_le) * (rank - lower_count) / (count - lower_count)
        lower_le, lower_count = le, count
    return None

def delta(new, old):
    d = defaultdict(lambda: defaultdict(float))
    for g, b in new.items():
        for le, c in b.items():
            d[g][le] = c - old.get(g, {}).get(le, 0.0)
    return d

def secs(v):
    if v is None:
        return "-"
    return f"{v * 1000:.0f}ms" if v < 1 else f"{v:.2f}s"

def pct(a, b):
    return f"{100.0 * a / b:.1f}%" if b else "-"

# Reply, answer, cancel and health-echo queues: one per service instance, summed into one line.
PER_INSTANCE = ("spanner.results.", "spanner.answers.", "spanner.cancel.", "spanner.health-echo.")

def report(old, new, window):
    s0, _, _, _ = old
    s1, up, queues, notes = new
    lines = [f"DICOM Query Spanner  {time.strftime('%Y-%m-%d %H:%M:%S %Z')}  (rates over the last {window:.0f}s; totals since each service started)", ""]
    lines.append("Services:  " + "   ".join(f"{job} {u}/{n} up" for job, (u, n) in
                                             ((job, up[job]) for job, _ in SERVICES) if n))
    q1, q0 = by(s1, "spanner_queries_total", "state"), by(s0, "spanner_queries_total", "state")
    all1, all0 = sum(q1.values()), sum(q0.values())
    rate = (all1 - all0) / window if window else 0.0
    states = "  ".join(f"{st} {int(q1.get(st, 0))}" for st in ("complete", "partial", "failed", "timed_out", "cancelled"))
    failed = q1.get("failed", 0) + q1.get("timed_out", 0)
    lines.append(f"Queries:   {rate:.2f}/s   total {int(all1)}: {states}   failure rate {pct(failed, all1)}")
    e1 = by(s1, "spanner_queries_total", "entry_point")
    lines.append("           by entry point: " + ("  ".join(f"{k} {int(v)}" for k, v in sorted(e1.items())) or "-"))
    h1 = buckets(s1, "spanner_query_duration_seconds", "level")
    h0 = buckets(s0, "spanner_query_duration_seconds", "level")
    win = delta(h1, h0)
    for level in sorted(h1):
        recent = win[level] if any(win[level].values()) else None
        src = recent or h1[level]
        lines.append(f"Latency:   {level:<8} p50 {secs(quantile(.5, src))}  p95 {secs(quantile(.95, src))}  "
                     f"p99 {secs(quantile(.99, src))}  ({'last ' + str(int(window)) + 's' if recent else 'since start'})")
    if not h1:
        lines.append("Latency:   no spanning query answered yet")
    hits, misses = total(s1, "spanner_cache_requests_total", result="hit"), total(s1, "spanner_cache_requests_total", result="miss")
    lines.append(f"Cache:     hit rate {pct(hits, hits + misses)} ({int(hits)} hits, {int(misses)} misses)   "
                 f"coalesced {int(total(s1, 'spanner_coalesced_queries_total'))}   redis errors {int(total(s1, 'spanner_redis_errors_total'))}")
    busy, cap = total(s1, "spanner_worker_busy_tasks"), total(s1, "spanner_worker_task_capacity")
    lines.append(f"Workers:   utilization {pct(busy, cap)} ({int(busy)} busy of {int(cap)} task slots)")
    f1, f0 = by(s1, "spanner_listener_finds_total", "status"), by(s0, "spanner_listener_finds_total", "status")
    if f1 or any(n == "spanner_listener_finds_in_flight" for n, _, _ in s1):
        frate = (sum(f1.values()) - sum(f0.values())) / window if window else 0.0
        statuses = "  ".join(f"{st} {int(v)}" for st, v in sorted(f1.items())) or "-"
        lines.append(f"Listener:  {frate:.2f} C-FINDs/s   in flight {int(total(s1, 'spanner_listener_finds_in_flight'))}   "
                     f"total {int(sum(f1.values()))}: {statuses}")
    lines.append("")
    if queues is None:
        lines.append("Queues:    unavailable")
    else:
        lines.append(f"{'Queue':<40} {'ready':>8} {'unacked':>8} {'consumers':>10}")
        for name in sorted(n for n in queues if n.startswith("spanner.") and not n.startswith(PER_INSTANCE)):
            q = queues[name]
            lines.append(f"{name:<40} {int(q['ready']):>8} {int(q['unacked']):>8} {int(q['consumers']):>10}")
        replies = [q for n, q in queues.items() if n.startswith(PER_INSTANCE)]
        if replies:
            lines.append(f"{'per-instance queues (' + str(len(replies)) + ')':<40} {int(sum(q['ready'] for q in replies)):>8} "
                         f"{int(sum(q['unacked'] for q in replies)):>8} {int(sum(q['consumers'] for q in replies)):>10}")
    lines.append("")
    ae = {}
    health = defaultdict(list)
    for n, l, v in s1:
        if n == "spanner_worker_source_up":
            ae[l["source"]] = l.get("ae_title", "")
            health[l["source"]].append(v)
    circuit = {}
    for n, l, v in s1:
        if n == "spanner_worker_circuit_state" and l.get("state") == "open":
            circuit[l["source"]] = max(circuit.get(l["source"], 0.0), v)
    d1 = buckets(s1, "spanner_worker_cfind_duration_seconds", "source")
    dw = delta(d1, buckets(s0, "spanner_worker_cfind_duration_seconds", "source"))
    counts = by(s1, "spanner_worker_cfind_duration_seconds_count", "source")
    results = by(s1, "spanner_worker_cfind_results_total", "source")
    errors = defaultdict(dict)
    for n, l, v in s1:
        if n == "spanner_worker_cfind_errors_total" and v:
            errors[l["source"]][l["outcome"]] = errors[l["source"]].get(l["outcome"], 0) + v
    outcomes = defaultdict(dict)
    for n, l, v in s1:
        if n == "spanner_source_outcomes_total" and v:
            outcomes[l["source"]][l["outcome"]] = outcomes[l["source"]].get(l["outcome"], 0) + v
    sources = sorted(set(ae) | set(counts) | set(results) | set(outcomes) | set(errors), key=lambda s: (len(s), s))
    lines.append(f"{'PACS (source)':<22} {'C-ECHO':<7} {'circuit':<8} {'C-FINDs':>7} {'p50':>7} {'p95':>7} {'results':>8}  errors by outcome / coordinator's timeouts")
    for src in sources:
        h = health.get(src)
        state = "-" if not h else ("up" if max(h) == 1 else "DOWN")
        count = counts.get(src, 0)
        recent = dw.get(src) if dw.get(src) and any(dw[src].values()) else d1.get(src, {})
        errs = ", ".join(f"{k} {int(v)}" for k, v in sorted(errors.get(src, {}).items()))
        timeouts = outcomes.get(src, {}).get("timeout", 0)
        if timeouts:
            errs = (errs + "; " if errs else "") + f"timeouts seen by coordinators {int(timeouts)}"
        name = f"{ae.get(src, '?')} ({src})"
        lines.append(f"{name:<22} {state:<7} {('-' if src not in circuit else 'OPEN' if circuit[src] else 'closed'):<8} {int(count):>7} "
                     f"{secs(quantile(.5, recent)):>7} {secs(quantile(.95, recent)):>7} {int(results.get(src, 0)):>8}  {errs or '-'}")
    if not sources:
        lines.append("(no source has been asked yet)")
    for n in notes:
        lines.append("note: " + n)
    return "\n".join(lines)

try:
    previous = sample()
    if once:
        time.sleep(interval)
        current = sample()
        print(report(previous, current, interval))
        sys.exit(0 if any(u for u, _ in current[1].values()) else 1)
    while True:
        time.sleep(interval)
        current = sample()
        sys.stdout.write("\033[H\033[2J" + report(previous, current, interval) + "\n\n(Ctrl-C to quit)\n")
        sys.stdout.flush()
        previous = current
except KeyboardInterrupt:
    print()
EOF
