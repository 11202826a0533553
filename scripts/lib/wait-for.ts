/** Polls `probe` until it returns a value other than undefined; throws `describe()` on timeout. */
export async function waitFor<T>(
  probe: () => Promise<T | undefined>,
  options: { timeoutMs: number; intervalMs?: number; describe: () => string | Promise<string> },
): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${options.timeoutMs / 1000} s: ${await options.describe()}`);
    await new Promise((r) => setTimeout(r, options.intervalMs ?? 500));
  }
}
