#!/usr/bin/env python3
"""The training run of the JDK's ahead-of-time cache (JEP 483, 514, 515), made when packaging.

    train.py SERVER_DIR AGENT_JAR

SERVER_DIR is the server in extracted form (`java -Djarmode=tools -jar faaspot-server.jar
extract`): SERVER_DIR/faaspot-server.jar and its lib/. This starts it as the README's command does,
on a data directory of its own, with `-XX:AOTCacheOutput`, and drives its real hot paths over HTTP
as a user would: an account, a local spot, a deployment, sync and async calls, bulk, reading
executions and their logs, the console. The spot's agent is trained alike. Then it stops the
server (SIGTERM, as an operator would), and each JVM writes its cache as it exits:

    SERVER_DIR/faaspot-server.aot    used by  java -XX:AOTCache=... -Dspring.aot.enabled=true
                                               -jar SERVER_DIR/faaspot-server.jar
    AGENT_JAR with .aot for .jar     used by the server for its local agents, when present

A cache holds classes as loaded and linked and the methods' profiles of this run, for this JDK and
these jars only; with any other, the JVM says so and starts without it. Nothing of the run is kept
but the two files. Exits non-zero, saying why, if a step fails.
"""
import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse

SYNC_CALLS = 3000
ASYNC_CALLS = 1500
BULK = 2000


def log(msg):
    print("aot training: %s" % msg, flush=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Client:
    """One keep-alive connection, as a client library holds one."""

    def __init__(self, port, token=None):
        self.port, self.token = port, token
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)

    def call(self, method, path, body=None, ok=(200,)):
        headers = {"Content-type": "application/json"}
        if self.token:
            headers["Authorization"] = "Token " + self.token
        data = None if body is None else json.dumps(body)
        for attempt in range(3):
            try:
                self.conn.request(method, path, body=data, headers=headers)
                r = self.conn.getresponse()
                text = r.read().decode()
                break
            except (ConnectionError, http.client.HTTPException):
                self.conn.close()
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
                if attempt == 2:
                    raise
        if r.status not in ok:
            raise RuntimeError("%s %s: %s %s" % (method, path, r.status, text[:300]))
        return json.loads(text) if text and r.getheader("Content-Type", "").startswith("application/json") else text


def wait_done(client, execution_id, what, seconds=300):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        e = client.call("GET", "/api/executions/%s" % execution_id)
        if e["status"] == "Success":
            return e
        if e["status"] in ("Failure", "Cancelled"):
            raise RuntimeError("%s: %s" % (what, e))
        time.sleep(0.2)
    raise RuntimeError("%s: not done after %d s" % (what, seconds))


