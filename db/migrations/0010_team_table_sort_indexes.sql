DROP INDEX "users_account_name_idx";--> statement-breakpoint
DROP INDEX "users_account_last_active_idx";--> statement-breakpoint
CREATE INDEX "users_account_name_sort_idx" ON "users" USING btree ("account_id",lower("name"),"id","name","status","email");--> statement-breakpoint
CREATE INDEX "users_account_email_sort_idx" ON "users" USING btree ("account_id","email","id","status");--> statement-breakpoint
CREATE INDEX "users_account_status_sort_idx" ON "users" USING btree ("account_id",(case "status" when 'active' then 1 when 'disabled' then 2 when 'invited' then 3 end),"id","status","email");--> statement-breakpoint
CREATE INDEX "users_account_last_active_sort_idx" ON "users" USING btree ("account_id","last_active_at","id","status","email");--> statement-breakpoint
CREATE INDEX "users_account_last_active_desc_sort_idx" ON "users" USING btree ("account_id","last_active_at" DESC NULLS LAST,"id" DESC NULLS FIRST,"status","email");