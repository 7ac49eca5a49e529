import { memberChangeRoute } from "@/lib/api/member-route";
import { disableMember } from "@/lib/team/members";

export const POST = memberChangeRoute(disableMember);
