import { insertMembers } from "@/db/queries/users";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addSyntheticMembers } from "@/db/bulk";
import { accounts } from "@/db/schema";
import { useFreshDatabase, wholeAccountViewer } from "@/db/testing";
import { buildMemberQueries, listMembers, MEMBER_SORTS, type MemberQuery, type MemberRow, type MemberSort } from "./members";

let database: Awaited<ReturnType<typeof useFreshDatabase>>;
let acmeId: string;
const customer = () => wholeAccountViewer({ accountId: acmeId, email: "boss@acme.test" });
const policy = { staffEmailDomain: "vendor.test" };
const directions = ["asc", "desc"] as const;
const everySort = MEMBER_SORTS.flatMap((sort) => directions.map((direction) => ({ sort, direction })));

beforeAll(async () => {
  database = await useFreshDatabase();
  const [acme, globex] = await database.db.insert(accounts).values([{ name: "Acme" }, { name: "Globex" }]).returning();
  acmeId = acme.id;
  // Many ties on purpose (five names in two spellings, six activity days, never-active
  // members), staff to hide, another account's members, and every per-row lookup.
  await database.db.execute(sql`
    insert into users (account_id, email, name, status, last_active_at, totp_enabled_at, sso_subject)
    select ${acme.id}::uuid,
           case when g % 17 = 0 then 'staff' || g || '@vendor.test' else 'm' || g || '@acme.test' end,
           (array['ada', 'Ada', 'Bo', 'bo', 'Cy'])[1 + g % 5],
           (array['active', 'invited', 'disabled', 'active'])[1 + g % 4]::user_status,
           case when g % 4 = 1 then null else timestamptz '2026-03-01 12:00:00+00' + (g % 6) * interval '1 day' end,
           case when g % 3 = 0 then now() end,
           case when g % 13 = 0 then 'sub-' || g end
    from generate_series(1, 170) as g`);
  await database.db.execute(sql`
    insert into users (account_id, email, name, status) select ${globex.id}::uuid, 'g' || g || '@globex.test', 'Ada', 'active' from generate_series(1, 30) as g`);
  // A3: every member holds a role — Admin or Member — and some a second one (Viewer).
  await database.db.execute(sql`
    insert into role_grants (account_id, user_id, role_key)
    select account_id, id, case when right(split_part(email, '@', 1), 1) in ('1', '4') then 'admin' else 'member' end from users`);
  await database.db.execute(sql`
    insert into role_grants (account_id, user_id, role_key) select account_id, id, 'viewer' from users where right(split_part(email, '@', 1), 1) in ('2', '5', '8')`);
  await database.db.execute(sql`
    insert into resources (account_id, owner_id, kind, name)
    select account_id, id, 'chat', 'Chat ' || n from users, generate_series(1, 2) as n where email like 'm%' and right(split_part(email, '@', 1), 1) in ('3', '7') and (n = 1 or email like '%7@%')`);
  await database.db.execute(sql`
    insert into profiles (user_id, avatar_updated_at) select id, timestamptz '2026-02-01 08:00:00.123456+00' + length(email) * interval '1 hour' from users where email like '%5@acme.test'`);
  await database.db.execute(sql`
    insert into invitations (account_id, user_id, email, token_hash, expires_at, accepted_at, revoked_at)
    select account_id, id, email, md5(email || n), timestamptz '2026-04-01 00:00:00+00' + n * interval '1 day',
           case when n = 3 then now() end, case when n = 2 and email like '%2@%' then now() end
    from users, generate_series(1, 3) as n where status = 'invited'`);
});
afterAll(() => database.close());

