import type { Logger, MessageBus } from "@hdp/shared";
import { startProcessingService, type ProcessingMetrics, type ProcessingService } from "@hdp/processing";

export interface LocalProcessingOptions {
  readonly databaseUrl: string;
  readonly bus: MessageBus;
  readonly logger: Logger;
  readonly analyticsUrl: string;
  readonly poolSize: number;
  /** Health and metrics on this port of 127.0.0.1 (0 picks a free one); none when omitted. */
  readonly port?: number;
  /** The service clock (the replay's): the future-instant rule and the bar freshness read it. */
  readonly now: () => number;
}

/**
 * Processing in a local run, which can be stopped and started again: each start is a
 * new member of the same consumer group, so it resumes from the committed offsets, on
 * the health port the first start got.
 */
export class LocalProcessing {
  private service: ProcessingService | undefined;
  private port: number | undefined;
  private transition: Promise<void> = Promise.resolve();
  private settle!: { resolve: () => void; reject: (error: unknown) => void };
  private closed = false;
  /** Settles when processing is closed for good; rejects as soon as a consumer crashes. */
  readonly done: Promise<void>;

  private constructor(private readonly options: LocalProcessingOptions) {
    this.port = options.port;
    this.done = new Promise<void>((resolve, reject) => (this.settle = { resolve, reject }));
    // Observed here so that a crash nobody awaits yet is not an unhandled rejection.
    this.done.catch(() => {});
  }

  static async start(options: LocalProcessingOptions): Promise<LocalProcessing> {
    const processing = new LocalProcessing(options);
    await processing.start();
    return processing;
  }

  get running(): boolean {
    return this.service !== undefined;
  }

  get healthUrl(): string | undefined {
    return this.port === undefined ? undefined : `http://127.0.0.1:${this.port}`;
  }

  /** The metrics of the running consumer, or of the last one. */
  get metrics(): ProcessingMetrics {
    if (!this.last) throw new Error("processing has not started");
    return this.last.metrics;
  }

  private last: ProcessingService | undefined;

  start(): Promise<void> {
    return (this.transition = this.transition.then(async () => {
      if (this.service || this.closed) return;
      const service = await startProcessingService({
        databaseUrl: this.options.databaseUrl,
        bus: this.options.bus,
        logger: this.options.logger,
        analyticsUrl: this.options.analyticsUrl,
        migrateOnStart: false,
        poolSize: this.options.poolSize,
        now: this.options.now,
        ...(this.port === undefined ? {} : { health: { host: "127.0.0.1", port: this.port } }),
      });
      if (service.healthUrl) this.port = Number(new URL(service.healthUrl).port);
      service.done.catch((error: unknown) => this.settle.reject(error));
      [this.service, this.last] = [service, service];
    }));
  }

  stop(): Promise<void> {
    return (this.transition = this.transition.then(async () => {
      const service = this.service;
      this.service = undefined;
      await service?.stop();
    }));
  }

  /** Stops processing for good and settles `done`. */
  async close(): Promise<void> {
    this.closed = true;
    await this.stop();
    this.settle.resolve();
  }
}
