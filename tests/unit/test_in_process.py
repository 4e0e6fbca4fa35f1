"""plugin_utils/in_process.py and the actions on it: in-process on a local connection, the module on
any other, with the module's failure messages."""

import os
from types import SimpleNamespace
from unittest import mock

import pytest

import unit_helpers  # noqa: F401  (puts the collection on sys.path)
from test_objects import FakeClient, item

from ansible_collections.split_brain.deploy.plugins.plugin_utils import in_process
from ansible_collections.split_brain.deploy.plugins.action import prune, rollout, status
from ansible_collections.split_brain.deploy.plugins.action.prune import ActionModule
from ansible_collections.split_brain.deploy.plugins.modules import prune as prune_module
from ansible_collections.split_brain.deploy.plugins.modules import rollout as rollout_module
from ansible_collections.split_brain.deploy.plugins.modules import status as status_module

MODULE = ActionModule.MODULE

ARGS = {"namespace": "split-brain", "instance": "sb", "components": ["router"], "keep": ["Service/router"]}


def action(transport, check_mode=False, cls=ActionModule, args=None):
    task = SimpleNamespace(
        args=dict(args or ARGS), async_val=0, check_mode=check_mode, action=cls.MODULE, resolved_action=cls.MODULE,
        environment=[], no_log=False, diff=False,
    )
    plugin = cls(task, SimpleNamespace(transport=transport, _shell=mock.MagicMock()),
                 mock.MagicMock(), mock.MagicMock(), mock.MagicMock(), mock.MagicMock())
    return plugin


@pytest.mark.parametrize("plugin, module", [(prune, prune_module), (rollout, rollout_module), (status, status_module)])
def test_each_action_runs_the_work_its_module_runs(plugin, module):
    """The action and the module share the options, the work and the failure message."""
    cls = plugin.ActionModule
    assert cls.MODULE == "split_brain.deploy." + module.__name__.rsplit(".", 1)[1]
    with mock.patch.object(module, "run_module") as run_module:
        module.main()
    run_module.assert_called_once_with(cls.ARGUMENT_SPEC, cls.work, cls.FAILURE)


@pytest.mark.parametrize("check_mode", [False, True])
def test_a_local_connection_prunes_in_process(check_mode):
    fake = FakeClient({"Service": [item("router", "router")], "HorizontalPodAutoscaler": [item("router", "router")]})
    plugin = action("local", check_mode)
    with mock.patch.object(in_process, "get_api_client", return_value=fake) as client, \
            mock.patch.object(ActionModule, "_execute_module") as module:
        result = plugin.run(task_vars={})
    module.assert_not_called()
    client.assert_called_once_with()  # no auth option given: kubeconfig and K8S_AUTH_* as usual
    assert result["pruned"] == ["HorizontalPodAutoscaler/router"] and result["changed"] is True
    assert fake.deleted == [("HorizontalPodAutoscaler", "router", "split-brain")]
    assert fake.dry_run is check_mode  # check mode: the server only pretends to delete


def test_an_api_error_names_the_namespace():
    class Broken(FakeClient):
        def get(self, *args, **kwargs):
            raise RuntimeError("connection refused")

    # No kubeconfig to name a server from (a shell with a cluster's KUBECONFIG would add its address).
    bare = {k: v for k, v in os.environ.items() if k != "KUBECONFIG" and not k.startswith("K8S_AUTH_")}
    with mock.patch.object(in_process, "get_api_client", return_value=Broken({})), \
            mock.patch.dict(os.environ, bare, clear=True), mock.patch("os.path.expanduser", return_value="/nonexistent"):
        result = action("local").run(task_vars={})
    assert result["failed"] and result["msg"] == (
        "Pruning namespace split-brain failed: Cannot reach the Kubernetes API server: connection refused:"
        " is kube-apiserver running, and is the kubeconfig's server address right?")


def test_an_error_of_the_request_is_kept_as_it_is():
    class Refused(FakeClient):
        def get(self, *args, **kwargs):
            raise RuntimeError("(403) Forbidden: deployments.apps is forbidden")

    with mock.patch.object(in_process, "get_api_client", return_value=Refused({})):
        result = action("local").run(task_vars={})
    assert result["msg"] == "Pruning namespace split-brain failed: (403) Forbidden: deployments.apps is forbidden"


def test_any_other_connection_runs_the_module_on_the_host():
    plugin = action("ssh")
    with mock.patch.object(in_process, "get_api_client") as client, \
            mock.patch.object(ActionModule, "_execute_module", return_value={"changed": False, "pruned": []}) as module:
        result = plugin.run(task_vars={"x": 1})
    client.assert_not_called()
    module.assert_called_once_with(module_name=MODULE, module_args=ARGS, task_vars={"x": 1})
    assert result["pruned"] == []


def test_a_rollout_that_does_not_finish_fails_in_process_with_the_reason():
    class Stuck(FakeClient):
        def get(self, resource, namespace=None, label_selector=None):
            deployment = {"metadata": {"name": "router", "generation": 2}, "spec": {"replicas": 1},
                          "status": {"observedGeneration": 1}}
            return unit_helpers.Listing([deployment] if resource[1] == "Deployment" else [])

    args = {"namespace": "split-brain", "names": ["router"], "timeout": 0}
    with mock.patch.object(in_process, "get_api_client", return_value=Stuck({})):
        result = action("local", cls=rollout.ActionModule, args=args).run(task_vars={})
    assert result["failed"] and result["msg"].startswith("Rollout not finished after")
    assert "Deployment router: not rolled out. Its change (generation 2) was never picked up" in result["msg"]
