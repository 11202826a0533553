import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import {
  clusterResetCommand,
  etcdS3Target,
  etcdSnapshotFlags,
  isLocalSnapshot,
  renderEtcdS3Credentials,
} from "./etcd-snapshots.js";

describe("etcdS3Target", () => {
  it("takes the host of the backups endpoint, without scheme, and a folder per stack apart from the database", () => {
    expect(
      etcdS3Target({ endpoint: "https://fra1.digitaloceanspaces.com", bucket: "hdp-b" }, "prod"),
    ).toEqual({
      endpoint: "fra1.digitaloceanspaces.com",
      bucket: "hdp-b",
      folder: "prod/etcd",
      insecure: false,
    });
  });

  it("keeps a port, and marks plain HTTP storage insecure", () => {
    const target = etcdS3Target({ endpoint: "http://minio.lab.example.net:9000/", bucket: "hdp-b" }, "dev");
    expect(target.endpoint).toBe("minio.lab.example.net:9000");
    expect(target.insecure).toBe(true);
    expect(etcdSnapshotFlags({ schedule: "0 * * * *", retention: 3, s3: target })["etcd-s3-insecure"]).toBe(
      true,
    );
  });
});

describe("renderEtcdS3Credentials", () => {
  it("is a k3s config drop-in with the two keys and nothing else", () => {
    const text = renderEtcdS3Credentials({ accessKeyId: "AKIDEXAMPLE", secretAccessKey: "s3cr:et/+x" });
    expect(parse(text)).toEqual({ "etcd-s3-access-key": "AKIDEXAMPLE", "etcd-s3-secret-key": "s3cr:et/+x" });
  });
});

describe("clusterResetCommand", () => {
  it("fetches a snapshot name from S3 through the config's etcd-s3 settings", () => {
    expect(clusterResetCommand("etcd-snapshot-k3s-server-1-1733212800", true)).toBe(
      "k3s server --cluster-reset --cluster-reset-restore-path='etcd-snapshot-k3s-server-1-1733212800'",
    );
  });

  it("reads an absolute path from the server's disk, telling k3s not to look in S3 when it is configured", () => {
    const path = "/var/lib/rancher/k3s/server/db/snapshots/etcd-snapshot-k3s-server-1-1733212800";
    expect(isLocalSnapshot(path)).toBe(true);
    expect(clusterResetCommand(path, true)).toBe(
      `k3s server --cluster-reset --etcd-s3=false --cluster-reset-restore-path='${path}'`,
    );
    expect(clusterResetCommand(path, false)).toBe(
      `k3s server --cluster-reset --cluster-reset-restore-path='${path}'`,
    );
  });

  it("quotes the snapshot for the shell", () => {
    expect(clusterResetCommand("a'b", true)).toContain(`--cluster-reset-restore-path='a'"'"'b'`);
  });
});
