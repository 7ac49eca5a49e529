/** A member's photo, or their initials. */
export function Avatar({ userId, name, version, size = 32 }: { userId: string; name: string; version: number | null; size?: number }) {
  const initials = name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((part) => part[0]?.toUpperCase())
    .join("");
  if (version) {
    return (
      // eslint-disable-next-line @next/next/no-img-element -- served by our own route with its own caching
      <img src={`/api/avatars/${userId}?v=${version}`} alt={`Photo of ${name}`} width={size} height={size} className="shrink-0 rounded-full object-cover" style={{ width: size, height: size }} />
    );
  }
  return (
    <span aria-hidden="true" className="inline-flex shrink-0 items-center justify-center rounded-full bg-slate-200 text-xs font-semibold text-slate-700" style={{ width: size, height: size }}>
      {initials || "?"}
    </span>
  );
}
