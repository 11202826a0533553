import type { NewsItem } from "../contracts.js";
import { formatExchangeTime } from "../time/exchange-time.js";
import { sentimentBadge } from "./sentiment-style.js";

/** The ticker's articles, newest first, each with its sentiment label (coloured) and score. */
export function NewsList({ items }: { items: readonly NewsItem[] }) {
  return (
    <ul className="news">
      {items.map((item) => {
        const badge = sentimentBadge(item.sentiment);
        return (
          <li key={item.id} className="news-item">
            <div className="news-meta">
              <span className={badge.className} title={badge.description} aria-label={badge.description}>
                {badge.text}
              </span>
              <time dateTime={item.publishedAt}>{formatExchangeTime(item.publishedAt)} ET</time>
              <span className="publisher">{item.publisher}</span>
            </div>
            <a href={item.url} target="_blank" rel="noopener noreferrer" className="news-title">
              {item.title}
            </a>
            {item.description && <p className="news-description">{item.description}</p>}
          </li>
        );
      })}
    </ul>
  );
}
