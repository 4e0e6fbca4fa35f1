# -*- coding: utf-8 -*-
# Copyright: split-brain deploy team
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)
"""Where the kubeconfig of a deploy comes from, and whether it is there."""

from __future__ import annotations

from ansible_collections.split_brain.deploy.plugins.plugin_utils.validation.spec import describe


def kubeconfig_problems(kubeconfig, environ, exists, defaults=None):
    """Where the kubeconfig of a deploy comes from, and whether that file is there (one line or none).

    ``kubeconfig`` is split_brain_kubeconfig, ``environ`` the task's environment (the controller's
    and the task's ``environment:``), ``defaults`` the connection options a cluster task would get
    from the play's ``module_defaults``, and ``exists(path)`` tells whether a file is there (the
    caller does the I/O). Empty split_brain_kubeconfig means the module_defaults, else the kubernetes
    client's defaults: K8S_AUTH_KUBECONFIG, else KUBECONFIG (paths separated by :), else
    ~/.kube/config, else in-cluster. A host given without a kubeconfig (token auth) needs no file.
    """
    defaults = defaults or {}
    what = ("point it at your cluster's kubeconfig file, or leave split_brain_kubeconfig empty to use"
            " K8S_AUTH_KUBECONFIG, KUBECONFIG or ~/.kube/config")
    if isinstance(kubeconfig, dict):
        return []
    if not isinstance(kubeconfig, str):
        return ["split_brain_kubeconfig: must be the path of a kubeconfig file or a kubeconfig dict, got %s"
                % describe(kubeconfig)]
    if kubeconfig:
        if not exists(kubeconfig):
            return ["split_brain_kubeconfig: the file %s does not exist; %s" % (kubeconfig, what)]
        return []
    if defaults.get("kubeconfig"):
        path = defaults["kubeconfig"]
        if isinstance(path, str) and not exists(path):
            return ["module_defaults: the kubeconfig %s of group/split_brain.deploy.cluster does not exist"
                    " (split_brain_kubeconfig is empty, so the play's module_defaults name it)" % path]
        return []
    if defaults.get("host") or environ.get("K8S_AUTH_HOST"):
        return []
    if environ.get("K8S_AUTH_KUBECONFIG"):
        path = environ["K8S_AUTH_KUBECONFIG"]
        if not exists(path):
            return ["K8S_AUTH_KUBECONFIG: the file %s does not exist (split_brain_kubeconfig is empty, so the"
                    " environment names the kubeconfig); set it to your cluster's kubeconfig file, or unset it" % path]
        return []
    if environ.get("KUBECONFIG"):
        paths = [p for p in environ["KUBECONFIG"].split(":") if p]
        if not any(exists(p) for p in paths):
            return ["KUBECONFIG: %s %s (split_brain_kubeconfig is empty, so the environment names the"
                    " kubeconfig); set it to your cluster's kubeconfig file, or set split_brain_kubeconfig"
                    % (", ".join(paths), "does not exist" if len(paths) == 1 else "do not exist")]
        return []
    if not exists("~/.kube/config") and not environ.get("KUBERNETES_SERVICE_HOST"):
        return ["split_brain_kubeconfig: empty, and neither K8S_AUTH_KUBECONFIG, KUBECONFIG nor ~/.kube/config names"
                " a kubeconfig (and this is not a pod in a cluster); set split_brain_kubeconfig to your cluster's"
                " kubeconfig file"]
    return []
