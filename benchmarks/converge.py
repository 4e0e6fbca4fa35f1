#!/usr/bin/env python3
"""Converge benchmark: site.yml against the same objects applied by kubectl, side by side.

Runs against the local cluster (scripts/cluster/up.sh; KUBECONFIG set), dev inventory, and
prints median and spread (min-max) of N rounds for:

  cold      empty namespace -> all four Deployments Available (site.yml)
  noop      site.yml on a converged cluster
  check     site.yml --check --diff on a converged cluster
  change    one variable (router_max_in_flight) -> the new router pod Available
  kubectl   `make render` objects applied by `kubectl apply --server-side` + `kubectl rollout
            status` of the four Deployments, cold (empty namespace) and on a converged cluster
  floor     the least any playbook can do: ansible-playbook with the same inventory and one
            kubernetes.core.k8s call applying the same objects (benchmarks/floor.yml), converged

plus the ratios noop/kubectl, check/kubectl, cold/kubectl-cold and floor/kubectl, the module
invocations per run, the peak memory (RSS) of the ansible-playbook process tree, and where a
run's time goes (validation, rendering, apply, prune, wait, other tasks, and Ansible's own
start-up, time between tasks and exit; from the json callback's task durations). Writes the
figures as JSON (--json, default benchmarks/results/converge.json).

    python benchmarks/converge.py --rounds 5
    python benchmarks/converge.py --rounds 1      # what CI runs: it only checks that it works
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NAMESPACE = "split-brain"
DEPLOYMENTS = ("router", "classifier", "ui", "cloudflared")
LOCAL = ["-e", "@molecule/shared/local-cluster.yml"]
BIN = Path(sys.executable).parent
# Actions that run on the controller and start no module on the target (prune does its work
# in-process when the host is the controller, as in the dev inventory).
CONTROLLER_ACTIONS = {
    "prune", "split_brain.deploy.prune", "rollout", "split_brain.deploy.rollout",
    "set_fact", "debug", "assert", "fail", "include_tasks", "import_tasks", "include_role",
    "import_role", "meta", "validate", "render", "ansible.builtin.set_fact", "ansible.builtin.debug",
    "ansible.builtin.assert", "ansible.builtin.fail", "ansible.builtin.include_tasks",
    "ansible.builtin.meta", "split_brain.deploy.validate", "split_brain.deploy.render",
    "validate_argument_spec", "ansible.builtin.validate_argument_spec", "report_changes",
    "split_brain.deploy.report_changes", "ansible.builtin.import_role", "ansible.builtin.include_role",
}


class PeakRss:
    """Samples the summed RSS of a process and all its descendants."""

    def __init__(self, pid, interval=0.05):
        self.pid, self.interval, self.peak = pid, interval, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _tree(self):
        children = {}
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                with open("/proc/%s/stat" % entry) as handle:
                    ppid = int(handle.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry))
        todo, seen = [self.pid], []
        while todo:
            pid = todo.pop()
            seen.append(pid)
            todo.extend(children.get(pid, []))
        return seen

    def _run(self):
        page = os.sysconf("SC_PAGE_SIZE")
        while not self._stop.is_set():
            total = 0
            for pid in self._tree():
                try:
                    with open("/proc/%d/statm" % pid) as handle:
                        total += int(handle.read().split()[1]) * page
                except (OSError, IndexError, ValueError):
                    pass
            self.peak = max(self.peak, total)
            time.sleep(self.interval)

    def stop(self):
        self._stop.set()
        self._thread.join()
        return self.peak


def run(cmd, env=None, check=True):
    """Run ``cmd`` from the repo root; return (seconds, peak RSS bytes, stdout)."""
    started = time.monotonic()
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    sampler = PeakRss(proc.pid)
    out, _ = proc.communicate()
    elapsed = time.monotonic() - started
    peak = sampler.stop()
    if check and proc.returncode != 0:
        raise SystemExit("%s failed:\n%s" % (" ".join(cmd), out[-4000:]))
    return elapsed, peak, out


def ansible(*args, playbook="site.yml"):
    """A playbook with the json callback: (seconds, peak RSS, module invocations, phases)."""
    env = dict(os.environ, ANSIBLE_STDOUT_CALLBACK="ansible.posix.json", ANSIBLE_NOCOLOR="1")
    started_at = time.time()
    elapsed, peak, out = run([str(BIN / "ansible-playbook"), playbook, "-i", "inventories/dev", *LOCAL, *args], env=env)
    data = json.loads(out[out.index("{"):])
    return elapsed, peak, module_invocations(data), phases(data, started_at, elapsed)


# Where a run's time goes: each task's duration goes to the first phase whose test matches it.
PHASES = (
    ("validate", lambda name, action: "Check every variable" in name),
    ("render", lambda name, action: ": Render " in name or ": Describe " in name),
    ("apply (kubernetes.core.k8s)", lambda name, action: action in ("kubernetes.core.k8s", "k8s")),
    ("prune", lambda name, action: action.endswith("prune")),
    ("wait for rollouts", lambda name, action: action.endswith("rollout")),
    ("other tasks", lambda name, action: True),
)


def _timestamp(text):
    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def phases(data, started_at, elapsed):
    """Seconds per phase of one run: the tasks by phase, then Ansible's own time before the first
    task (start-up: interpreter, inventory and vault, playbook), between tasks (queueing the next
    task, loading its plugins) and after the last one (exit)."""
    spent = dict.fromkeys([name for name, _test in PHASES], 0.0)
    spans = []
    for play in data.get("plays", []):
        for task in play.get("tasks", []):
            duration = task["task"].get("duration") or {}
            if not duration.get("end"):
                continue
            start, end = _timestamp(duration["start"]), _timestamp(duration["end"])
            spans.append((start, end))
            action = next((r.get("action") for r in task.get("hosts", {}).values() if r.get("action")), "") or ""
            phase = next(name for name, test in PHASES if test(task["task"]["name"], action))
            spent[phase] += end - start
    spans.sort()
    if spans:
        spent["start-up"] = max(0.0, spans[0][0] - started_at)
        spent["between tasks"] = sum(max(0.0, nxt[0] - prev[1]) for prev, nxt in zip(spans, spans[1:]))
        spent["exit"] = max(0.0, started_at + elapsed - spans[-1][1])
    return {name: round(value, 3) for name, value in spent.items()}


def module_invocations(data):
    count = 0
    for play in data.get("plays", []):
        for task in play.get("tasks", []):
            for result in task.get("hosts", {}).values():
                action = result.get("action") or task["task"].get("action") or ""
                if result.get("skipped") or action in CONTROLLER_ACTIONS:
                    continue
                count += len(result.get("results", [])) or 1
    return count


def floor(render_dir, manifest):
    """benchmarks/floor.yml: one kubernetes.core.k8s call with every rendered object."""
    with open(manifest, "w", encoding="utf-8") as out:
        for path in sorted(Path(render_dir).glob("*.yaml")):
            out.write("---\n" + path.read_text(encoding="utf-8"))
    return ansible("-e", "floor_manifest=" + manifest, playbook="benchmarks/floor.yml")


def kubectl(*args, check=True):
    return run(["kubectl", *args], check=check)


def delete_namespace():
    kubectl("delete", "namespace", NAMESPACE, "--ignore-not-found", "--wait=true", "--timeout=180s")
    subprocess.run([str(ROOT / "scripts/cluster/recycle-pvs.sh")], check=False, capture_output=True)


def kubectl_reference(render_dir):
    started = time.monotonic()
    kubectl("apply", "--server-side", "--field-manager=split-brain-deploy", "--force-conflicts", "-f", render_dir)
    for name in DEPLOYMENTS:
        kubectl("-n", NAMESPACE, "rollout", "status", "deployment/" + name, "--timeout=300s")
    return time.monotonic() - started


def summary(values):
    return {
        "median": round(statistics.median(values), 3),
        "min": round(min(values), 3),
        "max": round(max(values), 3),
        "rounds": [round(v, 3) for v in values],
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--json", default=str(ROOT / "benchmarks/results/converge.json"))
    opts = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        render_dir = os.path.join(tmp, "render")
        # kubectl applies exactly what site.yml would (Secret values included, kept private).
        run([str(BIN / "ansible-playbook"), "playbooks/render.yml", "-i", "inventories/dev", *LOCAL,
             "-e", "split_brain_render_dir=" + render_dir, "-e", "split_brain_render_secrets=true"])

        times = {k: [] for k in ("cold", "noop", "check", "change", "kubectl_cold", "kubectl_noop", "floor")}
        peaks, modules, spent = {}, {}, {}
        for round_no in range(opts.rounds):
            print("round %d/%d" % (round_no + 1, opts.rounds), flush=True)
            delete_namespace()
            times["kubectl_cold"].append(kubectl_reference(render_dir))
            times["kubectl_noop"].append(kubectl_reference(render_dir))
            delete_namespace()
            for name, args in (("cold", ()), ("noop", ()), ("check", ("--check", "--diff")),
                               ("change", ("-e", "router_max_in_flight=%d" % (100 + round_no)))):
                elapsed, peak, count, phase_seconds = ansible(*args)
                times[name].append(elapsed)
                peaks[name] = max(peaks.get(name, 0), peak)
                modules[name] = count
                for phase, seconds in phase_seconds.items():
                    spent.setdefault(name, {}).setdefault(phase, []).append(seconds)
            ansible()  # back to the inventory's state
            times["floor"].append(floor(render_dir, os.path.join(tmp, "floor.yaml"))[0])

    result = {name: summary(values) for name, values in times.items()}
    ratios = {
        "noop_over_kubectl": round(result["noop"]["median"] / result["kubectl_noop"]["median"], 2),
        "check_over_kubectl": round(result["check"]["median"] / result["kubectl_noop"]["median"], 2),
        "floor_over_kubectl": round(result["floor"]["median"] / result["kubectl_noop"]["median"], 2),
        "cold_over_kubectl_cold": round(result["cold"]["median"] / result["kubectl_cold"]["median"], 2),
    }
    report = {
        "rounds": opts.rounds,
        "seconds": result,
        "ratios": ratios,
        "module_invocations": modules,
        "roles": 7,
        "peak_rss_mib": {k: round(v / 2**20, 1) for k, v in peaks.items()},
        "phases_median_seconds": {
            name: {phase: round(statistics.median(values), 3) for phase, values in by_phase.items()}
            for name, by_phase in spent.items()
        },
    }
    print("\n%-14s %9s %9s %9s" % ("scenario", "median s", "min s", "max s"))
    for name, figures in result.items():
        print("%-14s %9.2f %9.2f %9.2f" % (name, figures["median"], figures["min"], figures["max"]))
    print("\nratios: " + ", ".join("%s=%.2f" % kv for kv in ratios.items()))
    print("module invocations per run: " + ", ".join("%s=%d" % kv for kv in modules.items()) + " (roles: 7)")
    print("peak RSS of the ansible-playbook tree (MiB): " + ", ".join("%s=%.1f" % kv for kv in report["peak_rss_mib"].items()))
    scenarios = list(report["phases_median_seconds"])
    print("\nwhere the time goes (median s)" + "".join(" %9s" % name for name in scenarios))
    for phase in report["phases_median_seconds"][scenarios[0]]:
        print("%-30s" % phase + "".join(" %9.2f" % report["phases_median_seconds"][name][phase] for name in scenarios))
    Path(opts.json).parent.mkdir(parents=True, exist_ok=True)
    Path(opts.json).write_text(json.dumps(report, indent=2) + "\n")
    print("figures written to %s" % opts.json)


if __name__ == "__main__":
    main()
