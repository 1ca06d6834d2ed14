#!/usr/bin/python3
"""Checks docs/scenario.schema.json.

Usage: check_schema.py [SOURCE_DIR] [--sagasim BINARY]

1. The schema is a valid JSON Schema (draft 2020-12).
2. Every bundled scenarios/*.json validates against it.
3. Snippets that the loader accepts are accepted, and deliberately invalid snippets
   (unknown key, bad duration, a key of another fault kind, bad invariant name, ...) are
   rejected, at the expected place.
4. With --sagasim BINARY (a sagasim that has the `validate` subcommand), every snippet
   is also given to `sagasim validate`, which must reach the same verdict: this catches
   the schema drifting away from the loader.

Needs the `jsonschema` module (Debian: python3-jsonschema). Never uses the network: the
schema's $id is only an identifier and every $ref is local.
Exits non-zero on any failure; the last line is "N passed, M failed".
"""

import copy
import glob
import json
import os
import subprocess
import sys
import tempfile

try:
    import jsonschema
except ImportError:
    print("check_schema.py: the jsonschema module is missing (apt-get install python3-jsonschema)")
    print("0 passed, 1 failed")
    sys.exit(1)

BASE = {
    "name": "snippet",
    "catalog": [{"product": 1, "stock": 5, "price": "10.00"}, {"product": 2, "stock": 1, "price": 3}],
    "orders": [{"id": "o1", "items": {"1": 1}}],
}

# Valid variations: the loader accepts each, so the schema must too.
# (label, keys to set on top of BASE)
VALID = [
    ("base scenario", {}),
    ("every top-level key", {
        "format": 1, "description": "d", "seed": 18446744073709551615, "mode": "concurrent",
        "profile": "seed", "until": 7200000,
        "options": {"idempotency": "none", "publish": "sync", "stockDeduct": "reservation",
                    "freeze": "atomic", "cancellation": "compensate", "compensationJob": "resend"},
        "broker": {"queuesPerTopic": 64, "delayLevels": " 1s  5s 10ms 3 ", "offsetPersistInterval": 1,
                   "maxMessageSize": 1},
    }),
    ("bindings, consumer and producer", {"bindings": {
        "stock.orderCreatedConsumer-in-0": {
            "maxAttempts": 1, "backOffInitialInterval": "0ms", "backOffMultiplier": 1,
            "backOffMaxInterval": "2s", "maxReconsumeTimes": -1, "concurrency": 2, "orderly": True,
            "suspendCurrentQueueTime": "1h", "batchSize": 1024, "subscription": "ORDER_CREATED || x-1"},
        "payment.orderCancelledConsumer-in-0": {"subscription": " * "},
        "order.orderCreatedProducer-out-0": {"sync": True, "group": "pg"},
    }}),
    ("generated orders and durations as integers", {"orders": [
        {"id": "o1", "user": 3, "items": {"1": 2, "2": 1}, "at": 0, "remark": "r"},
        {"generate": {"count": 3, "idPrefix": "", "users": [1, 9], "items": {"2": [0, 1]},
                      "start": "007s", "every": 10}},
    ]}),
    ("every step", {"steps": [
        {"at": "1h", "restock": {"2": 5}},
        {"at": "2h", "redriveDlq": "stock-consumer-group"},
        {"at": "3h", "resetOffset": {"group": "stock-consumer-group", "topic": "order-created", "to": "earliest"}},
        {"at": "4h", "resetOffset": {"group": "order-consumer-group", "topic": "%RETRY%order-consumer-group",
                                     "to": "10s"}},
    ]}),
    ("every fault kind with its own keys", {"faults": [
        {"kind": "consumer-error", "service": "stock", "group": "stock-consumer-group",
         "topic": "%DLQ%stock-consumer-group", "order": "o*", "probability": 0.5, "times": "always",
         "message": "m"},
        {"kind": "duplicate", "copies": 1000},
        {"kind": "send-failure", "times": 2},
        {"kind": "crash", "point": "after-send", "restartAfter": "1s"},
        {"kind": "delay", "by": "5s"},
        {"kind": "slow", "latency": 20},
        {"kind": "payment-decline", "order": "o1", "reason": "card expired"},
        {"kind": "broker-restart", "at": "1m", "downFor": "5s"},
        {"kind": "poison", "at": "1s", "body": "{", "topic": "payment-success"},
    ]}),
    ("every expectation", {"expect": {
        "orders": {"o1": "PAID"}, "orderCounts": {"PAID": 1, "CREATED": 0},
        "payments": {"o1": "NONE"}, "paymentCounts": {"REFUNDED": 0},
        "stock": {"1": {"sold": 1}}, "dlq": {"payment-consumer-group": 0},
        "deliveries": [{"group": "payment-consumer-group", "topic": "order-created", "order": "o1",
                        "count": 1, "calls": 3}],
        "stuck": [], "invariants": {"violated": ["broker-no-loss", "orders-settled"]},
    }}),
    ("invariants hold, empty violated list", {"expect": {"invariants": {"violated": []}}}),
    ("money as a whole integer and one fraction digit",
     {"catalog": [{"product": 1, "stock": 0, "price": 19, "name": "n"},
                  {"product": 7, "stock": 1000000000, "price": "0.5"}]}),
]

