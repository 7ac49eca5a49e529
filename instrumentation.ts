export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { startServer } = await import("./lib/startup");
    // Returns when started, or — the database unreachable — after the first attempt, trying on (lib/startup.ts).
    await startServer();
  }
}