def main(argv):
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    server_dir, agent_jar = os.path.abspath(argv[1]), os.path.abspath(argv[2])
    server_jar = os.path.join(server_dir, "faaspot-server.jar")
    server_aot = os.path.join(server_dir, "faaspot-server.aot")
    agent_aot = agent_jar[: -len(".jar")] + ".aot"
    for f in (server_jar, agent_jar):
        if not os.path.isfile(f):
            log("%s is missing" % f)
            return 1
    java = os.path.join(os.environ["JAVA_HOME"], "bin", "java") if os.environ.get("JAVA_HOME") else "java"
    # Stale caches would be used by this very run: the run records afresh.
    for f in (server_aot, agent_aot):
        if os.path.exists(f):
            os.remove(f)
    work = tempfile.mkdtemp(prefix="faaspot-aot-")
    os.chmod(work, 0o711)  # each local spot's uid passes through to its own directory
    data = os.path.join(work, "data")
    os.mkdir(data)
    out = os.path.join(work, "out")  # the agent's cache is written here, then moved
    os.mkdir(out)
    port = free_port()
    env = dict(os.environ)
    env.update({
        "SERVER_PORT": str(port),
        "FAASPOT_DATA_DIR": data,
        "FAASPOT_SPOTS_LOCAL_AGENT_JAR": agent_jar,
        "FAASPOT_SPOTS_LOCAL_AGENT_JAVA_OPTIONS": "-XX:AOTCacheOutput=" + os.path.join(out, "agent.aot"),
    })
    server_log = open(os.path.join(work, "server.log"), "w")
    t0 = time.monotonic()
    # As the README's command runs it: with the beans Spring's AOT processing generated at build.
    server = subprocess.Popen([java, "-XX:AOTCacheOutput=" + server_aot, "-Dspring.aot.enabled=true",
                               "-jar", server_jar],
                              cwd=server_dir, env=env, stdout=server_log, stderr=subprocess.STDOUT)
    ok = False
    try:
        train(server, port, data)
        ok = True
    except Exception as e:  # noqa: BLE001 - reported with the server's last lines
        log("failed: %s" % e)
    finally:
        log("stopping the server; the JVMs write their caches as they exit")
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=180)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
            ok = False
            log("the server did not stop within 180 s")
        server_log.close()
        if not ok:
            with open(os.path.join(work, "server.log")) as f:
                sys.stderr.write("".join(f.readlines()[-40:]))
    trained = os.path.join(out, "agent.aot")
    if ok and os.path.isfile(trained):
        shutil.move(trained, agent_aot)
        os.chmod(agent_aot, 0o644)
    shutil.rmtree(work, ignore_errors=True)
    if not ok:
        return 1
    missing = [f for f in (server_aot, agent_aot) if not os.path.isfile(f)]
    if missing:
        log("no cache written: %s" % ", ".join(missing))
        return 1
    log("done in %.0f s: %s (%d MB), %s (%d MB)" % (
        time.monotonic() - t0, server_aot, os.path.getsize(server_aot) >> 20,
        agent_aot, os.path.getsize(agent_aot) >> 20))
    return 0


def train(server, port, data):
    deadline = time.monotonic() + 300
    while True:
        if server.poll() is not None:
            raise RuntimeError("the server exited while starting (exit %s)" % server.returncode)
        try:
            Client(port).call("GET", "/actuator/health/readiness")
            break
        except (OSError, RuntimeError, http.client.HTTPException):
            if time.monotonic() > deadline:
                raise RuntimeError("the server was not ready within 300 s")
            time.sleep(0.2)
    log("server ready")
    with open(os.path.join(data, "admin-token")) as f:
        admin = Client(port, f.read().strip())
    token = admin.call("POST", "/api/admin/accounts", {"username": "training"})["token"]
    c = Client(port, token)
    c.call("PATCH", "/api/spots/", {"min_workers": "2", "max_workers": "2"})
    wait_done(c, c.call("PUT", "/api/spots/"), "adding a local spot")
    code = urllib.parse.quote("def main(args, context):\n    print('called')\n    return args\n")
    wait_done(c, c.call("PUT", "/api/deployments/",
                        {"name": "echo", "code": code, "requirements": "", "context": ""}),
              "creating the echo deployment")
    log("spot and deployment ready")
    for i in range(SYNC_CALLS):
        c.call("GET", "/api/sync/deployments/echo/rpc/?n=%d" % i)
        if i % 3 == 0:
            c.call("POST", "/v1/sync/deployments/echo/rpc/", {"n": i})
    ids = []
    for i in range(ASYNC_CALLS):
        ids.append(c.call("POST", "/api/deployments/echo/rpc/", {"n": i}))
    for i in range(0, BULK, 500):
        ids += c.call("POST", "/api/deployments/echo/bulk_rpc/", [{"n": k} for k in range(i, i + 500)])
    for k, i in enumerate(ids):
        if k % 50 == 0:
            wait_done(c, i, "an async call")
    for k in range(0, len(ids), 100):
        c.call("POST", "/api/executions/bulk", ids[k:k + 100])
    c.call("GET", "/api/executions/?include_completed=True")
    c.call("GET", "/api/deployments/")
    c.call("GET", "/api/spots/")
    c.call("GET", "/console/", ok=(200, 302))
    log("%d sync, %d async, %d bulk calls made" % (SYNC_CALLS * 4 // 3, ASYNC_CALLS, BULK))


if __name__ == "__main__":
    sys.exit(main(sys.argv))
