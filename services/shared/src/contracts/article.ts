import { z } from "zod";
import { instantField, tickerField } from "./fields.js";

/** A news article about one or more tickers: the message of `news.articles.v1`. */
export const articleSchema = z
  .object({
    /** Stable provider id; the deduplication key. */
    id: z.string().min(1).max(200),
    publishedAt: instantField,
    title: z.string().min(1).max(1000),
    author: z.string().max(300).nullable(),
    url: z.url(),
    description: z.string().max(20_000).nullable(),
    publisher: z.string().min(1).max(300),
    tickers: z.array(tickerField).min(1).max(50),
    keywords: z.array(z.string().max(200)).max(100),
    imageUrl: z.url().nullable(),
  })
  .strict();

export type Article = z.infer<typeof articleSchema>;
