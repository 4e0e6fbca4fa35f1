"""The rendered objects of dev and prod against the deployment specification of split-brain (its counts,
resources, probes, secrets, config maps, volume, services, PDBs and policies) and its notes.

The session fixture ``rendered`` (tests/conftest.py) renders the two inventories once. Four more
renders are made here, each once per module, only for what the inventories cannot show:
``tuned`` (prod with the HPA on, a ConfigMap value and a Secret value changed), ``revealed``
(prod with ``split_brain_render_secrets``) and ``external`` (prod with ``split_brain_secrets_create``
false).
"""

import os
import subprocess
import sys
from pathlib import Path

import kubernetes_validate
import pytest
import yaml
from kubernetes.utils import parse_quantity


from helpers import ROOT, by_key, load_dir, render

if str(ROOT / "collections") not in sys.path:
    sys.path.insert(0, str(ROOT / "collections"))
from ansible_collections.split_brain.deploy.plugins.module_utils.checksums import keyed_checksums  # noqa: E402

ENVIRONMENTS = ("dev", "prod")
NAMESPACE = "split-brain"
COMPONENTS = ("router", "classifier", "ui", "cloudflared")
HTTP_COMPONENTS = ("router", "classifier", "ui")
PVC = "split-brain-data"
DATA_PATH = "/var/split-brain"
SCHEMA_VERSION = "1.37.0"

# ---------------------------------------------------------------------------------------------
# Expected tables (spec + NOTES), per environment.
# ---------------------------------------------------------------------------------------------

REPLICAS = {
    "prod": {"router": 3, "classifier": 2, "ui": 2, "cloudflared": 2},
    "dev": {"router": 1, "classifier": 1, "ui": 1, "cloudflared": 2},
}

RESOURCES = {
    "router": {"requests": {"cpu": "250m", "memory": "512Mi", "ephemeral-storage": "64Mi"},
               "limits": {"cpu": "1", "memory": "1Gi", "ephemeral-storage": "256Mi"}},
    "classifier": {"requests": {"cpu": "500m", "memory": "1Gi", "ephemeral-storage": "64Mi"},
                   "limits": {"cpu": "2", "memory": "2Gi", "ephemeral-storage": "256Mi"}},
    "ui": {"requests": {"cpu": "250m", "memory": "512Mi", "ephemeral-storage": "64Mi"}, "limits": {"cpu": "1", "memory": "1Gi", "ephemeral-storage": "256Mi"}},
    "cloudflared": {"requests": {"cpu": "100m", "memory": "128Mi", "ephemeral-storage": "64Mi"},
                    "limits": {"cpu": "500m", "memory": "256Mi", "ephemeral-storage": "256Mi"}},
}

# (liveness path, readiness path, container port the probes hit)
PROBES = {
    "router": ("/healthz", "/readyz", 8080),
    "classifier": ("/healthz", "/readyz", 8080),
    "ui": ("/healthz", "/readyz", 8080),
    "cloudflared": ("/ready", "/ready", 2000),
}

# Secret -> (keys, consuming Deployment); the optional ones only where their feature is on.
SECRETS = {
    "prod": {
        "anthropic-api-key": ({"ANTHROPIC_API_KEY"}, "router"),
        "cloudflared-credentials": ({"TUNNEL_TOKEN"}, "cloudflared"),
        "scalarlm-credentials": ({"SCALARLM_API_KEY"}, "router"),
        "google-oauth": ({"clientSecret", "sessionSecret"}, "ui"),
    },
    "dev": {
        "anthropic-api-key": ({"ANTHROPIC_API_KEY"}, "router"),
        "cloudflared-credentials": ({"TUNNEL_TOKEN"}, "cloudflared"),
    },
}

