"""Converge benchmark: site.yml against the peers users would pick, side by side.

Runs against the local cluster (scripts/cluster/up.sh; KUBECONFIG set), dev inventory, and
prints median and spread (min-max) of N rounds, every scenario once per round (interleaved), of:

  cold      empty namespace -> all four Deployments Available (site.yml)
  noop      site.yml on a converged cluster
  check     site.yml --check --diff on a converged cluster
  change    one variable (router_max_in_flight) -> the new router pod Available
  floor     the least any playbook can do: ansible-playbook with the same inventory and one
            kubernetes.core.k8s call applying the same objects (benchmarks/floor.yml), converged
  kubectl   the `make render` objects applied by `kubectl apply --server-side` + `kubectl
            rollout status` of the four Deployments, cold and on a converged cluster
  helm      Helm (scripts/helm/build.sh) with a chart whose templates are the same objects but
            the Namespace: `helm install --wait` (cold; the Namespace object applied by kubectl
            first, inside the timing, so that it carries the same labels) and `helm upgrade
            --wait` on the converged release (no-op)
  naive     hand-written playbooks applying the same objects with kubernetes.core.k8s
            `template:` and `apply: true`, waiting for the Deployments: one task per role
            (benchmarks/naive/per-role.yml, awx-operator's pattern; cold and no-op) and one task
            per object (benchmarks/naive/per-object.yml; no-op)

Every peer applies the objects site.yml would apply, Secret values included (kept in a 0700
temporary folder). Then, once per N (--fleet, default 1,2,4,8), a fleet: N releases of dev, one
inventory host, namespace and split_brain_instance each, in one site.yml run with forks = N,
cold once, then no-op once per round, their median (benchmarks/peers.py makes the inventory and
the PersistentVolumes their claims bind to; both are removed after).

For each scenario it records wall time, CPU time (user + system of the process tree; the API
server's is not counted) and the peak memory (RSS) of the process tree, the ratios (`ratios`),
the module invocations and the tasks executed per run, and where a site.yml run's time goes (validation, rendering,
apply, prune, wait, other tasks, and Ansible's own start-up, time between tasks and exit; from
the json callback's task durations). Writes the figures as JSON (--json, default
benchmarks/results/converge.json).

With --before REV (a git revision), the same run also measures site.yml as it was at REV, from a
temporary work tree of the repository: its cold, noop, check and change scenarios in every round
(interleaved with today's and the peers') and its fleet, so that before and after, and their
ratios to the same peers, come from one run on one machine (`before` in the JSON).

    python benchmarks/converge.py --rounds 5
    python benchmarks/converge.py --rounds 1      # what CI runs: it only checks that it works
    python benchmarks/converge.py --rounds 3 --fleet none
    python benchmarks/converge.py --rounds 3 --fleet 1,8 --before v1.0.0
"""

import argparse
import contextlib
import json
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime
from pathlib import Path

import yaml

import peers

ROOT = Path(__file__).resolve().parent.parent
NAMESPACE = "split-brain"
DEPLOYMENTS = ("router", "classifier", "ui", "cloudflared")
LOCAL = ["-e", "@molecule/shared/local-cluster.yml"]
BIN = Path(sys.executable).parent
# Actions that run on the controller and start no module: Ansible's own, and the action plugins of
# this collection (render, validate and report_changes work on the controller).
_BUILTIN_CONTROLLER_ACTIONS = ("set_fact", "debug", "assert", "fail", "include_tasks", "import_tasks", "include_role",
                               "import_role", "meta", "validate_argument_spec", "include_vars")
