# -*- coding: utf-8 -*-
# Copyright: split-brain deploy team
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)
"""The cluster phase of a release, in one module run (split_brain.deploy.release).

``run(module, client)`` does, in order, under the release lock (module_utils/lock.py):

1. ownership: a namespace of another release is refused before anything is touched;
2. history: the run is recorded as a pending revision, unless its objects equal the deployed
   revision's (module_utils/history.py);
3. field owners: the replicas an HPA takes over are handed to a manager that keeps them, and the
   fields this apply takes back from other managers are found (module_utils/fields.py);
4. preflight: every object is applied as a server-side dry run. Any refusal (an immutable field,
   a PVC shrink, an admission webhook, a quota) stops the run here, before the first write, and
   names every refused object with the API server's reason;
5. apply: only the objects whose dry run differs from what the cluster holds are applied (server
   side apply, kubernetes.core's K8sService), so a converged run writes nothing;
6. prune: the release's objects that are no longer rendered are deleted (module_utils/objects.py);
7. wait: the Deployments whose rollout is not complete are waited for (module_utils/rollout.py);
8. history: the revision is marked deployed, or failed; with ``atomic`` a failed run puts the
   deployed revision back (steps 3 to 7 with its objects) before it fails.

``state=absent`` removes the release instead (uninstall). Check mode takes no lock, writes
nothing, and reports what the run would change, the preflight included.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
from concurrent.futures import ThreadPoolExecutor
import getpass
import hashlib
import hmac
import json
import os
import signal
import socket
import time
import uuid

from ansible_collections.kubernetes.core.plugins.module_utils.k8s.client import K8SClient
from ansible_collections.kubernetes.core.plugins.module_utils.k8s.service import K8sService
from ansible_collections.split_brain.deploy.plugins.module_utils import history, lock
from ansible_collections.split_brain.deploy.plugins.module_utils.changes import object_diff
from ansible_collections.split_brain.deploy.plugins.module_utils.fields import (
    FIELD_MANAGER,
    HANDOVER_MANAGER,
    field_owners,
)
from ansible_collections.split_brain.deploy.plugins.module_utils.objects import (
    MANAGED_BY,
    NAMESPACED_KINDS,
    apply_order,
    delete_objects,
    list_release_objects,
    object_key,
)
from ansible_collections.split_brain.deploy.plugins.module_utils.release_state import draw_key
from ansible_collections.split_brain.deploy.plugins.module_utils.rollout import (
    deployment_state,
    wait_for_rollouts,
)

# Set by the API server on every write: not a difference between what is rendered and what runs.
# Requests the module makes at once (lists of the namespace, the preflight's dry runs).
PARALLEL = 8
COMPONENT_LABEL = "app.kubernetes.io/component"
SERVER_FIELDS = ("resourceVersion", "generation", "uid", "creationTimestamp", "selfLink")

# The pod-template annotation that rolls a component's pods when a Secret they read changes. The
# templates render it as KEYED_AT_APPLY; the module puts in the HMAC-SHA256 of the Secrets' values
# under the release's checksum key (a Secret of the release that no later run changes), so that a
# reader of the Deployment cannot test a guessed secret against it.
SECRET_CHECKSUM = "split-brain.io/secret-checksum"
KEYED_AT_APPLY = "<keyed at apply>"
CHECKSUM_KEY_COMPONENT = "checksum-key"

RELEASE_FAILURE = "The release {instance} in namespace {namespace} failed: {error}"
RELEASE_ARGUMENT_SPEC = dict(
    namespace=dict(type="str", required=True),
    instance=dict(type="str", required=True),
    state=dict(type="str", default="present", choices=["present", "absent"]),
    objects=dict(type="list", elements="dict", default=[]),
    components=dict(type="list", elements="str", default=[]),
    release_components=dict(type="list", elements="str", default=[]),
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
)


class ReleaseError(Exception):
    """A step of the release failed; ``str()`` says which and why."""


def key_of(obj):
    return object_key(obj.get("kind", "?"), (obj.get("metadata") or {}).get("name", "?"))


def comparable(obj):
    """What of an object this release decides: everything but its status and the fields the API
    server sets on each write; the field managers without the time of their last write."""
    if not obj:
        return None
    out = dict((k, v) for k, v in obj.items() if k != "status")
    metadata = dict(out.get("metadata") or {})
    for field in SERVER_FIELDS:
        metadata.pop(field, None)
    managed = metadata.pop("managedFields", None) or []
    metadata["managedFields"] = sorted(
        json.dumps(dict((k, v) for k, v in entry.items() if k != "time"), sort_keys=True) for entry in managed
    )
    out["metadata"] = metadata
    return out


def refusal_reason(error):
    """The API server's own words for a refused request (its Status ``message``), else the error."""
    text = str(error)
    for candidate in (getattr(getattr(error, "__cause__", None), "body", None), text[text.find("{"):]):
        try:
            status = json.loads(candidate) if isinstance(candidate, (str, bytes)) else None
        except ValueError:
            continue
        if isinstance(status, dict) and status.get("message"):
            return status["message"]
    return text


