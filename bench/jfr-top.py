#!/usr/bin/env python3
"""Where a JFR recording's samples are: jdk.ExecutionSample (threads running Java code) and
jdk.NativeMethodSample (threads in a native method: in epoll_wait a thread is idle, in read/write/writev
it does I/O in the kernel) aggregated per thread and by top frame.

    bench/jfr-top.py RECORDING.jfr [TOP]        (TOP frames per list, default 12)

Prints, for each of the two events, as percentages of that event's samples in the recording:
  - per thread (digits in thread names folded to '#', so a pool is one row);
  - the top frames (the method that was running), over all threads;
  - the first frame outside the JDK (java.*, javax.*, jdk.*, sun.*): the application or library code
    that was running or had called into the JDK;
  - for each of the busiest threads, its own top frames and first non-JDK frames.
Uses `jfr print --json --stack-depth 32` (the JDK's own tool), so it needs nothing but the JDK.
"""
import collections
import json
import re
import subprocess
import sys

JDK = ("java.", "javax.", "jdk.", "sun.", "com.sun.")


def frame_name(frame):
    method = frame["method"]
    return method["type"]["name"].replace("/", ".") + "." + method["name"]


def samples(path, event_type):
    text = subprocess.run(["jfr", "print", "--json", "--stack-depth", "32", "--events", event_type, path],
                          check=True, capture_output=True, text=True).stdout
    for event in json.loads(text)["recording"]["events"]:
        values = event["values"]
        thread = values["sampledThread"] or {}
        name = thread.get("javaName") or thread.get("osName") or "?"
        frames = [frame_name(f) for f in (values["stackTrace"] or {}).get("frames", [])]
        if frames:
            yield re.sub(r"\d+", "#", name), frames


def first_outside_jdk(frames):
    return next((f for f in frames if not f.startswith(JDK)), frames[-1])


def table(title, counter, total, top):
    print(f"  {title}")
    for name, count in counter.most_common(top):
        print(f"    {100.0 * count / total:5.1f}%  {name}")


def main():
    path = sys.argv[1]
    top = int(sys.argv[2]) if len(sys.argv) > 2 else 12
    for event_type in ("jdk.ExecutionSample", "jdk.NativeMethodSample"):
        report(path, event_type, top)


def report(path, event_type, top):
    threads, tops, callers = collections.Counter(), collections.Counter(), collections.Counter()
    per_thread_tops = collections.defaultdict(collections.Counter)
    per_thread_callers = collections.defaultdict(collections.Counter)
    for thread, frames in samples(path, event_type):
        threads[thread] += 1
        tops[frames[0]] += 1
        callers[first_outside_jdk(frames)] += 1
        per_thread_tops[thread][frames[0]] += 1
        per_thread_callers[thread][first_outside_jdk(frames)] += 1
    total = sum(threads.values())
    print(f"{path}: {total} samples of {event_type}")
    if not total:
        return
    table("threads", threads, total, top)
    table("top frames, all threads", tops, total, top)
    table("first frame outside the JDK, all threads", callers, total, top)
    for thread, count in threads.most_common(4):
        table(f"thread {thread} ({100.0 * count / total:.1f}% of the samples): top frames", per_thread_tops[thread], total, 6)
        table(f"thread {thread}: first frame outside the JDK", per_thread_callers[thread], total, 6)


if __name__ == "__main__":
    main()
