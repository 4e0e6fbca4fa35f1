# -*- coding: utf-8 -*-
# Copyright: split-brain deploy team
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)
"""Rules between the variables of the components (router, classifier, ui, cloudflared).

Each rule takes ``values`` (variable name -> validated value) and returns one line per problem,
starting with the variable it is about. The range and format of each variable are checked apart
(constraints.py); a rule skips a value of the wrong type or format rather than report it twice.
"""

from __future__ import annotations

from ansible_collections.split_brain.deploy.plugins.plugin_utils.manifest import in_cluster_host, parse_url, two_label_host
from ansible_collections.split_brain.deploy.plugins.plugin_utils.resources import default_resources, merge_resources
from ansible_collections.split_brain.deploy.plugins.plugin_utils.validation.formats import (
    RESOURCE_KEYS, as_int, as_str, path_problem, quantity_or_none, resource_quantities, url_problem)

COMPONENTS = ("router", "classifier", "ui", "cloudflared")
RWO = "ReadWriteOnce"
# Paths the classifier reads (on the shared volume), and the volume's mount point.
DATA_PATHS = ("classifier_head_path", "classifier_keywords_path")
MOUNT_PATH = "split_brain_data_mount_path"
# Mount paths that a rule of the shared settings refuses (shared.py).
RESERVED_MOUNT_PATHS = ("/", "/tmp")


# Every component ----------------------------------------------------------------------------------

def disruption_budget_problems(values):
    """A PodDisruptionBudget whose minAvailable is not below the replicas blocks every drain."""
    problems = []
    for component in COMPONENTS:
        replicas = as_int(values.get(component + "_replicas"))
        minimum = as_int(values.get(component + "_pdb_min_available"))
        if values.get(component + "_pdb_enabled") is True and None not in (replicas, minimum) and minimum >= replicas:
            problems.append(
                "%s_pdb_min_available: %d is not below %s_replicas (%d), so no pod could ever be evicted;"
                " lower it or set %s_pdb_enabled: false" % (component, minimum, component, replicas, component))
    return problems


def image_problems(values):
    """An image needs a tag or a digest (without either it would silently be :latest)."""
    problems = []
    for component in COMPONENTS:
        prefix = component + "_image_"
        if as_str(values.get(prefix + "tag")) == "" and as_str(values.get(prefix + "digest")) == "":
            problems.append("%stag: empty, and %sdigest is empty too; set a tag (e.g. \"1.0.0\") or a digest"
                            " (an image without either would silently be :latest)" % (prefix, prefix))
    return problems


def resource_problems(values):
    """A request above its limit; the /tmp emptyDir above an ephemeral-storage limit."""
    problems = []
    tmp_limit = quantity_or_none(values.get("split_brain_tmp_size_limit"))
    tmp_limit = tmp_limit if tmp_limit is not None and tmp_limit > 0 else None
    for component in COMPONENTS:
        name = component + "_resources"
        resources = values.get(name)
        if not isinstance(resources, dict):
            continue
        # What the container gets: the partial dict merged into the role's default (resources.py).
        defaults = default_resources(component)
        parsed = resource_quantities(merge_resources(resources, defaults))

        def given(section, key, value):
            given_section = resources.get(section)
            if isinstance(given_section, dict) and given_section.get(key) is not None:
                return "%s" % value
            return "%s (the role's default)" % value

        for key in RESOURCE_KEYS:
            request, limit = parsed.get(("requests", key)), parsed.get(("limits", key))
            if request and limit and request[0] > limit[0]:
                problems.append("%s: requests.%s %s is above limits.%s %s" % (
                    name, key, given("requests", key, request[1]), key, given("limits", key, limit[1])))
        limit = parsed.get(("limits", "ephemeral-storage"))
        if tmp_limit is not None and limit and tmp_limit > limit[0]:
            problems.append("split_brain_tmp_size_limit: %s is above %s.limits.ephemeral-storage %s (the /tmp emptyDir"
                            " counts against it)" % (values["split_brain_tmp_size_limit"], name,
                                                     given("limits", "ephemeral-storage", limit[1])))
    return problems


# router -------------------------------------------------------------------------------------------

def router_problems(values):
    """The HorizontalPodAutoscaler's bounds: router_replicas is its minimum."""
    problems = []
    if values.get("router_autoscaling_enabled") is True:
        replicas = as_int(values.get("router_replicas"))
        maximum = as_int(values.get("router_autoscaling_max_replicas"))
        if replicas is not None and replicas < 1:
            problems.append("router_replicas: must be at least 1 with router_autoscaling_enabled (it is the HPA's minimum)")
        if None not in (replicas, maximum) and maximum < replicas:
            problems.append("router_autoscaling_max_replicas: %d is below router_replicas (%d), the HPA's minimum"
                            % (maximum, replicas))
    return problems


def scalarlm_port_problems(values):
    """An in-cluster ScalarLM URL names the Service's port, and a NetworkPolicy matches the pod's: the
    router's egress would be open on the wrong port unless router_scalarlm_target_port says which."""
    url = as_str(values.get("router_scalarlm_base_url"))
    target = as_int(values.get("router_scalarlm_target_port"))
    if url is None or target is None or (url and url_problem(url)):
        return []  # the spec or the URL's format reports it
    if not url:
        return (["router_scalarlm_target_port: set (%d), but router_scalarlm_base_url is empty (ScalarLM is off);"
                 " set it to 0" % target] if target else [])
    _scheme, host, port = parse_url(url)
    labels = host.split(".")
    if in_cluster_host(host) and not target:
        return ["router_scalarlm_base_url: names the in-cluster Service %s.%s on port %d; set"
                " router_scalarlm_target_port to the port ScalarLM's pods listen on (the Service's targetPort, %d if"
                " the Service does not map it): the router's NetworkPolicy matches the pod's port, not the"
                " Service's" % (labels[0], labels[1], port, port)]
    if target and not in_cluster_host(host) and not two_label_host(host):
        return ["router_scalarlm_target_port: set (%d), but router_scalarlm_base_url's host %s is no in-cluster"
                " Service (<service>.<namespace>.svc); set it to 0" % (target, host)]
    return []