/** The plain statement a person would write: the whole filtered, sorted set, then OFFSET. */
async function referencePage(query: Required<Pick<MemberQuery, "sort" | "direction" | "page">> & MemberQuery, pageSize = 25) {
  const key = { name: "lower(u.name)", email: "u.email", status: "u.status::text", lastActive: "u.last_active_at" }[query.sort];
  const nulls = query.sort === "lastActive" ? "nulls last" : "";
  const params: unknown[] = [acmeId];
  const where = ["u.account_id = $1", "u.email not like '%@vendor.test'"];
  if (query.status) where.push(`u.status = $${params.push(query.status)}`);
  if (query.role) where.push(`exists (select 1 from role_grants g where g.user_id = u.id and g.role_key = $${params.push(query.role)})`);
  if (query.search) where.push(`(lower(u.name) like $${params.push(`%${query.search}%`)} or u.email like $${params.length})`);
  const filter = where.join(" and ");
  const rows = (await database.raw(
    // Times as epoch milliseconds: the drivers hand timestamps back in different shapes.
    `select u.id, u.name, u.email, (select string_agg(coalesce(g.role_key, g.custom_role_id::text), ',' order by g.granted_at, g.id) from role_grants g where g.user_id = u.id) as roles, u.status, (extract(epoch from u.last_active_at) * 1000)::float8 as last_active_at, (u.totp_enabled_at is not null or exists (select 1 from passkeys p where p.user_id = u.id)) as totp, u.sso_subject is not null as sso,
            (select count(*)::int from resources c where c.owner_id = u.id) as content_count,
            (select round(extract(epoch from p.avatar_updated_at) * 1000)::float8 from profiles p where p.user_id = u.id) as avatar_version,
            (select (extract(epoch from max(i.expires_at)) * 1000)::float8 from invitations i
              where i.user_id = u.id and i.accepted_at is null and i.revoked_at is null) as invitation_expires_at
     from users u where ${filter}
     order by ${key} ${query.direction} ${nulls}, u.id ${query.direction}
     limit ${pageSize} offset ${(query.page - 1) * pageSize}`,
    params,
  )) as Record<string, unknown>[];
  const [{ total }] = (await database.raw(`select count(*)::int as total from users u where ${filter}`, params)) as { total: number }[];
  return { total, rows: rows.map((r) => comparable([r.id, r.name, r.email, r.roles, r.status, r.last_active_at, r.totp, r.sso, r.content_count, r.avatar_version, r.invitation_expires_at])) };
}

const comparable = (values: unknown[]) => values.map((v) => (v instanceof Date ? String(v.getTime()) : v === null ? null : String(v)));
const appRow = (r: MemberRow) =>
  comparable([r.id, r.name, r.email, r.roles.map((role) => role.key).join(","), r.status, r.lastActiveAt, r.twoFactorEnabled, r.sso, r.contentCount, r.avatarVersion, r.invitationExpiresAt]);

describe("listMembers (T1 team table)", () => {
  it("returns a deep page's rows in the same order as a plain OFFSET query, for every sort both ways, filtered and searched", async () => {
    const views: MemberQuery[] = [{ page: 4 }, { page: 2, status: "active" }, { page: 2, search: "ad" }, { page: 1, search: "bo", status: "invited" }, { page: 1, role: "viewer" }, { page: 1, role: "admin" }];
    for (const { sort, direction } of everySort) {
      for (const view of views) {
        const query = { sort, direction, page: 1, ...view };
        const expected = await referencePage(query);
        const result = await listMembers(database.db, customer(), policy, query);
        const label = JSON.stringify(query);
        expect(expected.rows.length, label).toBeGreaterThan(query.search || query.role === "admin" ? 5 : 20);
        expect(result.rows.map(appRow), label).toEqual(expected.rows);
        expect(result.total, label).toBe(expected.total);
      }
    }
  });

  it("ties and never-active members: the ID follows the direction, never-active members come last both ways", async () => {
    const asc = await listMembers(database.db, customer(), policy, { sort: "lastActive", direction: "asc", pageSize: 100, page: 2 });
    const desc = await listMembers(database.db, customer(), policy, { sort: "lastActive", direction: "desc", pageSize: 100, page: 1 });
    expect(asc.rows.at(-1)!.lastActiveAt).toBeNull();
    expect(desc.rows[0].lastActiveAt).not.toBeNull();
    const byName = async (direction: "asc" | "desc") => (await listMembers(database.db, customer(), policy, { sort: "name", direction, pageSize: 100 })).rows;
    const ascending = await byName("asc");
    const firstAda = ascending.filter((r) => r.name.toLowerCase() === "ada").map((r) => r.id);
    const lastCy = (await byName("desc")).filter((r) => r.name === "Cy").map((r) => r.id);
    expect(firstAda).toEqual([...firstAda].sort());
    expect(lastCy).toEqual([...lastCy].sort().reverse());
  });

  it("a deep page runs the per-row lookups (content, avatar, invitation) for its own rows only", async () => {
    for (const sort of ["name", "status"] satisfies MemberSort[]) {
      const statement = buildMemberQueries(database.db, customer(), policy, { sort, page: 4 }).rows.toSQL();
      const plan = await explain(`explain (analyze, format json) ${statement.sql}`, statement.params);
      const lookups = planNodes(plan).filter((node) => node["Parent Relationship"] === "SubPlan");
      expect(lookups.length).toBeGreaterThanOrEqual(3);
      for (const lookup of lookups) expect(lookup["Actual Loops"], `${sort}: ${lookup["Subplan Name"]}`).toBe(25);
    }
  });

  it("shows nobody for a role that is neither predefined nor a custom role's ID, without a database error", async () => {
    for (const role of ["no_such_role", "12345", "'; drop table users; --"]) {
      const result = await listMembers(database.db, customer(), policy, { role });
      expect(result.total, role).toBe(0);
      expect(result.rows, role).toEqual([]);
    }
  });
});

