/**
 * Local Kafka broker for tests and benchmarks (see scripts/kafka/broker.ts).
 *
 *   tsx scripts/kafka-broker.ts start [--port N]   foreground broker; prints KAFKA_BROKERS=127.0.0.1:PORT
 *   tsx scripts/kafka-broker.ts fetch              only resolve/cache the distribution (CI pre-warm)
 */
import { parseArgs } from "node:util";
import { ensureKafkaDistribution, startKafkaBroker } from "./kafka/broker.js";

const USAGE = "usage: tsx scripts/kafka-broker.ts start [--port N] | fetch";

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { port: { type: "string" }, help: { type: "boolean", short: "h" } },
  });
  const [command] = positionals;
  if (values.help || positionals.length !== 1) {
    console.error(USAGE);
    process.exitCode = values.help ? 0 : 2;
    return;
  }
  if (command === "fetch") {
    const { version, libDir } = await ensureKafkaDistribution();
    console.error(`kafka: ${version} available in ${libDir}`);
    return;
  }
  if (command !== "start") throw new Error(`unknown command "${command}"; ${USAGE}`);

  let port: number | undefined;
  if (values.port !== undefined) {
    port = Number(values.port);
    if (!Number.isInteger(port) || port < 1 || port > 65_535)
      throw new Error(`invalid --port ${values.port}`);
  }
  const broker = await startKafkaBroker({ port });
  console.log(`KAFKA_BROKERS=${broker.brokers}`);
  let onSignal: (signal: NodeJS.Signals) => void = () => undefined;
  const signalled = new Promise<NodeJS.Signals>((resolve) => {
    onSignal = resolve;
    process.once("SIGINT", onSignal);
    process.once("SIGTERM", onSignal);
  });
  const outcome = await Promise.race([signalled, broker.exited.then((code) => ({ code }))]);
  process.off("SIGINT", onSignal);
  process.off("SIGTERM", onSignal);
  if (typeof outcome === "string") {
    console.error(`kafka: ${outcome} received, stopping broker…`);
  } else {
    console.error(`kafka: broker exited unexpectedly (code ${outcome.code})`);
    process.exitCode = 1;
  }
  await broker.stop();
  console.error("kafka: broker stopped");
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
