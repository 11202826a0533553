// The pinned exporter lists: well-formed, each with its source, and at the versions the program installs.
import { describe, expect, it } from "vitest";
import { KILO_IMAGE } from "../../cluster/resources/hybrid-cluster.js";
import { VERSIONS } from "../render.js";
import { WIREGUARD_EXPORTER } from "./contract.js";
import {
  DCGM_EXPORTER_VERSION,
  EXPORTERS,
  exporterMetricNames,
  histogram,
  KILO_VERSION,
} from "./exporter-metrics.js";

describe("pinned exporter metrics", () => {
  it.each(EXPORTERS.map((e) => [e.exporter, e] as const))(
    "%s: a version, where it is pinned, a source, valid names",
    (_, e) => {
      expect(e.version).toMatch(/\d/);
      expect(e.pinnedBy).not.toBe("");
      expect(e.source).toMatch(/^(github\.com\/|https:\/\/)/);
      expect(e.metrics.length).toBeGreaterThan(0);
      expect(new Set(e.metrics).size).toBe(e.metrics.length);
      for (const name of e.metrics) expect(name).toMatch(/^[a-zA-Z_:][a-zA-Z0-9_:]*$/);
    },
  );

  it("each exporter is listed once, and no metric name belongs to two", () => {
    expect(new Set(EXPORTERS.map((e) => e.exporter)).size).toBe(EXPORTERS.length);
    const all = EXPORTERS.flatMap((e) => e.metrics);
    expect(exporterMetricNames().size).toBe(all.length);
  });

  it("a histogram is its bucket, sum and count series", () => {
    expect(histogram("traefik_entrypoint_request_duration_seconds")).toEqual([
      "traefik_entrypoint_request_duration_seconds_bucket",
      "traefik_entrypoint_request_duration_seconds_sum",
      "traefik_entrypoint_request_duration_seconds_count",
    ]);
  });

  it("the lists are at the versions the program installs", () => {
    expect(KILO_IMAGE).toBe(`docker.io/squat/kilo:${KILO_VERSION}`);
    expect(
      WIREGUARD_EXPORTER.image.endsWith(
        `:${EXPORTERS.find((e) => e.exporter === "wireguard-exporter")!.version}`,
      ),
    ).toBe(true);
    expect(DCGM_EXPORTER_VERSION.endsWith(`-${VERSIONS.dcgmExporterChart}`)).toBe(true);
    expect(EXPORTERS.find((e) => e.exporter === "traefik")!.version).toBe(VERSIONS.traefik);
    expect(EXPORTERS.find((e) => e.exporter === "cert-manager")!.version).toBe(VERSIONS.certManagerChart);
    expect(EXPORTERS.find((e) => e.exporter === "kafka-jmx")!.version).toBe(VERSIONS.strimziChart);
  });
});
