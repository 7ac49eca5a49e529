import type { Principal } from "@/lib/auth/principal";
import type { RequestContext } from "@/lib/request";

/**
 * Who performs a member operation, and from where: the same for a console action and an
 * /api/v1 call (STYLE: one function per operation, bound by both).
 */
export type Actor = { principal: Principal; request: RequestContext };
