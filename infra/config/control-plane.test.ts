// The `controlPlane` settings: defaults, each validation with the message naming its key, and the restore rule.
import { describe, expect, it } from "vitest";
import { parseStackConfig } from "./parse.js";
import { problemsOf, validSettings } from "./test-fixture.js";

const withControlPlane = (value: unknown, extra: Record<string, unknown> = {}) => ({
  ...validSettings(),
  controlPlane: value,
  ...extra,
});
const backups = { endpoint: "https://fra1.digitaloceanspaces.com", bucket: "hdp-backups" };

describe("controlPlane settings", () => {
  it("default to a snapshot every 6 hours, 28 kept, and no restore", () => {
    expect(parseStackConfig(validSettings(), "dev").controlPlane).toEqual({
      snapshots: { schedule: "0 */6 * * *", retention: 28 },
    });
    expect(parseStackConfig(withControlPlane({ snapshots: { retention: 7 } }), "dev").controlPlane).toEqual({
      snapshots: { schedule: "0 */6 * * *", retention: 7 },
    });
  });

  it.each<[string, unknown, string]>([
    [
      "a schedule of 6 fields",
      { snapshots: { schedule: "0 0 */6 * * *" } },
      'controlPlane.snapshots.schedule: must be a cron schedule of 5 fields (minute hour day-of-month month day-of-week) such as "0 */6 * * *"',
    ],
    [
      "a schedule that is not cron",
      { snapshots: { schedule: "every 6h" } },
      'controlPlane.snapshots.schedule: must be a cron schedule of 5 fields (minute hour day-of-month month day-of-week) such as "0 */6 * * *"',
    ],
    [
      "a retention of 0",
      { snapshots: { retention: 0 } },
      "controlPlane.snapshots.retention: must be at least 1, got number 0",
    ],
    [
      "a relative path as the snapshot",
      { restore: { snapshot: "../snapshots/x" } },
      "controlPlane.restore.snapshot: must be a snapshot name as `k3s etcd-snapshot ls` lists it, or an absolute path of a file on the first server",
    ],
    [
      "a snapshot with shell characters",
      { restore: { snapshot: "x; rm -rf /" } },
      "controlPlane.restore.snapshot: must be a snapshot name as `k3s etcd-snapshot ls` lists it, or an absolute path of a file on the first server",
    ],
  ])("refuse %s, naming the key", (_, value, problem) => {
    expect(problemsOf(withControlPlane(value, { backups }))).toEqual([problem]);
  });

  it("refuse a restore by snapshot name without backups, naming controlPlane.restore.snapshot", () => {
    const problems = problemsOf(
      withControlPlane({ restore: { snapshot: "etcd-snapshot-k3s-server-1-1733212800" } }),
    );
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(
      /^controlPlane\.restore\.snapshot: "etcd-snapshot-k3s-server-1-1733212800" names a snapshot in S3/,
    );
    expect(problems[0]).toMatch(/set backups/);
  });

  it("accept a restore by name with backups, and one from an absolute path without", () => {
    const byName = { restore: { snapshot: "etcd-snapshot-k3s-server-1-1733212800" } };
    expect(problemsOf(withControlPlane(byName, { backups }))).toEqual([]);
    const local = { restore: { snapshot: "/var/lib/rancher/k3s/server/db/snapshots/s-1" } };
    expect(problemsOf(withControlPlane(local))).toEqual([]);
    expect(parseStackConfig(withControlPlane(local), "dev").controlPlane.restore).toEqual(local.restore);
  });
});
