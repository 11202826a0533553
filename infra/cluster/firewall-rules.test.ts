import { describe, expect, it } from "vitest";
import { inboundRules, toDigitalOceanInbound, toHetznerRules } from "./firewall-rules.js";

const args = { adminCidrs: ["198.51.100.0/24"], nodeCidrs: ["203.0.113.5/32", "203.0.113.6/32"] };
const summary = (ingress: boolean) =>
  inboundRules({ ...args, ingress }).map((r) => `${r.port}/${r.protocol} from ${r.sources.join(",")}`);

describe("inboundRules", () => {
  it("is exactly SSH and the API from operators and nodes, and WireGuard, on a node without ingress", () => {
    expect(summary(false)).toEqual([
      "22/tcp from 198.51.100.0/24,203.0.113.5/32,203.0.113.6/32",
      "6443/tcp from 198.51.100.0/24,203.0.113.5/32,203.0.113.6/32",
      "51820/udp from 0.0.0.0/0,::/0",
    ]);
  });

  it("adds HTTP and HTTPS from anywhere on ingress nodes, and nothing else", () => {
    expect(summary(true)).toEqual([
      ...summary(false),
      "80/tcp from 0.0.0.0/0,::/0",
      "443/tcp from 0.0.0.0/0,::/0",
    ]);
  });

  it("never opens SSH or the API to the whole internet", () => {
    for (const rule of inboundRules({ ...args, ingress: true })) {
      if (rule.port === "22" || rule.port === "6443") expect(rule.sources).not.toContain("0.0.0.0/0");
    }
  });

  it("refuses a rule set without any operator network", () => {
    expect(() => inboundRules({ adminCidrs: [], nodeCidrs: [], ingress: false })).toThrow(/admin network/);
  });
});

describe("provider mappings", () => {
  const rules = inboundRules({
    adminCidrs: ["198.51.100.0/24"],
    nodeCidrs: ["203.0.113.4/32"],
    ingress: true,
  });

  it("maps each rule to one DigitalOcean inbound rule and one Hetzner rule, nothing more", () => {
    expect(toDigitalOceanInbound(rules)).toEqual([
      { protocol: "tcp", portRange: "22", sourceAddresses: ["198.51.100.0/24", "203.0.113.4/32"] },
      { protocol: "tcp", portRange: "6443", sourceAddresses: ["198.51.100.0/24", "203.0.113.4/32"] },
      { protocol: "udp", portRange: "51820", sourceAddresses: ["0.0.0.0/0", "::/0"] },
      { protocol: "tcp", portRange: "80", sourceAddresses: ["0.0.0.0/0", "::/0"] },
      { protocol: "tcp", portRange: "443", sourceAddresses: ["0.0.0.0/0", "::/0"] },
    ]);
    const hetzner = toHetznerRules(rules);
    expect(hetzner.map((r) => [r.direction, r.protocol, r.port, r.sourceIps])).toEqual(
      toDigitalOceanInbound(rules).map((r) => ["in", r.protocol, r.portRange, r.sourceAddresses]),
    );
    expect(hetzner.every((r) => r.description.length > 0)).toBe(true);
  });
});