# The table of ConfigMap keys of docs/reference.md (cloudflared has none: token mode).
CONFIGMAP_KEYS = {
    "router-config": {
        "CLASSIFIER_URL", "CLASSIFIER_THRESHOLD", "MAX_IN_FLIGHT", "ANTHROPIC_MODEL",
        "SCALARLM_BASE_URL", "SCALARLM_MODEL", "CACHE_ENABLED", "CACHE_TTL_SECONDS", "DATA_DIR",
    },
    "classifier-config": {"MODEL_KIND", "HEAD_PATH", "HEAD_VERSION", "KEYWORDS_PATH"},
    "ui-config": {
        "CLASSIFIER_URL", "CF_ACCESS_TEAM_DOMAIN", "CF_ACCESS_AUDIENCE", "GOOGLE_SIGNIN_ENABLED",
        "GOOGLE_CLIENT_ID", "GOOGLE_REDIRECT_URL", "GOOGLE_ALLOWED_DOMAINS", "GOOGLE_ALLOWED_EMAILS",
        "SESSION_TTL_HOURS", "DATA_DIR",
    },
}
CONFIGMAP_VALUES = {
    "prod": {
        ("router-config", "CLASSIFIER_URL"): "http://classifier.split-brain.svc:8080",
        ("router-config", "SCALARLM_BASE_URL"): "https://scalarlm.example.com",
        ("ui-config", "CLASSIFIER_URL"): "http://classifier.split-brain.svc:8080",
        ("ui-config", "GOOGLE_SIGNIN_ENABLED"): "true",
    },
    "dev": {
        ("router-config", "CLASSIFIER_URL"): "http://classifier.split-brain.svc:8080",
        ("router-config", "SCALARLM_BASE_URL"): "",
        ("ui-config", "CLASSIFIER_URL"): "http://classifier.split-brain.svc:8080",
        ("ui-config", "GOOGLE_SIGNIN_ENABLED"): "false",
    },
}

# Who mounts split-brain-data, and how (None: not at all).
DATA_MOUNTS = {"router": "rw", "ui": "rw", "classifier": "ro", "cloudflared": None}
ACCESS_MODE = {"prod": "ReadWriteMany", "dev": "ReadWriteOnce"}

PDBS = {
    "prod": {"router": 2, "classifier": 1, "ui": 1, "cloudflared": 1},
    "dev": {"cloudflared": 1},
}

NETWORK_POLICIES = {"default-deny", "allow-dns", "router", "classifier", "ui", "cloudflared"}


def expected_objects(env):
    keys = {("Namespace", NAMESPACE), ("PersistentVolumeClaim", PVC)}
    keys |= {("NetworkPolicy", name) for name in NETWORK_POLICIES}
    keys |= {("ServiceAccount", c + "-sa") for c in COMPONENTS}
    keys |= {("ConfigMap", name) for name in CONFIGMAP_KEYS}
    keys |= {("Secret", name) for name in SECRETS[env]}
    keys |= {("Service", c) for c in HTTP_COMPONENTS}
    keys |= {("Deployment", c) for c in COMPONENTS}
    keys |= {("PodDisruptionBudget", c) for c in PDBS[env]}
    return keys


# Vault variable behind each Secret key.
VAULT_VARIABLE = {
    ("anthropic-api-key", "ANTHROPIC_API_KEY"): "vault_router_anthropic_api_key",
    ("cloudflared-credentials", "TUNNEL_TOKEN"): "vault_cloudflared_tunnel_token",
    ("scalarlm-credentials", "SCALARLM_API_KEY"): "vault_router_scalarlm_api_key",
    ("google-oauth", "clientSecret"): "vault_ui_google_client_secret",
    ("google-oauth", "sessionSecret"): "vault_ui_google_session_secret",
}

CHANGED_SESSION_SECRET = "EXAMPLE-changed-session-secret-0000"

# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------


def of_kind(objects, kind):
    return {obj["metadata"]["name"]: obj for obj in objects if obj["kind"] == kind}


def pod_spec(deployment):
    return deployment["spec"]["template"]["spec"]


def containers(deployment):
    spec = pod_spec(deployment)
    return list(spec.get("initContainers") or []) + list(spec["containers"])


def main_container(deployment):
    (container,) = [c for c in pod_spec(deployment)["containers"] if c["name"] == deployment["metadata"]["name"]]
    return container


def selector_matches(selector, labels):
    """Label selector semantics (matchLabels and matchExpressions)."""
    if not selector:
        return False
    for key, value in (selector.get("matchLabels") or {}).items():
        if labels.get(key) != value:
            return False
    for expr in selector.get("matchExpressions") or []:
        key, op, values = expr["key"], expr["operator"], expr.get("values") or []
        if op == "In" and labels.get(key) not in values:
            return False
        if op == "NotIn" and key in labels and labels[key] in values:
            return False
        if op == "Exists" and key not in labels:
            return False
        if op == "DoesNotExist" and key in labels:
            return False
    return True


def selected_deployments(selector, deployments):
    """Names of the Deployments whose pod template ``selector`` matches."""
    return sorted(name for name, dep in deployments.items()
                  if selector_matches(selector, dep["spec"]["template"]["metadata"]["labels"]))


def resolve_port(container, port):
    """A probe/Service port (number or name) -> container port number."""
    if isinstance(port, int):
        return port
    named = {p["name"]: p["containerPort"] for p in container.get("ports") or [] if p.get("name")}
    assert port in named, "port %r not declared by container %s" % (port, container["name"])
    return named[port]


