"""The simulated people of bench/load.py, driven by Locust as a library (headless).

    python bench/people.py --config CONFIG.json --out RESULTS.json

bench/load.py writes CONFIG (the server, the accounts, the levels) and reads RESULTS; run alone,
this only drives a server someone else started. Analysts, managers and compliance staff come in
the proportions of bench/routes.SHARES; each logs in once through the log-in page (a session, as a
browser), then requests what its role's routine gives, waiting 3-8 s between requests; compliance
staff record an approval through the API now and then (routes.WRITE_SHARE of their requests). At
each level the users are added (the earlier ones stay), the ramp (logins included) is left out,
and the level is measured for `duration` seconds. Then, with new users that do not wait, the
closed-loop stress level.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

import gevent
from locust import FastHttpUser, between, constant, task
from locust.env import Environment
from locust.log import setup_logging

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import routes  # noqa: E402

CONFIG: dict = {}
SETTLE_S = 5  # after a ramp, before measuring: the last logins' first requests
RAMP_TIMEOUT_S = 300
# What every request did: (phase, kind, milliseconds, ok, status, name).
RECORDS: list[tuple] = []
PHASE = {"now": "start"}
LOGINS = {"done": 0}
ACCOUNTS_USED = {role: 0 for role in routes.ROLES}
WRITES: dict[str, list] = {"sent": [], "acknowledged": [], "unanswered": [], "refused": []}
STOP_TIMEOUT_S = 35  # at the end, users finish the request they are in: no write left in flight


class Person(FastHttpUser):
    abstract = True
    role = ""
    wait_time = between(3, 8)
    network_timeout = connection_timeout = 30.0  # gunicorn's own timeout

    def on_start(self) -> None:
        names = CONFIG["accounts"][self.role]
        self.username = names[ACCOUNTS_USED[self.role] % len(names)]
        ACCOUNTS_USED[self.role] += 1
        self.written = 0
        self.paths, self.weights = zip(*routes.ROUTINES[self.role], strict=True)
        try:
            self.log_in()
        finally:
            LOGINS["done"] += 1

    def cookie(self, name: str) -> str | None:
        return next((c.value for c in self.client.cookiejar if c.name == name), None)

    def log_in(self) -> None:
        context = {"kind": "login"}
        with self.client.get(
            "/login/", name="login GET", context=context, catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"status {response.status_code}")
                return
        form = {
            "username": self.username,
            "password": CONFIG["password"],
            "csrfmiddlewaretoken": self.cookie("csrftoken") or "",
        }
        with self.client.post(
            "/login/",
            name="login POST",
            data=urlencode(form),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
            context=context,
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302 or not self.cookie("sessionid"):
                response.failure(f"status {response.status_code}, no session")

    @task
    def work(self) -> None:
        if self.role == "compliance" and random.random() < routes.WRITE_SHARE:
            self.write()
        else:
            self.read(random.choices(self.paths, self.weights)[0])

    def read(self, path: str) -> None:
        kind = routes.kind(path)
        headers = {"Accept": "application/json"} if kind == "api-reads" else {}
        with self.client.get(
            path,
            name=f"{kind} {path}",
            headers=headers,
            context={"kind": kind},
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 200:
                response.failure(f"status {response.status_code}")

    def write(self) -> None:
        self.written += 1
        statement = f"{CONFIG['mark']} {self.username}-{self.written}"
        claim = {
            "automaker": random.choice(CONFIG["automakers"]),
            "status": "pending",
            "evidence_grade": "news_report",
            "claimed_on": CONFIG["today"],
            "statement": statement,
            "source_url": "https://example.org/load",
        }
        WRITES["sent"].append(statement)
        headers = {
            "Content-Type": "application/json",
            "Accept": "application/json",
            "X-CSRFToken": self.cookie("csrftoken") or "",
        }
        with self.client.post(
            routes.WRITE_PATH,
            name=f"writes POST {routes.WRITE_PATH}",
            data=json.dumps(claim),
            headers=headers,
            context={"kind": "writes"},
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code == 201:
                WRITES["acknowledged"].append(statement)
            elif response.status_code == 0:  # no answer (timeout, reset): stored or not
                WRITES["unanswered"].append(statement)
                response.failure(f"no answer: {response.error!r}")
            else:
                WRITES["refused"].append([statement, response.status_code])
                response.failure(f"status {response.status_code}: {response.text[:200]}")


class Analyst(Person):
    role = "analyst"
    weight = routes.SHARES["analyst"]


class Manager(Person):
    role = "manager"
    weight = routes.SHARES["manager"]


class Compliance(Person):
    role = "compliance"
    weight = routes.SHARES["compliance"]


class StressAnalyst(Analyst):
    wait_time = constant(0)


class StressManager(Manager):
    wait_time = constant(0)


class StressCompliance(Compliance):
    wait_time = constant(0)


def on_request(name, response_time, exception, context, response=None, **kwargs) -> None:
    status = getattr(response, "status_code", 0) or type(exception).__name__
    record = (PHASE["now"], context.get("kind"), response_time, exception is None, status, name)
    RECORDS.append(record)


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile (0 when there is nothing to rank)."""
    ordered = sorted(values)
    return ordered[max(1, math.ceil(share * len(ordered) - 1e-9)) - 1] if ordered else 0.0