describe("listMembers at 5,000 members", () => {
  let initech: ReturnType<typeof wholeAccountViewer>;
  beforeAll(async () => {
    const [account] = await database.db.insert(accounts).values({ name: "Initech" }).returning();
    initech = wholeAccountViewer({ accountId: account.id, email: "boss@initech.test" });
    await insertMembers(database.db, ["ann", "bob"].map((name) => ({ accountId: account.id, email: `${name}@vendor.test`, name })));
    await addSyntheticMembers(database.db, account.id, 5_000);
  });

  const sortIndexes: Record<MemberSort, [asc: string, desc: string]> = {
    name: ["users_account_name_sort_idx", "users_account_name_sort_idx"],
    email: ["users_account_email_sort_idx", "users_account_email_sort_idx"],
    status: ["users_account_status_sort_idx", "users_account_status_sort_idx"],
    lastActive: ["users_account_last_active_sort_idx", "users_account_last_active_desc_sort_idx"],
  };

  it("every sort, both ways, on page 1 and deep, takes its page from its own index in order (no sort of the account, no table reads)", async () => {
    for (const { sort, direction } of everySort) {
      for (const page of [1, 100]) {
        const statement = buildMemberQueries(database.db, initech, policy, { sort, direction, page }).rows.toSQL();
        const nodes = planNodes(await explain(`explain (format json) ${statement.sql}`, statement.params));
        const limit = nodes.find((node) => node["Node Type"] === "Limit")!;
        const [scan] = limit.Plans!;
        const label = `${sort} ${direction}, page ${page}`;
        expect(scan["Node Type"], label).toBe("Index Only Scan");
        expect(scan["Index Name"], label).toBe(sortIndexes[sort][direction === "asc" ? 0 : 1]);
      }
    }
  });

  it("counts a customer's view without testing every address against the staff domain: the staff come from the email index", async () => {
    for (const query of [{}, { status: "active" as const }]) {
      const statement = buildMemberQueries(database.db, initech, policy, query).total.toSQL();
      const nodes = planNodes(await explain(`explain (format json) ${statement.sql}`, statement.params));
      expect(nodes.map((node) => node["Node Type"])).not.toContain("Seq Scan");
      expect(nodes.map((node) => node["Index Name"])).toContain("users_email_trgm_idx");
    }
    const staffView = await listMembers(database.db, wholeAccountViewer({ ...initech, email: "someone@vendor.test" }), policy);
    expect((await listMembers(database.db, initech, policy)).total).toBe(staffView.total - 2);
  });
});

type PlanNode = { "Node Type": string; "Index Name"?: string; "Parent Relationship"?: string; "Subplan Name"?: string; "Actual Loops"?: number; Plans?: PlanNode[] };

async function explain(text: string, params: unknown[]): Promise<PlanNode> {
  const [row] = (await database.raw(text, params)) as Record<string, unknown>[];
  const value = Object.values(row)[0];
  // PGlite hands back the JSON parsed, postgres.js as text.
  const parsed = (typeof value === "string" ? JSON.parse(value) : value) as { Plan: PlanNode }[];
  return parsed[0].Plan;
}

function planNodes(node: PlanNode): PlanNode[] {
  return [node, ...(node.Plans ?? []).flatMap(planNodes)];
}
