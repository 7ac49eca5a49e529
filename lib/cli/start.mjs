#!/usr/bin/env node
// `npm start`: builds when the build is missing or older than the sources, then serves.
import { spawnSync, spawn } from "node:child_process";
import path from "node:path";

const root = process.cwd();
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };
const build = spawnSync(process.execPath, [path.join(root, "lib", "cli", "build-if-stale.mjs")], { stdio: "inherit", env });
if (build.status !== 0) process.exit(build.status ?? 1);

const port = process.env.PORT ?? "3000";
const server = spawn(process.execPath, [path.join(root, "lib", "cli", "serve.mjs")], { stdio: "inherit", env: { ...env, PORT: port } });
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.kill(signal));
server.on("exit", (code) => process.exit(code ?? 0));
