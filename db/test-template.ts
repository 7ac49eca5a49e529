import { randomBytes } from "node:crypto";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import postgres from "postgres";
import type { TestProject } from "vitest/node";
import { openDatabase } from "./client";

declare module "vitest" {
  export interface ProvidedContext {
    /** A migrated database each test file copies: a PGlite image file, or a server database name. */
    databaseTemplate: { kind: "pglite"; imageFile: string } | { kind: "postgres"; name: string };
  }
}

/**
 * Vitest global setup: migrates one database from empty, once, and every test file then
 * starts from a copy of it (PGlite's initdb and the migrations cost seconds a file; a copy
 * costs a fraction). Every file still gets a database of its own.
 */
export default async function setup(project: TestProject) {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    const database = await openDatabase({ kind: "pglite" });
    const imageFile = path.resolve(".data", "vitest", `template-${process.pid}.tar`);
    mkdirSync(path.dirname(imageFile), { recursive: true });
    const image = await (await database.dumpImage!()).arrayBuffer();
    await database.close();
    writeFileSync(imageFile, Buffer.from(image));
    project.provide("databaseTemplate", { kind: "pglite", imageFile });
    return () => rmSync(imageFile, { force: true });
  }
  const name = `roster_template_${randomBytes(4).toString("hex")}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  // Closed before any copy: PostgreSQL copies a template only while nobody is connected to it.
  await (await openDatabase({ kind: "postgres", url: url.toString() })).close();
  project.provide("databaseTemplate", { kind: "postgres", name });
  return async () => {
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end();
  };
}
