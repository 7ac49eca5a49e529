/**
 * A DNS server for domain verification tests (dns2, pure JavaScript): it answers TXT
 * queries from records the tests publish, and NXDOMAIN otherwise. The console reaches it
 * through ROSTER_DNS_SERVER. The e2e suite publishes records over HTTP on the same port
 * number (TCP): POST /__mock/txt {"name", "value"}.
 *   tsx e2e/mock-servers/dns.ts <port>
 */
import { createServer as createHttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import DNS from "dns2";

export async function startDnsServer(port = 0) {
  const records = new Map<string, string[]>();
  const udp = DNS.createUDPServer((request, send) => {
    const response = DNS.Packet.createResponseFromRequest(request);
    const [question] = request.questions;
    const found = question && question.type === DNS.Packet.TYPE.TXT ? records.get(question.name.toLowerCase()) : undefined;
    for (const value of found ?? []) response.answers.push({ name: question.name, type: DNS.Packet.TYPE.TXT, class: DNS.Packet.CLASS.IN, ttl: 60, data: value } as never);
    // NXDOMAIN (rcode 3) for a name nobody published.
    if (!found) response.header.rcode = 3;
    send(response);
  });
  await udp.listen(port, "127.0.0.1");
  return {
    port: (udp.address() as AddressInfo).port,
    publishTxt: (name: string, value: string) => records.set(name.toLowerCase(), [...(records.get(name.toLowerCase()) ?? []), value]),
    clear: () => records.clear(),
    close: () => new Promise<void>((resolve) => udp.close(() => resolve())),
  };
}

if (process.argv[1]?.endsWith("dns.ts")) {
  const port = Number(process.argv[2] ?? 4030);
  void startDnsServer(port).then((dns) => serveControl(dns, port));
}

function serveControl(dns: Awaited<ReturnType<typeof startDnsServer>>, port: number) {
  createHttpServer((req, res) => {
    if (req.method === "POST" && req.url === "/__mock/txt") {
      let body = "";
      req.on("data", (chunk) => (body += chunk));
      req.on("end", () => {
        const { name, value } = JSON.parse(body) as { name: string; value: string };
        dns.publishTxt(name, value);
        res.writeHead(204).end();
      });
      return;
    }
    res.writeHead(req.url === "/__mock/health" ? 200 : 404).end();
  }).listen(port, "127.0.0.1");
  console.log(`DNS server listening on udp://127.0.0.1:${port}`);
}