def secret_refs(deployment):
    """{(secret, key)} a Deployment's pods read (key "*" = the whole Secret)."""
    refs = set()
    for container in containers(deployment):
        for env in container.get("env") or []:
            ref = (env.get("valueFrom") or {}).get("secretKeyRef")
            if ref:
                refs.add((ref["name"], ref["key"]))
        for source in container.get("envFrom") or []:
            if source.get("secretRef"):
                refs.add((source["secretRef"]["name"], "*"))
    for volume in pod_spec(deployment).get("volumes") or []:
        if volume.get("secret"):
            items = volume["secret"].get("items")
            name = volume["secret"]["secretName"]
            refs |= {(name, item["key"]) for item in items} if items else {(name, "*")}
        for source in (volume.get("projected") or {}).get("sources") or []:
            if source.get("secret"):
                refs.add((source["secret"]["name"], "*"))
    return refs


def configmap_refs(deployment):
    refs = set()
    for container in containers(deployment):
        for source in container.get("envFrom") or []:
            if source.get("configMapRef"):
                refs.add(source["configMapRef"]["name"])
        for env in container.get("env") or []:
            ref = (env.get("valueFrom") or {}).get("configMapKeyRef")
            if ref:
                refs.add(ref["name"])
    for volume in pod_spec(deployment).get("volumes") or []:
        if volume.get("configMap"):
            refs.add(volume["configMap"]["name"])
    return refs


def data_mounts(deployment):
    """[(mountPath, readOnly)] of split-brain-data in any container of the Deployment."""
    spec = pod_spec(deployment)
    pvc_volumes = {
        v["name"]: bool(v["persistentVolumeClaim"].get("readOnly"))
        for v in spec.get("volumes") or []
        if (v.get("persistentVolumeClaim") or {}).get("claimName") == PVC
    }
    mounts = []
    for container in containers(deployment):
        for mount in container.get("volumeMounts") or []:
            if mount["name"] in pvc_volumes:
                mounts.append((mount["mountPath"].rstrip("/"), bool(mount.get("readOnly")) or pvc_volumes[mount["name"]]))
    return mounts, pvc_volumes


def quantities(resources):
    return {
        section: {name: parse_quantity(value) for name, value in (resources.get(section) or {}).items()}
        for section in ("requests", "limits")
    }


class _VaultLoader(yaml.SafeLoader):
    """The vault's values are `!unsafe` strings (taken literally by Ansible): plain strings here."""


_VaultLoader.add_constructor("!unsafe", lambda loader, node: loader.construct_scalar(node))


def vault_values(inventory):
    """The inventory's vault, decrypted with the repository's ansible.cfg (example password)."""
    tool = str(Path(sys.executable).with_name("ansible-vault"))
    path = ROOT / "inventories" / inventory / "group_vars" / "all" / "90-vault.yml"
    result = subprocess.run([tool, "view", str(path)], cwd=ROOT, capture_output=True, text=True,
                            env=dict(os.environ, ANSIBLE_NOCOLOR="1"), check=False)
    assert result.returncode == 0, result.stderr
    values = yaml.load(result.stdout, Loader=_VaultLoader)
    assert values, "empty vault for %s" % inventory
    return values


def rendered_dir(tmp_path_factory, env, objects):
    """The folder the session fixture ``rendered`` wrote ``env`` to."""
    base = tmp_path_factory.getbasetemp()
    for candidate in sorted(base.glob("render-%s*" % env)):
        if candidate.is_dir() and load_dir(candidate) == objects:
            return candidate
    raise AssertionError("render folder of %s not found under %s" % (env, base))


# ---------------------------------------------------------------------------------------------
# Extra renders (once per module)
# ---------------------------------------------------------------------------------------------


# Render reads no checksum key from a cluster (its secret checksums say `<keyed at apply>`): the
# checksum tests key the rendered objects (Secret values revealed) as split_brain.deploy.release
# keys them at apply, with the key it would read.
CHECKSUM_KEY = ("-e", "split_brain_render_secrets=true")


def keyed_render(env, out, *args):
    return keyed_checksums(render(env, out, *args, *CHECKSUM_KEY), "spec-test-key")


@pytest.fixture(scope="module")
def tuned(tmp_path_factory):
    """prod with the router HPA on, one router-config value and one ui Secret value changed."""
    out = tmp_path_factory.mktemp("spec-tuned")
    return keyed_render("prod", out, "-e", "router_autoscaling_enabled=true", "-e", "router_max_in_flight=7",
                        "-e", "ui_google_session_secret=%s" % CHANGED_SESSION_SECRET)