def secret_values(secret):
    """A Secret's values as text (``stringData``, or ``data`` decoded), in the Secret's key order."""
    if secret.get("stringData") is not None:
        return dict(secret["stringData"])
    return dict((key, base64.b64decode(value).decode("utf-8")) for key, value in (secret.get("data") or {}).items())


def keyed_checksums(objects, key):
    """``objects`` with every Deployment's secret-checksum placeholder replaced by the HMAC-SHA256,
    under ``key``, of the JSON list of the values of its component's Secrets (those of
    ``objects`` with its ``app.kubernetes.io/component`` label, in their order), the text the
    templates' ``checksum_annotations`` filter keys. Other objects are returned as they are."""
    out = []
    for obj in objects:
        annotations = ((((obj.get("spec") or {}).get("template") or {}).get("metadata") or {}).get("annotations")) or {}
        if obj.get("kind") != "Deployment" or annotations.get(SECRET_CHECKSUM) != KEYED_AT_APPLY:
            out.append(obj)
            continue
        component = component_of(obj)
        values = [secret_values(o) for o in objects if o.get("kind") == "Secret" and component_of(o) == component]
        digest = hmac.new(key.encode("utf-8"), json.dumps(values).encode("utf-8"), hashlib.sha256).hexdigest()
        obj = json.loads(json.dumps(obj))  # a copy: the caller's objects stay as rendered
        obj["spec"]["template"]["metadata"]["annotations"][SECRET_CHECKSUM] = digest
        out.append(obj)
    return out


def component_of(obj):
    return ((obj.get("metadata") or {}).get("labels") or {}).get(COMPONENT_LABEL)


def checksum_key_object(name, namespace, instance, key):
    labels = {"app.kubernetes.io/part-of": "split-brain", "app.kubernetes.io/instance": instance,
              "app.kubernetes.io/managed-by": MANAGED_BY, "app.kubernetes.io/name": CHECKSUM_KEY_COMPONENT,
              "app.kubernetes.io/component": CHECKSUM_KEY_COMPONENT}
    return {"apiVersion": "v1", "kind": "Secret", "type": "Opaque",
            "metadata": {"name": name, "namespace": namespace, "labels": labels}, "stringData": {"key": key}}


def scrub(text, objects):
    """``text`` with every value of the Secrets among ``objects`` (as given, and base64-encoded as
    the API server stores it) replaced by ``********``: a failure's message is shown even when the
    task is no_log, and may quote what the API server or the client saw."""
    values = set()
    for obj in objects or []:
        if isinstance(obj, dict) and obj.get("kind") == "Secret":
            for field in ("stringData", "data"):
                for value in ((obj.get(field) or {}) if isinstance(obj.get(field), dict) else {}).values():
                    if isinstance(value, str) and value:
                        values.add(value)
                        values.add(base64.b64encode(value.encode("utf-8")).decode("ascii"))
                        if field == "data":
                            try:
                                values.add(base64.b64decode(value).decode("utf-8"))
                            except ValueError:  # not base64 of text: the value itself is masked
                                pass
    for value in sorted(values, key=len, reverse=True):
        text = text.replace(value, "********")
    return text