def phase_summary(phase: str, seconds: float) -> dict:
    kinds: dict[str, dict] = {}
    for kind in ("pages", "api-reads", "writes", "login"):
        records = [record for record in RECORDS if record[0] == phase and record[1] == kind]
        times = [record[2] for record in records]
        statuses: dict[str, int] = {}
        failures: dict[str, int] = {}
        for record in records:
            statuses[str(record[4])] = statuses.get(str(record[4]), 0) + 1
            if not record[3]:
                what = f"{record[5]}: {record[4]}"
                failures[what] = failures.get(what, 0) + 1
        kinds[kind] = {
            "requests": len(records),
            "rps": len(records) / seconds if seconds else 0.0,
            "p50_ms": percentile(times, 0.5),
            "p99_ms": percentile(times, 0.99),
            "errors": sum(1 for record in records if not record[3]),
            "statuses": statuses,
            "failures": failures,
        }
    return kinds


def level_run(runner, level: int, *, spawn_rate: float, duration: int, label: str) -> dict:
    """Ramp to `level` users (all logged in), settle, then measure for `duration` seconds."""
    ramp = f"ramp {label}"
    PHASE["now"] = ramp
    started = time.monotonic()
    wanted = LOGINS["done"] + level - runner.user_count
    print(f"{label}: adding users up to {level} ({spawn_rate:g}/s)", flush=True)
    runner.start(level, spawn_rate=spawn_rate)
    while LOGINS["done"] < wanted or runner.user_count < level:
        if time.monotonic() - started > RAMP_TIMEOUT_S:
            print(f"{label}: ramp not done after {RAMP_TIMEOUT_S} s, measuring anyway")
            break
        gevent.sleep(0.5)
    gevent.sleep(SETTLE_S)
    ramp_s = time.monotonic() - started
    PHASE["now"] = label
    print(f"{label}: {runner.user_count} users, measuring {duration} s", flush=True)
    started = time.monotonic()
    gevent.sleep(duration)
    measured_s = time.monotonic() - started
    PHASE["now"] = f"after {label}"
    result = phase_summary(label, measured_s)
    result["login"] = phase_summary(ramp, ramp_s)["login"]
    return {"users": runner.user_count, "ramp_s": ramp_s, "seconds": measured_s, "kinds": result}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--config", required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args(argv)
    CONFIG.update(json.loads(Path(args.config).read_text()))
    setup_logging("WARNING")
    results: dict = {"levels": {}, "stress": None}
    plans = [([Analyst, Manager, Compliance], CONFIG["levels"], "")]
    if CONFIG["stress"]:
        plans.append(([StressAnalyst, StressManager, StressCompliance], [CONFIG["stress"]], "s"))
    for classes, levels, prefix in plans:
        environment = Environment(
            user_classes=classes, host=CONFIG["host"], stop_timeout=STOP_TIMEOUT_S
        )
        environment.events.request.add_listener(on_request)
        runner = environment.create_local_runner()
        for level in levels:
            label = f"stress {level}" if prefix else f"level {level}"
            duration = CONFIG["stress_duration"] if prefix else CONFIG["duration"]
            done = level_run(
                runner, level, spawn_rate=CONFIG["spawn_rate"], duration=duration, label=label
            )
            if prefix:
                results["stress"] = done | {"clients": level}
            else:
                results["levels"][str(level)] = done
        runner.quit()
    results["writes"] = WRITES
    Path(args.out).write_text(json.dumps(results, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