@pytest.fixture(scope="module")
def keyed(tmp_path_factory):
    """prod as an apply renders it, with a checksum key."""
    return keyed_render("prod", tmp_path_factory.mktemp("spec-keyed"))


@pytest.fixture(scope="module")
def revealed(tmp_path_factory):
    out = tmp_path_factory.mktemp("spec-revealed")
    return out, render("prod", out, "-e", "split_brain_render_secrets=true")


@pytest.fixture(scope="module")
def external(tmp_path_factory):
    out = tmp_path_factory.mktemp("spec-external")
    return render("prod", out, "-e", "split_brain_secrets_create=false")


# ---------------------------------------------------------------------------------------------
# Objects: names and counts
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_exactly_the_expected_objects(rendered, env):
    keys = [(obj["kind"], obj["metadata"]["name"]) for obj in rendered[env]]
    assert len(keys) == len(set(keys)), "duplicate objects: %s" % sorted(k for k in keys if keys.count(k) > 1)
    expected = expected_objects(env)
    assert set(keys) == expected, "missing %s, unexpected %s" % (sorted(expected - set(keys)), sorted(set(keys) - expected))


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_no_rbac_ingress_loadbalancer_or_hpa(rendered, env):
    kinds = {obj["kind"] for obj in rendered[env]}
    assert not kinds & {"Role", "RoleBinding", "ClusterRole", "ClusterRoleBinding"}, "the spec needs no RBAC"
    assert "Ingress" not in kinds
    assert "HorizontalPodAutoscaler" not in kinds, "the router HPA is off by default"
    for svc in of_kind(rendered[env], "Service").values():
        assert svc["spec"].get("type", "ClusterIP") == "ClusterIP", svc["metadata"]["name"]


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_namespace_enforces_restricted(rendered, env):
    (namespace,) = of_kind(rendered[env], "Namespace").values()
    assert namespace["metadata"]["name"] == NAMESPACE
    labels = namespace["metadata"]["labels"]
    assert labels.get("pod-security.kubernetes.io/enforce") == "restricted"


# ---------------------------------------------------------------------------------------------
# ServiceAccounts, ConfigMaps, Secrets
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_service_accounts(rendered, env):
    accounts = of_kind(rendered[env], "ServiceAccount")
    assert set(accounts) == {c + "-sa" for c in COMPONENTS}
    for name, account in accounts.items():
        assert account.get("automountServiceAccountToken") is False, name
    deployments = of_kind(rendered[env], "Deployment")
    for component in COMPONENTS:
        spec = pod_spec(deployments[component])
        assert spec.get("serviceAccountName") == component + "-sa", component
        assert spec.get("automountServiceAccountToken") is False, component


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_configmaps_and_who_reads_them(rendered, env):
    configmaps = of_kind(rendered[env], "ConfigMap")
    assert set(configmaps) == set(CONFIGMAP_KEYS), "cloudflared has no ConfigMap (token mode)"
    for name, keys in CONFIGMAP_KEYS.items():
        data = configmaps[name].get("data") or {}
        assert set(data) == keys, "%s keys: missing %s, unexpected %s" % (name, sorted(keys - set(data)), sorted(set(data) - keys))
        assert all(isinstance(v, str) for v in data.values()), name
        assert not configmaps[name].get("binaryData"), name
    for (name, key), value in CONFIGMAP_VALUES[env].items():
        assert configmaps[name]["data"][key] == value, (name, key)
    deployments = of_kind(rendered[env], "Deployment")
    for component in COMPONENTS:
        expected = {component + "-config"} if component + "-config" in CONFIGMAP_KEYS else set()
        assert configmap_refs(deployments[component]) == expected, component


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_secrets_and_who_consumes_them(rendered, env):
    secrets = of_kind(rendered[env], "Secret")
    assert set(secrets) == set(SECRETS[env])
    for name, (keys, _consumer) in SECRETS[env].items():
        secret = secrets[name]
        assert secret.get("type", "Opaque") == "Opaque", name
        values = dict(secret.get("stringData") or {})
        values.update(secret.get("data") or {})
        assert set(values) == keys, name
        assert all(v == "<redacted>" for v in values.values()), "%s is not redacted in the render" % name

    deployments = of_kind(rendered[env], "Deployment")
    for component in COMPONENTS:
        wanted = {(name, key) for name, (keys, consumer) in SECRETS[env].items() if consumer == component for key in keys}
        assert secret_refs(deployments[component]) == wanted, component
        for container in containers(deployments[component]):
            for var in container.get("env") or []:
                ref = (var.get("valueFrom") or {}).get("secretKeyRef")
                if ref:
                    assert not ref.get("optional"), "%s: %s must be required" % (component, var["name"])
                assert "value" not in var or "EXAMPLE-" not in str(var["value"]), "credential baked into env"


