# -*- coding: utf-8 -*-
# Copyright: split-brain deploy team
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)
"""The cluster phase of a release (split_brain.deploy.release), as its list of steps.

``run(params, client, check)`` does, in order, under the release lock (lock.py):

1. ownership: a namespace of another release is refused before anything is touched (ownership.py);
2. Secrets managed out of band must exist with the keys the pods read (external_secrets.py);
3. history: the run is recorded as a pending revision, unless its objects equal the deployed
   revision's (history.py);
4. field owners: the replicas an HPA takes over are handed to a manager that keeps them, and the
   fields this apply takes back from other managers are found (fields.py);
5. preflight: every object is applied as a server-side dry run; any refusal stops the run here,
   before the first write, naming every refused object (apply.py);
6. apply: only the objects whose dry run differs are applied (apply.py);
7. prune: the release's objects that are no longer rendered are deleted (prune.py);
8. wait: the Deployments whose rollout is not complete are waited for (rollout.py);
9. history: the revision is marked deployed, or failed; with ``atomic`` a failed run puts the
   deployed revision back (steps 4 to 8 with its objects) before it fails.

``state=absent`` removes the release instead (uninstall). Check mode takes no lock, writes
nothing, and reports what the run would change, the preflight included. The same code runs
in-process on the controller (plugins/action/release.py) and as the module on a remote host.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from concurrent.futures import ThreadPoolExecutor
import os
import signal
import time
import uuid

from ansible_collections.kubernetes.core.plugins.module_utils.k8s.client import K8SClient
from ansible_collections.split_brain.deploy.plugins.module_utils import history, lock
from ansible_collections.split_brain.deploy.plugins.module_utils.apply import (
    PARALLEL,
    Refused,
    apply_plans,
    key_of,
    preflight,
)
from ansible_collections.split_brain.deploy.plugins.module_utils.checksums import checksum_key_object, keyed_checksums, secret_values
from ansible_collections.split_brain.deploy.plugins.module_utils.external_secrets import absent, missing_secret_keys
from ansible_collections.split_brain.deploy.plugins.module_utils.fields import HANDOVER_MANAGER, FIELD_MANAGER, field_owners
from ansible_collections.split_brain.deploy.plugins.module_utils.objects import NAMESPACED_KINDS, apply_order, delete_objects, list_release_objects, object_key
from ansible_collections.split_brain.deploy.plugins.module_utils.ownership import (
    ForeignRelease,
    INSTANCE_LABEL,
    create_namespace,
    namespace_object,
    refuse_foreign,
)
from ansible_collections.split_brain.deploy.plugins.module_utils.process import who_am_i
from ansible_collections.split_brain.deploy.plugins.module_utils.prune import prune
from ansible_collections.split_brain.deploy.plugins.module_utils.release_state import draw_key
from ansible_collections.split_brain.deploy.plugins.module_utils.rollout import deployment_state, wait_for_rollouts
from ansible_collections.split_brain.deploy.plugins.module_utils.scrub import scrub

RELEASE_FAILURE = "The release {instance} in namespace {namespace} failed: {error}"
RELEASE_ARGUMENT_SPEC = dict(
    namespace=dict(type="str", required=True),
    instance=dict(type="str", required=True),
    state=dict(type="str", default="present", choices=["present", "absent"]),
    objects=dict(type="list", elements="dict", default=[], no_log=True),
    components=dict(type="list", elements="str", default=[]),
    release_components=dict(type="list", elements="str", default=[]),
    required_secrets=dict(type="list", elements="dict", default=[], no_log=False),
    revision=dict(type="int"),
    description=dict(type="str", default=""),
    prune=dict(type="bool", default=True),
    wait=dict(type="bool", default=True),
    wait_timeout=dict(type="int", default=300),
    atomic=dict(type="bool", default=False),
    history_limit=dict(type="int", default=10),
    lock_timeout=dict(type="int", default=300),
    lock_duration=dict(type="int", default=30),
    delete_data=dict(type="bool", default=False),
    checksum_key=dict(type="str", default="", no_log=False),
    # The task's options of the action (plugins/action/release.py), which renders on the controller.
    render=dict(type="list", elements="str", default=[]),
    render_dir=dict(type="str", default=""),
    reveal_secrets=dict(type="bool", default=False),
    extra_annotations=dict(type="dict", default={}),
    external_secrets=dict(type="bool", default=False),
    secret_variables=dict(type="list", elements="str", default=[], no_log=False),
)
# Options the action sets itself (from what it rendered), never the task.
SET_BY_ACTION = ("objects", "required_secrets")


class ReleaseError(Exception):
    """A step of the release failed; ``str()`` says which and why."""


class Release:
    """One run of split_brain.deploy.release: see the module's documentation. ``orphaned`` says
    whether the controller that started the run is gone (process.ParentWatch)."""

    def __init__(self, params, client, check=False, orphaned=None):
        self.params = params
        self.check = bool(check)
        self.client = client
        # The preflight's client: the same connection, every request a server-side dry run.
        self.dry_client = K8SClient(configuration=client.configuration, client=client.client, dry_run=True)
        self.orphaned = orphaned
        self.namespace = self.params["namespace"]
        self.instance = self.params["instance"]
        self.warnings = []
        self.steps = {}
        self.diffs = []
        self.live = {}

    # -- the run -------------------------------------------------------------------------------

    def run(self):
        namespace_obj = namespace_object(self.client, self.namespace)
        if namespace_obj:
            refuse_foreign(self.namespace, self.instance, {("Namespace", self.namespace): namespace_obj})
        if self.params["state"] == "absent":
            if namespace_obj is None:
                return self.result(False, "Namespace %s does not exist: nothing to remove." % self.namespace,
                                   removed=[], kept=[], history=[])
            return self.locked(self.uninstall)
        self.check_external_secrets(namespace_obj)
        if namespace_obj is None and self.check:
            return self.preview_first_install()
        if namespace_obj is None:
            create_namespace(self.client, self.namespace, self.instance)
        return self.locked(self.deploy)

    def check_external_secrets(self, namespace_obj):
        required = self.params.get("required_secrets") or []
        if not required:
            return
        # No namespace yet: none of them exists (and the deploying identity may not read there yet).
        missing = missing_secret_keys(self.client, self.namespace, required) if namespace_obj else [
            absent(secret) for secret in required]
        if missing:
            raise ReleaseError("split_brain_secrets_create is false, so the Secrets must exist in namespace %s before "
                               "deploying. Missing: %s. Nothing was changed." % (self.namespace, "; ".join(missing)))

    def locked(self, work):
        """Run ``work`` under the release lock (check mode: say who holds it, take nothing)."""
        if self.check:
            state = lock.check(self.client, self.lock_params(), time.time())
            self.warnings.extend(m for m in (state.get("previous"), state.get("held_by") and state.get("msg")) if m)
            return work()
        who, pid = who_am_i(), os.getpid()
        identity = "%s/%d/%s" % (who, pid, uuid.uuid4().hex[:8])
        taken = lock.acquire(self.client, self.lock_params(), identity, who, pid, say=self.warnings.append)
        if not taken.get("acquired"):
            raise ReleaseError(taken["msg"])
        self.steps["lock"] = dict((k, taken[k]) for k in ("holder", "since", "waited", "previous"))
        if taken.get("previous"):
            self.warnings.append(taken["previous"])
        # The controller gone: this process ends at once (SIGTERM); its Lease names a pid that no
        # longer exists, so the next run of this host takes it over at once.
        renewer = lock.Renewer(self.client, self.namespace, identity, self.params["lock_duration"],
                               on_orphaned=lambda: os.kill(os.getpid(), signal.SIGTERM), orphaned=self.orphaned)
        renewer.start()
        try:
            return work()
        finally:
            renewer.stop()
            self.unlock(identity, renewer.lost)

    def unlock(self, identity, lost):
        try:
            released = lock.release(self.client, dict(self.lock_params(), identity=identity), time.time())
        except Exception as exc:  # pylint: disable=broad-exception-caught
            self.warnings.append("The lock of namespace %s could not be released (%s); it expires by itself %d s "
                                 "after this run ends." % (self.namespace, exc, self.params["lock_duration"]))
            return
        if released.get("lost") or lost:
            raise ReleaseError(released.get("msg") or "This run lost the lock of namespace %s." % self.namespace)

    def read_namespace(self):
        """The release namespace as it is, read under the lock: one list per kind the collection
        creates (at once), and the Namespace. Sets ``self.live``: each object (kinds and API versions
        filled in, as a list leaves them out) by ``(kind, name)``, and each kind's API resource.
        Another release's objects in the namespace stop the run here."""
        def listing(kind_version):
            api_version, kind = kind_version
            resource = self.client.resource(kind, api_version)
            items = self.client.get(resource, namespace=self.namespace).to_dict().get("items", [])
            return kind, resource, [dict(item, kind=kind, apiVersion=api_version) for item in items]

        live = {}
        with ThreadPoolExecutor(PARALLEL) as pool:
            for kind, resource, items in pool.map(listing, NAMESPACED_KINDS):
                live[kind] = resource
                live.update(((kind, item["metadata"]["name"]), item) for item in items)
        namespace_obj = namespace_object(self.client, self.namespace)
        if namespace_obj:
            live["Namespace"] = self.client.resource("Namespace", "v1")
            live[("Namespace", self.namespace)] = dict(namespace_obj, kind="Namespace", apiVersion="v1")
        refuse_foreign(self.namespace, self.instance, dict((k, v) for k, v in live.items() if isinstance(k, tuple)))
        self.live = live

    def lock_params(self):
        operation = "uninstall" if self.params["state"] == "absent" else (
            "rollback" if self.params["revision"] is not None else "deploy")
        return dict(namespace=self.namespace, instance=self.instance, operation=operation,
                    timeout=self.params["lock_timeout"], duration=self.params["lock_duration"], interval=1.0)

    # -- deploy, rollback --------------------------------------------------------------------

    def deploy(self):
        objects, components, description = self.params["objects"], self.params["components"], self.params["description"]
        if self.params["revision"] is not None:
            objects, description = self.read_revision(self.params["revision"])
            components = self.params["release_components"] or components
        objects, key_objects = self.keyed(objects)
        pending = self.begin(objects, components, description)
        try:
            self.converge(objects + key_objects, components)
        except Exception as exc:
            self.fail_revision(pending, exc)
        if pending.get("revision"):
            self.finish(pending["revision"], history.DEPLOYED)
        changed = bool(self.steps.get("applied") or self.steps.get("pruned") or self.steps.get("handed_over")
                       or pending.get("revision"))
        return self.result(changed, self.summary())

    def keyed(self, objects):
        """``objects`` with the Deployments' secret checksums keyed, and the checksum key's Secret
        to apply with them when this run draws the key (the release's first apply)."""
        name = self.params["checksum_key"]
        if not name or not any(o.get("kind") == "Deployment" for o in objects):
            return objects, []
        stored = None
        try:
            secret = self.client.get(self.client.resource("Secret", "v1"), name=name, namespace=self.namespace).to_dict()
            stored = secret_values(secret).get("key")
        except Exception as exc:  # pylint: disable=broad-exception-caught
            if getattr(exc, "status", None) != 404:
                raise
        key = stored or draw_key()
        extra = [] if stored else [checksum_key_object(name, self.namespace, self.instance, key)]
        return keyed_checksums(objects, key), extra

    def read_revision(self, revision):
        got = history.history_work(self.client, dict(namespace=self.namespace, instance=self.instance,
                                                     step="get", revision=revision))
        if got.get("failed"):
            raise ReleaseError(got["msg"])
        record = got["revision"]
        self.steps["restored_from"] = record
        description = self.params["description"] or "rollback to %d" % record["revision"]
        return got["objects"], description

    def begin(self, objects, components, description):
        if self.check:
            return {}
        pending = history.history_work(self.client, dict(
            namespace=self.namespace, instance=self.instance, step="begin", objects=objects,
            components=components, by=self.steps.get("lock", {}).get("holder", who_am_i()), description=description))
        self.warnings.extend(pending.pop("warnings", []))
        self.steps["revision"] = pending.get("revision") or 0
        self.steps["previous"] = (pending.get("previous") or {}).get("revision", 0)
        return pending

    def finish(self, revision, status):
        done = history.history_work(self.client, dict(namespace=self.namespace, instance=self.instance, step="finish",
                                                      revision=revision, status=status,
                                                      limit=self.params["history_limit"]))
        self.steps["status"] = status
        return done

    def fail_revision(self, pending, error):
        """Record the failed revision; with ``atomic``, put the deployed one back; raise."""
        reason = str(error).rstrip()
        reason += "" if reason.endswith((".", "?", "!")) else "."
        revision = pending.get("revision") or 0
        if revision:
            try:
                self.finish(revision, history.FAILED)
                reason += " Revision %d is recorded as failed." % revision
            except Exception:  # pylint: disable=broad-exception-caught
                pass  # the record stays pending; the next run reports it as interrupted
        previous = pending.get("previous") or {}
        if self.params["atomic"] and revision:
            if not previous:
                raise ReleaseError(reason + " split_brain_atomic: there is no deployed revision to restore.")
            try:
                self.restore(previous["revision"], revision)
            except Exception as exc:  # pylint: disable=broad-exception-caught
                raise ReleaseError("%s split_brain_atomic: restoring revision %s failed too: %s"
                                   % (reason, previous["revision"], exc))
            raise ReleaseError("%s split_brain_atomic: revision %s was restored and its rollout finished; it stays "
                               "the deployed revision." % (reason, previous["revision"]))
        raise ReleaseError(reason)

    def restore(self, target, failed):
        objects, _description = self.read_revision(target)
        components = self.params["release_components"] or self.params["components"]
        pending = self.begin(objects, components, "rollback to %s (atomic: revision %s failed)" % (target, failed))
        self.steps.update(applied=[], pruned=[])
        self.converge(objects, components)
        if pending.get("revision"):
            self.finish(pending["revision"], history.DEPLOYED)

    def converge(self, objects, components):
        """Field owners, preflight, apply, prune and wait for ``objects``."""
        objects = apply_order(objects)
        self.read_namespace()
        self.take_over_fields(objects)
        plans = preflight(self.dry_client, objects, self.namespace, self.live)
        applied, diffs, warnings = apply_plans(self.client, plans, self.check)
        self.steps["applied"] = applied
        self.diffs.extend(diffs)
        self.warnings.extend(warnings)
        self.steps["pruned"] = prune(self.dry_client if self.check else self.client, self.namespace, self.live,
                                     [key_of(o) for o in objects], components, self.instance) if self.params["prune"] else []
        self.wait_for(plans)

    def take_over_fields(self, objects):
        owners = field_owners(self.dry_client if self.check else self.client, dict(
            namespace=self.namespace, objects=[o for o in objects if o.get("kind") != "Secret"],
            field_manager=FIELD_MANAGER, handover_manager=HANDOVER_MANAGER), self.live)
        self.steps["taken_back"] = owners["lines"]
        self.steps["handed_over"] = owners["handed_over"]
        self.warnings.extend(owners["lines"])

    def wait_for(self, plans):
        names = [p["current"]["metadata"]["name"] for p in plans
                 if p["definition"].get("kind") == "Deployment"
                 and not deployment_state(p["after"] or p["current"])["complete"]]
        self.steps["waited_for"] = [] if self.check or not self.params["wait"] else names
        if self.check or not self.params["wait"] or not names:
            return
        waited = wait_for_rollouts(self.client, dict(namespace=self.namespace, names=names,
                                                     timeout=self.params["wait_timeout"], interval=0.25))
        if waited.get("failed"):
            raise ReleaseError(waited["msg"])

    def preview_first_install(self):
        objects, key_objects = self.keyed(self.params["objects"])
        objects = apply_order(objects + key_objects)
        return self.result(True, "Namespace %s does not exist yet: this run would create %d objects: %s"
                           % (self.namespace, len(objects), ", ".join(key_of(o) for o in objects)),
                           applied=[key_of(o) for o in objects])

    # -- uninstall ---------------------------------------------------------------------------

    def uninstall(self):
        client = self.dry_client if self.check else self.client
        components = self.params["release_components"]
        pvcs = [entry for entry in list_release_objects(self.client, self.namespace, self.instance, components)
                if entry[1] == "PersistentVolumeClaim"]
        removed = delete_objects(client, self.namespace, list_release_objects(
            self.client, self.namespace, self.instance, components, ("PersistentVolumeClaim",)))
        records = history.history_work(self.client, dict(namespace=self.namespace, instance=self.instance, step="list"))
        names = ["Secret/%s" % r["name"] for r in records["revisions"]]
        if not self.check:
            history.history_work(self.client, dict(namespace=self.namespace, instance=self.instance, step="absent"))
        namespace_obj = namespace_object(self.client, self.namespace)
        own_namespace = ((namespace_obj or {}).get("metadata") or {}).get("labels", {}).get(INSTANCE_LABEL) == self.instance
        kept = [object_key(e[1], e[2]) for e in pvcs] + (["Namespace/%s" % self.namespace] if own_namespace else [])
        if self.params["delete_data"]:
            removed += delete_objects(client, self.namespace, pvcs)
            if not self.check:
                self.wait_gone("PersistentVolumeClaim", "v1", [e[2] for e in pvcs])
            removed += kept[len(pvcs):]
            kept = []
        self.steps.update(removed=removed, kept=kept, history=names)
        changed = bool(removed or names)
        return self.result(changed, "%s %d objects%s." % (
            "Would remove" if self.check else "Removed", len(removed),
            "; kept %s (the data stays: split_brain_delete_data=true deletes them too)" % ", ".join(kept) if kept else ""),
            removed=removed, kept=kept, history=names)

    def finish_uninstall_namespace(self):
        """With ``delete_data``, the namespace goes last, after the lock is released."""
        if self.check or not self.params["delete_data"] or self.params["state"] != "absent":
            return
        if "Namespace/%s" % self.namespace not in self.steps.get("removed", []):
            return
        resource = self.client.resource("Namespace", "v1")
        try:
            self.client.delete(resource, name=self.namespace)
        except Exception as exc:  # pylint: disable=broad-exception-caught
            if getattr(exc, "status", None) != 404:
                raise
        self.wait_gone("Namespace", "v1", [self.namespace], namespaced=False)

    def wait_gone(self, kind, api_version, names, namespaced=True):
        resource = self.client.resource(kind, api_version)
        deadline = time.monotonic() + self.params["wait_timeout"]
        for name in names:
            while True:
                try:
                    self.client.get(resource, name=name, namespace=self.namespace if namespaced else None)
                except Exception as exc:  # pylint: disable=broad-exception-caught
                    if getattr(exc, "status", None) == 404:
                        break
                    raise
                if time.monotonic() > deadline:
                    raise ReleaseError("%s/%s is still there after %ds." % (kind, name, self.params["wait_timeout"]))
                time.sleep(1)

    # -- the result ----------------------------------------------------------------------------

    def summary(self):
        steps = self.steps
        applied_verb, deleted_verb = ("would apply", "would delete") if self.check else ("applied", "deleted")
        parts = []
        if (steps.get("lock") or {}).get("waited", 0) >= 1:
            parts.append("waited %.0fs for the lock" % steps["lock"]["waited"])
        if steps.get("restored_from"):
            parts.append("restored revision %d" % steps["restored_from"]["revision"])
        applied = steps.get("applied") or []
        listed = " (%s)" % ", ".join(applied) if applied else ""
        parts.append("%s %d object%s%s" % (applied_verb, len(applied), "" if len(applied) == 1 else "s", listed))
        if steps.get("pruned"):
            parts.append("%s %s" % (deleted_verb, ", ".join(steps["pruned"])))
        if steps.get("waited_for"):
            parts.append("waited for the rollout of %s" % ", ".join(steps["waited_for"]))
        if steps.get("revision"):
            parts.append("revision %d %s" % (steps["revision"], steps.get("status", history.PENDING)))
        elif not self.check:
            parts.append("nothing differs from the deployed revision%s" % (
                " %d" % steps["previous"] if steps.get("previous") else ""))
        return "; ".join(parts) + "."

    def result(self, changed, msg, **extra):
        steps = dict(self.steps)
        steps.update(extra)
        return dict(changed=changed, msg=msg, steps=steps, diffs=self.diffs, notices=self.warnings,
                    applied=steps.get("applied", []), pruned=steps.get("pruned", []),
                    revision=steps.get("revision", 0))


def run(params, client, check=False, orphaned=None):
    """The result of split_brain.deploy.release (``failed`` set when a step failed). Its messages
    never hold a value of the Secrets among ``params['objects']``."""
    release = Release(params, client, check, orphaned)
    try:
        result = release.run()
        release.finish_uninstall_namespace()
        return result
    except (ReleaseError, ForeignRelease, Refused) as exc:
        return dict(release.result(False, scrub(str(exc), params["objects"])), failed=True)
    except KeyboardInterrupt:
        return dict(release.result(False, "The run was interrupted; the lock is released and the revision stays "
                                          "pending (the next run marks it interrupted)."), failed=True)
