#!/usr/bin/env python3
"""CPU time per thread of running JVMs, from /proc (exact, unlike sampling on a loaded machine), each
thread named by its Java name (`jcmd PID Thread.print`: /proc keeps only 15 characters of a name).

    bench/thread-cpu.py snap PID... >BEFORE.json      user and system CPU of every thread of these processes
    bench/thread-cpu.py diff BEFORE.json AFTER.json   what each thread used in between: seconds of user and
                                                      system time per thread (digits in names folded to '#',
                                                      so a pool is one row), with its share of the total
"""
import collections
import json
import os
import re
import subprocess
import sys

TICK = os.sysconf("SC_CLK_TCK")


def java_names(pid):
    """Native thread id -> Java thread name, from the JVM's thread dump (empty if jcmd cannot attach)."""
    dump = subprocess.run(["jcmd", str(pid), "Thread.print"], capture_output=True, text=True).stdout
    return {str(int(nid, 16)): name for name, nid in re.findall(r'^"(.*)" .*? nid=0x([0-9a-f]+) ', dump, re.M)}


def snap(pids):
    threads = {}
    for pid in pids:
        names = java_names(pid)
        for tid in os.listdir(f"/proc/{pid}/task"):
            try:
                with open(f"/proc/{pid}/task/{tid}/stat") as f:
                    stat = f.read()
            except FileNotFoundError:
                continue  # the thread ended meanwhile
            name = names.get(tid) or stat[stat.index("(") + 1:stat.rindex(")")]
            fields = stat[stat.rindex(")") + 2:].split()
            threads[f"{pid}/{tid}"] = {"name": name, "user": int(fields[11]) / TICK, "system": int(fields[12]) / TICK}
    json.dump(threads, sys.stdout)


def diff(before_path, after_path):
    before, after = json.load(open(before_path)), json.load(open(after_path))
    used = collections.defaultdict(lambda: [0.0, 0.0])
    for key, thread in after.items():
        old = before.get(key, {"user": 0.0, "system": 0.0})
        group = used[re.sub(r"\d+", "#", thread["name"])]
        group[0] += thread["user"] - old["user"]
        group[1] += thread["system"] - old["system"]
    total = sum(u + s for u, s in used.values())
    print(f"CPU seconds used in between: {total:.2f} (user {sum(u for u, _ in used.values()):.2f}, "
          f"system {sum(s for _, s in used.values()):.2f})")
    print(f"  {'thread':<48} {'user s':>7} {'system s':>8} {'share':>6}")
    for name, (user, system) in sorted(used.items(), key=lambda item: -sum(item[1])):
        if user + system > 0:
            print(f"  {name:<48} {user:>7.2f} {system:>8.2f} {100 * (user + system) / total:>5.1f}%")


if __name__ == "__main__":
    if sys.argv[1] == "snap":
        snap(sys.argv[2:])
    elif sys.argv[1] == "diff":
        diff(sys.argv[2], sys.argv[3])
    else:
        sys.exit("usage: thread-cpu.py snap PID... | diff BEFORE AFTER")