def test_scalarlm_and_google_secrets_follow_their_feature(rendered):
    prod = of_kind(rendered["prod"], "ConfigMap")
    dev = of_kind(rendered["dev"], "ConfigMap")
    assert prod["router-config"]["data"]["SCALARLM_BASE_URL"] and "scalarlm-credentials" in of_kind(rendered["prod"], "Secret")
    assert not dev["router-config"]["data"]["SCALARLM_BASE_URL"] and "scalarlm-credentials" not in of_kind(rendered["dev"], "Secret")
    assert prod["ui-config"]["data"]["GOOGLE_SIGNIN_ENABLED"] == "true" and "google-oauth" in of_kind(rendered["prod"], "Secret")
    assert dev["ui-config"]["data"]["GOOGLE_SIGNIN_ENABLED"] == "false" and "google-oauth" not in of_kind(rendered["dev"], "Secret")


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_no_secret_value_in_any_rendered_file(rendered, tmp_path_factory, env):
    folder = rendered_dir(tmp_path_factory, env, rendered[env])
    values = [v for v in vault_values(env).values() if isinstance(v, str) and v]
    assert values and all(v.startswith("EXAMPLE-") for v in values)
    files = sorted(folder.glob("*.yaml"))
    assert files
    for path in files:
        text = path.read_text()
        assert "EXAMPLE-" not in text, "%s holds a secret value" % path.name
        for value in values:
            assert value not in text, "%s holds a secret value" % path.name


def test_render_secrets_writes_the_values(revealed):
    folder, objects = revealed
    vault = vault_values("prod")
    secrets = of_kind(objects, "Secret")
    assert set(secrets) == set(SECRETS["prod"])
    for name, (keys, _consumer) in SECRETS["prod"].items():
        values = secrets[name].get("stringData") or {}
        assert set(values) == keys, name
        for key in keys:
            assert values[key] == vault[VAULT_VARIABLE[(name, key)]], (name, key)
    text = "".join(path.read_text() for path in folder.glob("*.yaml"))
    for variable in VAULT_VARIABLE.values():
        assert vault[variable] in text


def test_secrets_create_false_renders_no_secret(rendered, external):
    assert not of_kind(external, "Secret")
    # Everything else is as in prod, and the pods still read the Secrets by the spec's names.
    prod = {k for k in by_key(rendered["prod"]) if k[0] != "Secret"}
    assert set(by_key(external)) == prod
    deployments = of_kind(external, "Deployment")
    for component in COMPONENTS:
        wanted = {(name, key) for name, (keys, consumer) in SECRETS["prod"].items() if consumer == component for key in keys}
        assert secret_refs(deployments[component]) == wanted, component


# ---------------------------------------------------------------------------------------------
# Deployments
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_replicas(rendered, env):
    deployments = of_kind(rendered[env], "Deployment")
    assert {name: d["spec"].get("replicas") for name, d in deployments.items()} == REPLICAS[env]


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_resources(rendered, env):
    deployments = of_kind(rendered[env], "Deployment")
    for component in COMPONENTS:
        got = quantities(main_container(deployments[component]).get("resources") or {})
        assert got == quantities(RESOURCES[component]), component


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_probes_and_ports(rendered, env):
    deployments = of_kind(rendered[env], "Deployment")
    for component in COMPONENTS:
        container = main_container(deployments[component])
        liveness, readiness, port = PROBES[component]
        ports = [p["containerPort"] for p in container.get("ports") or []]
        assert ports == [port], "%s ports %s" % (component, ports)
        assert all(p.get("protocol", "TCP") == "TCP" for p in container["ports"])
        for probe_name, path in (("livenessProbe", liveness), ("readinessProbe", readiness)):
            probe = container.get(probe_name)
            assert probe, "%s has no %s" % (component, probe_name)
            get = probe.get("httpGet")
            assert get, "%s %s is not an HTTP GET" % (component, probe_name)
            assert get["path"] == path, (component, probe_name)
            assert resolve_port(container, get["port"]) == port, (component, probe_name)
            assert get.get("scheme", "HTTP") == "HTTP"
            assert probe.get("initialDelaySeconds") == 5, (component, probe_name)


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_rolling_update(rendered, env):
    for name, deployment in of_kind(rendered[env], "Deployment").items():
        strategy = deployment["spec"].get("strategy") or {}
        assert strategy.get("type") == "RollingUpdate", name
        assert strategy.get("rollingUpdate") == {"maxSurge": 1, "maxUnavailable": 0}, name


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_cloudflared_token_mode(rendered, env):
    deployment = of_kind(rendered[env], "Deployment")["cloudflared"]
    container = main_container(deployment)
    assert "command" not in container, "the image's entrypoint (cloudflared) runs the args"
    assert container.get("args") == ["tunnel", "--no-autoupdate", "--metrics", "0.0.0.0:2000", "run"]
    env_vars = {v["name"]: v for v in container.get("env") or []}
    assert env_vars["TUNNEL_TOKEN"]["valueFrom"]["secretKeyRef"] == {"name": "cloudflared-credentials", "key": "TUNNEL_TOKEN"}
    assert not container.get("envFrom")
    assert not data_mounts(deployment)[1], "cloudflared mounts nothing"


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_images(rendered, env):
    for name, deployment in of_kind(rendered[env], "Deployment").items():
        for container in containers(deployment):
            image = container["image"]
            assert "@sha256:" in image or (":" in image.rsplit("/", 1)[-1] and not image.endswith(":latest")), (name, image)
            assert container.get("imagePullPolicy") in {"IfNotPresent", "Always", "Never"}, name


