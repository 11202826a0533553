import type { NewsItem } from "../contracts.js";

type Sentiment = NonNullable<NewsItem["sentiment"]>;

/** How an article's sentiment is shown: a CSS class (which sets the colour) and its text. */
export interface SentimentBadge {
  readonly className: string;
  readonly text: string;
  /** Spoken/hover text: the label is not conveyed by colour alone. */
  readonly description: string;
}

/** The badge for a sentiment label and compound score, or a neutral "not scored" badge for null. */
export function sentimentBadge(sentiment: Sentiment | null): SentimentBadge {
  if (sentiment === null) {
    return { className: "sentiment sentiment--unscored", text: "not scored", description: "Not scored yet" };
  }
  const score = `${sentiment.score >= 0 ? "+" : ""}${sentiment.score.toFixed(2)}`;
  return {
    className: `sentiment sentiment--${labelModifier(sentiment.label)}`,
    text: `${sentiment.label} ${score}`,
    description: `Sentiment ${sentiment.label}, score ${score} (${sentiment.model})`,
  };
}

function labelModifier(label: Sentiment["label"]): "negative" | "neutral" | "positive" {
  switch (label) {
    case "negative":
    case "neutral":
    case "positive":
      return label;
    default: {
      const unknown: never = label;
      throw new Error(`unknown sentiment label: ${String(unknown)}`);
    }
  }
}
