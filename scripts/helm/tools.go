//go:build tools

// Package tools records the main package that build.sh compiles, so that
// go.mod and go.sum stay complete for it.
package tools

import (
	_ "helm.sh/helm/v3/cmd/helm"
)
