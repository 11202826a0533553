import { Gauge, type Registry } from "prom-client";

/** One sample of a gauge: its labels and value. */
export interface GaugeSample<Label extends string> {
  readonly labels: Partial<Record<Label, string>>;
  readonly value: number;
}

/**
 * A gauge whose samples are computed when it is scraped, by `read`. Unlike a
 * prom-client `Gauge` with `collect`, it can have no sample at all (a gauge without
 * labels otherwise reports 0): a value that is not known is absent, not zero.
 */
export class ScrapedGauge<Label extends string> extends Gauge<Label> {
  constructor(
    config: { name: string; help: string; labelNames: readonly Label[]; registry: Registry },
    private readonly read: () => Promise<readonly GaugeSample<Label>[]> | readonly GaugeSample<Label>[],
  ) {
    super({
      name: config.name,
      help: config.help,
      labelNames: config.labelNames,
      registers: [config.registry],
    });
  }

  override async get(): ReturnType<Gauge<Label>["get"]> {
    const metric = await super.get();
    return { ...metric, values: (await this.read()).map(({ labels, value }) => ({ labels, value })) };
  }
}
