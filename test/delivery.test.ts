// Delivery: every service named in the Pulumi program has an image that is built the
// way the catalog says, and every stack file is previewed and deployed by a workflow.
// Expectations come from infra/services/catalog.ts, the stack files and package.json.
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { SERVICES } from "../infra/services/catalog.js";
import {
  dockerStages,
  healthcheck,
  isNonRoot,
  isPinnedImage,
  isPinnedUse,
  parseWorkflow,
  stageUser,
  stepsUsing,
  usesOf,
  writeScopes,
  type Job,
  type Workflow,
} from "./support/delivery.js";

const read = (path: string) => readFileSync(path, "utf8");
const services = Object.entries(SERVICES);
const stacks = readdirSync(".").flatMap((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1] ?? []);
const workspaces = (JSON.parse(read("package.json")) as { workspaces: string[] }).workspaces;
const workflowFiles = readdirSync(".github/workflows").filter((f) => /\.ya?ml$/.test(f));
const workflows = new Map(workflowFiles.map((f) => [f, parseWorkflow(read(`.github/workflows/${f}`))]));

function workflow(file: string): Workflow {
  const found = workflows.get(file);
  if (!found) throw new Error(`.github/workflows/${file} is missing`);
  return found;
}
const jobsOf = (w: Workflow) => Object.entries(w.jobs);
/** A service answers HTTP when it has a server entry point or is the web page. */
const answersHttp = (name: string) =>
  existsSync(`services/${name}/src/server.ts`) || existsSync(`services/${name}/index.html`);

describe.each(services)("the image of %s", (name, service) => {
  const dockerfile = `services/${name}/Dockerfile`;
  const stages = existsSync(dockerfile) ? dockerStages(read(dockerfile)) : [];
  const final = stages.at(-1);

  it("has a Dockerfile with a build stage and a final stage that copies from it", () => {
    expect(existsSync(dockerfile), dockerfile).toBe(true);
    expect(stages.length).toBeGreaterThanOrEqual(2);
    const copiedFrom = final?.instructions.flatMap((i) => /--from=(\S+)/.exec(i.args)?.[1] ?? []);
    expect(copiedFrom?.length, "COPY --from=<stage> in the final stage").toBeGreaterThan(0);
  });

  it("runs as an unprivileged user in the final stage", () => {
    expect(
      final && isNonRoot(stageUser(final)),
      `USER of the final stage: ${final && stageUser(final)}`,
    ).toBe(true);
  });

  const http = answersHttp(name);
  it(
    http
      ? "checks its health and exposes its port (it answers HTTP)"
      : "exposes no port (it answers no HTTP)",
    () => {
      const exposes = final?.instructions.some((i) => i.keyword === "EXPOSE");
      if (http) {
        expect(final && healthcheck(final)).toBeDefined();
        expect(exposes).toBe(true);
      } else {
        expect(exposes).toBe(false);
      }
    },
  );

  it("builds with the repository's own scripts, after copying every workspace's manifest", () => {
    const runs = stages.flatMap((s) => s.instructions.filter((i) => i.keyword === "RUN").map((i) => i.args));
    expect(runs.some((r) => r.includes("npm ci"))).toBe(true);
    expect(runs.some((r) => r.includes("npm run build") && r.includes(service.workspace))).toBe(true);
    const copies = stages.flatMap((s) =>
      s.instructions.filter((i) => i.keyword === "COPY").map((i) => i.args),
    );
    for (const ws of workspaces)
      expect(
        copies.some((c) => c.startsWith(`${ws}/package.json`)),
        ws,
      ).toBe(true);
  });

  it("ships production dependencies only", () => {
    // Stages whose directories (not build output) the final stage copies must not install dev dependencies.
    const shipped = (final?.instructions ?? []).flatMap((i) => {
      const from = /--from=(\S+)/.exec(i.args)?.[1];
      const sources = i.args
        .split(/\s+/)
        .filter((w) => !w.startsWith("--"))
        .slice(0, -1);
      return from && sources.some((src) => !/(\/dist|\/migrations|\.json|\.conf)\/?$/.test(src))
        ? [from]
        : [];
    });
    for (const stage of stages.filter((s) => s.name && shipped.includes(s.name))) {
      for (const run of stage.instructions.filter(
        (i) => i.keyword === "RUN" && /npm (ci|install)/.test(i.args),
      ))
        expect(run.args, `stage ${stage.name}`).toContain("--omit=dev");
    }
    expect(final?.instructions.some((i) => i.keyword === "RUN" && /npm (ci|install)/.test(i.args))).toBe(
      false,
    );
  });

  it("starts from base images pinned by version", () => {
    for (const stage of stages) expect(isPinnedImage(stage.from), stage.from).toBe(true);
  });
});

describe("the images workflow", () => {
  const images = workflow("images.yml");
  const [, build] = jobsOf(images).find(([, j]) => stepsUsing(j, "docker/build-push-action").length) ?? [];
  const matrix = (build?.strategy?.matrix?.include ?? []) as {
    image: string;
    dockerfile: string;
    platforms: string;
  }[];

  it("builds every service of the catalog from its Dockerfile for exactly its platforms", () => {
    expect(matrix.map((m) => m.image).sort()).toEqual(services.map(([, s]) => s.image).sort());
    for (const [name, service] of services) {
      const entry = matrix.find((m) => m.image === service.image);
      expect(entry?.dockerfile, name).toBe(`services/${name}/Dockerfile`);
      expect(entry?.platforms.split(",").sort(), name).toEqual([...service.platforms].sort());
    }
  });

  it("passes the matrix to the build and tags each image with the commit", () => {
    const step = build && stepsUsing(build, "docker/build-push-action")[0];
    expect(step?.with).toMatchObject({
      file: "${{ matrix.dockerfile }}",
      platforms: "${{ matrix.platforms }}",
      tags: expect.stringContaining("/${{ matrix.image }}:${{ needs.meta.outputs.tag }}"),
    });
    expect(read(".github/workflows/images.yml")).toContain("tag=${GITHUB_SHA}");
  });
});

