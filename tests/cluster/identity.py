"""Helpers of the tests that run the playbooks as an identity other than the admin's:
kubeconfigs with a bearer token or an exec credential plugin, and runs that use them."""

import base64
import json
import os
import subprocess
from pathlib import Path

import yaml

from clusterlib import LOCAL_VARS, ROOT, ansible_env


def admin_kubeconfig():
    return os.environ["KUBECONFIG"]


def admin(*args, check=True, stdin=None):
    """kubectl with the admin kubeconfig (the tests' KUBECONFIG), no namespace implied."""
    result = subprocess.run(["kubectl", *args], capture_output=True, text=True, input=stdin, check=False)
    if check and result.returncode != 0:
        raise AssertionError("kubectl %s: %s" % (" ".join(args), result.stderr))
    return result


def as_identity(kubeconfig, *args, check=False):
    """kubectl with ``kubeconfig`` (its own credentials, nothing of the admin's)."""
    env = dict(os.environ, KUBECONFIG=str(kubeconfig))
    result = subprocess.run(["kubectl", *args], capture_output=True, text=True, env=env, check=False)
    if check and result.returncode != 0:
        raise AssertionError("kubectl %s: %s" % (" ".join(args), result.stderr))
    return result


def whoami(kubeconfig):
    out = as_identity(kubeconfig, "auth", "whoami", "-o", "json", check=True).stdout
    return json.loads(out)["status"]["userInfo"]["username"]


def playbook(playbook_path, *args, kubeconfig=None, env_kubeconfig=None, check=True):
    """Run a playbook on the dev inventory. ``kubeconfig``: passed as -e split_brain_kubeconfig;
    ``env_kubeconfig``: set as KUBECONFIG instead (the admin's is removed from the environment)."""
    cmd = ["ansible-playbook", playbook_path, "-i", "inventories/dev", "-e", LOCAL_VARS, *args]
    if kubeconfig:
        cmd += ["-e", "split_brain_kubeconfig=%s" % kubeconfig]
    env = ansible_env()
    for name in ("K8S_AUTH_KUBECONFIG", "K8S_AUTH_CONTEXT"):
        env.pop(name, None)
    if env_kubeconfig:
        env["KUBECONFIG"] = str(env_kubeconfig)
    result = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    if check and result.returncode != 0:
        raise AssertionError("%s failed (rc %d):\n%s\n%s" % (" ".join(cmd), result.returncode, result.stdout[-8000:], result.stderr[-3000:]))
    return result


def cluster_entry():
    """The admin kubeconfig's cluster (server and CA) of its current context."""
    config = yaml.safe_load(Path(admin_kubeconfig()).read_text())
    context = next(c["context"] for c in config["contexts"] if c["name"] == config["current-context"])
    return next(c["cluster"] for c in config["clusters"] if c["name"] == context["cluster"])


def write_kubeconfig(path, user, namespace):
    """A kubeconfig for the admin's cluster with ``user`` (a kubeconfig user entry), mode 0600."""
    config = {
        "apiVersion": "v1",
        "kind": "Config",
        "clusters": [{"name": "local", "cluster": cluster_entry()}],
        "users": [{"name": "identity", "user": user}],
        "contexts": [{"name": "identity", "context": {"cluster": "local", "user": "identity", "namespace": namespace}}],
        "current-context": "identity",
    }
    path = Path(path)
    path.touch(mode=0o600)
    path.write_text(yaml.safe_dump(config))
    return path


def exec_plugin(folder, token):
    """A credential plugin (what EKS, GKE and AKS kubeconfigs run): a script printing an
    ExecCredential with ``token``; each call appends a line to ``<folder>/calls``."""
    folder = Path(folder)
    (folder / "token").write_text(token)
    (folder / "token").chmod(0o600)
    script = folder / "credential-plugin"
    script.write_text(
        "#!/bin/sh\n"
        'echo called >> "%s"\n'
        "printf '{\"apiVersion\":\"client.authentication.k8s.io/v1\",\"kind\":\"ExecCredential\","
        "\"status\":{\"token\":\"%%s\"}}\\n' \"$(cat '%s')\"\n" % (folder / "calls", folder / "token")
    )
    script.chmod(0o700)
    user = {"exec": {"apiVersion": "client.authentication.k8s.io/v1", "command": str(script), "interactiveMode": "Never"}}
    return user, folder / "calls"


def token_of_secret(namespace, name):
    """The token of a kubernetes.io/service-account-token Secret, once the token controller filled it in."""
    out = admin("-n", namespace, "wait", "secret/%s" % name, "--for=jsonpath={.data.token}", "--timeout=60s", check=False)
    assert out.returncode == 0, out.stderr
    encoded = admin("-n", namespace, "get", "secret", name, "-o", "jsonpath={.data.token}").stdout
    return base64.b64decode(encoded).decode()
