import { z } from "zod";
import { K3S_VERSION } from "../cluster/k3s-version.js";

/** DigitalOcean regions that offer droplets. */
export const DIGITALOCEAN_REGIONS = [
  "nyc1",
  "nyc3",
  "sfo2",
  "sfo3",
  "tor1",
  "ams3",
  "lon1",
  "fra1",
  "blr1",
  "sgp1",
  "syd1",
] as const;

/** Hetzner Cloud locations. */
export const HETZNER_LOCATIONS = ["fsn1", "nbg1", "hel1", "ash", "hil", "sin"] as const;

/** A DNS-1123 label: node names become Kubernetes node names and hostnames. */
export const nodeName = z
  .string()
  .regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, "must be a DNS label (lower-case letters, digits, '-')");

/** An IPv4 or IPv6 network in CIDR notation, e.g. `203.0.113.0/24`. */
export const cidr = z
  .string()
  .refine(isCidr, "must be an IPv4 or IPv6 network in CIDR notation, e.g. 203.0.113.0/24");

function isCidr(value: string): boolean {
  const [address, bits, extra] = value.split("/");
  if (address === undefined || bits === undefined || extra !== undefined || !/^\d{1,3}$/.test(bits))
    return false;
  const prefix = Number(bits);
  if (z.ipv4().safeParse(address).success) return prefix <= 32;
  if (z.ipv6().safeParse(address).success) return prefix <= 128;
  return false;
}

/** An OpenSSH public key line. */
export const sshPublicKey = z
  .string()
  .regex(
    /^(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp(256|384|521)|sk-ssh-ed25519@openssh\.com) [A-Za-z0-9+/=]{20,}( .*)?$/,
    "must be an OpenSSH public key line (ssh-ed25519 AAAA… comment)",
  );

/** A host name (for DNS records and TLS certificates). */
export const hostName = z
  .string()
  .regex(
    /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/,
    "must be a fully qualified host name",
  );

/** A pinned k3s release, e.g. `v1.36.3+k3s1`. */
export const k3sVersion = z
  .string()
  .regex(/^v1\.\d+\.\d+\+k3s\d+$/, `must be a k3s release such as ${K3S_VERSION}`);

/** An S3 bucket name (the rules S3-compatible stores share): 3 to 63 lower-case letters, digits, '.' and '-'. */
export const bucketName = z
  .string()
  .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, "must be a bucket name (3 to 63 of a-z, 0-9, '.' and '-')");

/** The https URL of an S3-compatible store's API, e.g. `https://fra1.digitaloceanspaces.com`. */
export const httpsUrl = (what: string) =>
  z.url({ protocol: /^https$/, message: `must be ${what}'s https URL` });