# classifier ---------------------------------------------------------------------------------------

def classifier_problems(values):
    """The files the classifier reads are on the shared volume."""
    problems = []
    mount = as_str(values.get(MOUNT_PATH))
    if mount is None or path_problem(mount) or mount in RESERVED_MOUNT_PATHS:
        return problems
    for name in DATA_PATHS:
        path = as_str(values.get(name))
        if path is not None and not path_problem(path) and not path.startswith(mount.rstrip("/") + "/"):
            problems.append("%s: %s is not on the shared volume (%s is %s)" % (name, path, MOUNT_PATH, mount))
    return problems


# cloudflared --------------------------------------------------------------------------------------

def _metrics_address(args):
    """``(index, address)`` of the ``--metrics`` of cloudflared's arguments, or None."""
    for index, arg in enumerate(args):
        if not isinstance(arg, str):
            continue
        if arg == "--metrics" and index + 1 < len(args) and isinstance(args[index + 1], str):
            return index + 1, args[index + 1]
        if arg.startswith("--metrics="):
            return index, arg[len("--metrics="):]
    return None


def cloudflared_problems(values):
    """The metrics server (and /ready, which the probes ask) listens on cloudflared_metrics_port,
    on every address of the pod (the kubelet probes the pod's IP, not its loopback)."""
    args, port = values.get("cloudflared_args"), as_int(values.get("cloudflared_metrics_port"))
    if not isinstance(args, list) or port is None:
        return []
    if not args:
        return ["cloudflared_args: empty, so cloudflared would not run the tunnel nor serve /ready, which the probes"
                " ask; leave it unset (the default) or write tunnel, --no-autoupdate, --metrics,"
                " \"0.0.0.0:{{ cloudflared_metrics_port }}\", run"]
    found = _metrics_address(args)
    if found is None:
        if any(isinstance(arg, str) and arg == "--metrics" for arg in args):
            return ["cloudflared_args: --metrics is the last argument, without its host:port; write --metrics,"
                    " \"0.0.0.0:{{ cloudflared_metrics_port }}\""]
        return ["cloudflared_args: has no --metrics listener, so nothing serves /ready, which the probes ask (the pods"
                " would never be ready); add --metrics, \"0.0.0.0:{{ cloudflared_metrics_port }}\" before run"]
    index, address = found
    if "{{" in address:
        return []  # not templated (a check outside the play)
    host, colon, listen = address.rpartition(":")
    if not colon or not listen.isdigit():
        return ["cloudflared_args[%d]: --metrics %s is no host:port; write 0.0.0.0:%d (cloudflared_metrics_port)"
                % (index, address, port)]
    problems = []
    if int(listen) != port:
        problems.append("cloudflared_metrics_port: %d, but cloudflared_args has --metrics %s (port %s); the probes and"
                        " the pods' port would ask a port nobody listens on; make them agree (the default args use"
                        " \"0.0.0.0:{{ cloudflared_metrics_port }}\")" % (port, address, listen))
    if host in ("localhost", "127.0.0.1", "[::1]"):
        problems.append("cloudflared_args[%d]: --metrics %s listens on the loopback only, which the kubelet's probes"
                        " cannot reach; use 0.0.0.0:%s" % (index, address, listen))
    return problems


# ui -----------------------------------------------------------------------------------------------

def google_signin_problems(values):
    """Google sign-in needs where Google sends the user back, and who may sign in (without an
    allow-list every Google account could)."""
    if values.get("ui_google_signin_enabled") is not True:
        return []
    problems = []
    if as_str(values.get("ui_google_redirect_url")) == "":
        problems.append("ui_google_redirect_url: empty, but ui_google_signin_enabled is true (Google sends the user"
                        " back to it, e.g. https://ui.example.com/auth/google/callback)")
    domains, emails = values.get("ui_google_allowed_domains"), values.get("ui_google_allowed_emails")
    if domains == [] and emails == []:
        problems.append("ui_google_allowed_domains: empty, and ui_google_allowed_emails is empty too, but"
                        " ui_google_signin_enabled is true: any Google account could sign in; list the domains or"
                        " the e-mail addresses allowed")
    return problems


def ui_problems(values):
    """ReadWriteOnce: router and classifier may scale (a required pod affinity puts every pod that
    mounts the volume on one node), but the ui is the single writer of its files."""
    ui_replicas = as_int(values.get("ui_replicas"))
    if values.get("split_brain_storage_access_mode") == RWO and ui_replicas is not None and ui_replicas > 1:
        return ["ui_replicas: %d with split_brain_storage_access_mode ReadWriteOnce; the ui is the single"
                " writer of its files on the shared volume, use 1 (or ReadWriteMany storage)" % ui_replicas]
    return []


RULES = (disruption_budget_problems, image_problems, resource_problems, router_problems, scalarlm_port_problems,
         classifier_problems, cloudflared_problems, ui_problems, google_signin_problems)
