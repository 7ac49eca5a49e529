import { sql } from "drizzle-orm";
import type { Db } from "./client";

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