describe("the Pulumi workflows", () => {
  it("preview every stack file on pull requests", () => {
    const [, job] =
      jobsOf(workflow("preview.yml")).find(([, j]) => stepsUsing(j, "pulumi/actions").length) ?? [];
    expect(job?.strategy?.matrix?.stack).toEqual(expect.arrayContaining(stacks));
    expect((job?.strategy?.matrix?.stack as string[]).length).toBe(stacks.length);
    const preview = stepsUsing(job as Job, "pulumi/actions").find((s) => s.with?.command === "preview");
    expect(preview?.with).toMatchObject({ "stack-name": "${{ matrix.stack }}", "comment-on-pr": true });
  });

  it("deploy every stack file, with the tag the images workflow pushed", () => {
    const deploys = jobsOf(workflow("deploy.yml")).filter(
      ([, j]) => j.uses === "./.github/workflows/deploy-stack.yml",
    );
    expect(deploys.map(([, j]) => j.with?.stack).sort()).toEqual([...stacks].sort());
    for (const [id, job] of deploys) {
      expect(job.needs, id).toContain("images");
      expect(job.with?.tag, id).toBe("${{ needs.images.outputs.tag }}");
    }
    const [, up] = jobsOf(workflow("deploy-stack.yml"))[0] ?? [];
    const step = stepsUsing(up as Job, "pulumi/actions").find((s) => s.with?.command === "up");
    expect(step?.with?.["stack-name"]).toBe("${{ inputs.stack }}");
    expect(up?.concurrency).toMatchObject({ group: expect.stringContaining("${{ inputs.stack }}") });
  });

  it("smoke-test the deployed stack from `pulumi stack output --json`", () => {
    const text = read(".github/workflows/deploy-stack.yml");
    for (const fragment of ["pulumi stack output --stack", "--json", "/healthz", "/v1/tickers", "--retry"])
      expect(text).toContain(fragment);
  });
});

describe("every workflow", () => {
  it.each(workflowFiles)("%s declares its permissions", (file) => {
    expect(workflow(file).permissions, file).toBeDefined();
  });

  it.each(workflowFiles)("%s pins every action to a commit", (file) => {
    const unpinned = usesOf(workflow(file)).filter((uses) => !isPinnedUse(uses));
    expect(unpinned, file).toEqual([]);
  });

  it.each(workflowFiles)(
    "%s writes only where it must: packages to push images, pull requests to comment",
    (file) => {
      const w = workflow(file);
      for (const [id, job] of jobsOf(w)) {
        const allowed = [
          ...(stepsUsing(job, "docker/build-push-action").length || job.uses?.endsWith("/images.yml")
            ? ["packages"]
            : []),
          ...(stepsUsing(job, "pulumi/actions").some((s) => s.with?.["comment-on-pr"])
            ? ["pull-requests"]
            : []),
        ];
        for (const scope of writeScopes(w, job))
          expect(allowed, `${file} ${id}: ${scope}: write`).toContain(scope);
      }
    },
  );
});

describe("the checks themselves", () => {
  const twoStages = "ARG BASE=node:20.20.2-bookworm-slim\nFROM ${BASE} AS build\nRUN true\nFROM ${BASE}\n";

  it("reject a final stage without USER, as root or as uid 0", () => {
    for (const user of ["", "USER root\n", "USER 0:0\n", "USER app\nUSER root\n"]) {
      const final = dockerStages(twoStages + user).at(-1);
      expect(final && isNonRoot(stageUser(final)), user).toBe(false);
    }
    expect(isNonRoot(stageUser(dockerStages(twoStages + "USER 10001:10001\n").at(-1)!))).toBe(true);
  });

  it("find no health check where there is none, or where it is turned off", () => {
    expect(healthcheck(dockerStages(twoStages).at(-1)!)).toBeUndefined();
    expect(healthcheck(dockerStages(twoStages + "HEALTHCHECK NONE\n").at(-1)!)).toBeUndefined();
  });

  it("see one stage in a single-stage file, and continued lines as one instruction", () => {
    expect(dockerStages("FROM node:20\nUSER node\n")).toHaveLength(1);
    const [stage] = dockerStages("FROM node:20\nRUN a \\\n  && b\n");
    expect(stage?.instructions).toEqual([{ keyword: "RUN", args: "a && b" }]);
  });

  it("reject unpinned images and actions", () => {
    for (const image of ["node", "node:latest", "localhost:5000/node"])
      expect(isPinnedImage(image), image).toBe(false);
    for (const uses of [
      "actions/checkout@v6",
      "actions/checkout@main",
      "owner/repo@master",
      "docker://node:20",
    ])
      expect(isPinnedUse(uses), uses).toBe(false);
    expect(isPinnedUse("actions/checkout@de0fac2e4500dabe0009e67214ff5f5447ce83dd")).toBe(true);
  });

  it("count write-all and workflow-wide grants against a job", () => {
    const w = parseWorkflow("permissions: write-all\njobs:\n  a:\n    steps: []\n");
    expect(writeScopes(w, w.jobs.a!)).toEqual(["*"]);
    const v = parseWorkflow("permissions: { contents: write }\njobs:\n  a:\n    steps: []\n");
    expect(writeScopes(v, v.jobs.a!)).toEqual(["contents"]);
  });
});
