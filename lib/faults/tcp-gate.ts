import { createServer, Socket } from "node:net";
import type { AddressInfo } from "node:net";

/**
 * A TCP forwarder between the console and its database that a test can cut (every
 * connection dropped, new ones refused at once — the database is unreachable) and mend.
 */
export async function startTcpGate(target: { host: string; port: number }) {
  let open = true;
  let refused = 0;
  const waiters: { count: number; resolve: () => void }[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    if (!open) {
      client.destroy();
      refused += 1;
      for (const waiter of waiters.splice(0)) (refused >= waiter.count ? waiter.resolve : () => waiters.push(waiter))();
      return;
    }
    const upstream = new Socket();
    upstream.connect(target.port, target.host);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
      socket.on("error", () => {});
    }
    client.pipe(upstream).pipe(client);
    client.on("close", () => upstream.destroy());
    upstream.on("close", () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    /** Nothing listens any more: connecting is refused (ECONNREFUSED), as with a server that is down. */
    down() {
      open = false;
      for (const socket of sockets) socket.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
    up() {
      open = true;
      return new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
    },
    cut() {
      open = false;
      for (const socket of sockets) socket.destroy();
    },
    mend() {
      open = true;
    },
    /** Resolves once `count` more connection attempts were turned away (the console is trying). */
    refusals(count: number) {
      const target = refused + count;
      return new Promise<void>((resolve) => waiters.push({ count: target, resolve }));
    },
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
