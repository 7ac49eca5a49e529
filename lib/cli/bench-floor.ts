import type { MemberQuery } from "@/db/queries/members";

export type Statement = { sql: string; params: unknown[] };

/**
 * The floor `npm run bench` measures listMembers against: the same page written by hand
 * as the fastest SQL we know (the page's IDs from the sort index, then those rows and
 * their lookups), sent straight to the driver. The gap is what Drizzle and our query
 * building cost; the bench also checks that both return the same rows.
 */
export function floorStatements(accountId: string, query: MemberQuery, staffEmailDomain?: string, subtreeRoots?: string[]): { rows: Statement; total: Statement } {
  const params: unknown[] = [accountId];
  const where = ["account_id = $1"];
  // A4: members of these units or of units below them (the unit filter, a unit administrator's units).
  const subtrees = (ids: string[]) =>
    ids.length ? `select user_id from unit_subtree_members where unit_id in (${ids.map((id) => `$${params.push(id)}::uuid`).join(", ")})` : "select user_id from unit_subtree_members where false";
  // The fastest we know: a semi-join on page 1, a hashed subplan on later pages (members.ts).
  const subtreeSets = [subtreeRoots, query.unit ? [query.unit] : undefined].filter((ids): ids is string[] => Boolean(ids)).map(subtrees);
  for (const members of subtreeSets) where.push((query.page ?? 1) > 1 ? `(id in (${members})) is true` : `id in (${members})`);
  if (query.status) where.push(`status = $${params.push(query.status)}`);
  // A3: holds the role (predefined roles only in the bench).
  if (query.role) where.push(`exists (select 1 from role_grants g where g.user_id = users.id and g.role_key = $${params.push(query.role)})`);
  const term = query.search?.trim().toLowerCase();
  if (term) where.push(`(lower(name) like $${params.push(`%${term}%`)} or email like $${params.length})`);
  // A5: the clock's time (its parameter goes last, see the end), and "expiring within 30
  // days" from the three partial expiry indexes.
  const at = "__AT__";
  if (query.expiring) {
    const until = `(${at} + interval '30 days')`;
    where.push(`id = any(array(select id from users where account_id = $1 and access_expires_at > ${at} and access_expires_at <= ${until}
      union select user_id from role_grants where account_id = $1 and expires_at > ${at} and expires_at <= ${until}
      union select user_id from app_subscriptions where account_id = $1 and expires_at > ${at} and expires_at <= ${until}))`);
  }
  const matching = where.join(" and ");
  // A3: with the role the only filter, its holders come from the grants' index alone.
  const everyone = query.role && !query.status && !term && !query.expiring && subtreeSets.length === 0 ? `from role_grants where account_id = $1 and role_key = $${params.indexOf(query.role) + 1}` : `from users where ${matching}`;
  let total = `select count(*)::int as total ${everyone}`;
  // A4: one subtree and nothing else: counted from the subtree index alone.
  if (subtreeSets.length === 1 && !query.status && !term && !query.role) total = `select count(*)::int as total from (${subtreeSets[0]} and unit_id in (select id from units where account_id = $1)) s`;
  if (staffEmailDomain) {
    const staff = `email like $${params.push(`%@${staffEmailDomain}`)}`;
    where.push(`not (${staff})`);
    // T6: everyone matching less the staff, who come from the email trigram index.
    total = `select (count(*) - (select count(*) from users where ${matching} and ${staff}))::int as total ${everyone}`;
  }
  const filter = where.join(" and ");

  const direction = query.direction ?? "asc";
  const key = {
    name: "lower(name)",
    email: "email",
    status: "(case status when 'active' then 1 when 'disabled' then 2 when 'invited' then 3 end)",
    lastActive: "last_active_at",
  }[query.sort ?? "name"];
  // A search takes its matches from the trigram indexes and sorts them (see members.ts).
  const sortKey = term ? (query.sort === "lastActive" ? `(${key} + interval '0')` : query.sort === "status" ? `(${key} + 0)` : `(${key} || '')`) : key;
  const nulls = query.sort === "lastActive" ? " nulls last" : "";
  const order = `${sortKey} ${direction}${nulls}, id ${direction}`;
  const pageSize = query.pageSize ?? 25;
  const offset = ((query.page ?? 1) - 1) * pageSize;

  const rows = `
    select u.id, u.name, u.email, u.status, u.last_active_at,
           (select json_agg(coalesce(g.role_key, g.custom_role_id::text)) from role_grants g where g.user_id = u.id and (g.expires_at is null or g.expires_at > ${at})),
           (exists (select 1 from passkeys pk where pk.user_id = u.id) or u.totp_enabled_at is not null), u.sso_subject is not null,
           (select count(*)::int from resources ci where ci.owner_id = u.id),
           (select (extract(epoch from p.avatar_updated_at) * 1000)::bigint from profiles p where p.user_id = u.id),
           (select max(i.expires_at) from invitations i where i.user_id = u.id and i.accepted_at is null and i.revoked_at is null),
           u.access_expires_at is not null and u.access_expires_at <= ${at},
           least(case when u.access_expires_at > ${at} then u.access_expires_at end,
             (select min(g.expires_at) from role_grants g where g.user_id = u.id and g.expires_at > ${at}),
             (select min(s.expires_at) from app_subscriptions s where s.user_id = u.id and s.expires_at > ${at}))
    from (select id, ${sortKey} as sort_key from users where ${filter} order by ${order} limit ${pageSize} offset ${offset}) page
    join users u on u.id = page.id
    order by page.sort_key ${direction}${nulls}, page.id ${direction}`;
  const atParam = `$${params.push((query.at ?? new Date()).toISOString())}::timestamptz`;
  const totalParams = total.includes(at) ? params : params.slice(0, -1);
  return { rows: { sql: rows.replaceAll(at, atParam), params }, total: { sql: total.replaceAll(at, atParam), params: totalParams } };
}
