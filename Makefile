# split_brain.deploy: the commands an operator and CI use. `make help` lists them.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV ?= .venv
PY := $(VENV)/bin/python
BIN := $(VENV)/bin
ENV ?= dev
OUT ?= render/$(ENV)
export ANSIBLE_CONFIG := $(CURDIR)/ansible.cfg
# Overrides that only the local test cluster needs (its storage class, its kubeconfig).
LOCAL := -e @molecule/shared/local-cluster.yml

.PHONY: help setup cluster-up cluster-down render deploy status uninstall demo test test-offline test-molecule lint helm bench docs docs-picture

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  %-14s %s\n", $$1, $$2}'

NCA_VENV ?= $(VENV)/nca
export NCA_PYTHON := $(abspath $(NCA_VENV))/bin/python

$(VENV)/.installed: requirements.txt requirements-test.txt requirements-nca.txt
	python3 -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -r requirements-test.txt
	python3 -m venv $(NCA_VENV)
	$(NCA_VENV)/bin/pip install -q -r requirements-nca.txt
	touch $@

setup: $(VENV)/.installed ## Create the Python venv with Ansible, kubernetes.core and the test tools

cluster-up: ## Build (cached) and start the local control plane, write .cluster/kubeconfig
	scripts/cluster/up.sh

cluster-down: ## Stop and delete the local control plane
	scripts/cluster/down.sh

render: setup ## Write the objects of ENV (dev|prod) to OUT without a cluster (Secret values redacted)
	$(BIN)/ansible-playbook playbooks/render.yml -i inventories/$(ENV) -e split_brain_render_dir=$(abspath $(OUT))

deploy: setup ## Deploy ENV onto the local cluster
	source scripts/cluster/env.sh && $(BIN)/ansible-playbook site.yml -i inventories/$(ENV) $(LOCAL)

status: setup ## Print what runs in the local cluster
	source scripts/cluster/env.sh && $(BIN)/ansible-playbook playbooks/status.yml -i inventories/$(ENV) $(LOCAL)

uninstall: setup ## Remove the stack from the local cluster (keeps the PVC and namespace)
	source scripts/cluster/env.sh && $(BIN)/ansible-playbook playbooks/uninstall.yml -i inventories/$(ENV) $(LOCAL)

demo: setup cluster-up deploy status ## Fresh machine to a running dev stack on a local cluster

test: setup test-offline test-molecule ## The whole test suite (what CI runs)

test-offline: setup ## Render, schema, spec, network policy, bad input and unit tests, and lint
	$(BIN)/pytest -q -n 2 tests --ignore=tests/cluster
	$(MAKE) lint

test-molecule: setup ## molecule test on the local cluster (starts and stops it)
	source scripts/cluster/env.sh && PATH=$(CURDIR)/$(BIN):$$PATH $(BIN)/molecule test -s default

lint: setup ## ansible-lint (production), yamllint, ansible-test sanity
	$(BIN)/yamllint -s .
	$(BIN)/antsibull-changelog lint
	$(BIN)/ansible-lint --profile production
	scripts/sanity.sh

helm: ## Build (cached) Helm, the benchmark's peer, from its Go module (scripts/helm)
	scripts/helm/build.sh

ROUNDS ?= 3
FLEET ?= 1,2,4,8
BEFORE ?=
bench: setup cluster-up ## Benchmark against Helm, kubectl, hand-written playbooks, and fleets (ROUNDS=3 FLEET=1,2,4,8|none BEFORE=<git revision>)
	helm="$$(scripts/helm/build.sh)" && source scripts/cluster/env.sh && \
	PATH=$(CURDIR)/$(BIN):$$PATH $(PY) benchmarks/converge.py --rounds $(ROUNDS) --fleet "$(FLEET)" --helm "$$helm" \
		$(if $(BEFORE),--before "$(BEFORE)")

docs: setup ## Build the HTML docs site (plugins, roles, docs/*.md) into build/docs/html
	PATH=$(abspath $(BIN)):$$PATH scripts/docs/build.sh build/docs

docs-picture: setup ## Redraw docs/topology.dot and .svg from the dev inventory's objects (needs Graphviz)
	tmp="$$(mktemp -d)" && trap 'rm -rf "$$tmp"' EXIT && \
	$(BIN)/ansible-playbook playbooks/render.yml -i inventories/dev -e split_brain_render_dir="$$tmp" >/dev/null && \
	$(PY) scripts/docs/topology.py "$$tmp" > docs/topology.dot
	dot -Tsvg docs/topology.dot > docs/topology.svg
