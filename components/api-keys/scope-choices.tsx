import { API_SCOPES, type ApiScope } from "@/lib/api/scopes";
import { Badge } from "@/components/ui/badge";

/**
 * P6: the scopes a new key gets, one labelled checkbox each with what it allows. Only the
 * scopes the person can use are offered (the server refuses the others too).
 */
export function ScopeChoices({ available, error }: { available: ApiScope[]; error?: string }) {
  return (
    <fieldset className="w-full space-y-2" aria-describedby={error ? "key-scopes-error" : undefined}>
      <legend className="text-sm font-medium text-slate-700">Scopes</legend>
      {available.map((scope) => (
        <div key={scope} className="flex items-start gap-2 text-sm">
          <input
            type="checkbox"
            id={`key-scope-${scope}`}
            name="scopes"
            value={scope}
            defaultChecked={scope === "profile:read"}
            aria-describedby={`key-scope-${scope}-description`}
            aria-invalid={error ? true : undefined}
            className="mt-1"
          />
          <div>
            <label htmlFor={`key-scope-${scope}`} className="font-medium text-slate-800">
              {API_SCOPES[scope].label}
            </label>
            <p id={`key-scope-${scope}-description`} className="text-slate-600">
              <code className="font-mono">{scope}</code> — {API_SCOPES[scope].description}
            </p>
          </div>
        </div>
      ))}
      {error ? (
        <p id="key-scopes-error" role="alert" className="text-sm text-red-700">
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}

/** A key's scopes in the list; the ones that change things stand out. */
export function ScopeBadges({ scopes }: { scopes: string[] }) {
  if (scopes.length === 0) return <span className="text-slate-600">None</span>;
  return (
    <ul aria-label="Scopes" className="flex flex-wrap gap-1">
      {scopes.map((scope) => (
        <li key={scope}>
          <Badge tone={scope in API_SCOPES && API_SCOPES[scope as ApiScope].write ? "amber" : "slate"}>{scope}</Badge>
        </li>
      ))}
    </ul>
  );
}
