import { Badge } from "@/components/ui/badge";
import { formatExpiry, formatExpiryDate } from "@/lib/expiry/format";

/** A5: "Expires 12 Dec 2026" (the exact time on hover and for screen readers), or "Access expired". */
export function ExpiryBadge({ expiresAt, expired = false, label = "Expires" }: { expiresAt: string | null; expired?: boolean; label?: string }) {
  if (expired) return <Badge tone="red">{expiresAt ? <span className="whitespace-nowrap">Expired {formatExpiryDate(expiresAt)}</span> : "Access expired"}</Badge>;
  if (!expiresAt) return null;
  return (
    <span title={`${label} ${formatExpiry(expiresAt)}`}>
      <Badge tone="amber">
        {/* One text run: the badge is a flex box, which would drop the space between two items. */}
        <span className="whitespace-nowrap">
          {label} <time dateTime={expiresAt}>{formatExpiryDate(expiresAt)}</time>
        </span>
      </Badge>
    </span>
  );
}