# Invalid variations: the loader rejects each, so the schema must too.
# (label, keys to set on top of BASE, JSON pointer where the schema must report an error)
INVALID = [
    ("unknown top-level key", {"nmae": "x"}, ""),
    ("unknown key in an order", {"orders": [{"id": "o1", "items": {"1": 1}, "qty": 1}]}, "/orders/0"),
    ("unknown key in a consumer binding",
     {"bindings": {"stock.orderCreatedConsumer-in-0": {"maxRetries": 1}}}, "/bindings/stock.orderCreatedConsumer-in-0"),
    ("unknown binding name", {"bindings": {"stock.orderCreated-in-0": {}}}, "/bindings"),
    ("producer key on a consumer binding", {"bindings": {"stock.orderCreatedConsumer-in-0": {"sync": True}}},
     "/bindings/stock.orderCreatedConsumer-in-0"),
    ("bad duration unit", {"until": "10 s"}, "/until"),
    ("combined duration units", {"orders": [{"id": "o1", "items": {"1": 1}, "at": "1m30s"}]}, "/orders/0/at"),
    ("fractional duration", {"until": 1.5}, "/until"),
    ("negative duration", {"until": -5}, "/until"),
    ("zero offsetPersistInterval", {"broker": {"offsetPersistInterval": "0s"}}, "/broker/offsetPersistInterval"),
    ("zero delay level", {"broker": {"delayLevels": "1s 0s"}}, "/broker/delayLevels"),
    ("empty delay levels", {"broker": {"delayLevels": "  "}}, "/broker/delayLevels"),
    ("money with three fraction digits", {"catalog": [{"product": 1, "stock": 1, "price": "1.005"}]},
     "/catalog/0/price"),
    ("money as a JSON float", {"catalog": [{"product": 1, "stock": 1, "price": 19.9}]}, "/catalog/0/price"),
    ("product id key with a leading zero", {"orders": [{"id": "o1", "items": {"01": 1}}]}, "/orders/0/items"),
    ("zero quantity", {"orders": [{"id": "o1", "items": {"1": 0}}]}, "/orders/0/items/1"),
    ("empty items", {"orders": [{"id": "o1", "items": {}}]}, "/orders/0/items"),
    ("generate with another key", {"orders": [{"generate": {"count": 2}, "id": "x"}]}, "/orders/0"),
    ("missing name", {"name": None}, ""),
    ("empty catalog", {"catalog": []}, "/catalog"),
    ("format 2", {"format": 2}, "/format"),
    ("bad mode", {"mode": "parallel"}, "/mode"),
    ("key of another fault kind (copies on crash)", {"faults": [{"kind": "crash", "copies": 2}]}, "/faults/0"),
    ("key of another fault kind (by on slow)", {"faults": [{"kind": "slow", "latency": "1s", "by": "1s"}]},
     "/faults/0"),
    ("missing required fault key (delay without by)", {"faults": [{"kind": "delay"}]}, "/faults/0"),
    ("poison without topic", {"faults": [{"kind": "poison", "at": "1s", "body": "x"}]}, "/faults/0"),
    ("unknown fault kind", {"faults": [{"kind": "explode"}]}, "/faults/0/kind"),
    ("bad crash point", {"faults": [{"kind": "crash", "point": "mid-commit"}]}, "/faults/0/point"),
    ("probability above 1", {"faults": [{"kind": "send-failure", "probability": 1.5}]}, "/faults/0/probability"),
    ("times 0", {"faults": [{"kind": "send-failure", "times": 0}]}, "/faults/0/times"),
    ("order glob with an inner star", {"faults": [{"kind": "send-failure", "order": "o*1*"}]}, "/faults/0/order"),
    ("bad invariant name", {"expect": {"invariants": {"violated": ["stock-conserve"]}}},
     "/expect/invariants"),
    ("invariants neither hold nor violated", {"expect": {"invariants": "broken"}}, "/expect/invariants"),
    ("duplicate invariant", {"expect": {"invariants": {"violated": ["orders-settled", "orders-settled"]}}},
     "/expect/invariants"),
    ("bad order status", {"expect": {"orders": {"o1": "SHIPPED"}}}, "/expect/orders/o1"),
    ("bad payment count status", {"expect": {"paymentCounts": {"NONE": 1}}}, "/expect/paymentCounts"),
    ("unknown dlq group", {"expect": {"dlq": {"stock-group": 1}}}, "/expect/dlq"),
    ("deliveries topic the group does not consume",
     {"expect": {"deliveries": [{"group": "payment-consumer-group", "topic": "payment-success", "order": "o1"}]}},
     "/expect/deliveries/0/topic"),
    ("step with two actions", {"steps": [{"at": "1s", "restock": {"1": 1}, "redriveDlq": "stock-consumer-group"}]},
     "/steps/0"),
    ("step with no action", {"steps": [{"at": "1s"}]}, "/steps/0"),
    ("step without at", {"steps": [{"restock": {"1": 1}}]}, "/steps/0"),
    ("resetOffset to another group's retry topic",
     {"steps": [{"at": "1s", "resetOffset": {"group": "stock-consumer-group",
                                             "topic": "%RETRY%order-consumer-group", "to": "earliest"}}]},
     "/steps/0/resetOffset/topic"),
    ("bad tag expression", {"bindings": {"stock.orderCreatedConsumer-in-0": {"subscription": "A | B"}}},
     "/bindings/stock.orderCreatedConsumer-in-0/subscription"),
    ("concurrency above 64", {"bindings": {"stock.orderCreatedConsumer-in-0": {"concurrency": 65}}},
     "/bindings/stock.orderCreatedConsumer-in-0/concurrency"),
]


