#!/usr/bin/env python3
"""A live terminal view of the DICOM Query Spanner (started by scripts/monitor_spanner.sh).

Reads the services' /actuator/prometheus (or Prometheus' /federate, for every replica of the Docker deployment) and
RabbitMQ's queue depths, and shows the query rate and outcomes, latency percentiles, cache hit rate, worker
utilization, the SCP listeners' C-FINDs, queue depths and, per PACS, its health, circuit, C-FIND latency, results and
errors. Python 3 standard library only.
"""
import argparse
import base64
import json
import math
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import defaultdict
from typing import NamedTuple

# Prometheus job name and the option that names its instances, per service.
SERVICES = [("api-gateway", "gateway"), ("spanner-coordinator", "coordinator"),
            ("dimse-query-worker", "worker"), ("dimse-scp-listener", "listener")]
# Reply, answer, cancel and health-echo queues: one per service instance, summed into one line.
PER_INSTANCE = ("spanner.results.", "spanner.answers.", "spanner.cancel.", "spanner.health-echo.")
FEDERATED = ('{__name__=~"spanner_.*|http_server_requests_seconds_count|rabbitmq_queue_messages_ready'
             '|rabbitmq_queue_messages_unacked|rabbitmq_queue_consumers|up"}')


def options(argv):
    env = os.environ.get
    p = argparse.ArgumentParser(
        prog="monitor_spanner.sh",
        description="A live view of the DICOM Query Spanner, refreshed every --interval seconds until Ctrl-C.",
        epilog="Exit status: 0; 1 if no service could be read at all. Examples: scripts/monitor_spanner.sh (local "
               "processes of scripts/start_enterprise_spanner.sh); scripts/monitor_spanner.sh --prometheus "
               "http://localhost:9090 (docker-compose.enterprise.yml: every replica).")
    p.add_argument("--once", action="store_true",
                   help="print one report (two samples --interval apart, for rates) and exit")
    p.add_argument("--interval", type=float, default=5, metavar="SECONDS", help="refresh interval (default 5)")
    p.add_argument("--gateway", metavar="URL", default=env("SPANNER_MONITOR_GATEWAY", "http://localhost:8001"),
                   help="api-gateway (SPANNER_MONITOR_GATEWAY, default http://localhost:8001)")
    p.add_argument("--coordinator", metavar="URL[,URL...]",
                   default=env("SPANNER_MONITOR_COORDINATORS", "http://localhost:8002"),
                   help="spanner-coordinators (SPANNER_MONITOR_COORDINATORS, default http://localhost:8002)")
    p.add_argument("--worker", metavar="URL[,URL...]", default=env("SPANNER_MONITOR_WORKERS", "http://localhost:8003"),
                   help="dimse-query-workers (SPANNER_MONITOR_WORKERS, default http://localhost:8003)")
    p.add_argument("--listener", metavar="URL", default=env("SPANNER_MONITOR_LISTENER", "http://localhost:8004"),
                   help="dimse-scp-listener (SPANNER_MONITOR_LISTENER, default http://localhost:8004)")
    p.add_argument("--prometheus", metavar="URL", default=env("SPANNER_MONITOR_PROMETHEUS", ""),
                   help="read everything through this Prometheus instead of the four above "
                        "(SPANNER_MONITOR_PROMETHEUS)")
    p.add_argument("--rabbitmq-api", metavar="URL",
                   default=env("SPANNER_MONITOR_RABBITMQ_API", "http://localhost:15672"),
                   help="RabbitMQ's management API for queue depths (SPANNER_MONITOR_RABBITMQ_API, default "
                        "http://localhost:15672; user RABBITMQ_USER, password RABBITMQ_PASSWORD, default guest); "
                        "without it, `rabbitmqctl list_queues` (RABBITMQCTL names the command)")
    p.add_argument("--rabbitmq-vhost", metavar="VHOST",
                   default=env("SPANNER_MONITOR_RABBITMQ_VHOST", env("SPRING_RABBITMQ_VIRTUAL_HOST", "")),
                   help="the services' virtual host (SPANNER_MONITOR_RABBITMQ_VHOST, else "
                        "SPRING_RABBITMQ_VIRTUAL_HOST; default: every virtual host through the API, / through "
                        "rabbitmqctl)")
    return p.parse_args(argv)


