#!/usr/bin/python3
"""Stand-in RAG HTTP service used to produce the bundled Locust samples.

Standard library only. It binds to the loopback interface and fakes the
latency profile of a retrieval-augmented-generation API:

  POST /query      {"question": "..."}  -> LLM-like latency (lognormal, median ~750 ms)
  GET  /retrieval  ?q=...&k=5           -> vector-search-like latency (median ~200 ms)
  GET  /health                          -> a few milliseconds

Faults are switched on with flags and may be combined:

  --rate-limit RPS            token bucket in front of the (fake) LLM used by /query;
                              requests that still find the bucket empty after the
                              client-side retries get HTTP 429 (RateLimitError).
  --pool N --overflow M --pool-timeout S
                              a DB connection pool of N+M connections held for the
                              whole of /query and /retrieval; a request that cannot
                              check out a connection within S seconds gets HTTP 500
                              with SQLAlchemy's QueuePool message.
  --leak                      every request keeps a chunk of memory forever and the
                              service slows down in proportion to what it has leaked.
  --workers N                 only N requests are worked on at a time; the rest queue
                              (saturation: throughput plateaus, latency climbs).
  --cpu-work-ms MS            /query also computes its "embedding" in Python for MS ms
                              of CPU time (under the GIL: one core at most), so the
                              service becomes CPU-bound as the load grows.
  --bad-json-rate P           with probability P a successful /query answer is cut
                              short, i.e. the body is malformed JSON.
  --seed S                    seed for the random draws.

Latency is simulated with time.sleep(), so the service is I/O-bound like a real
RAG API waiting on an LLM provider, not CPU-bound (unless --cpu-work-ms).
"""

import argparse
import ipaddress
import json
import math
import random
import signal
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

MODEL_NAME = "gpt-4"

CANNED_SNIPPETS = [
    "Chunking documents into 500-token windows with 50-token overlap keeps context intact.",
    "Hybrid search combines BM25 keyword scores with dense vector similarity.",
    "A reranker reorders the top-k retrieved chunks before they reach the prompt.",
    "Caching embeddings for repeated questions cuts provider calls and cost.",
    "p95 latency describes what most users experience; the mean hides the tail.",
    "Connection pools must be sized for peak concurrency, not average load.",
    "Rate limits from the LLM provider are usually expressed in requests per minute.",
    "Horizontal scaling adds replicas behind a load balancer; vertical adds CPU or RAM.",
]


