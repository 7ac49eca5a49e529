import { memberChangeRoute } from "@/lib/api/member-route";
import { enableMember } from "@/lib/team/members";

export const POST = memberChangeRoute(enableMember);