# ---- reading: Prometheus text, RabbitMQ queues ----

SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)')
LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"')


class Reading(NamedTuple):
    """One reading of every source."""
    samples: list  # (metric name, labels dict, value)
    up: dict  # job -> [instances that answered, instances asked]
    queues: dict  # queue name -> {"ready", "unacked", "consumers"}; None when unreadable
    notes: list  # what could not be read, for the report's end


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


def read_all(opts):
    if opts.prometheus:
        return read_through_prometheus(opts)
    samples, up, notes = [], defaultdict(lambda: [0, 0]), []
    for job, option in SERVICES:
        for base in [u for u in getattr(opts, option).split(",") if u]:
            up[job][1] += 1
            try:
                samples += parse(fetch(base.rstrip("/") + "/actuator/prometheus"), {"job": job, "instance": base})
                up[job][0] += 1
            except (OSError, urllib.error.URLError):
                pass
    return Reading(samples, up, rabbit_queues(opts, notes), notes)


def read_through_prometheus(opts):
    up, notes = defaultdict(lambda: [0, 0]), []
    try:
        text = fetch(opts.prometheus.rstrip("/") + "/federate?match[]=" + urllib.parse.quote(FEDERATED))
    except (OSError, urllib.error.URLError) as e:
        notes.append(f"Prometheus {opts.prometheus} unreadable: {e}")
        return Reading([], up, None, notes)
    samples = parse(text)
    for name, labels, value in samples:
        if name == "up" and labels.get("job") in dict(SERVICES):
            up[labels["job"]][1] += 1
            up[labels["job"]][0] += int(value == 1)
    queues = {}
    column = {"rabbitmq_queue_messages_ready": "ready", "rabbitmq_queue_messages_unacked": "unacked",
              "rabbitmq_queue_consumers": "consumers"}
    for name, labels, value in samples:
        if name.startswith("rabbitmq_queue_") and "queue" in labels:
            q = queues.setdefault(labels["queue"], {"ready": 0, "unacked": 0, "consumers": 0})
            q[column[name]] += value
    return Reading(samples, up, queues, notes)


def rabbit_queues(opts, notes):
    """From the management API, else from rabbitmqctl; None (and a note) when neither answers."""
    user = os.environ.get("RABBITMQ_USER", "guest") + ":" + os.environ.get("RABBITMQ_PASSWORD", "guest")
    vhost = "/" + urllib.parse.quote(opts.rabbitmq_vhost, safe="") if opts.rabbitmq_vhost else ""
    try:
        data = json.loads(fetch(opts.rabbitmq_api.rstrip("/") + "/api/queues" + vhost
                                + "?columns=name,messages_ready,messages_unacknowledged,consumers", auth=user))
        return {q["name"]: {"ready": q.get("messages_ready", 0) or 0, "unacked": q.get("messages_unacknowledged", 0) or 0,
                            "consumers": q.get("consumers", 0) or 0} for q in data}
    except (OSError, urllib.error.URLError, ValueError):
        pass
    cmd = (os.environ.get("RABBITMQCTL", "rabbitmqctl").split() + ["-q", "list_queues", "--no-table-headers"]
           + (["-p", opts.rabbitmq_vhost] if opts.rabbitmq_vhost else [])
           + ["name", "messages_ready", "messages_unacknowledged", "consumers"])
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=15)
    except (OSError, subprocess.TimeoutExpired) as e:
        notes.append(f"queue depths unavailable: no management API at {opts.rabbitmq_api} and {cmd[0]} failed ({e})")
        return None
    if out.returncode != 0:
        notes.append(f"queue depths unavailable: no management API at {opts.rabbitmq_api} and rabbitmqctl said: "
                     + (out.stderr.strip().splitlines() or ["?"])[-1])
        return None
    queues = {}
    for line in out.stdout.splitlines():
        parts = line.split()
        if len(parts) == 4 and all(p.isdigit() for p in parts[1:]):
            queues[parts[0]] = {"ready": int(parts[1]), "unacked": int(parts[2]), "consumers": int(parts[3])}
    return queues