CONTROLLER_ACTIONS = {
    *_BUILTIN_CONTROLLER_ACTIONS, *("ansible.builtin." + name for name in _BUILTIN_CONTROLLER_ACTIONS),
    *(prefix + path.stem for path in (ROOT / "plugins/action").glob("*.py")
      for prefix in ("", "split_brain.deploy.")),
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


class Run:
    """What one command cost: wall seconds, CPU seconds of its process tree, peak RSS bytes."""

    def __init__(self, seconds, cpu, rss, out):
        self.seconds, self.cpu, self.rss, self.out = seconds, cpu, rss, out
        self.modules, self.tasks, self.phases, self.changed = 0, 0, {}, 0
        self.cpu_phases = {}


def _children_cpu():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(cmd, env=None, check=True, cwd=ROOT):
    """Run ``cmd`` from the repo root (or ``cwd``); return its Run (CPU time: every descendant reaped)."""
    cpu = _children_cpu()
    started = time.monotonic()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    sampler = PeakRss(proc.pid)
    out = proc.communicate()[0]
    elapsed = time.monotonic() - started
    peak = sampler.stop()
    if check and proc.returncode != 0:
        raise SystemExit("%s failed:\n%s" % (" ".join(cmd), out[-4000:]))
    return Run(elapsed, _children_cpu() - cpu, peak, out)


def ansible(*args, playbook="site.yml", inventory="inventories/dev", local=True, root=ROOT, startup=None):
    """A playbook with the json callback: its Run with module invocations, phases and changes.
    ``root``: the repository to run it from (its ansible.cfg and collection), today's by default;
    ``startup``: the CPU seconds of its start-up (``startup_cpu``), for its CPU phases."""
    env = dict(os.environ, ANSIBLE_STDOUT_CALLBACK="ansible.posix.json", ANSIBLE_NOCOLOR="1",
               ANSIBLE_CONFIG=str(Path(root) / "ansible.cfg"))
    started_at = time.time()
    result = run([str(BIN / "ansible-playbook"), playbook, "-i", inventory, *(LOCAL if local else ()), *args], env=env,
                 cwd=root)
    # The json callback's document starts at a line of its own; a run may print lines before it
    # (the lock's "Waiting ... for the lock" message, warnings).
    start = re.search(r"^\{", result.out, re.M)
    if start is None:
        raise SystemExit("no JSON from %s:\n%s" % (" ".join(args) or "site.yml", result.out[-4000:]))
    data = json.loads(result.out[start.start():])
    result.modules = module_invocations(data)
    result.tasks = tasks_executed(data)
    result.phases = phases(data, started_at, result.seconds)
    result.cpu_phases = cpu_phases(data, result.cpu, startup)
    result.changed = sum(stats.get("changed", 0) for stats in data.get("stats", {}).values())
    return result


# Where a run's time goes: each task's duration goes to the first phase whose test matches it. The
# release task (render, then the cluster phase: lock, field owners, preflight, apply, prune, wait and
# history) is one action on the controller; its result's timings split it (cpu_phases).
PHASES = (
    ("validate", lambda name, action: action.endswith("validate")),
    ("render", lambda name, action: ": Render " in name and not action.endswith("release")),
    ("release", lambda name, action: action in ("split_brain.deploy.release", "release")),
    ("checksum key", lambda name, action: action.endswith("release_state")),
    ("other tasks", lambda name, action: True),
)
# The phases whose CPU seconds the actions report themselves (their results' ``timings``).
TIMED_PHASES = ("validate", "render", "cluster")


def cpu_phases(data, total, startup=None):
    """CPU seconds per phase of one run: validate, render and the cluster phase as the actions
    measure them in their processes (``timings`` of their results); start-up as ``startup`` (the CPU
    of ansible-playbook --list-hosts: interpreter, inventory, vault and playbook, no task); the rest
    of the process tree's CPU (worker start-up and plugin imports, the other tasks, callbacks,
    exit) as ``other``."""
    spent = dict.fromkeys(TIMED_PHASES, 0.0)
    for play in data.get("plays", []):
        for task in play.get("tasks", []):
            for result in task.get("hosts", {}).values():
                for phase, lap in (result.get("timings") or {}).items():
                    if phase in spent:
                        spent[phase] += lap.get("cpu", 0.0)
    spent["start-up"] = startup or 0.0
    spent["other"] = max(0.0, total - sum(spent.values()))
    return {name: round(value, 3) for name, value in spent.items()}


def startup_cpu(root=ROOT):
    """CPU seconds of ansible-playbook reading the inventory, its vault and site.yml, running no task."""
    env = dict(os.environ, ANSIBLE_CONFIG=str(Path(root) / "ansible.cfg"))
    return run([str(BIN / "ansible-playbook"), "site.yml", "-i", "inventories/dev", *LOCAL, "--list-hosts"],
               env=env, cwd=root).cpu


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


def tasks_executed(data):
    """Tasks that ran (skipped ones left out), per host."""
    return sum(1 for play in data.get("plays", []) for task in play.get("tasks", [])
               for result in task.get("hosts", {}).values() if not result.get("skipped"))


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


CHECKSUM_ANNOTATION = "split-brain.io/secret-checksum"
KEYED_AT_APPLY = "<keyed at apply>"


def floor_manifest(render_dir, manifest):
    """The objects of ``render_dir`` into ``manifest``, for the floors, on the cluster site.yml just
    converged. Render reads no checksum key from a cluster, so its Deployments carry the placeholder
    ``<keyed at apply>`` where the cluster holds the keyed checksum: the cluster's value goes into
    the manifest, else every "no-op" floor run would roll every Deployment."""
    live = json.loads(kubectl("get", "deployments", "-n", NAMESPACE, "-o", "json").out)["items"]
    checksums = {
        item["metadata"]["name"]: item["spec"]["template"]["metadata"].get("annotations", {}).get(CHECKSUM_ANNOTATION)
        for item in live
    }
    with open(os.open(manifest, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w", encoding="utf-8") as out:
        for path in sorted(Path(render_dir).glob("*.yaml")):
            documents = [doc for doc in yaml.safe_load_all(path.read_text(encoding="utf-8")) if doc]
            for doc in documents:
                annotations = (((doc.get("spec") or {}).get("template") or {}).get("metadata") or {}).get("annotations") or {}
                if doc.get("kind") == "Deployment" and annotations.get(CHECKSUM_ANNOTATION) == KEYED_AT_APPLY:
                    keyed = checksums.get(doc["metadata"]["name"])
                    if not keyed:
                        raise SystemExit("floor: Deployment %s has no keyed checksum in the cluster" % doc["metadata"]["name"])
                    annotations[CHECKSUM_ANNOTATION] = keyed
            out.write(yaml.safe_dump_all(documents, explicit_start=True, sort_keys=False))
    return manifest


def floor(manifest, playbook="benchmarks/floor.yml"):
    """The floor playbook (floor.yml: one kubernetes.core.k8s call, its module run by Ansible)
    applying ``manifest``, converged."""
    return ansible("-e", "floor_manifest=" + manifest, playbook=playbook)


def kubectl(*args, check=True):
    return run(["kubectl", *args], check=check)


def pv_claims(namespaces):
    """The PersistentVolumes whose claim is in one of ``namespaces``: {name: phase}."""
    listing = json.loads(kubectl("get", "pv", "-o", "json").out)
    return {
        pv["metadata"]["name"]: pv.get("status", {}).get("phase")
        for pv in listing["items"]
        if (pv["spec"].get("claimRef") or {}).get("namespace") in namespaces
    }


def delete_namespaces(*namespaces):
    """Delete the namespaces and wait until the volumes their claims held are Released."""
    kubectl("delete", "namespace", *namespaces, "--ignore-not-found", "--wait=true", "--timeout=300s")
    deadline = time.monotonic() + 60
    while "Bound" in pv_claims(namespaces).values() and time.monotonic() < deadline:
        time.sleep(0.2)


def delete_namespace():
    delete_namespaces(NAMESPACE)
    subprocess.run([str(ROOT / "scripts/cluster/recycle-pvs.sh")], check=False, capture_output=True)


def kubectl_reference(render_dir):
    started, cpu, rss = time.monotonic(), 0.0, 0
    for cmd in [("apply", "--server-side", "--field-manager=split-brain-deploy", "--force-conflicts", "-f", render_dir)] + [
            ("-n", NAMESPACE, "rollout", "status", "deployment/" + name, "--timeout=300s") for name in DEPLOYMENTS]:
        step = kubectl(*cmd)
        cpu, rss = cpu + step.cpu, max(rss, step.rss)
    return Run(time.monotonic() - started, cpu, rss, "")


class Helm:
    """Helm with a chart of the rendered objects, its state (config, cache) in a folder of its own."""

    RELEASE = "split-brain"

    def __init__(self, binary, render_dir, tmp):
        self.binary = binary
        self.chart = os.path.join(tmp, "chart", "split-brain")
        self.namespace_file = str(peers.helm_chart(render_dir, self.chart, "1.0.0"))
        home = os.path.join(tmp, "helm-home")
        self.env = dict(os.environ, HELM_CONFIG_HOME=home + "/config", HELM_CACHE_HOME=home + "/cache",
                        HELM_DATA_HOME=home + "/data")
        self.namespace_seconds = []

    def version(self):
        return run([self.binary, "version", "--short"], env=self.env).out.strip()

    def _helm(self, verb):
        return run([self.binary, verb, self.RELEASE, self.chart, "-n", NAMESPACE, "--wait", "--timeout=5m"], env=self.env)

    def install(self):
        """Cold: the Namespace object (as kubectl and site.yml make it), then helm install --wait."""
        namespace = kubectl("apply", "--server-side", "--field-manager=split-brain-deploy", "-f", self.namespace_file)
        self.namespace_seconds.append(namespace.seconds)
        install = self._helm("install")
        return Run(namespace.seconds + install.seconds, namespace.cpu + install.cpu, max(namespace.rss, install.rss), "")

    def upgrade(self):
        return self._helm("upgrade")


def naive(variant, naive_dir):
    return ansible("-e", "naive_dir=" + naive_dir, playbook="benchmarks/naive/%s.yml" % variant)


def fleet(counts, tmp, root=ROOT, noops=1):
    """N releases in one site.yml run (forks = N), cold once then no-op ``noops`` times (one per
    round), per N (site.yml of ``root``); a no-op's figures are the medians of its runs."""
    figures = {}
    everyone = peers.fleet_names(max(counts))
    delete_namespaces(*everyone)  # left over by an interrupted run
    try:
        for count in counts:
            print("fleet of %d" % count, flush=True)
            storage = os.path.join(tmp, "fleet-storage.yaml")
            Path(storage).write_text(peers.fleet_storage(count), encoding="utf-8")
            kubectl("apply", "--server-side", "--field-manager=split-brain-bench", "-f", storage)
            inventory = peers.fleet_inventory(os.path.join(tmp, "fleet-%d" % count), count)
            entry = {}
            for name, times in (("cold", 1), ("noop", noops)):
                results = [ansible("--forks", str(count), inventory=inventory, local=False, root=root) for _round in range(times)]
                entry[name] = {"seconds": round(statistics.median(r.seconds for r in results), 3),
                               "cpu_seconds": round(statistics.median(r.cpu for r in results), 3),
                               "peak_rss_mib": round(max(r.rss for r in results) / 2**20, 1),
                               "changed": max(r.changed for r in results),
                               "rounds": [round(r.seconds, 3) for r in results]}
            figures[str(count)] = entry
            delete_namespaces(*peers.fleet_names(count))
            kubectl("delete", "pv", "-l", "split-brain.bench/fleet=true", "--wait=true", "--timeout=120s")
    finally:
        delete_namespaces(*everyone)
        kubectl("delete", "pv,storageclass", "-l", "split-brain.bench/fleet=true", "--ignore-not-found",
                "--wait=true", "--timeout=120s", check=False)
    return figures


def summary(values):
    return {
        "median": round(statistics.median(values), 3),
        "min": round(min(values), 3),
        "max": round(max(values), 3),
        "rounds": [round(v, 3) for v in values],
    }


# Scenarios whose run on a converged cluster must change nothing: a run that changes is no no-op.
NOOPS = ("noop", "check", "floor", "naive_role_noop", "naive_object_noop", "before_noop", "before_check")


def rounds(opts, render_dir, tmp, helm, before_root=None):
    """Every scenario once per round, the peers interleaved with site.yml; ends converged by site.yml."""
    naive_dir = os.path.join(tmp, "naive")
    peers.naive_templates(render_dir, naive_dir)
    runs, phase_rounds, round_seconds = {}, {}, []
    cpu_rounds = {}
    for round_no in range(opts.rounds):
        print("round %d/%d" % (round_no + 1, opts.rounds), flush=True)
        started = time.monotonic()
        delete_namespace()
        runs.setdefault("naive_role_cold", []).append(naive("per-role", naive_dir))
        runs.setdefault("naive_role_noop", []).append(naive("per-role", naive_dir))
        runs.setdefault("naive_object_noop", []).append(naive("per-object", naive_dir))
        delete_namespace()
        runs.setdefault("kubectl_cold", []).append(kubectl_reference(render_dir))
        runs.setdefault("kubectl_noop", []).append(kubectl_reference(render_dir))
        delete_namespace()
        runs.setdefault("helm_cold", []).append(helm.install())
        runs.setdefault("helm_noop", []).append(helm.upgrade())
        delete_namespace()
        for prefix, root in (("", ROOT),) + ((("before_", before_root),) if before_root else ()):
            if prefix:
                delete_namespace()
            startup = startup_cpu(root)
            for name, args in (("cold", ()), ("noop", ()), ("check", ("--check", "--diff")),
                               ("change", ("-e", "router_max_in_flight=%d" % (100 + round_no)))):
                result = ansible(*args, root=root, startup=startup)
                runs.setdefault(prefix + name, []).append(result)
                for phase, seconds in result.phases.items():
                    phase_rounds.setdefault(prefix + name, {}).setdefault(phase, []).append(seconds)
                for phase, seconds in result.cpu_phases.items():
                    cpu_rounds.setdefault(prefix + name, {}).setdefault(phase, []).append(seconds)
        ansible()  # back to the inventory's state, by today's site.yml
        manifest = floor_manifest(render_dir, os.path.join(tmp, "floor.yaml"))
        runs.setdefault("floor", []).append(floor(manifest))
        round_seconds.append(round(time.monotonic() - started, 1))
        print("  round took %.0f s" % round_seconds[-1], flush=True)
    return runs, phase_rounds, cpu_rounds, round_seconds


def ratio(numerator, denominator):
    return round(numerator / denominator, 2) if denominator else None


def peer_ratios(med, site=""):
    """The ratios of site.yml's scenarios (``site``: "" today's, "before_" the --before revision's)."""
    cold, noop, check = med[site + "cold"], med[site + "noop"], med[site + "check"]
    return {
        "noop_over_helm": ratio(noop, med["helm_noop"]),
        "cold_over_helm_cold": ratio(cold, med["helm_cold"]),
        "noop_over_kubectl": ratio(noop, med["kubectl_noop"]),
        "noop_over_naive": ratio(noop, med["naive_role_noop"]),
        "noop_over_naive_per_object": ratio(noop, med["naive_object_noop"]),
        "check_over_kubectl": ratio(check, med["kubectl_noop"]),
        "floor_over_kubectl": ratio(med["floor"], med["kubectl_noop"]),
        "floor_over_helm": ratio(med["floor"], med["helm_noop"]),
        "cold_over_kubectl_cold": ratio(cold, med["kubectl_cold"]),
        "cold_over_naive_cold": ratio(cold, med["naive_role_cold"]),
        "helm_noop_over_kubectl": ratio(med["helm_noop"], med["kubectl_noop"]),
    }


def fleet_ratios(counts, fleet_figures, ratios, cpu_ratios):
    """``fleet_<high>_over_<low>`` (no-op) and ``_cold`` into ``ratios`` (wall) and ``cpu_ratios``."""
    if len(counts) > 1:
        low, high = str(counts[0]), str(counts[-1])
        for table, key in ((ratios, "seconds"), (cpu_ratios, "cpu_seconds")):
            table["fleet_%s_over_%s" % (high, low)] = ratio(fleet_figures[high]["noop"][key], fleet_figures[low]["noop"][key])
            table["fleet_%s_over_%s_cold" % (high, low)] = ratio(fleet_figures[high]["cold"][key], fleet_figures[low]["cold"][key])


@contextlib.contextmanager
def work_tree(revision, tmp):
    """A temporary git work tree of the repository at ``revision`` (None: nothing), removed after."""
    if not revision:
        yield None
        return
    path = os.path.join(tmp, "before")
    subprocess.run(["git", "worktree", "add", "--detach", path, revision], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)
    try:
        yield path
    finally:
        subprocess.run(["git", "worktree", "remove", "--force", path], cwd=ROOT, check=False)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", maxsplit=1)[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--fleet", default="1,2,4,8", help="release counts of the fleet runs, or none")
    parser.add_argument("--helm", help="the helm binary (default: the one scripts/helm/build.sh builds and caches)")
    parser.add_argument("--json", default=str(ROOT / "benchmarks/results/converge.json"))
    parser.add_argument("--before", help="a git revision whose site.yml is measured in the same run (before and after)")
    opts = parser.parse_args()
    counts = [] if opts.fleet in ("", "none", "0") else sorted({int(n) for n in opts.fleet.replace(" ", ",").split(",") if n})
    helm_binary = opts.helm or subprocess.run([str(ROOT / "scripts/helm/build.sh")], check=True, text=True,
                                              stdout=subprocess.PIPE).stdout.strip().splitlines()[-1]
    started = time.monotonic()

    with tempfile.TemporaryDirectory() as tmp, work_tree(opts.before, tmp) as before_root:
        render_dir = os.path.join(tmp, "render")
        # Every peer applies exactly what site.yml would (Secret values included, kept private).
        run([str(BIN / "ansible-playbook"), "playbooks/render.yml", "-i", "inventories/dev", *LOCAL,
             "-e", "split_brain_render_dir=" + render_dir, "-e", "split_brain_render_secrets=true"])
        helm = Helm(helm_binary, render_dir, tmp)
        helm_version = helm.version()
        runs, phase_rounds, cpu_rounds, round_seconds = rounds(opts, render_dir, tmp, helm, before_root)
        fleet_started = time.monotonic()
        fleet_figures = fleet(counts, tmp, noops=opts.rounds) if counts else {}
        before_fleet = fleet(counts, tmp, root=before_root, noops=opts.rounds) if counts and before_root else {}
        fleet_seconds = round(time.monotonic() - fleet_started, 1)

    result = {name: summary([r.seconds for r in values]) for name, values in runs.items()}
    med = {name: figures["median"] for name, figures in result.items()}
    cpu = {name: round(statistics.median([r.cpu for r in values]), 3) for name, values in runs.items()}
    ratios = peer_ratios(med)
    # The same ratios of CPU time (the client side's; steadier than wall time on a shared machine).
    cpu_ratios = peer_ratios(cpu)
    fleet_ratios(counts, fleet_figures, ratios, cpu_ratios)
    not_noop = {name: max(r.changed for r in runs[name]) for name in NOOPS if name in runs and max(r.changed for r in runs[name])}
    not_noop.update({"fleet_%s_noop" % n: f["noop"]["changed"] for n, f in fleet_figures.items() if f["noop"]["changed"]})
    before = {}
    if before_root:
        before = {"revision": opts.before, "ratios": peer_ratios(med, "before_"), "cpu_ratios": peer_ratios(cpu, "before_"),
                  "fleet": before_fleet}
        fleet_ratios(counts, before_fleet, before["ratios"], before["cpu_ratios"])
        not_noop.update({"before_fleet_%s_noop" % n: f["noop"]["changed"] for n, f in before_fleet.items() if f["noop"]["changed"]})
    report = {
        "rounds": opts.rounds,
        "helm": helm_version,
        "cpus": os.cpu_count(),
        "seconds": result,
        "cpu_seconds_median": cpu,
        "ratios": ratios,
        "cpu_ratios": cpu_ratios,
        "helm_cold_namespace_seconds_median": round(statistics.median(helm.namespace_seconds), 3),
        "fleet": fleet_figures,
        "module_invocations": {name: values[-1].modules for name, values in runs.items() if values[-1].modules},
        "tasks_executed": {name: values[-1].tasks for name, values in runs.items() if values[-1].tasks},
        "roles": 7,
        "peak_rss_mib": {name: round(max(r.rss for r in values) / 2**20, 1) for name, values in runs.items()},
        "phases_median_seconds": {
            name: {phase: round(statistics.median(values), 3) for phase, values in by_phase.items()}
            for name, by_phase in phase_rounds.items()
        },
        "cpu_phases_median_seconds": {
            name: {phase: round(statistics.median(values), 3) for phase, values in by_phase.items()}
            for name, by_phase in cpu_rounds.items()
        },
        "changed_on_a_converged_cluster": not_noop,
        "before": before,
        "wall_seconds": {"round": round_seconds, "fleet": fleet_seconds, "total": round(time.monotonic() - started, 1)},
    }
    print_report(report)
    Path(opts.json).parent.mkdir(parents=True, exist_ok=True)
    Path(opts.json).write_text(json.dumps(report, indent=2) + "\n")
    print("figures written to %s" % opts.json)


def print_report(report):
    print("\n%s, %d CPUs, %d round(s)" % (report["helm"], report["cpus"], report["rounds"]))
    print("%-18s %9s %9s %9s %9s %9s" % ("scenario", "median s", "min s", "max s", "cpu s", "RSS MiB"))
    for name, figures in report["seconds"].items():
        print("%-18s %9.2f %9.2f %9.2f %9.2f %9.1f" % (
            name, figures["median"], figures["min"], figures["max"], report["cpu_seconds_median"][name], report["peak_rss_mib"][name]))
    print("(helm_cold includes applying the Namespace with kubectl: %.2f s)" % report["helm_cold_namespace_seconds_median"])
    if report["fleet"]:
        print("\n%-9s %9s %9s %9s %9s %11s %11s" % ("fleet N", "cold s", "noop s", "cold cpu", "noop cpu",
                                                    "cold MiB", "noop MiB"))
        for count, entry in report["fleet"].items():
            print("%-9s %9.2f %9.2f %9.2f %9.2f %11.1f %11.1f" % (
                count, entry["cold"]["seconds"], entry["noop"]["seconds"], entry["cold"]["cpu_seconds"],
                entry["noop"]["cpu_seconds"], entry["cold"]["peak_rss_mib"], entry["noop"]["peak_rss_mib"]))
    if report["before"].get("fleet"):
        print("fleet at %s" % report["before"]["revision"])
        for count, entry in report["before"]["fleet"].items():
            print("%-9s %9.2f %9.2f %9.2f %9.2f %11.1f %11.1f" % (
                count, entry["cold"]["seconds"], entry["noop"]["seconds"], entry["cold"]["cpu_seconds"],
                entry["noop"]["cpu_seconds"], entry["cold"]["peak_rss_mib"], entry["noop"]["peak_rss_mib"]))
    print("\nratios: " + ", ".join("%s=%s" % kv for kv in report["ratios"].items()))
    if report["before"]:
        print("ratios at %s (before): " % report["before"]["revision"]
              + ", ".join("%s=%s" % kv for kv in report["before"]["ratios"].items()))
    print("ratios of CPU time: " + ", ".join("%s=%s" % kv for kv in report["cpu_ratios"].items()))
    print("tasks executed per run: " + ", ".join("%s=%d" % kv for kv in report["tasks_executed"].items()))
    print("module invocations per run: " + ", ".join("%s=%d" % kv for kv in report["module_invocations"].items())
          + " (roles: 7)")
    if report["changed_on_a_converged_cluster"]:
        print("WARNING: these runs on a converged cluster changed something (no no-op): %s"
              % report["changed_on_a_converged_cluster"])
    scenarios = list(report["phases_median_seconds"])
    print("\nwhere site.yml's time goes (median s)" + "".join(" %9s" % name for name in scenarios))
    for phase in report["phases_median_seconds"][scenarios[0]]:
        print("%-37s" % phase + "".join(" %9.2f" % report["phases_median_seconds"][name][phase] for name in scenarios))
    scenarios = list(report["cpu_phases_median_seconds"])
    print("\nsite.yml's CPU seconds by phase (median)" + "".join(" %9s" % name for name in scenarios))
    for phase in report["cpu_phases_median_seconds"][scenarios[0]]:
        print("%-37s" % phase + "".join(" %9.2f" % report["cpu_phases_median_seconds"][name][phase] for name in scenarios))
    wall = report["wall_seconds"]
    print("\nwall time: rounds %s s, fleet %.0f s, total %.0f s" % (wall["round"], wall["fleet"], wall["total"]))


if __name__ == "__main__":
    main()
