import type { ReactNode } from "react";

/** A loading, empty or error notice in place of content; errors are announced assertively. */
export function StatusMessage({
  kind,
  children,
  onRetry,
}: {
  kind: "loading" | "empty" | "error";
  children: ReactNode;
  onRetry?: () => void;
}) {
  return (
    <div className={`status status--${kind}`} role={kind === "error" ? "alert" : "status"}>
      {kind === "loading" && <span className="spinner" aria-hidden="true" />}
      <span>{children}</span>
      {onRetry && (
        <button type="button" onClick={onRetry}>
          Retry
        </button>
      )}
    </div>
  );
}
