import { Badge } from "@/components/ui/badge";
import { formatExpiry, formatExpiryDate } from "@/lib/expiry/format";

/** A5: "Expires 12 Dec 2026" (the exact time on hover and for screen readers), or "Access expired". */
export function ExpiryBadge({ expiresAt, expired = false, label = "Expires" }: { expiresAt: string | null; expired?: boolean; label?: string }) {
  if (expired) return <Badge tone="red">{expiresAt ? `Expired ${formatExpiryDate(expiresAt)}` : "Access expired"}</Badge>;
  if (!expiresAt) return null;
  return (
    <span title={`${label} ${formatExpiry(expiresAt)}`}>
      <Badge tone="amber">
        {label} <time dateTime={expiresAt}>{formatExpiryDate(expiresAt)}</time>
      </Badge>
    </span>
  );
}
