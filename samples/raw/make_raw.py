#!/usr/bin/env python3
"""Writes the JTL and k6 CSV samples of samples/raw/ (deterministic: seed 7).

    python3 samples/raw/make_raw.py      # from the source tree

The rows are simulated, not recorded (neither JMeter nor k6 runs on the machine
that made them), but each file is byte for byte in the format the tool writes:

  jmeter/search.jtl  JMeter 5.6's default CSV result file (jmeter.save.saveservice
                     defaults): header line, timeStamp in epoch ms, elapsed,
                     Latency and Connect in whole ms, Connect 0 on a kept-alive
                     connection, IdleTime 0.
  k6/search.csv      `k6 run --out csv=search.csv` of k6 0.49+ (with the metadata
                     column): per request the rows http_reqs, http_req_duration,
                     http_req_blocked, http_req_connecting, http_req_tls_handshaking,
                     http_req_sending, http_req_waiting, http_req_receiving,
                     http_req_failed with one timestamp, values "%f"; then
                     data_sent, data_received, iteration_duration, iterations per
                     iteration; vus and vus_max each second.
"""
import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))
rng = random.Random(7)

ENDPOINTS = [  # label, path, method, median ms of the server's work
    ("Home", "/", "GET", 40.0),
    ("Search", "/search?q=shoes", "GET", 180.0),
    ("Login", "/login", "POST", 90.0),
]


def jtl():
    rows = []
    start = 1733580000000           # 2024-12-07 14:00:00 UTC, ms
    threads = 4
    for t in range(threads):
        now = start + t * 250
        fresh = True
        k = 0
        while now < start + 60000:
            label, path, method, med = ENDPOINTS[k % 3]
            k += 1
            connect = rng.randint(2, 6) if fresh else 0
            fresh = rng.random() < 0.03          # the server closes a connection now and then
            server = rng.lognormvariate(0, 0.45) * med
            code, msg, ok = "200", "OK", "true"
            r = rng.random()
            if label == "Search" and r < 0.04:
                code, msg, ok = "500", "Internal Server Error", "false"
            elif label == "Login" and r < 0.05:
                code, msg, ok = "429", "Too Many Requests", "false"
            latency = connect + int(round(server))
            elapsed = latency + rng.randint(0, 12)
            size = rng.randint(900, 1400) if ok == "true" else 120
            rows.append((now, elapsed, label, code, msg, "Thread Group 1-%d" % (t + 1), "text", ok, "",
                         size, 180 if method == "POST" else 130, threads, threads,
                         "http://127.0.0.1:8089" + path, latency, 0, connect))
            now += elapsed + rng.randint(200, 600)
    rows.sort(key=lambda x: x[0] + x[1])    # JMeter writes each sample when it ends
    with open(os.path.join(HERE, "jmeter", "search.jtl"), "w", newline="") as f:
        f.write("timeStamp,elapsed,label,responseCode,responseMessage,threadName,dataType,success,"
                "failureMessage,bytes,sentBytes,grpThreads,allThreads,URL,Latency,IdleTime,Connect\n")
        for r in rows:
            f.write(",".join(str(x) for x in r) + "\n")


def k6():
    lines = []
    tags = "{check},{error},{ecode},{exp},,{method},{name},{proto},{scenario},,{status},,{tls},{url},,"

    def row(metric, ts, value, **kw):
        http = metric.startswith("http_")
        d = dict(check="", error="", ecode="", exp="", method="", name="", status="", url="",
                 proto="HTTP/1.1" if http else "", tls="tls1.3" if http else "",
                 scenario="" if metric.startswith("vus") else "default")
        d.update(kw)
        lines.append("%s,%d,%f,%s" % (metric, ts, value, tags.format(**d)))

    start = 1733580000
    vus = 3
    conns = [True] * vus
    events = []
    for v in range(vus):
        t = start + 0.3 * v
        k = 0
        while t < start + 30:
            events.append((t, v, k))
            t += 1.1 + rng.random() * 0.6
            k += 1
    events.sort()
    second = None
    for t, v, k in events:
        ts = int(t)
        if ts != second:
            second = ts
            row("vus", ts, vus)
            row("vus_max", ts, vus)
        label, path, method, med = ENDPOINTS[k % 3]
        url = "https://shop.example.test" + path
        fresh = conns[v]
        conns[v] = rng.random() < 0.03
        connecting = rng.uniform(8, 15) if fresh else 0.0
        tls = rng.uniform(20, 35) if fresh else 0.0
        blocked = connecting + tls + rng.uniform(0.005, 0.02) if fresh else rng.uniform(0.002, 0.01)
        sending = rng.uniform(0.02, 0.08)
        waiting = rng.lognormvariate(0, 0.45) * med
        receiving = rng.uniform(0.05, 1.5)
        status, failed, err, ecode = 200, 0, "", ""
        r = rng.random()
        if label == "Search" and r < 0.05:
            status, failed = 503, 1
        elif label == "Login" and r < 0.05:
            status, failed, err, ecode = 0, 1, "request timeout", "1050"
            waiting, receiving = 5000.0, 0.0
        exp = "false" if failed else "true"
        kw = dict(error=err, ecode=ecode, exp=exp, method=method, name=url, status=status, url=url)
        duration = sending + waiting + receiving
        row("http_reqs", ts, 1, **kw)
        row("http_req_duration", ts, duration, **kw)
        row("http_req_blocked", ts, blocked, **kw)
        row("http_req_connecting", ts, connecting, **kw)
        row("http_req_tls_handshaking", ts, tls, **kw)
        row("http_req_sending", ts, sending, **kw)
        row("http_req_waiting", ts, waiting, **kw)
        row("http_req_receiving", ts, receiving, **kw)
        row("http_req_failed", ts, failed, **kw)
        row("checks", ts, 0 if failed else 1, check="status is 200")
        row("data_sent", ts, 180 if method == "POST" else 120)
        row("data_received", ts, 0 if status == 0 else 1250)
        row("iteration_duration", ts, duration + blocked + 1000)
        row("iterations", ts, 1)
    with open(os.path.join(HERE, "k6", "search.csv"), "w", newline="") as f:
        f.write("metric_name,timestamp,metric_value,check,error,error_code,expected_response,group,method,"
                "name,proto,scenario,service,status,subproto,tls_version,url,extra_tags,metadata\n")
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    jtl()
    k6()