# ---------------------------------------------------------------------------------------------
# Services
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_services(rendered, env):
    services = of_kind(rendered[env], "Service")
    deployments = of_kind(rendered[env], "Deployment")
    assert set(services) == set(HTTP_COMPONENTS)
    for name, service in services.items():
        spec = service["spec"]
        assert spec.get("type", "ClusterIP") == "ClusterIP", name
        assert not spec.get("clusterIP") == "None", "%s must not be headless" % name
        assert len(spec["ports"]) == 1, name
        (port,) = spec["ports"]
        assert port["port"] == 8080 and port.get("protocol", "TCP") == "TCP", name
        target = main_container(deployments[name])
        assert resolve_port(target, port.get("targetPort", port["port"])) == 8080, name
        selected = selected_deployments({"matchLabels": spec.get("selector") or {}}, deployments)
        assert selected == [name], "%s selects %s" % (name, selected)


# ---------------------------------------------------------------------------------------------
# Storage
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_pvc(rendered, env):
    (pvc,) = of_kind(rendered[env], "PersistentVolumeClaim").values()
    assert pvc["metadata"]["name"] == PVC
    assert pvc["spec"]["accessModes"] == [ACCESS_MODE[env]]
    assert parse_quantity(pvc["spec"]["resources"]["requests"]["storage"]) > 0
    if env == "dev":
        assert pvc["spec"].get("storageClassName") == "civo-volume"
    else:
        assert not pvc["spec"].get("storageClassName"), "prod uses the cluster default (\"\" in the inventory)"


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_data_mounts(rendered, env):
    deployments = of_kind(rendered[env], "Deployment")
    for component, mode in DATA_MOUNTS.items():
        mounts, volumes = data_mounts(deployments[component])
        if mode is None:
            assert not mounts and not volumes, component
            continue
        assert mounts == [(DATA_PATH, mode == "ro")], "%s mounts %s" % (component, mounts)
        if mode == "rw":
            fs_group = pod_spec(deployments[component])["securityContext"].get("fsGroup")
            assert fs_group is not None, "%s: fsGroup makes the PVC writable" % component


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_readwriteonce_colocation(rendered, env):
    deployments = of_kind(rendered[env], "Deployment")
    mounting = [c for c, mode in DATA_MOUNTS.items() if mode]
    for component in COMPONENTS:
        affinity = pod_spec(deployments[component]).get("affinity") or {}
        required = (affinity.get("podAffinity") or {}).get("requiredDuringSchedulingIgnoredDuringExecution") or []
        if env == "prod" or component not in mounting:
            assert not required, "%s/%s: no required pod affinity without ReadWriteOnce" % (env, component)
            continue
        assert required, "%s: ReadWriteOnce needs a required pod affinity" % component
        for term in required:
            assert term["topologyKey"] == "kubernetes.io/hostname", component
            assert not term.get("namespaces") or term["namespaces"] == [NAMESPACE]
            # The term must gather every PVC-mounting pod (itself included, so the first one schedules)
            # and nothing else.
            for other in COMPONENTS:
                labels = deployments[other]["spec"]["template"]["metadata"]["labels"]
                assert selector_matches(term["labelSelector"], labels) == (other in mounting), (component, other)


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_spreading_across_nodes(rendered, env):
    """More than one replica on storage every node can mount: a soft spread over the nodes.
    One replica, or pods that must share a ReadWriteOnce volume's node: none."""
    deployments = of_kind(rendered[env], "Deployment")
    for component in COMPONENTS:
        spec = pod_spec(deployments[component])
        constraints = spec.get("topologySpreadConstraints") or []
        shares_node = env == "dev" and bool(DATA_MOUNTS[component])
        if REPLICAS[env][component] < 2 or shares_node:
            assert not constraints, "%s/%s: no spread" % (env, component)
            continue
        assert len(constraints) == 1, (env, component)
        (spread,) = constraints
        assert spread["topologyKey"] == "kubernetes.io/hostname"
        assert spread["whenUnsatisfiable"] == "ScheduleAnyway", "a soft spread never blocks scheduling"
        assert spread["maxSkew"] == 1
        assert selected_deployments(spread["labelSelector"], deployments) == [component]
        assert spread["matchLabelKeys"] == ["pod-template-hash"]
        # never a hard anti-affinity that would leave replicas Pending on a small cluster
        assert not (spec.get("affinity") or {}).get("podAntiAffinity")


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_ephemeral_storage_and_tmp_size_limit(rendered, env):
    for name, deployment in of_kind(rendered[env], "Deployment").items():
        limits = main_container(deployment)["resources"]["limits"]
        (tmp,) = [v for v in pod_spec(deployment)["volumes"] if v["name"] == "tmp"]
        size = parse_quantity(tmp["emptyDir"]["sizeLimit"])
        assert 0 < size <= parse_quantity(limits["ephemeral-storage"]), name


