import { z } from "zod";
import data from "../../../data/headlines.json" with { type: "json" };

/** Whether a headline's wording is good, bad or indifferent news for the company. */
export const HEADLINE_SENTIMENTS = ["positive", "negative", "neutral"] as const;
export type HeadlineSentiment = (typeof HEADLINE_SENTIMENTS)[number];

const headlineFileSchema = z.object({
  publishers: z
    .array(
      z.object({
        name: z.string().min(1),
        slug: z.string().regex(/^[a-z0-9-]+$/),
        authors: z.array(z.string()),
      }),
    )
    .min(1),
  headlines: z
    .array(
      z.object({
        sentiment: z.enum(HEADLINE_SENTIMENTS),
        /** Template with `{ticker}`, `{company}`, `{other}`, `{otherCompany}`, `{pct}`, `{quarter}`. */
        title: z.string().min(1),
        description: z.string().min(1),
        keywords: z.array(z.string()),
      }),
    )
    .min(1),
});

export type HeadlineFile = z.infer<typeof headlineFileSchema>;
export type HeadlineTemplate = HeadlineFile["headlines"][number];
export type Publisher = HeadlineFile["publishers"][number];

/** The shipped headline templates (`services/ingestion/data/headlines.json`), checked once at load. */
export const HEADLINES: HeadlineFile = headlineFileSchema.parse(data);

/** True when a template names a second company (`{other}` or `{otherCompany}`). */
export function mentionsOther(template: HeadlineTemplate): boolean {
  return /\{other(Company)?\}/.test(template.title + template.description);
}

/** Fills a template's placeholders; unknown placeholders are left as written. */
export function fillTemplate(text: string, values: Readonly<Record<string, string>>): string {
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole);
}
