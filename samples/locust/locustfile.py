"""Locust scenarios for a RAG API (POST /query, GET /retrieval, GET /health).

Written for Locust 2.12 (Debian bookworm's python3-locust). Run it, for example:

    locust -f locustfile.py --host=http://127.0.0.1:8000 \\
        --users 10 --spawn-rate 2 --run-time 1m --headless

Behaviour is tuned with environment variables (all optional):

  LTK_REQUEST_LOG   path of a raw per-request CSV log written from the `request`
                    event hook: timestamp,request_type,name,response_time,
                    response_length,success,exception,users,status
  LTK_JSON_FILE     path to write the end-of-run statistics as Locust 2.14+'s
                    --json / --json-file output does
  LTK_TIMEOUT       client timeout in seconds for every request (default 30)
  LTK_SHAPE         stepped | spike | hold | ramp  -> activates a LoadTestShape; unset means
                    no shape class exists and -u/-r/-t drive the test as usual
  LTK_STEPS         stepped shape: user counts, e.g. "10,20,40,60,80,100,120"
  LTK_STEP_SECONDS  stepped shape: length of each plateau (default 25)
  LTK_PERCENTILES   custom percentiles for the console tables and CSVs,
                    e.g. "0.5,0.75,0.9,0.95,0.99,0.995,0.999,1.0"
  LTK_CSV_FLUSH_SECONDS  how often Locust flushes its --csv files (Locust 2.12:
                    every 10 s, and not at the end, so a 10 s run would keep
                    almost no stats_history.csv rows); samples/ci sets 1
"""

import csv
import json
import os
import random
import sys
import time

import locust.stats
from locust import HttpUser, LoadTestShape, between, events, task

REQUEST_TIMEOUT = float(os.environ.get("LTK_TIMEOUT", "30"))

QUESTIONS = [
    "What is retrieval-augmented generation?",
    "How should I chunk long PDF documents for embedding?",
    "When does a reranker improve answer quality?",
    "How do I pick the top-k value for vector search?",
    "What is the difference between p95 and p99 latency?",
    "How large should a database connection pool be?",
    "How do I handle OpenAI rate limit errors gracefully?",
    "Should I scale my RAG API horizontally or vertically?",
    "How can caching reduce LLM costs?",
    "What causes latency to grow during a soak test?",
]

# ---------------------------------------------------------------------------
# Optional custom percentiles. Locust 2.12 reads locust.stats.PERCENTILES_TO_REPORT
# when it builds the CSV writer and on every console print, both after this
# file has been imported, so replacing the module attribute is enough.
# ---------------------------------------------------------------------------
_custom = os.environ.get("LTK_PERCENTILES", "").strip()
if _custom:
    locust.stats.PERCENTILES_TO_REPORT = [float(p) for p in _custom.split(",") if p.strip()]

# Locust's CSV writer reads this module attribute on every pass of its loop.
_flush = os.environ.get("LTK_CSV_FLUSH_SECONDS", "").strip()
if _flush:
    locust.stats.CSV_STATS_FLUSH_INTERVAL_SEC = float(_flush)


class RAGUser(HttpUser):
    """A user who mostly asks questions, sometimes searches, rarely pings health."""

    wait_time = between(1, 3)

    @task(10)
    def query(self):
        payload = {"question": random.choice(QUESTIONS)}
        with self.client.post("/query", json=payload, name="/query", catch_response=True,
                              timeout=REQUEST_TIMEOUT) as response:
            if response.status_code == 0:
                # no HTTP answer at all (timeout, refused connection): report the exception itself
                response.failure(response.error)
                return
            if response.status_code != 200:
                response.failure("HTTP %d: %s" % (response.status_code, _error_text(response)))
                return
            # A malformed body raises here (JSONDecodeError). The exception leaves the
            # `with` block, Locust records it with its traceback (exceptions.csv) and,
            # since it is not a ResponseError, the request itself is not reported.
            data = response.json()
            if not data.get("answer"):
                response.failure("HTTP 200 but the answer is empty")
            else:
                response.success()

    @task(3)
    def retrieval(self):
        params = {"q": random.choice(QUESTIONS), "k": 5}
        self.client.get("/retrieval", params=params, name="/retrieval", timeout=REQUEST_TIMEOUT)

    @task(1)
    def health(self):
        self.client.get("/health", name="/health", timeout=REQUEST_TIMEOUT)


def _error_text(response, limit=200):
    """The server's error message: the JSON "error" field if there is one, else the body text."""
    try:
        body = response.json()
        if isinstance(body, dict) and body.get("error"):
            return str(body["error"])[:limit]
    except ValueError:
        pass
    return (response.text or "").strip()[:limit]


# ---------------------------------------------------------------------------
# Raw request log (one CSV row per reported request)
# ---------------------------------------------------------------------------
# "users" is the number of users running when the request was reported
# (environment.runner.user_count): with it the log alone gives ltk the load
# profile (test type, phases, plateaus), with no stats_history.csv beside it.
# "status" is the HTTP status code of the response (0 when none came: a
# connection error or a timeout), empty for requests made without one.
REQUEST_LOG_COLUMNS = ["timestamp", "request_type", "name", "response_time",
                       "response_length", "success", "exception", "users", "status"]