# ---------------------------------------------------------------------------------------------
# PDBs and HPA
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_pdbs(rendered, env):
    pdbs = of_kind(rendered[env], "PodDisruptionBudget")
    deployments = of_kind(rendered[env], "Deployment")
    assert {name: pdb["spec"].get("minAvailable") for name, pdb in pdbs.items()} == PDBS[env]
    for name, pdb in pdbs.items():
        assert "maxUnavailable" not in pdb["spec"], name
        # A pod that is not Ready (crash-looping) may always be evicted: it never blocks a drain.
        assert pdb["spec"]["unhealthyPodEvictionPolicy"] == "AlwaysAllow", name
        selected = selected_deployments(pdb["spec"]["selector"], deployments)
        assert selected == [name], "PDB %s selects %s" % (name, selected)
        assert pdb["spec"]["minAvailable"] < REPLICAS[env][name], "PDB %s blocks every eviction" % name


def test_router_hpa(rendered, tuned):
    hpas = of_kind(tuned, "HorizontalPodAutoscaler")
    assert len(hpas) == 1, sorted(hpas)
    (hpa,) = hpas.values()
    assert hpa["apiVersion"] == "autoscaling/v2"
    kubernetes_validate.validate(hpa, SCHEMA_VERSION, strict=True)
    spec = hpa["spec"]
    assert spec["scaleTargetRef"] == {"apiVersion": "apps/v1", "kind": "Deployment", "name": "router"}
    assert spec["minReplicas"] == REPLICAS["prod"]["router"]
    assert spec["maxReplicas"] >= spec["minReplicas"]
    assert len(spec["metrics"]) == 1
    (metric,) = spec["metrics"]
    assert metric["type"] == "Resource"
    assert metric["resource"]["name"] == "cpu"
    assert metric["resource"]["target"]["type"] == "Utilization"
    assert 0 < metric["resource"]["target"]["averageUtilization"] <= 100
    deployments = of_kind(tuned, "Deployment")
    assert "replicas" not in deployments["router"]["spec"], "the HPA owns the router's replicas"
    for component in ("classifier", "ui", "cloudflared"):
        assert deployments[component]["spec"]["replicas"] == REPLICAS["prod"][component]
    # Only the HPA was added.
    assert set(by_key(tuned)) == set(by_key(rendered["prod"])) | {("HorizontalPodAutoscaler", hpa["metadata"]["name"])}


# ---------------------------------------------------------------------------------------------
# Rollout triggers: checksum annotations
# ---------------------------------------------------------------------------------------------


