import { request, type BrowserContextOptions } from "@playwright/test";

type StorageState = Exclude<BrowserContextOptions["storageState"], string | undefined>;

const entities: Record<string, string> = { "&quot;": '"', "&amp;": "&", "&#x27;": "'", "&#39;": "'", "&lt;": "<", "&gt;": ">" };
const decode = (value: string) => value.replace(/&(quot|amp|#x27|#39|lt|gt);/g, (entity) => entities[entity]);

/**
 * Signs in over plain HTTP, as a browser without JavaScript does: the sign-in page's
 * form (a server action with its hidden fields) is posted with the email and password,
 * and the session cookie it sets becomes a storage state for a new browser context.
 * The same checks as a person's sign-in run; only the typing is skipped.
 */
export async function signInOverHttp(baseURL: string, email: string, password: string): Promise<StorageState> {
  const http = await request.newContext({ baseURL });
  try {
    const html = await (await http.get("/sign-in")).text();
    const form = html.match(/<form[^>]*>([\s\S]*?)<\/form>/)?.[1];
    if (!form) throw new Error("No sign-in form on /sign-in");
    const fields: Record<string, string> = {};
    for (const input of form.matchAll(/<input([^>]*)\/?>/g)) {
      const name = input[1].match(/name="([^"]*)"/)?.[1];
      if (name && /type="hidden"/.test(input[1])) fields[decode(name)] = decode(input[1].match(/value="([^"]*)"/)?.[1] ?? "");
    }
    const response = await http.post("/sign-in", {
      multipart: { ...fields, email, password },
      headers: { Origin: new URL(baseURL).origin },
      maxRedirects: 0,
    });
    const location = response.headers()["location"];
    if (response.status() !== 303 || location?.startsWith("/sign-in")) {
      throw new Error(`Signing in ${email} over HTTP did not open a session (HTTP ${response.status()}, to ${location ?? "nowhere"})`);
    }
    return await http.storageState();
  } finally {
    await http.dispose();
  }
}
