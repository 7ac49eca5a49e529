import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import type { Db } from "./client";
import { unitPaths, units } from "./schema";

/**
 * Adds `count` synthetic members to an account in one INSERT … SELECT (100,000 take
 * seconds), in a realistic mix: mostly active, some invited, a few disabled; one in 40
 * with a membership that expires within 90 days, and one grant in 37 that does (A5). For
 * benchmarks and load tests only.
 */
export async function addSyntheticMembers(db: Db, accountId: string, count: number) {
  const tag = Date.now().toString(36);
  await db.execute(sql`
    insert into users (account_id, email, name, status, last_active_at, created_at, access_expires_at)
    select ${accountId}::uuid,
           'member' || g || '.' || ${tag} || '@bulk.example.com',
           (array['Alex','Blake','Casey','Drew','Emery','Finley','Gray','Harper','Jordan','Kai'])[1 + g % 10]
             || ' ' || (array['Smith','Jones','Taylor','Brown','Wilson','Evans','Thomas','Roberts','Walker','Wright'])[1 + (g / 10) % 10]
             || ' ' || g,
           (case when g % 20 = 0 then 'disabled' when g % 7 = 0 then 'invited' else 'active' end)::user_status,
           case when g % 7 = 0 then null else now() - (g % 90) * interval '1 day' end,
           now() - (g % 365) * interval '1 day',
           case when g % 40 = 3 then now() + (1 + g % 90) * interval '1 day' end
    from generate_series(1, ${count}) as g`);
  // A3: a realistic mix of roles — mostly Members, some Managers and Developers, a few Viewers.
  await db.execute(sql`
    insert into role_grants (account_id, user_id, role_key, expires_at)
    select account_id, id, (array['member','member','member','member','member','member','manager','developer','viewer','member'])[1 + abs(hashtext(email)) % 10],
           case when abs(hashtext(email)) % 37 = 5 then now() + (1 + abs(hashtext(email)) % 90) * interval '1 day' end
    from users where account_id = ${accountId}::uuid and email like ${`%.${tag}@bulk.example.com`}`);
  // Fresh statistics (and a visibility map for index-only counts) for the planner.
  await db.execute(sql`vacuum analyze users`);
  await db.execute(sql`vacuum analyze role_grants`);
}

/** The synthetic tree's shape: units per level, 2,000 in 8 levels under one top unit (A4 bench). */
export const SYNTHETIC_UNIT_LEVELS = [1, 4, 12, 36, 108, 324, 648, 867] as const;

export type SyntheticUnits = { byLevel: string[][] };

/**
 * A4: a tree of organisation units for benchmarks — 2,000 units, 8 levels deep — and the
 * account's members spread over it: four in five in a unit of the deepest level, the
 * rest higher up, one in ten in a second unit too. Returns the units' IDs by level.
 */
export async function addSyntheticUnits(db: Db, accountId: string, levels: readonly number[] = SYNTHETIC_UNIT_LEVELS): Promise<SyntheticUnits> {
  const byLevel: string[][] = [];
  const rows: { id: string; parentId: string | null; name: string; level: number }[] = [];
  levels.forEach((size, level) => {
    const ids: string[] = [];
    for (let i = 0; i < size; i++) {
      const parent = level === 0 ? null : byLevel[level - 1][Math.floor((i * levels[level - 1]) / size)];
      const id = randomUUID();
      ids.push(id);
      rows.push({ id, parentId: parent, name: level === 0 ? "Headquarters" : `Unit ${level}.${i + 1}`, level });
    }
    byLevel.push(ids);
  });
  const parentOf = new Map(rows.map((row) => [row.id, row.parentId]));
  const paths: { ancestorId: string; descendantId: string; depth: number }[] = [];
  for (const row of rows) {
    for (let ancestor: string | null = row.id, depth = 0; ancestor; ancestor = parentOf.get(ancestor) ?? null, depth++) {
      paths.push({ ancestorId: ancestor, descendantId: row.id, depth });
    }
  }
  for (let i = 0; i < rows.length; i += 500) {
    await db.insert(units).values(rows.slice(i, i + 500).map(({ id, parentId, name }) => ({ id, accountId, parentId, name })));
  }
  for (let i = 0; i < paths.length; i += 2000) await db.insert(unitPaths).values(paths.slice(i, i + 2000));
  // Members by a hash of their address: 80 % to the deepest level, 20 % to the others.
  const deepest = byLevel[byLevel.length - 1];
  const higher = byLevel.slice(0, -1).flat();
  const numbered = (ids: string[]) => sql.join(ids.map((id, n) => sql`(${n}::int, ${id}::uuid)`), sql`, `);
  await db.execute(sql`
    with deep(n, id) as (values ${numbered(deepest)}), high(n, id) as (values ${numbered(higher)}),
    members as (select id as user_id, abs(hashtext(email)) as h from users where account_id = ${accountId}::uuid)
    insert into unit_members (unit_id, user_id)
    select coalesce(h.id, d.id), m.user_id from members m
      left join high h on m.h % 5 = 0 and h.n = (m.h / 5) % ${higher.length}
      left join deep d on m.h % 5 <> 0 and d.n = (m.h / 5) % ${deepest.length}
    union
    select d.id, m.user_id from members m join deep d on d.n = (m.h / 7 + 1) % ${deepest.length} where m.h % 10 = 3
    on conflict do nothing`);
  await db.execute(sql`
    insert into unit_subtree_members (unit_id, user_id)
    select distinct p.ancestor_id, um.user_id from unit_members um join unit_paths p on p.descendant_id = um.unit_id join units u on u.id = um.unit_id
    where u.account_id = ${accountId}::uuid
    on conflict do nothing`);
  await db.execute(sql`vacuum analyze units`);
  await db.execute(sql`vacuum analyze unit_paths`);
  await db.execute(sql`vacuum analyze unit_members`);
  await db.execute(sql`vacuum analyze unit_subtree_members`);
  return { byLevel };
}