# ---- arithmetic on samples ----

def total(samples, name, **want):
    return sum(v for n, l, v in samples if n == name and all(l.get(k) == w for k, w in want.items()))


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


# ---- the report ----

def report(old, new, window):
    s0, s1 = old.samples, new.samples
    lines = [f"DICOM Query Spanner  {time.strftime('%Y-%m-%d %H:%M:%S %Z')}  "
             f"(rates over the last {window:.0f}s; totals since each service started)", ""]
    lines.append("Services:  " + "   ".join(f"{job} {new.up[job][0]}/{new.up[job][1]} up"
                                             for job, _ in SERVICES if new.up[job][1]))
    lines += query_lines(s0, s1, window)
    lines.append("")
    lines += queue_lines(new.queues)
    lines.append("")
    lines += pacs_lines(s0, s1)
    lines += ["note: " + n for n in new.notes]
    return "\n".join(lines)


def query_lines(s0, s1, window):
    lines = []
    q1, q0 = by(s1, "spanner_queries_total", "state"), by(s0, "spanner_queries_total", "state")
    all1, all0 = sum(q1.values()), sum(q0.values())
    rate = (all1 - all0) / window if window else 0.0
    states = "  ".join(f"{st} {int(q1.get(st, 0))}" for st in ("complete", "partial", "failed", "timed_out", "cancelled"))
    failed = q1.get("failed", 0) + q1.get("timed_out", 0)
    lines.append(f"Queries:   {rate:.2f}/s   total {int(all1)}: {states}   failure rate {pct(failed, all1)}")
    e1 = by(s1, "spanner_queries_total", "entry_point")
    lines.append("           by entry point: " + ("  ".join(f"{k} {int(v)}" for k, v in sorted(e1.items())) or "-"))
    h1 = buckets(s1, "spanner_query_duration_seconds", "level")
    win = delta(h1, buckets(s0, "spanner_query_duration_seconds", "level"))
    for level in sorted(h1):
        recent = win[level] if any(win[level].values()) else None
        src = recent or h1[level]
        lines.append(f"Latency:   {level:<8} p50 {secs(quantile(.5, src))}  p95 {secs(quantile(.95, src))}  "
                     f"p99 {secs(quantile(.99, src))}  ({'last ' + str(int(window)) + 's' if recent else 'since start'})")
    if not h1:
        lines.append("Latency:   no spanning query answered yet")
    hits = total(s1, "spanner_cache_requests_total", result="hit")
    misses = total(s1, "spanner_cache_requests_total", result="miss")
    lines.append(f"Cache:     hit rate {pct(hits, hits + misses)} ({int(hits)} hits, {int(misses)} misses)   "
                 f"coalesced {int(total(s1, 'spanner_coalesced_queries_total'))}   "
                 f"redis errors {int(total(s1, 'spanner_redis_errors_total'))}")
    busy, cap = total(s1, "spanner_worker_busy_tasks"), total(s1, "spanner_worker_task_capacity")
    lines.append(f"Workers:   utilization {pct(busy, cap)} ({int(busy)} busy of {int(cap)} task slots)")
    f1, f0 = by(s1, "spanner_listener_finds_total", "status"), by(s0, "spanner_listener_finds_total", "status")
    if f1 or any(n == "spanner_listener_finds_in_flight" for n, _, _ in s1):
        frate = (sum(f1.values()) - sum(f0.values())) / window if window else 0.0
        statuses = "  ".join(f"{st} {int(v)}" for st, v in sorted(f1.items())) or "-"
        lines.append(f"Listener:  {frate:.2f} C-FINDs/s   in flight {int(total(s1, 'spanner_listener_finds_in_flight'))}   "
                     f"total {int(sum(f1.values()))}: {statuses}")
    return lines


