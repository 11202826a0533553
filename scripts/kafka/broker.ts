/**
 * A real Apache Kafka broker (JVM distribution from Maven Central, KRaft mode, loopback only) for tests and
 * benchmarks.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createConnection } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Kafka, logLevel } from "kafkajs";
import { freePort } from "../lib/ports.js";
import { commandExists, defaultLog, ensureKafkaDistribution, run, type KafkaLog } from "./distribution.js";

export * from "./distribution.js";

/** Options of {@link startKafkaBroker}. */
export interface KafkaBrokerOptions {
  /** Client (PLAINTEXT) port on 127.0.0.1; a free one when omitted. */
  port?: number;
  /** Data directory; a fresh temp dir (removed on stop) when omitted. A given one is kept. */
  dataDir?: string;
  log?: KafkaLog;
  /** Passed to {@link ensureKafkaDistribution}. */
  cacheDir?: string;
  /** JVM max heap in MiB; default 512. */
  heapMb?: number;
  /** How long to wait for readiness; default 90 s. */
  readyTimeoutMs?: number;
}

/** A running broker. */
export interface KafkaBroker {
  /** `127.0.0.1:PORT`, the kafkajs `brokers` value. */
  brokers: string;
  /** Settles with the JVM's exit code (-1 when killed by a signal) once it exits, for whatever reason. */
  exited: Promise<number | null>;
  /** Sends SIGTERM, waits for exit (SIGKILL after 20 s) and removes the temp data dir. Idempotent. */
  stop(): Promise<void>;
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolvePromise) => {
    const socket = createConnection({ host: "127.0.0.1", port });
    socket.setTimeout(1000);
    const done = (ok: boolean): void => {
      socket.destroy();
      resolvePromise(ok);
    };
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
    socket.once("timeout", () => done(false));
  });
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A Kafka cluster id: 16 random bytes, base64url without padding. */
/** The cluster id of storage formatted before (a broker started again on its data), else a new one. */
async function clusterId(logDir: string): Promise<string> {
  const meta = await readFile(join(logDir, "meta.properties"), "utf8").catch(() => "");
  return /^cluster\.id=(.+)$/m.exec(meta)?.[1]?.trim() ?? randomBytes(16).toString("base64url");
}

function serverProperties(port: number, controllerPort: number, logDir: string): string {
  return [
    "process.roles=broker,controller",
    "node.id=1",
    `controller.quorum.voters=1@127.0.0.1:${controllerPort}`,
    `listeners=PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}`,
    `advertised.listeners=PLAINTEXT://127.0.0.1:${port}`,
    "controller.listener.names=CONTROLLER",
    "inter.broker.listener.name=PLAINTEXT",
    "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
    `log.dirs=${logDir}`,
    "num.partitions=3",
    "default.replication.factor=1",
    "min.insync.replicas=1",
    "auto.create.topics.enable=true",
    "offsets.topic.replication.factor=1",
    // Fewer internal partitions than the default 50: the first consumer group is ready much sooner.
    "offsets.topic.num.partitions=5",
    "transaction.state.log.replication.factor=1",
    "transaction.state.log.min.isr=1",
    "transaction.state.log.num.partitions=5",
    "share.coordinator.state.topic.replication.factor=1",
    "share.coordinator.state.topic.min.isr=1",
    "group.initial.rebalance.delay.ms=0",
    "num.network.threads=2",
    "num.io.threads=4",
    "",
  ].join("\n");
}

/** log4j2: INFO to stdout (captured, only shown on failure), minus the very chatty config dumps. */
const LOG4J2 = [
  "status = warn",
  "appender.out.type = Console",
  "appender.out.name = STDOUT",
  "appender.out.layout.type = PatternLayout",
  "appender.out.layout.pattern = [%d{HH:mm:ss,SSS}] %p %m (%c{1})%n",
  "rootLogger.level = info",
  "rootLogger.appenderRef.out.ref = STDOUT",
  "logger.config.name = org.apache.kafka.common.config",
  "logger.config.level = warn",
  "logger.kconfig.name = kafka.server.KafkaConfig",
  "logger.kconfig.level = warn",
  "",
].join("\n");

