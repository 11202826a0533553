// `npm run dev`'s command line: bad options are refused before anything starts, with the option named.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const dev = (...args: string[]) =>
  spawnSync(process.execPath, ["--import", "tsx", "scripts/dev.ts", ...args], {
    cwd: ROOT,
    encoding: "utf8",
    timeout: 30_000,
  });

describe("npm run dev's options", () => {
  it("documents each option, the simulated device included", () => {
    const help = dev("--help");
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(
      /--device <name> +simulated Raspberry Pi sending readings, none: off +\[pi-sim\]/,
    );
  });

  it.each([
    [["--device", "Pi_1"], /^dev: --device: "Pi_1" is not a device name such as pi-sim/],
    [["--speed", "0"], /^dev: --speed: must be a positive number, got "0"/],
    [["--tickers", "AAPL,??"], /^dev: --tickers: "\?\?" is not a ticker/],
    [["--api-port", "70000"], /^dev: --api-port: must be a port number/],
  ])("refuses %j with exit 2 and the option's name", (args, message) => {
    const result = dev(...args);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).toContain("(run with --help for usage)");
    expect(result.stdout).not.toContain("starting the local pipeline");
  });
});
