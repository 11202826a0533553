// promql-inspect parses PromQL expressions with Prometheus's own parser and names the metrics they select,
// so that tests can check that dashboards and alert rules only name metrics something exports.
//
// Input (stdin): a JSON array of expressions. Output (stdout): a JSON array, one entry per expression in
// the same order, {"expr": ..., "error": ... (only when it does not parse), "metrics": [...]}, where
// metrics are the distinct metric names of every vector and matrix selector (subqueries included), in
// order of first appearance. A selector without a fixed name (`{__name__=~"..."}`) names no metric.
package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/promql/parser"
)

type result struct {
	Expr    string   `json:"expr"`
	Error   string   `json:"error,omitempty"`
	Metrics []string `json:"metrics"`
}

// selectorName is the metric name a selector fixes: its name, else an equality matcher on __name__.
func selectorName(vs *parser.VectorSelector) string {
	if vs.Name != "" {
		return vs.Name
	}
	for _, m := range vs.LabelMatchers {
		if m.Name == labels.MetricName && m.Type == labels.MatchEqual {
			return m.Value
		}
	}
	return ""
}

func inspect(p parser.Parser, expr string) result {
	out := result{Expr: expr, Metrics: []string{}}
	ast, err := p.ParseExpr(expr)
	if err != nil {
		out.Error = err.Error()
		return out
	}
	seen := map[string]bool{}
	parser.Inspect(ast, func(node parser.Node, _ []parser.Node) error {
		if vs, ok := node.(*parser.VectorSelector); ok {
			if name := selectorName(vs); name != "" && !seen[name] {
				seen[name] = true
				out.Metrics = append(out.Metrics, name)
			}
		}
		return nil
	})
	return out
}

func main() {
	input, err := io.ReadAll(os.Stdin)
	if err != nil {
		fmt.Fprintf(os.Stderr, "promql-inspect: reading stdin: %v\n", err)
		os.Exit(1)
	}
	var exprs []string
	if err := json.Unmarshal(input, &exprs); err != nil {
		fmt.Fprintf(os.Stderr, "promql-inspect: stdin must be a JSON array of strings: %v\n", err)
		os.Exit(2)
	}
	// The options of a Prometheus server started without feature flags.
	p := parser.NewParser(parser.Options{})
	results := make([]result, 0, len(exprs))
	for _, expr := range exprs {
		results = append(results, inspect(p, expr))
	}
	if err := json.NewEncoder(os.Stdout).Encode(results); err != nil {
		fmt.Fprintf(os.Stderr, "promql-inspect: writing stdout: %v\n", err)
		os.Exit(1)
	}
}
