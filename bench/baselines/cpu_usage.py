#!/usr/bin/env python3
"""CPU time used by groups of processes around one bench step, from /proc (Linux).

  cpu_usage.py snap OUT NAME=KIND:PID ...
      writes the groups' CPU seconds so far, and the time, to OUT (JSON)
  cpu_usage.py diff BEFORE AFTER OUT --executions N
      writes what each group used between the two snapshots: seconds, cores busy on average,
      and milliseconds per execution; the totals leave the jit groups out (each is a part of
      another group). Also the context switches (voluntary and not) per execution of each
      self, tree and below group: what its live threads made in between (a thread or process
      that ended meanwhile, and a reaped child, leave theirs out; a group whose count fell so
      gets none); each is a wake-up or a preemption

KIND says which processes a group counts, user and system time both:
  self      the process itself (all its threads)
  tree      the process, every process below it, and the children they have reaped
  below     every process below it (not itself), and the children those have reaped; as
            below:PID/OTHER, all but OTHER and what is below it (a group of its own)
  reaped    the children the process has reaped (how a shell sees the commands it waited for)
  jit       the process's JIT compiler threads alone (a JVM's "C1/C2 CompilerThread"s): part
            of its "self"
  jit-below the JIT compiler threads of every live process below it; as jit-below:PID/OTHER,
            all but OTHER and what is below it: part of its "below"
"""
import json
import os
import sys
import time

TICK = os.sysconf("SC_CLK_TCK")


def _read_stat(path):
    """(command name, the fields after it) of a /proc stat file, or None if it is gone."""
    try:
        with open(path) as f:
            text = f.read()
    except OSError:
        return None
    # The command name is in parentheses and may hold spaces; the fields after it are plain.
    return text[text.index("(") + 1:text.rindex(")")], text[text.rindex(")") + 2:].split()


def _stat(pid):
    """(ppid, own ticks, reaped children's ticks) of a live process, or None."""
    read = _read_stat("/proc/%d/stat" % pid)
    if read is None:
        return None
    fields = read[1]
    ppid = int(fields[1])
    own = int(fields[11]) + int(fields[12])
    reaped = int(fields[13]) + int(fields[14])
    return ppid, own, reaped


def _all():
    stats = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            s = _stat(int(entry))
            if s is not None:
                stats[int(entry)] = s
    return stats


def _below(pid, stats, but=None):
    children = {}
    for p, (ppid, _, _) in stats.items():
        children.setdefault(ppid, []).append(p)
    found, todo = [], list(children.get(pid, []))
    while todo:
        p = todo.pop()
        if p == but:
            continue
        found.append(p)
        todo.extend(children.get(p, []))
    return found


def _tasks(pid):
    """The thread ids of a live process (none if it is gone)."""
    try:
        return os.listdir("/proc/%d/task" % pid)
    except OSError:
        return []


def _compiler_ticks(pid):
    """User and system ticks of a live process's JIT compiler threads (0 if it has none)."""
    ticks = 0
    for tid in _tasks(pid):
        read = _read_stat("/proc/%d/task/%s/stat" % (pid, tid))
        if read is not None and read[0].startswith(("C1 CompilerThre", "C2 CompilerThre")):
            ticks += int(read[1][11]) + int(read[1][12])
    return ticks


def _switches_of(pid):
    """Context switches (voluntary and not) made so far by a live process's threads, or 0."""
    n = 0
    for tid in _tasks(pid):
        try:
            with open("/proc/%d/task/%s/status" % (pid, tid)) as f:
                for line in f:
                    if line.startswith(("voluntary_ctxt_switches:", "nonvoluntary_ctxt_switches:")):
                        n += int(line.split()[1])
        except OSError:
            pass
    return n


def switches(kind, pid, stats, but=None):
    """Context switches of the group's live processes, or None if its process is gone or the
    kind has none to read (reaped children, and the jit parts)."""
    if pid not in stats or kind not in ("self", "tree", "below"):
        return None
    pids = [] if kind == "below" else [pid]
    if kind != "self":
        pids += _below(pid, stats, but)
    return sum(_switches_of(p) for p in pids)


def seconds(kind, pid, stats, but=None):
    """CPU seconds of the group, or None if its process is gone."""
    if pid not in stats:
        return None
    if kind == "jit":
        return _compiler_ticks(pid) / TICK
    if kind == "jit-below":
        return sum(_compiler_ticks(p) for p in _below(pid, stats, but)) / TICK
    _, own, reaped = stats[pid]
    below = sum(stats[p][1] + stats[p][2] for p in _below(pid, stats, but))
    ticks = {"self": own, "tree": own + reaped + below, "below": below, "reaped": reaped}[kind]
    return ticks / TICK


def snap(out, specs):
    stats = _all()
    groups = {}
    counted = {}
    parts = []
    for spec in specs:
        name, _, rest = spec.partition("=")
        kind, _, pids = rest.partition(":")
        pid, _, but = pids.partition("/")
        pid, but = int(pid), int(but) if but else None
        groups[name] = seconds(kind, pid, stats, but)
        counted[name] = switches(kind, pid, stats, but)
        if kind in ("jit", "jit-below"):
            parts.append(name)
    with open(out, "w") as f:
        json.dump({"time": time.time(), "groups": groups, "switches": counted, "parts": parts}, f)


def diff(before_file, after_file, out, executions):
    with open(before_file) as f:
        before = json.load(f)
    with open(after_file) as f:
        after = json.load(f)
    wall = after["time"] - before["time"]
    used = {}
    for name, end in after["groups"].items():
        start = before["groups"].get(name)
        if start is not None and end is not None:
            used[name] = round(end - start, 3)
    made = {}
    for name, end in (after.get("switches") or {}).items():
        start = (before.get("switches") or {}).get(name)
        # Fewer than before: threads ended meanwhile and took theirs away; no figure then.
        if start is not None and end is not None and end >= start:
            made[name] = end - start
    # A JIT group is part of another group's CPU: in no total.
    parts = set(after.get("parts", []))
    total = round(sum(v for n, v in used.items() if n not in parts), 3)
    result = {
        "wall_s": round(wall, 3),
        "executions": executions,
        "cpu_s": used,
        "cpu_s_total": total,
        "parts": sorted(parts),
        "cores_busy": round(total / wall, 2) if wall > 0 else None,
        "cpu_ms_per_execution": {n: round(s * 1000 / executions, 4) for n, s in used.items()},
        "cpu_ms_per_execution_total": round(total * 1000 / executions, 4),
        "switches_per_execution": {n: round(k / executions, 2) for n, k in made.items()},
    }
    with open(out, "w") as f:
        json.dump(result, f, indent=2)


def main(argv):
    if len(argv) >= 3 and argv[0] == "snap":
        snap(argv[1], argv[2:])
        return 0
    if len(argv) == 6 and argv[0] == "diff" and argv[4] == "--executions":
        diff(argv[1], argv[2], argv[3], int(argv[5]))
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
