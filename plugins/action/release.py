# -*- coding: utf-8 -*-
# Copyright: split-brain deploy team
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)
"""Action split_brain.deploy.release: render, then apply, roll back or remove a release, in one task.

Ansible's pattern of an action plugin that does the work on the controller while the module file
holds the documentation (plugins/modules/release.py), and the way kubernetes.core's ``k8s`` lookup
talks to the API server: kubernetes.core's ``get_api_client()`` and ``K8SClient``, called
in-process. The steps:

1. render: each role of ``render`` (its templates/objects.yaml.j2 with the task's templar,
   plugin_utils/render.py), the operator's annotations added;
2. write them to ``render_dir`` (plugin_utils/render_files.py), or run the cluster phase
   (module_utils/release.py) with them: in this process when the task's connection is local, as
   the module on the task's host otherwise (``delegate_to`` a remote host, a non-local connection);
3. return what changed: a summary, the diffs (a Secret's keys, never its values), the warnings.

The rendered objects never leave this process as an Ansible variable: no fact, registered result
or task result holds them. Every message of a failure is scrubbed of the Secrets' values.
"""

from __future__ import annotations

import os
import time

from ansible.errors import AnsibleActionFail, AnsibleError
from ansible.module_utils.common.text.converters import to_text
from ansible.plugins.action import ActionBase
from ansible.utils.display import Display

from ansible_collections.kubernetes.core.plugins.module_utils.args_common import AUTH_ARG_SPEC
from ansible_collections.kubernetes.core.plugins.module_utils.k8s.client import get_api_client
from ansible_collections.split_brain.deploy.plugins.module_utils.api_errors import connection_failure
from ansible_collections.split_brain.deploy.plugins.module_utils.process import ParentWatch
from ansible_collections.split_brain.deploy.plugins.module_utils.release import RELEASE_ARGUMENT_SPEC, RELEASE_FAILURE, SET_BY_ACTION, run
from ansible_collections.split_brain.deploy.plugins.module_utils.runner import failure_message
from ansible_collections.split_brain.deploy.plugins.module_utils.scrub import scrub
from ansible_collections.split_brain.deploy.plugins.plugin_utils.render import RenderFailed, render
from ansible_collections.split_brain.deploy.plugins.plugin_utils.render_files import RenderError, write_objects

display = Display()
ARGUMENT_SPEC = dict(AUTH_ARG_SPEC, **RELEASE_ARGUMENT_SPEC)
LOCAL_CONNECTIONS = ("local", "ansible.builtin.local")


class Clock:
    """Wall and CPU seconds of each phase of the action (the result's ``timings``, which the
    benchmark reads); CPU is this process's, its threads included."""

    def __init__(self):
        self.laps = {}
        self.wall, self.cpu = time.perf_counter(), time.process_time()

    def lap(self, name):
        wall, cpu = time.perf_counter(), time.process_time()
        self.laps[name] = {"wall": round(wall - self.wall, 3), "cpu": round(cpu - self.cpu, 3)}
        self.wall, self.cpu = wall, cpu


