// alertmanager-check reads an Alertmanager configuration on standard input and loads it with Alertmanager's
// own loader (github.com/prometheus/alertmanager/config, the version go.mod pins): exit 0 and "ok" when
// Alertmanager would accept it, exit 1 and the loader's reason on standard error when it would not.
package main

import (
	"fmt"
	"io"
	"os"

	"github.com/prometheus/alertmanager/config"
)

func main() {
	data, err := io.ReadAll(os.Stdin)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	if _, err := config.Load(string(data)); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Println("ok")
}
