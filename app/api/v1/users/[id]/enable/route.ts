import { memberChangeRoute } from "@/lib/api/member-route";
import { enableMemberNow } from "@/lib/team/members";

export const POST = memberChangeRoute("member.enabled", enableMemberNow);