def scenario_with(changes):
    doc = copy.deepcopy(BASE)
    for key, value in changes.items():
        if value is None:
            doc.pop(key, None)
        else:
            doc[key] = value
    return doc


def pointer(path):
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in path)


def describe(error):
    return f"{pointer(error.absolute_path) or '(top level)'}: {error.message}"


class Checker:
    def __init__(self):
        self.passed = 0
        self.failed = 0

    def result(self, ok, label, detail=""):
        if ok:
            self.passed += 1
            print(f"ok   {label}")
        else:
            self.failed += 1
            print(f"FAIL {label}" + (f"\n     {detail}" if detail else ""))


def loader_accepts(sagasim, doc):
    """Whether `sagasim validate` accepts the document, and its output."""
    with tempfile.TemporaryDirectory(prefix="sagasim-schema-") as tmp:
        path = os.path.join(tmp, "snippet.json")
        with open(path, "w", encoding="utf-8") as f:
            json.dump(doc, f)
        run = subprocess.run([sagasim, "validate", path], capture_output=True, text=True, check=False)
        return run.returncode == 0, (run.stdout + run.stderr).strip()


def main(argv):
    sagasim = None
    args = []
    i = 0
    while i < len(argv):
        if argv[i] == "--sagasim" and i + 1 < len(argv):
            sagasim = argv[i + 1]
            i += 2
        else:
            args.append(argv[i])
            i += 1
    source_dir = args[0] if args else os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    schema_path = os.path.join(source_dir, "docs", "scenario.schema.json")
    check = Checker()

    # 1. The schema itself.
    try:
        with open(schema_path, encoding="utf-8") as f:
            schema = json.load(f)
        jsonschema.Draft202012Validator.check_schema(schema)
        check.result(True, f"schema is a valid draft 2020-12 schema: {schema_path}")
    except (OSError, ValueError, jsonschema.exceptions.SchemaError) as e:
        check.result(False, f"schema is a valid draft 2020-12 schema: {schema_path}", str(e).splitlines()[0])
        print(f"{check.passed} passed, {check.failed} failed")
        return 1
    validator = jsonschema.Draft202012Validator(schema)

    # 2. The bundled scenarios.
    files = sorted(glob.glob(os.path.join(source_dir, "scenarios", "*.json")))
    check.result(bool(files), "bundled scenarios found", f"no *.json in {os.path.join(source_dir, 'scenarios')}")
    for path in files:
        name = os.path.relpath(path, source_dir)
        try:
            with open(path, encoding="utf-8") as f:
                doc = json.load(f)
        except (OSError, ValueError) as e:
            check.result(False, f"valid: {name}", f"cannot read: {e}")
            continue
        errors = sorted(validator.iter_errors(doc), key=lambda e: list(map(str, e.absolute_path)))
        check.result(not errors, f"valid: {name}", "\n     ".join(describe(e) for e in errors[:10]))

    # 3. Snippets (4. and the loader's verdict on each, with --sagasim).
    for label, changes in VALID:
        doc = scenario_with(changes)
        errors = list(validator.iter_errors(doc))
        check.result(not errors, f"accepted: {label}", "\n     ".join(describe(e) for e in errors[:10]))
        if sagasim:
            accepted, output = loader_accepts(sagasim, doc)
            check.result(accepted, f"loader agrees, accepted: {label}", output)
    for label, changes, where in INVALID:
        doc = scenario_with(changes)
        errors = list(validator.iter_errors(doc))
        places = sorted({pointer(e.absolute_path) for e in errors})
        if not errors:
            check.result(False, f"rejected: {label}", "the schema accepts it")
        else:
            check.result(where in places, f"rejected: {label}",
                         f"expected an error at {where or '(top level)'}, got: " +
                         "; ".join(describe(e) for e in errors[:5]))
        if sagasim:
            accepted, output = loader_accepts(sagasim, doc)
            check.result(not accepted, f"loader agrees, rejected: {label}", output)

    print(f"{check.passed} passed, {check.failed} failed")
    return 0 if check.failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
