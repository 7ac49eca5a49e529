import { randomBytes } from "node:crypto";
import { drizzle } from "drizzle-orm/postgres-js";
import type postgres from "postgres";
import type { Db } from "@/db/client";
import { createSampleAccount, DEMO, DEMO_PASSWORD, type SampleAccountPeople } from "@/db/demo";
import * as schema from "@/db/schema";
import { hashPassword } from "@/lib/auth/password";

type Person = { id: string; email: string; name: string };
export type Tenant = {
  name: string;
  accountId: string;
  /** Every person's password (the invited one has none yet). */
  password: string;
  admin: Person;
  member: Person;
  disabled: Person;
  invited: Person;
};

let passwordHash: Promise<string> | undefined;

/**
 * The client with named prepared statements: Drizzle sends unnamed ones, which postgres.js
 * parses and binds in two round trips — and on the embedded database (one session, shared
 * with the app) a query of the app's in between replaces the unnamed statement.
 */
function withNamedStatements(sql: postgres.Sql): postgres.Sql {
  return new Proxy(sql, {
    get(target, property, receiver) {
      if (property === "unsafe") {
        return (query: string, params?: unknown[], options?: object) => target.unsafe(query, params as never, { ...options, prepare: true });
      }
      if (property === "begin") {
        return (...args: unknown[]) => {
          const body = args.pop() as (tx: postgres.Sql) => unknown;
          return (target.begin as (...a: unknown[]) => unknown)(...args, (tx: postgres.Sql) => body(withNamedStatements(tx)));
        };
      }
      const value = Reflect.get(target, property, receiver);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

/** The app's query functions over the fixtures' connection, for data a test makes the way the app does. */
export function appDatabase(sql: postgres.Sql): Db {
  return drizzle(withNamedStatements(sql), { schema }) as unknown as Db;
}

/**
 * A fresh account for one test, made by the same function as the demo's Acme (its admin,
 * member, disabled and invited people, Slack workspace, sub-accounts and content), under
 * a unique name and email domain: tests in parallel workers never share people.
 */
export async function createTenant(sql: postgres.Sql): Promise<Tenant> {
  const tag = randomBytes(4).toString("hex");
  const domain = `t${tag}.test`;
  const at = (person: { email: string; name: string }) => ({ name: person.name, email: `${person.email.split("@")[0]}@${domain}` });
  const people: SampleAccountPeople = { primary: at(DEMO.primary), secondary: at(DEMO.secondary), disabled: at(DEMO.disabled), invited: at(DEMO.invited) };
  passwordHash ??= hashPassword(DEMO_PASSWORD);
  const db = appDatabase(sql);
  const name = `Tenant ${tag}`;
  const created = await db.transaction(async (tx) =>
    createSampleAccount(tx, { name, people, passwordHash: await passwordHash!, slackTeamId: `T${tag.toUpperCase()}` }),
  );
  const person = (row: { id: string; email: string; name: string }) => ({ id: row.id, email: row.email, name: row.name });
  return {
    name,
    accountId: created.account.id,
    password: DEMO_PASSWORD,
    admin: person(created.admin),
    member: person(created.member),
    disabled: person(created.disabled),
    invited: person(created.invited),
  };
}
