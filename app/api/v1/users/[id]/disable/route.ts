import { memberChangeRoute } from "@/lib/api/member-route";
import { disableMemberNow } from "@/lib/team/members";

export const POST = memberChangeRoute("member.disabled", disableMemberNow);