def test_checksums_roll_only_the_readers(rendered, keyed, tuned):
    """router_max_in_flight changes router-config (read by the router only); the session secret
    changes google-oauth (read by the ui only). Exactly those pod templates change."""
    assert of_kind(tuned, "ConfigMap")["router-config"]["data"]["MAX_IN_FLIGHT"] == "7"
    assert of_kind(rendered["prod"], "ConfigMap")["router-config"]["data"]["MAX_IN_FLIGHT"] != "7"
    before = of_kind(keyed, "Deployment")
    after = of_kind(tuned, "Deployment")

    def checksums(deployment):
        annotations = deployment["spec"]["template"]["metadata"].get("annotations") or {}
        return {k: v for k, v in annotations.items() if "checksum" in k}

    changed = {
        component: sorted(k for k in set(checksums(before[component])) | set(checksums(after[component]))
                          if checksums(before[component]).get(k) != checksums(after[component]).get(k))
        for component in COMPONENTS
    }
    assert changed["classifier"] == [] and changed["cloudflared"] == [], changed
    assert changed["router"], "router-config changed but the router's pods would not roll"
    assert changed["ui"], "google-oauth changed but the ui's pods would not roll"
    assert not [k for k in changed["router"] if "secret" in k], "the router's Secrets did not change: %s" % changed
    assert not [k for k in changed["ui"] if "config" in k], "ui-config did not change: %s" % changed
    # Only the annotations moved: the pods of classifier and cloudflared are untouched.
    for component in COMPONENTS:
        assert before[component]["spec"]["template"]["spec"] == after[component]["spec"]["template"]["spec"], component
    for component in ("classifier", "cloudflared"):
        assert before[component]["spec"]["template"] == after[component]["spec"]["template"], component


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_every_reader_has_checksums(rendered, env):
    for name, deployment in of_kind(rendered[env], "Deployment").items():
        annotations = deployment["spec"]["template"]["metadata"].get("annotations") or {}
        if configmap_refs(deployment) or secret_refs(deployment):
            assert any("checksum" in k for k in annotations), name


# ---------------------------------------------------------------------------------------------
# Pod security and labels
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_pod_security(rendered, env):
    for name, deployment in of_kind(rendered[env], "Deployment").items():
        spec = pod_spec(deployment)
        pod_ctx = spec.get("securityContext") or {}
        for key in ("hostNetwork", "hostPID", "hostIPC"):
            assert not spec.get(key), (name, key)
        tmp_volumes = {v["name"] for v in spec.get("volumes") or [] if "emptyDir" in v}
        for container in containers(deployment):
            ctx = container.get("securityContext") or {}
            where = "%s/%s" % (name, container["name"])
            assert ctx.get("runAsNonRoot", pod_ctx.get("runAsNonRoot")) is True, where
            assert ctx.get("runAsUser", pod_ctx.get("runAsUser")) not in (0, "0"), where
            assert ctx.get("allowPrivilegeEscalation") is False, where
            assert not ctx.get("privileged"), where
            assert ctx.get("readOnlyRootFilesystem") is True, where
            caps = ctx.get("capabilities") or {}
            assert caps.get("drop") == ["ALL"], where
            assert not caps.get("add"), where
            seccomp = (ctx.get("seccompProfile") or pod_ctx.get("seccompProfile") or {}).get("type")
            assert seccomp == "RuntimeDefault", where
            tmp = [m for m in container.get("volumeMounts") or [] if m["mountPath"].rstrip("/") == "/tmp"]
            assert len(tmp) == 1 and tmp[0]["name"] in tmp_volumes, "%s: /tmp must be an emptyDir" % where


LABEL_KEYS = ("name", "instance", "component", "part-of", "managed-by", "version")


def _check_labels(labels, where):
    labels = labels or {}
    for key in LABEL_KEYS:
        value = labels.get("app.kubernetes.io/" + key)
        assert isinstance(value, str) and value, "%s lacks app.kubernetes.io/%s" % (where, key)
    assert labels["app.kubernetes.io/part-of"] == "split-brain", where
    assert labels["app.kubernetes.io/instance"] == "split-brain", where
    assert labels["app.kubernetes.io/managed-by"] == "split_brain.deploy", where


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_labels_on_every_object(rendered, env):
    for obj in rendered[env]:
        where = "%s/%s" % (obj["kind"], obj["metadata"]["name"])
        _check_labels(obj["metadata"].get("labels"), where)
        if obj["kind"] == "Deployment":
            template_labels = obj["spec"]["template"]["metadata"]["labels"]
            _check_labels(template_labels, where + " pod template")
            assert selector_matches(obj["spec"]["selector"], template_labels), where
        component = obj["metadata"]["name"]
        if obj["kind"] == "ServiceAccount":
            component = component[: -len("-sa")]
        elif obj["kind"] == "ConfigMap":
            component = component[: -len("-config")]
        if obj["kind"] in {"Deployment", "Service", "ServiceAccount", "ConfigMap", "PodDisruptionBudget"}:
            assert obj["metadata"]["labels"]["app.kubernetes.io/name"] == component, where


def test_hpa_labels(tuned):
    for hpa in of_kind(tuned, "HorizontalPodAutoscaler").values():
        _check_labels(hpa["metadata"].get("labels"), "HorizontalPodAutoscaler")
