import { WIREGUARD_PORT } from "./node-metadata.js";

/** One inbound rule, provider-neutral: mapped to DigitalOcean and Hetzner firewall rules. */
export interface InboundRule {
  readonly description: string;
  readonly protocol: "tcp" | "udp";
  /** A port or a range `from-to`. */
  readonly port: string;
  readonly sources: readonly string[];
}

export interface FirewallArgs {
  /** Networks of the operators (SSH, Kubernetes API). */
  readonly adminCidrs: readonly string[];
  /** Public addresses of the cluster's own nodes, as /32 or /128 networks. */
  readonly nodeCidrs: readonly string[];
  /** Whether these nodes receive web traffic (the ingress). */
  readonly ingress: boolean;
}

const ANYWHERE = ["0.0.0.0/0", "::/0"];

/**
 * The complete inbound rule set of a cloud node — everything else is refused: SSH
 * and the Kubernetes API only from the operators and the cluster's own nodes,
 * WireGuard from anywhere (nodes behind NAT have changing addresses), and HTTP(S)
 * on ingress nodes. Intra-location traffic of the Hetzner workers stays on their
 * private network, which the cloud firewall does not filter.
 */
export function inboundRules(args: FirewallArgs): InboundRule[] {
  if (args.adminCidrs.length === 0) throw new Error("inboundRules: at least one admin network is needed");
  const trusted = [...new Set([...args.adminCidrs, ...args.nodeCidrs])];
  const rules: InboundRule[] = [
    { description: "SSH from operators and cluster nodes", protocol: "tcp", port: "22", sources: trusted },
    {
      description: "Kubernetes API from operators and cluster nodes",
      protocol: "tcp",
      port: "6443",
      sources: trusted,
    },
    { description: "WireGuard (Kilo)", protocol: "udp", port: String(WIREGUARD_PORT), sources: ANYWHERE },
  ];
  if (args.ingress) {
    rules.push(
      { description: "HTTP (ingress, ACME challenges)", protocol: "tcp", port: "80", sources: ANYWHERE },
      { description: "HTTPS (ingress)", protocol: "tcp", port: "443", sources: ANYWHERE },
    );
  }
  return rules;
}

/** A DigitalOcean firewall inbound rule (`digitalocean.Firewall` `inboundRules`). */
export interface DigitalOceanInboundRule {
  readonly protocol: "tcp" | "udp";
  readonly portRange: string;
  readonly sourceAddresses: string[];
}

/** A Hetzner Cloud firewall rule (`hcloud.Firewall` `rules`). */
export interface HetznerFirewallRule {
  readonly direction: "in";
  readonly protocol: "tcp" | "udp";
  readonly port: string;
  readonly sourceIps: string[];
  readonly description: string;
}

/** The rule set as DigitalOcean firewall inbound rules. */
export function toDigitalOceanInbound(rules: readonly InboundRule[]): DigitalOceanInboundRule[] {
  return rules.map((r) => ({ protocol: r.protocol, portRange: r.port, sourceAddresses: [...r.sources] }));
}

/**
 * DigitalOcean firewalls refuse all outbound traffic unless rules allow it: nodes
 * install packages, pull images and reach the other locations.
 */
export const DIGITALOCEAN_OUTBOUND = [
  { protocol: "tcp", portRange: "1-65535", destinationAddresses: ANYWHERE },
  { protocol: "udp", portRange: "1-65535", destinationAddresses: ANYWHERE },
  { protocol: "icmp", destinationAddresses: ANYWHERE },
] as const;

/** The rule set as Hetzner Cloud firewall rules (outbound stays open: no `out` rules). */
export function toHetznerRules(rules: readonly InboundRule[]): HetznerFirewallRule[] {
  return rules.map((r) => ({
    direction: "in",
    protocol: r.protocol,
    port: r.port,
    sourceIps: [...r.sources],
    description: r.description,
  }));
}
