import { createLogger, type Logger } from "@hdp/shared";

/** A debug-level logger whose lines are kept in memory, to assert on what would be written. */
export function captureLogger(): { logger: Logger; lines: string[]; text: () => string } {
  const lines: string[] = [];
  const logger = createLogger({
    service: "ingestion-test",
    level: "debug",
    destination: { write: (line: string) => void lines.push(line) },
  });
  return { logger, lines, text: () => lines.join("") };
}
