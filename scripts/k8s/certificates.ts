/**
 * The test control plane's PKI, generated anew for every start with `openssl` (Debian's `openssl`
 * package): a CA, the API server's serving certificate (loopback and in-cluster names), one client
 * certificate per identity, and the service-account signing key. Everything is valid for two days and
 * lives in the control plane's temporary folder.
 */
import { spawn } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { MissingToolError, which } from "./binaries.js";

/** A client identity: the certificate's CN is the user, each O a group. */
export interface ClientIdentity {
  readonly file: string;
  readonly user: string;
  readonly groups?: readonly string[];
}

/** Files written by {@link generateCertificates}, all PEM. */
export interface ControlPlanePki {
  readonly caCert: string;
  readonly caKey: string;
  readonly serverCert: string;
  readonly serverKey: string;
  readonly serviceAccountKey: string;
  readonly serviceAccountPublicKey: string;
  /** `file` of each identity → its certificate and key. */
  readonly clients: Readonly<Record<string, { cert: string; key: string }>>;
}

/** The in-cluster names of the API server, besides loopback. */
const SERVER_NAMES = [
  "localhost",
  "kubernetes",
  "kubernetes.default",
  "kubernetes.default.svc",
  "kubernetes.default.svc.cluster.local",
];

function openssl(args: string[], cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn("openssl", args, { cwd, stdio: ["ignore", "ignore", "pipe"] });
    let errors = "";
    child.stderr.on("data", (chunk: Buffer) => (errors += chunk.toString("utf8")));
    child.on("error", reject);
    child.on("close", (code) =>
      code === 0
        ? resolve()
        : reject(new Error(`openssl ${args[0]} failed (exit ${code}): ${errors.trim()}`)),
    );
  });
}

const DAYS = "2";

/** An EC P-256 key and a certificate for `subject`, signed by the CA, with the given extensions. */
async function signed(dir: string, name: string, subject: string, extensions: string[]): Promise<void> {
  await openssl(["ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", `${name}.key`], dir);
  await openssl(["req", "-new", "-key", `${name}.key`, "-subj", subject, "-out", `${name}.csr`], dir);
  const extFile = `${name}.ext`;
  await writeFile(join(dir, extFile), `${extensions.join("\n")}\n`);
  await openssl(
    ["x509", "-req", "-in", `${name}.csr`, "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial"].concat([
      "-days",
      DAYS,
      "-sha256",
      "-extfile",
      extFile,
      "-out",
      `${name}.crt`,
    ]),
    dir,
  );
}

/**
 * Writes the PKI into `dir`. `serviceIp` is the first address of the service range (the `kubernetes`
 * Service), which in-cluster clients connect to.
 */
export async function generateCertificates(
  dir: string,
  serviceIp: string,
  identities: readonly ClientIdentity[],
): Promise<ControlPlanePki> {
  if (!which("openssl")) throw new MissingToolError("openssl", "apt-get install openssl");
  await openssl(["ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "ca.key"], dir);
  await openssl(
    ["req", "-x509", "-new", "-key", "ca.key", "-subj", "/CN=hdp-test-control-plane-ca", "-days", DAYS]
      .concat([
        "-addext",
        "basicConstraints=critical,CA:TRUE",
        "-addext",
        "keyUsage=critical,keyCertSign,cRLSign",
      ])
      .concat(["-out", "ca.crt"]),
    dir,
  );
  const alt = ["IP:127.0.0.1", `IP:${serviceIp}`, ...SERVER_NAMES.map((n) => `DNS:${n}`)].join(",");
  await signed(dir, "apiserver", "/CN=kube-apiserver", [
    "basicConstraints=CA:FALSE",
    "keyUsage=critical,digitalSignature,keyEncipherment",
    "extendedKeyUsage=serverAuth",
    `subjectAltName=${alt}`,
  ]);
  const clients: Record<string, { cert: string; key: string }> = {};
  for (const identity of identities) {
    const subject = `${(identity.groups ?? []).map((g) => `/O=${g}`).join("")}/CN=${identity.user}`;
    await signed(dir, identity.file, subject, [
      "basicConstraints=CA:FALSE",
      "keyUsage=critical,digitalSignature,keyEncipherment",
      "extendedKeyUsage=clientAuth",
    ]);
    clients[identity.file] = {
      cert: join(dir, `${identity.file}.crt`),
      key: join(dir, `${identity.file}.key`),
    };
  }
  await openssl(["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "sa.key"], dir);
  await openssl(["pkey", "-in", "sa.key", "-pubout", "-out", "sa.pub"], dir);
  return {
    caCert: join(dir, "ca.crt"),
    caKey: join(dir, "ca.key"),
    serverCert: join(dir, "apiserver.crt"),
    serverKey: join(dir, "apiserver.key"),
    serviceAccountKey: join(dir, "sa.key"),
    serviceAccountPublicKey: join(dir, "sa.pub"),
    clients,
  };
}
