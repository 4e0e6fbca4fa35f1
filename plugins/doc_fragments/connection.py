# -*- coding: utf-8 -*-
# Copyright: split-brain deploy team
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    """How a module of the collection connects to the cluster.

    The options are kubernetes.core's connection options (its ``AUTH_ARG_SPEC``, which the modules
    take as they are), documented here so that the collection's docs resolve without
    kubernetes.core installed (Galaxy's importer, a docs build).
    """

    DOCUMENTATION = r"""
options:
  kubeconfig:
    description:
      - Path of a kubeconfig file, or the kubeconfig itself as a dict.
      - Without it and without I(host), the client reads C(K8S_AUTH_KUBECONFIG), then C(KUBECONFIG),
        then C(~/.kube/config), or uses the in-cluster ServiceAccount.
    type: raw
  context:
    description:
      - The context of the kubeconfig to use (default, its current context). Also read from
        C(K8S_AUTH_CONTEXT).
    type: str
  host:
    description:
      - URL of the API server, when not taken from a kubeconfig. Also read from C(K8S_AUTH_HOST).
    type: str
  api_key:
    description:
      - Bearer token for the API server. Also read from C(K8S_AUTH_API_KEY).
    type: str
  username:
    description:
      - User name for basic authentication, where the API server accepts it. Also read from
        C(K8S_AUTH_USERNAME).
    type: str
  password:
    description:
      - Password for basic authentication. Also read from C(K8S_AUTH_PASSWORD).
    type: str
  client_cert:
    description:
      - Path of a client certificate. Also read from C(K8S_AUTH_CERT_FILE).
    type: path
    aliases: [cert_file]
  client_key:
    description:
      - Path of the client certificate's key. Also read from C(K8S_AUTH_KEY_FILE).
    type: path
    aliases: [key_file]
  ca_cert:
    description:
      - Path of the CA certificate(s) that sign the API server's certificate. Also read from
        C(K8S_AUTH_SSL_CA_CERT).
    type: path
    aliases: [ssl_ca_cert]
  validate_certs:
    description:
      - Whether to verify the API server's certificate. Also read from C(K8S_AUTH_VERIFY_SSL).
    type: bool
    aliases: [verify_ssl]
  proxy:
    description:
      - URL of an HTTP proxy to the API server. Also read from C(K8S_AUTH_PROXY).
    type: str
  no_proxy:
    description:
      - Comma-separated hosts, domains, IPs or CIDRs reached without the proxy. Also read from
        C(K8S_AUTH_NO_PROXY).
    type: str
  proxy_headers:
    description:
      - Headers sent to the proxy.
    type: dict
    suboptions:
      proxy_basic_auth:
        description:
          - C(user:password) for the proxy's basic authentication. Also read from
            C(K8S_AUTH_PROXY_HEADERS_PROXY_BASIC_AUTH).
        type: str
      basic_auth:
        description:
          - C(user:password) for a basic authentication header. Also read from
            C(K8S_AUTH_PROXY_HEADERS_BASIC_AUTH).
        type: str
      user_agent:
        description:
          - The user agent to send. Also read from C(K8S_AUTH_PROXY_HEADERS_USER_AGENT).
        type: str
  persist_config:
    description:
      - Whether to write a refreshed token back to the kubeconfig file. Also read from
        C(K8S_AUTH_PERSIST_CONFIG).
    type: bool
  impersonate_user:
    description:
      - The user to act as. Also read from C(K8S_AUTH_IMPERSONATE_USER).
    type: str
  impersonate_groups:
    description:
      - The groups to act as. Also read from C(K8S_AUTH_IMPERSONATE_GROUPS).
    type: list
    elements: str
notes:
  - The connection options are those of M(kubernetes.core.k8s), read the same way.
"""