class ActionModule(ActionBase):
    """Render, then write or apply (see the module's documentation)."""

    TRANSFERS_FILES = False

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        task_vars = task_vars or {}
        _validated, args = self.validate_argument_spec(argument_spec=ARGUMENT_SPEC)
        given = sorted(name for name in SET_BY_ACTION if args.get(name))
        if given:
            raise AnsibleActionFail("%s: set by the action from the roles it renders (render), not by the task" % ", ".join(given))
        secrets = self.secret_values(task_vars, args["secret_variables"])
        objects, required = [], []
        clock = Clock()
        try:
            if args["state"] == "present" and args["revision"] is None and args["render"]:
                objects, required = render(self._templar, task_vars, args["render"], args["extra_annotations"])
            clock.lap("render")
            if args["render_dir"]:
                result.update(self.write(objects, args))
            else:
                result.update(self.release(objects, required, args, task_vars))
            clock.lap("write" if args["render_dir"] else "cluster")
        except (RenderFailed, RenderError, AnsibleError) as exc:
            result.update(failed=True, msg=to_text(getattr(exc, "message", None) or exc))
        if not result.get("failed"):
            result["timings"] = clock.laps
            # The one-line summary, at every verbosity (no task of its own: one task fewer per run).
            display.display(result["msg"])
        for key in ("msg", "warnings"):
            if key in result:
                result[key] = self.clean(result[key], objects, secrets)
        return result

    def write(self, objects, args):
        dest = os.path.abspath(os.path.expanduser(args["render_dir"]))
        files, written, removed = write_objects(objects, dest, args["reveal_secrets"], self._task.check_mode)
        verb = "Would write" if self._task.check_mode else "Wrote"
        msg = "%s %d files to %s (%d changed, %d removed)" % (verb, len(files), dest, len(written), len(removed))
        return dict(changed=bool(written or removed), dest=dest, files=files, written=written, removed=removed, msg=msg)

    def release(self, objects, required, args, task_vars):
        params = dict((name, args.get(name)) for name in RELEASE_ARGUMENT_SPEC)
        params.update(objects=objects, components=params["components"] or args["render"],
                      required_secrets=required if args["external_secrets"] else [])
        auth = dict((name, args[name]) for name in AUTH_ARG_SPEC if args.get(name) is not None)
        auth = dict(self.environment_auth(), **auth)
        if not self.runs_on_the_controller(task_vars):
            # On the task's host, as the module: the objects go as its no_log option.
            outcome = self._execute_module(module_name="split_brain.deploy.release", module_args=dict(params, **auth),
                                           task_vars=task_vars)
        else:
            try:
                client = get_api_client(**auth)
                outcome = run(params, client, self._task.check_mode, ParentWatch().gone)
            except Exception as exc:  # pylint: disable=broad-exception-caught
                outcome = dict(failed=True, msg=connection_failure(exc, auth)
                               or failure_message(RELEASE_FAILURE, dict(params, **auth), exc))
        outcome = dict((k, v) for k, v in outcome.items() if k not in ("invocation", "objects"))
        if outcome.get("diffs"):
            outcome["diff"] = outcome["diffs"]
        if outcome.get("notices"):
            outcome["warnings"] = list(outcome.get("warnings") or []) + outcome["notices"]
        return outcome

    def runs_on_the_controller(self, task_vars):
        """Whether the task's host (its delegate's, with ``delegate_to``) is reached with the local
        connection: then the cluster phase runs in this process."""
        variables, host = task_vars, task_vars.get("inventory_hostname")
        if self._task.delegate_to:
            host = self._task.delegate_to
            variables = (task_vars.get("ansible_delegated_vars") or {}).get(host) or {}
        # Ansible reaches a host named localhost with the local connection unless told otherwise.
        default = "local" if host in ("localhost", "127.0.0.1", "::1") else "ssh"
        connection = self._templar.template(variables.get("ansible_connection", default))
        return connection in LOCAL_CONNECTIONS

    def environment_auth(self):
        """kubernetes.core's connection options that the play's, role's or task's ``environment:``
        sets (``K8S_AUTH_*``, ``KUBECONFIG``): a module would see them in its environment, and the
        in-process client must too. The task's own options win over them."""
        environment = {}
        for entry in self._task.environment or []:
            value = self._templar.template(entry)
            if isinstance(value, dict):
                environment.update((str(k), str(v)) for k, v in value.items())
        auth = {}
        for name, spec in AUTH_ARG_SPEC.items():
            value = environment.get("K8S_AUTH_%s" % name.upper())
            if value is not None:
                auth[name] = value.lower() not in ("0", "false", "no") if spec.get("type") == "bool" else value
        if "kubeconfig" not in auth and environment.get("KUBECONFIG"):
            auth["kubeconfig"] = environment["KUBECONFIG"]
        return auth

    def secret_values(self, task_vars, names):
        """The values of the secret variables, to scrub from any message; a variable that cannot be
        resolved is left out (validation names it)."""
        values = []
        for name in names:
            if name not in task_vars:
                continue
            try:
                value = self._templar.template(task_vars[name])
            except Exception:  # pylint: disable=broad-exception-caught
                continue
            if isinstance(value, str) and value:
                values.append(value)
        return values

    @staticmethod
    def clean(value, objects, secrets):
        if isinstance(value, list):
            return [scrub(to_text(item), objects, secrets) for item in value]
        return scrub(to_text(value), objects, secrets)
