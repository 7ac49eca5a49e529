import { Fragment } from "react";

export type TextPart = { text: string; href?: string };

// Candidates only: each is checked with the URL parser below before it becomes a link.
const LINK_CANDIDATE = /\bhttps?:\/\/[^\s<>"'`]+/gi;

/** The href of a candidate if it is a well-formed http(s) URL, else undefined. */
function safeHref(candidate: string): string | undefined {
  try {
    const url = new URL(candidate);
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Splits a message's plain text into text and http(s) links. Sentence punctuation after a
 * link ("…/abc.") is not part of it. Only text comes out: rendered by React, nothing in a
 * message can become markup.
 */
export function splitLinks(text: string): TextPart[] {
  const parts: TextPart[] = [];
  let from = 0;
  for (const match of text.matchAll(LINK_CANDIDATE)) {
    let candidate = match[0].replace(/[.,;:!?]+$/, "");
    if (candidate.endsWith(")") && !candidate.includes("(")) candidate = candidate.slice(0, -1).replace(/[.,;:!?]+$/, "");
    const href = safeHref(candidate);
    if (!href) continue;
    if (match.index > from) parts.push({ text: text.slice(from, match.index) });
    parts.push({ text: candidate, href });
    from = match.index + candidate.length;
  }
  if (from < text.length) parts.push({ text: text.slice(from) });
  return parts;
}

/** A message body as the Mailbox shows it: its web links clickable, long ones broken to fit a phone. */
export function MessageText({ text }: { text: string }) {
  return (
    <pre className="whitespace-pre-wrap font-sans text-sm wrap-anywhere">
      {splitLinks(text).map((part, i) =>
        part.href ? (
          <a key={i} href={part.href} className="text-brand-600 underline">
            {part.text}
          </a>
        ) : (
          <Fragment key={i}>{part.text}</Fragment>
        ),
      )}
    </pre>
  );
}
