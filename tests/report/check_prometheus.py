"""Parses `sagasim run --metrics` output with prometheus_client's parser.

Usage: check_prometheus.py SAGASIM SOURCE_DIR. Runs a few bundled scenarios (a DLQ,
retries, a duplicate, the reference design) into one metrics file and checks that the
parser reads every family with the type announced and the samples expected. Exit 77
(skipped) when prometheus_client is not installed."""

import os
import subprocess
import sys
import tempfile

try:
    from prometheus_client.parser import text_string_to_metric_families
except ImportError:
    print("SKIP: python3-prometheus-client is not installed (make test-deps installs it)")
    sys.exit(77)

sagasim, source = sys.argv[1], sys.argv[2]
scenarios = ["retry-then-dlq.json", "fault-duplicate.json", "seed-duplicate-charges-twice.json", "storm.json"]
with tempfile.TemporaryDirectory() as tmp:
    path = os.path.join(tmp, "metrics.prom")
    files = [os.path.join(source, "scenarios", s) for s in scenarios]
    run = subprocess.run([sagasim, "run", "-q", *files, "--metrics", path], capture_output=True, text=True)
    if run.returncode != 0:
        sys.exit("sagasim run failed:\n" + run.stdout + run.stderr)
    text = open(path).read()

families = {f.name: f for f in text_string_to_metric_families(text)}
errors = []
expected = {
    "sagasim_backlog_messages": "gauge",
    "sagasim_consume_failure_ratio": "gauge",
    "sagasim_dlq_messages": "gauge",
    "sagasim_consume_latency_ms": "summary",
    "sagasim_throughput_acks_per_second": "gauge",
    # The parser names a counter family without its _total suffix.
    "sagasim_retries": "counter",
    "sagasim_consume_failures": "counter",
    "sagasim_acks": "counter",
}
for name, kind in expected.items():
    if name not in families:
        errors.append(f"missing family {name} (have: {sorted(families)})")
    elif families[name].type != kind:
        errors.append(f"{name}: type {families[name].type}, expected {kind}")


def value(family, suffix="", **labels):
    for s in families[family].samples:
        if s.name == family + suffix and all(s.labels.get(k) == v for k, v in labels.items()):
            return s.value
    return None


if not errors:
    dlq = value("sagasim_dlq_messages", scenario="retry-then-dlq", group="stock-consumer-group-orderCreatedConsumer-in-0")
    if dlq != 1:
        errors.append(f"retry-then-dlq: DLQ of stock-consumer-group is {dlq}, expected 1")
    quantiles = {s.labels.get("quantile") for s in families["sagasim_consume_latency_ms"].samples
                 if s.name == "sagasim_consume_latency_ms"}
    if quantiles != {"0.5", "0.95", "0.99"}:
        errors.append(f"latency quantiles {quantiles}")
    count = value("sagasim_consume_latency_ms", "_count", scenario="storm", group="payment-consumer-group-orderCreatedConsumer-in-0")
    if not count or count < 100:
        errors.append(f"storm: latency count of payment-consumer-group is {count}")
    retries = value("sagasim_retries", "_total", scenario="retry-then-dlq", group="stock-consumer-group-orderCreatedConsumer-in-0")
    if not retries:
        errors.append(f"retry-then-dlq: retries {retries}")
    if len({s.labels["scenario"] for s in families["sagasim_virtual_time_ms"].samples}) != len(scenarios):
        errors.append("not every scenario has its samples")

if errors:
    print("\n".join(errors))
    sys.exit(1)
print(f"parsed {len(families)} metric families, {sum(len(f.samples) for f in families.values())} samples")