def who_am_i():
    try:
        user = getpass.getuser()
    except Exception:  # pylint: disable=broad-exception-caught
        user = str(os.getuid())  # no user name in a bare container
    return "%s@%s" % (user, socket.gethostname())


class Release:
    """One run of split_brain.deploy.release: see the module's documentation."""

    def __init__(self, module, client):
        self.module = module
        self.params = module.params
        self.check = bool(module.check_mode)
        self.client = client
        # The preflight's client: the same connection, every request a server-side dry run.
        self.dry_client = K8SClient(configuration=client.configuration, client=client.client, dry_run=True)
        self.service = K8sService(client, module)
        self.dry_service = K8sService(self.dry_client, module)
        self.namespace = self.params["namespace"]
        self.instance = self.params["instance"]
        self.warnings = []
        self.steps = {}
        self.diffs = []
        self.live = {}

    # -- the run -------------------------------------------------------------------------------

    def run(self):
        namespace_obj = lock.namespace_object(self.client, self.namespace)
        self.refuse_foreign({("Namespace", self.namespace): namespace_obj} if namespace_obj else {})
        if self.params["state"] == "absent":
            if namespace_obj is None:
                return self.result(False, "Namespace %s does not exist: nothing to remove." % self.namespace,
                                   removed=[], kept=[], history=[])
            return self.locked(self.uninstall)
        if namespace_obj is None and self.check:
            return self.preview_first_install()
        if namespace_obj is None:
            lock.create_namespace(self.client, self.namespace, self.instance)
        return self.locked(self.deploy)

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
        renewer = lock.Renewer(self.client, self.namespace, identity, self.params["lock_duration"],
                               on_orphaned=lambda: os.kill(os.getpid(), signal.SIGINT))
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

    def refuse_foreign(self, live):
        """Refuse a namespace that another release of split_brain.deploy owns: its labels say so, or
        objects of the collection with another instance label are in it."""
        for key, item in sorted(live.items(), key=lambda entry: entry[0][0] != "Namespace"):
            labels = (item.get("metadata") or {}).get("labels") or {}
            other = labels.get(lock.INSTANCE_LABEL, self.instance)
            if labels.get(lock.MANAGED_BY_LABEL) == MANAGED_BY and other != self.instance:
                raise ReleaseError(lock.ownership_message(self.namespace, self.instance, ("%s/%s" % key, other)))

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
        namespace_obj = lock.namespace_object(self.client, self.namespace)
        if namespace_obj:
            live["Namespace"] = self.client.resource("Namespace", "v1")
            live[("Namespace", self.namespace)] = dict(namespace_obj, kind="Namespace", apiVersion="v1")
        self.refuse_foreign(dict((k, v) for k, v in live.items() if isinstance(k, tuple)))
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
        plans = self.preflight(objects)
        applied = []
        for plan in plans:
            if plan["after"] is None:
                continue
            if not self.check:
                try:
                    plan["after"], warnings = self.service.apply(plan["resource"], plan["definition"], plan["live"])
                except Exception as exc:
                    raise ReleaseError("Applying %s failed: %s" % (plan["key"], refusal_reason(exc)))
                self.warnings.extend(warnings)
                if comparable(plan["after"]) == comparable(plan["live"]):
                    plan["after"] = None
                    continue
            applied.append(plan["key"])
            diff = object_diff(plan["key"], plan["live"], plan["after"])
            if diff:
                self.diffs.append(diff)
        self.steps["applied"] = applied
        self.prune(objects, components)
        self.wait_for(plans)

    def take_over_fields(self, objects):
        owners = field_owners(self.dry_client if self.check else self.client, dict(
            namespace=self.namespace, objects=[o for o in objects if o.get("kind") != "Secret"],
            field_manager=FIELD_MANAGER, handover_manager=HANDOVER_MANAGER), self.live)
        self.steps["taken_back"] = owners["lines"]
        self.steps["handed_over"] = owners["handed_over"]
        self.warnings.extend(owners["lines"])

    def preflight(self, objects):
        """Apply every object as a server-side dry run (several at once); return one plan per
        object, in order, with ``after`` None when the dry run shows nothing to change. Every
        refusal is collected and raised together, before anything is written."""
        self.module.params["server_side_apply"] = dict(field_manager=FIELD_MANAGER, force_conflicts=True)
        with ThreadPoolExecutor(PARALLEL) as pool:
            outcomes = list(pool.map(self.dry_run, objects))
        refused = [outcome for outcome in outcomes if isinstance(outcome, str)]
        if refused:
            raise ReleaseError("The API server refused %d object%s in a dry run (preflight), so nothing was changed: %s"
                               % (len(refused), "" if len(refused) == 1 else "s", " | ".join(refused)))
        return outcomes

    def dry_run(self, definition):
        """The plan of one object, or the line that says why the API server refused it."""
        definition = dict(definition)
        metadata = dict(definition.get("metadata") or {})
        key = key_of(definition)
        try:
            resource = self.live.get(definition.get("kind")) or self.service.find_resource(
                definition.get("kind"), definition.get("apiVersion"), fail=True)
            if resource.namespaced:
                metadata.setdefault("namespace", self.namespace)
            definition["metadata"] = metadata
            live = self.live.get((definition.get("kind"), metadata.get("name")))
            after, _warnings = self.dry_service.apply(resource, definition, None)
        except Exception as exc:  # pylint: disable=broad-exception-caught
            return "%s: %s" % (key, refusal_reason(exc))
        changes = comparable(after) != comparable(live)
        return dict(key=key, resource=resource, definition=definition, live=live,
                    after=after if changes else None, current=after)

    def prune(self, objects, components):
        if not self.params["prune"]:
            self.steps["pruned"] = []
            return
        keep, rendered = set(key_of(o) for o in objects), set(components)
        stale = []
        for api_version, kind in NAMESPACED_KINDS:  # the order prune deletes in
            if kind == "PersistentVolumeClaim":
                continue  # the data stays: only uninstall with split_brain_delete_data deletes it
            for (item_kind, name), item in sorted((k, v) for k, v in self.live.items() if isinstance(k, tuple)):
                labels = (item.get("metadata") or {}).get("labels") or {}
                if item_kind == kind and labels.get(lock.MANAGED_BY_LABEL) == MANAGED_BY \
                        and labels.get(lock.INSTANCE_LABEL) == self.instance \
                        and labels.get(COMPONENT_LABEL) in rendered and object_key(kind, name) not in keep:
                    stale.append((api_version, kind, name, labels.get(COMPONENT_LABEL)))
        self.steps["pruned"] = delete_objects(self.dry_client if self.check else self.client, self.namespace, stale)

    def wait_for(self, plans):
        names = [p["current"]["metadata"]["name"] for p in plans
                 if p["definition"].get("kind") == "Deployment"
                 and not deployment_state(p["after"] or p["current"])["complete"]]
        self.steps["waited_for"] = [] if self.check or not self.params["wait"] else names
        if self.check or not self.params["wait"] or not names:
            return
        waited = wait_for_rollouts(self.client, dict(namespace=self.namespace, names=names,
                                                     timeout=self.params["wait_timeout"], interval=1.0))
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
        namespace_obj = lock.namespace_object(self.client, self.namespace)
        own_namespace = ((namespace_obj or {}).get("metadata") or {}).get("labels", {}).get(lock.INSTANCE_LABEL) == self.instance
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


def run(module, client):
    """The result of split_brain.deploy.release (``failed`` set when a step failed)."""
    release = Release(module, client)
    try:
        result = release.run()
        release.finish_uninstall_namespace()
        return result
    except ReleaseError as exc:
        return dict(release.result(False, scrub(str(exc), module.params["objects"])), failed=True)
    except KeyboardInterrupt:
        return dict(release.result(False, "The run was interrupted; the lock is released and the revision stays "
                                          "pending (the next run marks it interrupted)."), failed=True)
