import { EventEmitter } from "node:events";
import { Writable } from "node:stream";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ConfigError } from "../errors/errors.js";
import { createLogger } from "../log/logger.js";
import { configOrExit, EXIT_CODES, exitOnSignals, type Exit } from "./lifecycle.js";

/** An exit that records its code instead of ending the test process. */
function fakeExit() {
  const codes: number[] = [];
  const exit: Exit = (code) => {
    codes.push(code);
  };
  return { codes, exit };
}

function captureLogger() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  return { lines, logger: createLogger({ service: "test", destination }) };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("configOrExit", () => {
  it("returns the loaded configuration", () => {
    const { codes, exit } = fakeExit();
    expect(configOrExit("svc", () => ({ port: 1 }), exit)).toEqual({ port: 1 });
    expect(codes).toEqual([]);
  });

  it("exits 2 on bad configuration, saying what is wrong with the service's name and no stack", () => {
    const stderr = vi.spyOn(console, "error").mockImplementation(() => {});
    const { codes, exit } = fakeExit();
    const load = () => {
      throw new ConfigError(["PORT: must be a number"]);
    };
    expect(() => configOrExit("svc", load, exit)).toThrow(ConfigError);
    expect(codes).toEqual([EXIT_CODES.badConfig]);
    expect(EXIT_CODES.badConfig).toBe(2);
    expect(stderr).toHaveBeenCalledWith("svc: invalid configuration:\n  PORT: must be a number");
  });

  it("throws other errors on: they are bugs, not configuration", () => {
    const { codes, exit } = fakeExit();
    expect(() =>
      configOrExit(
        "svc",
        () => {
          throw new TypeError("boom");
        },
        exit,
      ),
    ).toThrow(TypeError);
    expect(codes).toEqual([]);
  });
});

describe("exitOnSignals", () => {
  it.each(["SIGTERM", "SIGINT"] as const)("on %s stops once, logs, and exits 0", async (signal) => {
    const target = new EventEmitter();
    const { lines, logger } = captureLogger();
    const { codes, exit } = fakeExit();
    const stop = vi.fn(async () => {});
    exitOnSignals({ logger, stop, target, exit });
    target.emit(signal);
    await vi.waitFor(() => expect(codes).toEqual([EXIT_CODES.ok]));
    expect(stop).toHaveBeenCalledTimes(1);
    expect(lines.map((line) => line.msg)).toEqual(["shutting down", "stopped"]);
    expect(lines[0]).toMatchObject({ signal });
  });

  it("exits 1 and logs the error when stopping fails", async () => {
    const target = new EventEmitter();
    const { lines, logger } = captureLogger();
    const { codes, exit } = fakeExit();
    const stop = async () => {
      throw new Error("pool would not end");
    };
    exitOnSignals({ logger, stop, target, exit });
    target.emit("SIGTERM");
    await vi.waitFor(() => expect(codes).toEqual([EXIT_CODES.failure]));
    expect(lines.at(-1)).toMatchObject({ msg: "unclean shutdown", err: { message: "pool would not end" } });
  });

  it("ignores a second signal while stopping", async () => {
    const target = new EventEmitter();
    const { logger } = captureLogger();
    const { codes, exit } = fakeExit();
    let finish = () => {};
    const stop = vi.fn(() => new Promise<void>((resolve) => (finish = resolve)));
    exitOnSignals({ logger, stop, target, exit });
    target.emit("SIGTERM");
    target.emit("SIGINT");
    finish();
    await vi.waitFor(() => expect(codes).toEqual([EXIT_CODES.ok]));
    expect(stop).toHaveBeenCalledTimes(1);
  });
});
