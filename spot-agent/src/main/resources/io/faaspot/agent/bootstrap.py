"""FaaSpot worker bootstrap: imports one function once, then serves calls.

Started by the agent as: python -u bootstrap.py FUNCTION_FILE CONTEXT_FILE
Protocol: frames of a 4-byte big-endian length and UTF-8 JSON, on the process's original
stdin (requests) and stdout (answers). Before the function is imported, those descriptors are
moved aside and fd 0/1 are pointed at /dev/null and stderr, so nothing the function prints,
reads or spawns can corrupt the framing. Python-level prints during a call are captured (capped)
and returned as the call's logs.
"""
import contextlib
import importlib.util
import io
import json
import os
import struct
import sys
import traceback

LOG_LIMIT = int(os.environ.get("FAASPOT_LOG_LIMIT", "65536"))


def _take_protocol_fds():
    proto_in = os.fdopen(os.dup(0), "rb", buffering=0)
    proto_out = os.fdopen(os.dup(1), "wb", buffering=0)
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)
    os.dup2(2, 1)
    sys.stdin = open(os.devnull, "r")
    sys.stdout = os.fdopen(1, "w", buffering=1, closefd=False)
    return proto_in, proto_out


def _read_exact(stream, n):
    data = b""
    while len(data) < n:
        chunk = stream.read(n - len(data))
        if not chunk:
            return None
        data += chunk
    return data


def read_frame(stream):
    header = _read_exact(stream, 4)
    if header is None:
        return None
    (length,) = struct.unpack(">I", header)
    payload = _read_exact(stream, length)
    if payload is None:
        return None
    return json.loads(payload.decode("utf-8"))


def write_frame(stream, obj):
    write_json(stream, json.dumps(obj, allow_nan=False))


def write_json(stream, text):
    data = text.encode("utf-8")
    stream.write(struct.pack(">I", len(data)) + data)
    stream.flush()


def answer_json(status, output, logs):
    """A call's answer, serialised once; an output JSON cannot hold (a set, an object, NaN) is
    sent as its string."""
    try:
        return json.dumps({"status": status, "output": output, "logs": logs}, allow_nan=False)
    except (TypeError, ValueError):
        return json.dumps({"status": status, "output": str(output), "logs": logs}, allow_nan=False)


class CappedText(io.TextIOBase):
    """Keeps the first LOG_LIMIT characters written, and says how much it dropped."""

    def __init__(self, limit):
        self.limit = limit
        self.parts = []
        self.size = 0
        self.dropped = 0

    def writable(self):
        return True

    def write(self, s):
        if not isinstance(s, str):
            s = str(s)
        room = self.limit - self.size
        if room > 0:
            self.parts.append(s[:room])
            self.size += min(room, len(s))
        self.dropped += max(0, len(s) - max(room, 0))
        return len(s)

    def text(self):
        out = "".join(self.parts)
        if self.dropped:
            out += "\n[... %d more characters of output dropped]" % self.dropped
        return out


def parse_context(text):
    """KEY=Value lines; spaces around '=' and quotes around the value are tolerated."""
    context = {}
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, value = line.split("=", 1)
        key = key.strip()
        if key.startswith("export "):
            key = key[len("export "):].strip()
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in ("'", '"'):
            value = value[1:-1]
        if key:
            context[key] = value
    return context


def limit_memory():
    mb = os.environ.get("FAASPOT_WORKER_MEMORY_MB")
    if mb and mb != "0":
        import resource

        limit = int(mb) * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def main():
    function_file, context_file = sys.argv[1], sys.argv[2]
    proto_in, proto_out = _take_protocol_fds()
    limit_memory()
    with open(context_file, encoding="utf-8") as f:
        context = parse_context(f.read())
    sys.path.insert(0, os.path.dirname(os.path.abspath(function_file)))
    captured = CappedText(LOG_LIMIT)
    try:
        with contextlib.redirect_stdout(captured), contextlib.redirect_stderr(captured):
            spec = importlib.util.spec_from_file_location("function", function_file)
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
            entry = getattr(module, "main", None)
            if not callable(entry):
                raise AttributeError("the function file defines no main(args, context)")
    except BaseException:
        write_frame(proto_out, {"ready": False, "error": traceback.format_exc(), "logs": captured.text()})
        return
    write_frame(proto_out, {"ready": True, "logs": captured.text()})
    while True:
        request = read_frame(proto_in)
        if request is None:
            return
        args = request.get("args") or {}
        captured = CappedText(LOG_LIMIT)
        try:
            with contextlib.redirect_stdout(captured), contextlib.redirect_stderr(captured):
                result = entry(args, dict(context))
            # Inside the try: a return value whose string fails too is the call's failure.
            answer = answer_json("Success", result, captured.text())
        except BaseException as e:
            # Start the traceback at the function: the bootstrap's own frame helps nobody.
            tb = e.__traceback__.tb_next if e.__traceback__ is not None else None
            trace = "".join(traceback.format_exception(type(e), e, tb))
            answer = answer_json("Failure", trace, captured.text())
        write_json(proto_out, answer)


if __name__ == "__main__":
    main()