class Faults:
    """All mutable server state shared by the handler threads."""

    def __init__(self, opts):
        self.opts = opts
        self.started = time.monotonic()
        self._rng = random.Random(opts.seed)
        self._rng_lock = threading.Lock()

        # worker pool (saturation)
        self.workers = threading.BoundedSemaphore(opts.workers) if opts.workers > 0 else None

        # DB connection pool
        if opts.pool > 0:
            self.pool = threading.BoundedSemaphore(opts.pool + opts.overflow)
        else:
            self.pool = None

        # token bucket for the LLM provider
        self.rate = opts.rate_limit
        self.burst = opts.rate_limit_burst if opts.rate_limit_burst > 0 else max(1.0, opts.rate_limit)
        self._tokens = self.burst
        self._bucket_time = time.monotonic()
        self._bucket_lock = threading.Lock()

        # memory leak
        self._leaked = []
        self._leaked_bytes = 0
        self._leak_lock = threading.Lock()

    # -- randomness -------------------------------------------------------
    def uniform(self, lo, hi):
        with self._rng_lock:
            return self._rng.uniform(lo, hi)

    def chance(self, p):
        if p <= 0:
            return False
        with self._rng_lock:
            return self._rng.random() < p

    def lognormal_ms(self, median_ms, sigma):
        with self._rng_lock:
            value = self._rng.lognormvariate(math.log(median_ms), sigma)
            # rare very slow generations (long answers, provider hiccups)
            if self._rng.random() < self.opts.slow_tail_rate:
                value *= self._rng.uniform(2.0, 4.0)
        return value

    def pick(self, seq, k):
        with self._rng_lock:
            return self._rng.sample(seq, k)

    # -- token bucket -----------------------------------------------------
    def take_token(self):
        if self.rate <= 0:
            return True
        with self._bucket_lock:
            now = time.monotonic()
            self._tokens = min(self.burst, self._tokens + (now - self._bucket_time) * self.rate)
            self._bucket_time = now
            if self._tokens >= 1.0:
                self._tokens -= 1.0
                return True
            return False

    # -- leak ---------------------------------------------------------------
    def leak(self, kb_lo, kb_hi):
        if not self.opts.leak:
            return
        size = int(self.uniform(kb_lo, kb_hi) * 1024)
        # b"..." * n really writes every page, so the RSS grows (bytes(n) may not)
        chunk = b"leaked-request-context;" * (size // 23 + 1)
        with self._leak_lock:
            self._leaked.append(chunk)
            self._leaked_bytes += len(chunk)

    def slowdown(self):
        """Latency multiplier caused by the leak (1.0 when healthy)."""
        if not self.opts.leak:
            return 1.0
        leaked_mb = self._leaked_bytes / (1024 * 1024)
        return 1.0 + leaked_mb * self.opts.leak_slowdown / 100.0

    @property
    def leaked_mb(self):
        return self._leaked_bytes / (1024 * 1024)


class PoolTimeout(Exception):
    pass


class RAGHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "ltk-rag-stand-in/1.0"
    faults: Faults = None  # set in main()

    # quiet unless --access-log
    def log_message(self, fmt, *args):
        if self.faults.opts.access_log:
            sys.stderr.write("%s - %s\n" % (self.address_string(), fmt % args))

    # -- plumbing -----------------------------------------------------------
    def _send(self, status, body, content_type="application/json"):
        if isinstance(body, (dict, list)):
            payload = json.dumps(body).encode("utf-8")
        elif isinstance(body, str):
            payload = body.encode("utf-8")
        else:
            payload = body
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):
            # the client gave up (e.g. Locust's request timeout); nothing to do
            self.close_connection = True

    def _read_body(self):
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def _sleep_ms(self, ms):
        time.sleep(max(0.0, ms) / 1000.0)

    # -- routing --------------------------------------------------------------
    def do_GET(self):
        path = urlsplit(self.path).path
        if path == "/health":
            self._with_worker(self._health)
        elif path == "/retrieval":
            self._with_worker(self._retrieval)
        else:
            self._send(404, {"error": "not found: %s" % path})

    def do_POST(self):
        path = urlsplit(self.path).path
        body = self._read_body()
        if path == "/query":
            self._with_worker(lambda: self._query(body))
        else:
            self._send(404, {"error": "not found: %s" % path})

    def _with_worker(self, work):
        sem = self.faults.workers
        if sem is None:
            work()
            return
        timeout = self.faults.opts.queue_timeout
        got = sem.acquire(timeout=timeout) if timeout > 0 else sem.acquire()
        if not got:
            self._send(503, {"error": "ServiceUnavailable: all %d workers busy, request waited %.1fs in queue"
                             % (self.faults.opts.workers, timeout)})
            return
        try:
            work()
        finally:
            sem.release()

    def _db_connection(self):
        """Context manager-ish checkout from the fake DB pool."""
        f = self.faults
        if f.pool is None:
            return None
        if not f.pool.acquire(timeout=f.opts.pool_timeout):
            raise PoolTimeout(
                "QueuePool limit of size %d overflow %d reached, connection timed out, timeout %.2f"
                % (f.opts.pool, f.opts.overflow, f.opts.pool_timeout)
            )
        return f.pool

    # -- endpoints ------------------------------------------------------------
    def _health(self):
        f = self.faults
        f.leak(0.5, 2.0)
        self._sleep_ms(f.uniform(1.0, 6.0) * f.slowdown())
        self._send(200, {"status": "ok", "uptime_s": round(time.monotonic() - f.started, 1)})

    def _retrieval(self):
        f = self.faults
        query = parse_qs(urlsplit(self.path).query)
        k = 5
        try:
            k = max(1, min(8, int(query.get("k", ["5"])[0])))
        except ValueError:
            pass
        try:
            conn = self._db_connection()
        except PoolTimeout as exc:
            self._send(500, str(exc), content_type="text/plain; charset=utf-8")
            return
        try:
            f.leak(10, 40)
            self._sleep_ms(f.lognormal_ms(f.opts.retrieval_median_ms, f.opts.retrieval_sigma) * f.slowdown())
            docs = [
                {"id": "doc-%04d" % int(f.uniform(0, 9999)), "score": round(f.uniform(0.55, 0.95), 3), "text": s}
                for s in f.pick(CANNED_SNIPPETS, min(k, len(CANNED_SNIPPETS)))
            ]
        finally:
            if conn is not None:
                conn.release()
        self._send(200, {"query": query.get("q", [""])[0], "k": k, "documents": docs})

    def _query(self, raw):
        f = self.faults
        try:
            question = json.loads(raw.decode("utf-8") or "{}").get("question", "")
        except (ValueError, AttributeError):
            self._send(400, {"error": "BadRequest: body must be JSON like {\"question\": \"...\"}"})
            return
        if not question:
            self._send(400, {"error": "BadRequest: missing 'question'"})
            return

        try:
            conn = self._db_connection()
        except PoolTimeout as exc:
            self._send(500, str(exc), content_type="text/plain; charset=utf-8")
            return
        try:
            f.leak(50, 200)
            slow = f.slowdown()
            burn_cpu(f.opts.cpu_work_ms, question)
            # retrieval step: embed the question + vector search
            self._sleep_ms(f.lognormal_ms(f.opts.retrieval_median_ms * 0.3, 0.3) * slow)

            # LLM step, guarded by the provider's rate limit; the client library
            # retries a 429 a few times with exponential backoff before giving up
            attempt = 0
            while not f.take_token():
                if attempt >= f.opts.rate_limit_retries:
                    self._send(429, {"error": (
                        "RateLimitError: Rate limit reached for %s in organization org-ltk-sample on "
                        "requests per min. Limit: %d requests per minute. Please try again in 20s."
                        % (MODEL_NAME, int(round(f.rate * 60))))})
                    return
                self._sleep_ms(f.opts.rate_limit_backoff_ms * (2 ** attempt) * f.uniform(0.8, 1.2))
                attempt += 1

            llm_ms = f.lognormal_ms(f.opts.query_median_ms, f.opts.query_sigma) * slow
            self._sleep_ms(llm_ms)
            sources = f.pick(CANNED_SNIPPETS, 3)
        finally:
            if conn is not None:
                conn.release()

        answer = {
            "question": question,
            "answer": "Based on the retrieved context: " + " ".join(sources),
            "sources": [{"id": "doc-%04d" % int(f.uniform(0, 9999)), "snippet": s[:60]} for s in sources],
            "model": MODEL_NAME,
            "usage": {"prompt_tokens": int(f.uniform(600, 1400)), "completion_tokens": int(f.uniform(80, 320))},
            "llm_ms": round(llm_ms, 1),
        }
        payload = json.dumps(answer)
        if f.chance(f.opts.bad_json_rate):
            # truncated upstream response: still HTTP 200, but not valid JSON
            payload = payload[: len(payload) // 2]
        self._send(200, payload)


def burn_cpu(ms, text):
    """Spends ms milliseconds of this thread's CPU time hashing text: a stand-in
    for computing an embedding in the request path."""
    if ms <= 0:
        return
    import hashlib
    end = time.thread_time() + ms / 1000.0
    data = text.encode("utf-8")
    while time.thread_time() < end:
        for _ in range(200):
            data = hashlib.sha256(data).digest()


def loopback_only(host):
    try:
        if ipaddress.ip_address(host).is_loopback:
            return host
    except ValueError:
        pass
    raise argparse.ArgumentTypeError("refusing to bind %r: loopback addresses only" % host)


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--host", type=loopback_only, default="127.0.0.1", help="loopback address to bind (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="TCP port (default 8000; 0 = any free port)")
    p.add_argument("--seed", type=int, default=None, help="seed for reproducible random draws")
    p.add_argument("--access-log", action="store_true", help="log every request to stderr")

    g = p.add_argument_group("latency model")
    g.add_argument("--query-median-ms", type=float, default=700.0,
                   help="median of the LLM step; /query adds ~60 ms of embedding/search (default 700)")
    g.add_argument("--query-sigma", type=float, default=0.5, help="lognormal sigma of the LLM call")
    g.add_argument("--retrieval-median-ms", type=float, default=200.0)
    g.add_argument("--retrieval-sigma", type=float, default=0.35)
    g.add_argument("--slow-tail-rate", type=float, default=0.01,
                   help="probability that a call is additionally 2-4x slower (default 0.01)")

    g = p.add_argument_group("faults")
    g.add_argument("--rate-limit", type=float, default=0.0, metavar="RPS",
                   help="token bucket rate for /query LLM calls (0 = unlimited)")
    g.add_argument("--rate-limit-burst", type=float, default=0.0, help="bucket size (default: one second worth)")
    g.add_argument("--rate-limit-retries", type=int, default=2, help="client-side retries before a 429 is returned")
    g.add_argument("--rate-limit-backoff-ms", type=float, default=250.0, help="first retry backoff, doubled each time (default 250)")
    g.add_argument("--pool", type=int, default=0, metavar="SIZE", help="DB pool size (0 = no pool)")
    g.add_argument("--overflow", type=int, default=10, metavar="N", help="DB pool max overflow (default 10)")
    g.add_argument("--pool-timeout", type=float, default=30.0, metavar="S", help="DB pool checkout timeout (default 30)")
    g.add_argument("--leak", action="store_true", help="leak memory on every request and slow down accordingly")
    g.add_argument("--leak-slowdown", type=float, default=1.0,
                   help="with --leak: latency grows by this factor per 100 MB leaked (default 1.0, i.e. +100%%)")
    g.add_argument("--workers", type=int, default=0, metavar="N", help="max concurrently processed requests (0 = unlimited)")
    g.add_argument("--queue-timeout", type=float, default=0.0, metavar="S",
                   help="with --workers: answer 503 after waiting S seconds for a worker (0 = wait forever)")
    g.add_argument("--cpu-work-ms", type=float, default=0.0, metavar="MS",
                   help="CPU time /query spends computing in Python (default 0)")
    g.add_argument("--bad-json-rate", type=float, default=0.0, metavar="P",
                   help="probability that a /query answer is malformed JSON")
    opts = p.parse_args(argv)
    if opts.pool and opts.pool + opts.overflow <= 0:
        p.error("--pool + --overflow must be positive")
    return opts


def main(argv=None):
    opts = parse_args(argv)
    RAGHandler.faults = Faults(opts)
    ThreadingHTTPServer.request_queue_size = 256  # survive a spike of new connections
    ThreadingHTTPServer.daemon_threads = True
    server = ThreadingHTTPServer((opts.host, opts.port), RAGHandler)
    host, port = server.server_address[:2]
    active = [name for name, on in (
        ("rate-limit=%g rps" % opts.rate_limit, opts.rate_limit > 0),
        ("pool=%d+%d timeout=%gs" % (opts.pool, opts.overflow, opts.pool_timeout), opts.pool > 0),
        ("leak", opts.leak),
        ("workers=%d" % opts.workers, opts.workers > 0),
        ("bad-json-rate=%g" % opts.bad_json_rate, opts.bad_json_rate > 0),
        ("cpu-work=%g ms" % opts.cpu_work_ms, opts.cpu_work_ms > 0),
    ) if on]
    print("rag_server listening on http://%s:%d faults: %s" % (host, port, ", ".join(active) or "none"),
          file=sys.stderr, flush=True)
    def _terminate(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, _terminate)
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        if opts.leak:
            print("rag_server leaked %.1f MB" % RAGHandler.faults.leaked_mb, file=sys.stderr, flush=True)


if __name__ == "__main__":
    main()
