//go:build tools

// Package tools pins the SeaweedFS module whose `weed` command the tests run as their S3-compatible
// server; `go build github.com/seaweedfs/seaweedfs/weed` in this module builds it at that version.
package tools

import _ "github.com/seaweedfs/seaweedfs/weed/command"
