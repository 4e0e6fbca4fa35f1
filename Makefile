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

.PHONY: help setup cluster-up cluster-down render deploy status uninstall demo test test-offline test-properties-random test-oldest test-molecule lint build importer ee helm bench docs docs-picture

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  %-14s %s\n", $$1, $$2}'

# The Ansible end of the venv: newest (today's `ansible` on the newest Python found, 3.13 to 3.11)
# or oldest (ansible-core 2.19 on Python 3.11), pinned in tests/requirements-<end>.txt. CI tests both:
#   make setup test-offline VENV=.venv-oldest ANSIBLE_END=oldest
ANSIBLE_END ?= newest
PYTHON ?= $(shell scripts/python.sh $(if $(filter oldest,$(ANSIBLE_END)),3.11))
NCA_VENV ?= $(VENV)/nca
export NCA_PYTHON := $(abspath $(NCA_VENV))/bin/python

$(VENV)/.installed: requirements.txt requirements-test.txt requirements-nca.txt tests/requirements-$(ANSIBLE_END).txt
	@test -n "$(PYTHON)" || { echo "no supported Python found (3.11 to 3.13): set PYTHON=/path/to/python3" >&2; exit 1; }
	$(PYTHON) -m venv --clear $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -r requirements-test.txt -r tests/requirements-$(ANSIBLE_END).txt
	$(PYTHON) -m venv $(NCA_VENV)
	$(NCA_VENV)/bin/pip install -q -r requirements-nca.txt
	touch $@

setup: $(VENV)/.installed ## Create the venv: Ansible (ANSIBLE_END=newest|oldest), kubernetes.core, the test tools

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

test: setup test-offline test-oldest lint importer test-molecule ## The whole test suite (what CI runs)

test-offline: setup ## Render, schema, spec, network policy, bad input and unit tests (no cluster)
	@$(PY) -c 'import sys, ansible.release; print("==> offline tests: ansible-core %s, Python %s" % (ansible.release.__version__, sys.version.split()[0]))'
	$(BIN)/pytest -q -n 2 tests --ignore=tests/cluster

test-properties-random: setup ## The property tests with new random examples (EXAMPLES=2000 each; prints a seed to replay a failure)
	SPLIT_BRAIN_HYPOTHESIS_PROFILE=random SPLIT_BRAIN_PROPERTY_EXAMPLES=$(or $(EXAMPLES),2000) \
		$(BIN)/pytest -q -n 2 tests/test_properties.py tests/test_typed.py tests/unit/test_validation.py

test-oldest: ## The offline tests again on the oldest end: ansible-core 2.19 on Python 3.11 (.venv-oldest)
	$(MAKE) test-offline VENV=.venv-oldest ANSIBLE_END=oldest

test-molecule: setup ## molecule test on the local cluster (starts and stops it)
	source scripts/cluster/env.sh && PATH=$(CURDIR)/$(BIN):$$PATH $(BIN)/molecule test -s default

lint: setup ## ansible-lint (production), yamllint, antsibull-changelog, ansible-test sanity (whole tree)
	$(BIN)/yamllint -s .
	$(BIN)/antsibull-changelog lint
	$(BIN)/ansible-lint --profile production
	scripts/sanity.sh

VERSION := $(shell sed -n 's/^version: //p' galaxy.yml)
build: setup ## Build the collection's tarball into dist/
	$(BIN)/ansible-galaxy collection build --force --output-path dist .

importer: build ## Check the tarball as Galaxy does on upload: galaxy-importer, offline, in a venv of its own
	scripts/importer.sh dist/split_brain-deploy-$(VERSION).tar.gz

ee: build ## Write the execution environment's build context (context/) around the tarball
	cp dist/split_brain-deploy-$(VERSION).tar.gz ee/split_brain-deploy.tar.gz
	$(BIN)/ansible-builder create -f execution-environment.yml --context context
	@echo "build it with: podman build -t split-brain-deploy-ee:$(VERSION) context"

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
	@echo "docs: $$(find build/docs/html -name '*.html' | wc -l) HTML pages in build/docs/html"

docs-picture: setup ## Redraw docs/topology.dot and .svg from the dev inventory's objects (needs Graphviz)
	tmp="$$(mktemp -d)" && trap 'rm -rf "$$tmp"' EXIT && \
	$(BIN)/ansible-playbook playbooks/render.yml -i inventories/dev -e split_brain_render_dir="$$tmp" >/dev/null && \
	$(PY) scripts/docs/topology.py "$$tmp" > docs/topology.dot
	dot -Tsvg docs/topology.dot > docs/topology.svg