def queue_lines(queues):
    if queues is None:
        return ["Queues:    unavailable"]
    lines = [f"{'Queue':<40} {'ready':>8} {'unacked':>8} {'consumers':>10}"]
    for name in sorted(n for n in queues if n.startswith("spanner.") and not n.startswith(PER_INSTANCE)):
        q = queues[name]
        lines.append(f"{name:<40} {int(q['ready']):>8} {int(q['unacked']):>8} {int(q['consumers']):>10}")
    replies = [q for n, q in queues.items() if n.startswith(PER_INSTANCE)]
    if replies:
        lines.append(f"{'per-instance queues (' + str(len(replies)) + ')':<40} {int(sum(q['ready'] for q in replies)):>8} "
                     f"{int(sum(q['unacked'] for q in replies)):>8} {int(sum(q['consumers'] for q in replies)):>10}")
    return lines


def pacs_lines(s0, s1):
    ae = {}
    health = defaultdict(list)
    circuit = {}
    errors = defaultdict(dict)
    outcomes = defaultdict(dict)
    for n, l, v in s1:
        if n == "spanner_worker_source_up":
            ae[l["source"]] = l.get("ae_title", "")
            health[l["source"]].append(v)
        elif n == "spanner_worker_circuit_state" and l.get("state") == "open":
            circuit[l["source"]] = max(circuit.get(l["source"], 0.0), v)
        elif n == "spanner_worker_cfind_errors_total" and v:
            errors[l["source"]][l["outcome"]] = errors[l["source"]].get(l["outcome"], 0) + v
        elif n == "spanner_source_outcomes_total" and v:
            outcomes[l["source"]][l["outcome"]] = outcomes[l["source"]].get(l["outcome"], 0) + v
    d1 = buckets(s1, "spanner_worker_cfind_duration_seconds", "source")
    dw = delta(d1, buckets(s0, "spanner_worker_cfind_duration_seconds", "source"))
    counts = by(s1, "spanner_worker_cfind_duration_seconds_count", "source")
    results = by(s1, "spanner_worker_cfind_results_total", "source")
    sources = sorted(set(ae) | set(counts) | set(results) | set(outcomes) | set(errors), key=lambda s: (len(s), s))
    lines = [f"{'PACS (source)':<22} {'C-ECHO':<7} {'circuit':<8} {'C-FINDs':>7} {'p50':>7} {'p95':>7} {'results':>8}"
             "  errors by outcome / coordinator's timeouts"]
    for src in sources:
        h = health.get(src)
        state = "-" if not h else ("up" if max(h) == 1 else "DOWN")
        recent = dw.get(src) if dw.get(src) and any(dw[src].values()) else d1.get(src, {})
        errs = ", ".join(f"{k} {int(v)}" for k, v in sorted(errors.get(src, {}).items()))
        timeouts = outcomes.get(src, {}).get("timeout", 0)
        if timeouts:
            errs = (errs + "; " if errs else "") + f"timeouts seen by coordinators {int(timeouts)}"
        name = f"{ae.get(src, '?')} ({src})"
        breaker = "-" if src not in circuit else "OPEN" if circuit[src] else "closed"
        lines.append(f"{name:<22} {state:<7} {breaker:<8} {int(counts.get(src, 0)):>7} "
                     f"{secs(quantile(.5, recent)):>7} {secs(quantile(.95, recent)):>7} {int(results.get(src, 0)):>8}"
                     f"  {errs or '-'}")
    if not sources:
        lines.append("(no source has been asked yet)")
    return lines


def main(argv):
    opts = options(argv)
    try:
        previous = read_all(opts)
        if opts.once:
            time.sleep(opts.interval)
            current = read_all(opts)
            print(report(previous, current, opts.interval))
            return 0 if any(answered for answered, _ in current.up.values()) else 1
        while True:
            time.sleep(opts.interval)
            current = read_all(opts)
            sys.stdout.write("\033[H\033[2J" + report(previous, current, opts.interval) + "\n\n(Ctrl-C to quit)\n")
            sys.stdout.flush()
            previous = current
    except KeyboardInterrupt:
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
