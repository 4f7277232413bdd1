"""Scratch script, not part of the build (docs/BENCHMARKS.md, 2026-12-03 late afternoon): reads a Spark
event log (spark.eventLog.enabled=true) of a bench run and prints, for the identity-join jobs, the
window from the first job to the last, how long at least one task was running, the idle gaps over
0.3 s, the tasks' run time, CPU and GC, and the job's largest stages by run time.

    python3 docs/scratch/eventlog_cores.py /tmp/ev/local-<app id> [stages to list]
"""
import json
import sys


def events(path):
    for line in open(path):
        try:
            yield json.loads(line)
        except ValueError:  # a truncated last line of a log still being written
            continue


def main(path, top=20):
    evs = list(events(path))
    desc, window, stage_job = {}, {}, {}
    for e in evs:
        if e['Event'] == 'SparkListenerJobStart':
            desc[e['Job ID']] = e.get('Properties', {}).get('spark.job.description') or ''
            window[e['Job ID']] = [e['Submission Time'], None]
            for s in e['Stage IDs']:
                stage_job[s] = e['Job ID']
        elif e['Event'] == 'SparkListenerJobEnd':
            window[e['Job ID']][1] = e['Completion Time']
    ours = [j for j in window if desc[j].startswith('identity-join') and window[j][1]]
    first = min(window[j][0] for j in ours)
    last = max(window[j][1] for j in ours)
    tasks = [e for e in evs if e['Event'] == 'SparkListenerTaskEnd'
             and first <= e['Task Info']['Finish Time'] <= last]
    intervals = sorted((max(t['Task Info']['Launch Time'], first), t['Task Info']['Finish Time']) for t in tasks)
    busy, gaps, end = 0, [], first
    for s, t in intervals:
        if s > end:
            if s - end > 300:
                gaps.append(s - end)
        else:
            s = end
        busy += max(0, t - s)
        end = max(end, t)
    m = [t.get('Task Metrics') or {} for t in tasks]
    print(f"window {(last - first) / 1000:.1f} s, a task running {busy / 1000:.1f} s, "
          f"idle gaps over 0.3 s: {sum(gaps) / 1000:.1f} s in {len(gaps)}")
    print(f"tasks {len(tasks)}: run {sum(x.get('Executor Run Time', 0) for x in m) / 1000:.1f} core-s, "
          f"CPU {sum(x.get('Executor CPU Time', 0) for x in m) / 1e9:.1f}, GC {sum(x.get('JVM GC Time', 0) for x in m) / 1000:.1f}")
    stages = []
    for e in evs:
        if e['Event'] == 'SparkListenerStageCompleted':
            si = e['Stage Info']
            acc = {a['Name']: a.get('Value') for a in si.get('Accumulables', [])}
            stages.append((int(acc.get('internal.metrics.executorRunTime', 0) or 0) / 1000,
                           int(acc.get('internal.metrics.executorCpuTime', 0) or 0) / 1e9,
                           si['Stage ID'], si['Number of Tasks'], desc.get(stage_job.get(si['Stage ID']), '')))
    ours_stages = [x for x in stages if x[4].startswith('identity-join')]
    for run, cpu, sid, n, d in sorted(ours_stages, reverse=True)[:top]:
        print(f"stage {sid:4d} ({n:3d} tasks) run {run:6.1f} s CPU {cpu:6.1f} s  {d[:60]}")


if __name__ == '__main__':
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 20)
