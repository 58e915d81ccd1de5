#!/usr/bin/env python3
"""ltk cost --hpa, parsed back with PyYAML (python3-yaml): one autoscaling/v2
HorizontalPodAutoscaler whose replicas and thresholds are the plan's and the
module's (Section 5, Strategy 5), for the stress sample and for a typed plan.

Environment: LTK_BIN (build/bin), LTK_SOURCE_DIR (the source tree).
Exit status: 0 all as expected, 1 a difference, 77 PyYAML missing (skipped).
"""
import os
import subprocess
import sys

try:
    import yaml
except ImportError:  # pragma: no cover
    print("SKIP python3-yaml is not installed")
    sys.exit(77)

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.abspath(os.environ.get("LTK_SOURCE_DIR") or os.path.join(HERE, "..", ".."))
BIN = os.path.abspath(os.environ.get("LTK_BIN") or os.path.join(SRC, "build", "bin"))
failures = []


def expect(what, got, want):
    if got != want:
        failures.append(f"{what}: got {got!r}, want {want!r}")
        print(f"FAIL {what}: got {got!r}, want {want!r}")


def hpa(*args, status=0):
    p = subprocess.run([os.path.join(BIN, "ltk"), "cost", "--hpa", *args], cwd=SRC, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, text=True, timeout=120)
    expect(f"exit status of {' '.join(args)}", p.returncode, status)
    docs = list(yaml.safe_load_all(p.stdout))
    expect("documents", len(docs), 1)
    return docs[0], p.stderr


def metric(doc, kind, name):
    for m in doc["spec"]["metrics"]:
        if m["type"] == kind == "Resource" and m["resource"]["name"] == name:
            return m["resource"]["target"]
        if m["type"] == kind == "Pods" and m["pods"]["metric"]["name"] == name:
            return m["pods"]["target"]
    failures.append(f"no {kind} metric {name}")
    return {}


def common(doc, deployment, lo, hi, cpu):
    expect("apiVersion", doc["apiVersion"], "autoscaling/v2")
    expect("kind", doc["kind"], "HorizontalPodAutoscaler")
    ref = doc["spec"]["scaleTargetRef"]
    expect("scaleTargetRef", (ref["apiVersion"], ref["kind"], ref["name"]), ("apps/v1", "Deployment", deployment))
    expect("minReplicas", doc["spec"]["minReplicas"], lo)
    expect("maxReplicas", doc["spec"]["maxReplicas"], hi)
    expect("cpu", metric(doc, "Resource", "cpu"), {"type": "Utilization", "averageUtilization": cpu})
    expect("memory", metric(doc, "Resource", "memory"), {"type": "Utilization", "averageUtilization": 80})
    b = doc["spec"]["behavior"]
    expect("scaleUp window", b["scaleUp"]["stabilizationWindowSeconds"], 60)
    expect("scaleDown window", b["scaleDown"]["stabilizationWindowSeconds"], 300)


# the stress sample at the module's load criteria: 20 users per instance,
# 14 at 70 %, 36 replicas for 500 users (max raised to 40)
doc, _ = hpa("--capacity-run", "samples/runs/stress/stress", "--target-users", "500", "--instance-price", "40",
             "--max-replicas", "40", "--namespace", "prod")
common(doc, "rag-api", 2, 40, 70)
expect("name", doc["metadata"]["name"], "rag-api-hpa")
expect("namespace", doc["metadata"]["namespace"], "prod")
expect("queue", metric(doc, "Pods", "request_queue_depth"), {"type": "AverageValue", "averageValue": "100"})

# a typed plan at 60 %: utilisation carried into the CPU target
doc, _ = hpa("--capacity-per-instance", "100", "--target-users", "300", "--instance-price", "40",
             "--target-utilisation", "60%", "--min-replicas", "3", "--max-replicas", "12", "--deployment",
             "search.v2", "--hpa-name", "search-autoscaler", "--queue-metric", "app:queue_depth")
common(doc, "search.v2", 3, 12, 60)
expect("name", doc["metadata"]["name"], "search-autoscaler")
expect("no namespace", "namespace" in doc["metadata"], False)
expect("queue", metric(doc, "Pods", "app:queue_depth"), {"type": "AverageValue", "averageValue": "100"})

# above the maximum: the manifest keeps the limit, the exit status says so
doc, err = hpa("--capacity-per-instance", "100", "--target-users", "1000", "--instance-price", "40", status=1)
common(doc, "rag-api", 2, 10, 70)
expect("warning", "needs 15 replicas" in err, True)

print("FAIL" if failures else "ok", f"{len(failures)} problem(s)")
sys.exit(1 if failures else 0)
