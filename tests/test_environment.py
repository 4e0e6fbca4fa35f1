"""The components' environment as each role declares it (meta/environment.yml): the templates
render exactly what is declared, and a key of a *_config_extra map that is a component's own
setting or secret is refused, naming the variable to set."""

import sys

import pytest

from helpers import ROOT, by_key, render

sys.path.insert(0, str(ROOT / "collections"))

from ansible_collections.split_brain.deploy.plugins.action.validate import load_specs  # noqa: E402
from ansible_collections.split_brain.deploy.plugins.plugin_utils.validation import environment  # noqa: E402

COMPONENTS = ("router", "classifier", "ui")


@pytest.fixture(scope="module")
def objects(tmp_path_factory):
    """prod renders every variable of the environment: ScalarLM and Google sign-in are on."""
    return by_key(render("prod", tmp_path_factory.mktemp("prod")))


@pytest.mark.parametrize("component", COMPONENTS)
def test_the_templates_render_what_is_declared(objects, component):
    declared = environment.load()[component]
    config = {name for name, (kind, _variable) in declared.items() if kind == "setting"}
    secrets = {name for name, (kind, _variable) in declared.items() if kind == "secret"}
    assert set(objects[("ConfigMap", "%s-config" % component)]["data"]) == config
    container = objects[("Deployment", component)]["spec"]["template"]["spec"]["containers"][0]
    from_secrets = {item["name"] for item in container.get("env") or () if "secretKeyRef" in item.get("valueFrom", {})}
    assert from_secrets == secrets
    options = set(load_specs()[0])
    # Each declared variable is one an inventory sets, or a derived value of the split_brain role.
    assert {variable for _kind, variable in declared.values()} - options <= {"split_brain_classifier_url"}


def test_a_key_of_config_extra_that_is_the_components_own_is_refused():
    values = {"router_config_extra": {"ANTHROPIC_API_KEY": "x", "MAX_IN_FLIGHT": "3", "OTHER": "y"},
              "ui_config_extra": {"GOOGLE_CLIENT_SECRET": "x", "CLASSIFIER_URL": "http://x"},
              "classifier_config_extra": {"MODEL_KIND": "keywords"}}
    assert environment.config_extra_problems(values, set(load_specs()[0])) == [
        "classifier_config_extra.MODEL_KIND: is the classifier's setting classifier_model_kind; set classifier_model_kind"
        " instead",
        "router_config_extra.ANTHROPIC_API_KEY: is the router's secret; set router_anthropic_api_key (vault) instead",
        "router_config_extra.MAX_IN_FLIGHT: is the router's setting router_max_in_flight; set router_max_in_flight instead",
        "ui_config_extra.GOOGLE_CLIENT_SECRET: is the ui's secret; set ui_google_client_secret (vault) instead",
        "ui_config_extra.CLASSIFIER_URL: is set by the collection (from split_brain_classifier_url); it cannot be"
        " overridden here",
    ]