_log = {"file": None, "writer": None, "rows": 0, "env": None}


@events.test_start.add_listener
def on_test_start(environment, **kwargs):
    path = os.environ.get("LTK_REQUEST_LOG")
    if path and _log["file"] is None:
        fh = open(path, "w", newline="", encoding="utf-8")
        _log["file"] = fh
        _log["writer"] = csv.writer(fh)
        _log["writer"].writerow(REQUEST_LOG_COLUMNS)
        _log["rows"] = 0
    _log["env"] = environment
    print("RAG load test starting against %s (shape: %s, timeout: %gs)"
          % (environment.host, os.environ.get("LTK_SHAPE") or "none", REQUEST_TIMEOUT),
          file=sys.stderr, flush=True)


def _status_of(response):
    """The response's HTTP status code, "" when the request had no response object."""
    code = getattr(response, "status_code", None)
    return "" if code is None else int(code)


@events.request.add_listener
def on_request(request_type, name, response_time, response_length, exception=None, start_time=None, **kwargs):
    writer = _log["writer"]
    if writer is None:
        return
    # end of the request = its start plus its duration (Locust's HttpSession passes start_time)
    ended = start_time + response_time / 1000.0 if start_time else time.time()
    runner = _log["env"].runner if _log["env"] is not None else None
    writer.writerow([
        "%.6f" % ended,
        request_type,
        name,
        "%.3f" % response_time,
        response_length if response_length is not None else 0,
        0 if exception is not None else 1,
        repr(exception) if exception is not None else "",
        runner.user_count if runner is not None else "",
        _status_of(kwargs.get("response")),
    ])
    _log["rows"] += 1


@events.test_stop.add_listener
def on_test_stop(environment, **kwargs):
    total = environment.stats.total
    json_path = os.environ.get("LTK_JSON_FILE")
    if json_path:
        # What Locust 2.14+ prints with --json and writes with --json-file:
        # RequestStats.serialize_stats() (each entry's serialize(), entries with
        # neither requests nor failures left out), indented by 4.  Debian's
        # Locust 2.12 has no such option; serialize() is the same there, and
        # calling it directly does not reset the stats as serialize_stats()
        # would (the --csv files are written after this).
        entries = [e.serialize() for e in environment.stats.entries.values()
                   if not (e.num_requests == 0 and e.num_failures == 0)]
        with open(json_path, "w", encoding="utf-8") as fh:
            fh.write(json.dumps(entries, indent=4))
    if _log["file"] is not None:
        _log["file"].flush()
        _log["file"].close()
        _log["file"] = None
        _log["writer"] = None
    error_rate = 100.0 * total.num_failures / total.num_requests if total.num_requests else 0.0
    print("RAG load test finished: %d requests, %d failures (%.2f%%), p50 %sms, p95 %sms, p99 %sms, "
          "%d rows in the request log"
          % (total.num_requests, total.num_failures, error_rate,
             total.get_response_time_percentile(0.50), total.get_response_time_percentile(0.95),
             total.get_response_time_percentile(0.99), _log["rows"]),
          file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------
# Load shapes. Locust uses the first LoadTestShape subclass it finds in this
# module automatically, so the class is only defined when LTK_SHAPE asks for it.
# Each stage is (ends_at_second, users, spawn_rate).
# ---------------------------------------------------------------------------
def _shape_stages(name):
    if name == "stepped":
        users = [int(u) for u in os.environ.get("LTK_STEPS", "10,20,40,60,80,100,120").split(",")]
        step = float(os.environ.get("LTK_STEP_SECONDS", "25"))
        return [((i + 1) * step, u, 10) for i, u in enumerate(users)]
    if name == "spike":
        # baseline, sudden surge, back to baseline
        return [(40, 10, 5), (70, 175, 150), (120, 10, 150)]
    if name == "hold":
        # baseline, sudden surge that is held to the end (no fall-back)
        return [(20, 10, 5), (55, 175, 150)]
    if name == "ramp":
        # start at 5 users, climb to 80 at 0.6 users/s, then hold until 150 s
        return [(8, 5, 5), (150, 80, 0.6)]
    raise ValueError("unknown LTK_SHAPE %r (expected stepped, spike, hold or ramp)" % name)


SHAPE_NAME = os.environ.get("LTK_SHAPE", "").strip().lower()

if SHAPE_NAME:
    _STAGES = _shape_stages(SHAPE_NAME)

    class StagedShape(LoadTestShape):
        """Piecewise-constant user count; the test stops after the last stage."""

        stages = _STAGES

        def tick(self):
            run_time = self.get_run_time()
            for ends_at, users, spawn_rate in self.stages:
                if run_time < ends_at:
                    return users, spawn_rate
            return None
