/**
 * The five services the program deploys, and how their images are built: the one list
 * the Pulumi components, the image workflow and the Dockerfiles are checked against.
 */
export interface ServiceImage {
  /** npm workspace of the service. */
  readonly workspace: string;
  /** Image name under the stack's registry: `<registry>/<image>:<tag>`. */
  readonly image: string;
  /** Platforms the image is built for; what runs on Raspberry Pis also gets arm/v7. */
  readonly platforms: readonly string[];
}

const SERVER_PLATFORMS = ["linux/amd64", "linux/arm64"] as const;

export const SERVICES = {
  ingestion: {
    workspace: "@hdp/ingestion",
    image: "ingestion",
    // The sensor agent runs on every Raspberry Pi, including 32-bit Raspberry Pi OS.
    platforms: [...SERVER_PLATFORMS, "linux/arm/v7"],
  },
  processing: { workspace: "@hdp/processing", image: "processing", platforms: SERVER_PLATFORMS },
  analytics: { workspace: "@hdp/analytics", image: "analytics", platforms: SERVER_PLATFORMS },
  "middle-tier": { workspace: "@hdp/middle-tier", image: "middle-tier", platforms: SERVER_PLATFORMS },
  frontend: { workspace: "@hdp/frontend", image: "frontend", platforms: SERVER_PLATFORMS },
} as const satisfies Record<string, ServiceImage>;

export type ServiceName = keyof typeof SERVICES;
export const SERVICE_NAMES = Object.keys(SERVICES) as ServiceName[];