async function adminCanListTopics(brokers: string): Promise<boolean> {
  const admin = new Kafka({
    clientId: "kafka-broker-readiness",
    brokers: [brokers],
    logLevel: logLevel.NOTHING,
    connectionTimeout: 2000,
    requestTimeout: 5000,
    retry: { retries: 0 },
  }).admin();
  try {
    await admin.connect();
    await admin.listTopics();
    // Warm the group coordinator (creates __consumer_offsets) so the first consumer group joins promptly.
    await admin.describeGroups(["kafka-broker-readiness"]);
    return true;
  } catch {
    return false;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

/**
 * Starts a single-node KRaft Kafka (combined broker + controller) on 127.0.0.1 and waits until a kafkajs
 * admin can list topics. Resolves the distribution first (see {@link ensureKafkaDistribution}). The JVM is
 * killed when this process exits.
 */
export async function startKafkaBroker(options: KafkaBrokerOptions = {}): Promise<KafkaBroker> {
  const log = options.log ?? defaultLog;
  if (!commandExists("java", ["-version"])) {
    throw new Error(
      "kafka: Java (`java`) is not on PATH; Kafka needs Java 17+ (apt-get install openjdk-17-jre-headless)",
    );
  }
  const { classpath } = await ensureKafkaDistribution({ cacheDir: options.cacheDir, log });
  const started = Date.now();
  const port = options.port ?? (await freePort());
  let controllerPort = await freePort();
  while (controllerPort === port) controllerPort = await freePort();

  const ownDataDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), "kafka-broker-")));
  await mkdir(dataDir, { recursive: true });
  const propsFile = join(dataDir, "server.properties");
  const log4jFile = join(dataDir, "log4j2.properties");
  await writeFile(propsFile, serverProperties(port, controllerPort, join(dataDir, "logs")));
  await writeFile(log4jFile, LOG4J2);

  const jvm = [
    `-Xms128m`,
    `-Xmx${options.heapMb ?? 512}m`,
    "-XX:+UseSerialGC",
    "-XX:+ExitOnOutOfMemoryError",
    "-Djava.awt.headless=true",
    `-Dlog4j2.configurationFile=${log4jFile}`,
    "-cp",
    classpath,
  ];
  const removeData = async (): Promise<void> => {
    if (ownDataDir) await rm(dataDir, { recursive: true, force: true });
  };

  const format = await run("java", [
    ...jvm,
    "kafka.tools.StorageTool",
    "format",
    // With "=": a random id may start with "-", which the tool would take for an option.
    `--cluster-id=${await clusterId(join(dataDir, "logs"))}`,
    "-c",
    propsFile,
    "--ignore-formatted",
  ]);
  if (format.code !== 0) {
    await removeData();
    throw new Error(`kafka: formatting storage failed (exit ${format.code}):\n${format.output}`);
  }

  const tail: string[] = [];
  const child: ChildProcess = spawn("java", [...jvm, "kafka.Kafka", propsFile], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  const killOnExit = (): void => {
    child.kill("SIGKILL");
    try {
      if (ownDataDir) rmSync(dataDir, { recursive: true, force: true, maxRetries: 2 });
    } catch {
      // best effort: the process is exiting
    }
  };
  process.on("exit", killOnExit);
  const collect = (chunk: Buffer): void => {
    for (const line of chunk.toString("utf8").split("\n")) {
      if (line.trim() === "") continue;
      tail.push(line);
      if (tail.length > 60) tail.shift();
    }
  };
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);
  let exitCode: number | null | undefined;
  const exited = new Promise<number | null>((resolveExit) => {
    child.once("exit", (code, signal) => {
      exitCode = code ?? (signal ? -1 : null);
      process.off("exit", killOnExit);
      resolveExit(exitCode);
    });
  });

  const brokers = `127.0.0.1:${port}`;
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      if (exitCode === undefined) {
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
        await exited;
        clearTimeout(timer);
      }
      await removeData();
    })();
    return stopping;
  };

  const deadline = started + (options.readyTimeoutMs ?? 90_000);
  for (;;) {
    if (exitCode !== undefined) {
      await stop();
      throw new Error(
        `kafka: broker exited during startup (code ${exitCode}); log tail:\n${tail.join("\n")}`,
      );
    }
    if (Date.now() > deadline) {
      const lines = tail.join("\n") || "(no output yet)";
      await stop();
      throw new Error(
        `kafka: broker on ${brokers} not ready after ${((Date.now() - started) / 1000).toFixed(0)} s; log tail:\n${lines}`,
      );
    }
    if ((await canConnect(port)) && (await adminCanListTopics(brokers))) break;
    await sleep(250);
  }
  log(`kafka: broker ready on ${brokers} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return { brokers, exited, stop };
}
