ALTER TABLE "accounts" DROP COLUMN "two_factor_scope";--> statement-breakpoint
ALTER TABLE "users" DROP COLUMN "role";--> statement-breakpoint
DROP TYPE "public"."two_factor_scope";--> statement-breakpoint
DROP TYPE "public"."user_role";