DROP INDEX "tickets_queue_idx";--> statement-breakpoint
CREATE INDEX "tickets_updated_idx" ON "tickets" USING btree ("tenant_id","updated_at");--> statement-breakpoint
CREATE INDEX "tickets_created_idx" ON "tickets" USING btree ("tenant_id","created_at");--> statement-breakpoint
CREATE INDEX "tickets_active_idx" ON "tickets" USING btree ("tenant_id","updated_at") WHERE status in ('new', 'open', 'pending', 'on_hold');--> statement-breakpoint
CREATE INDEX "tickets_active_assignee_idx" ON "tickets" USING btree ("tenant_id","assignee_id","updated_at") WHERE status in ('new', 'open', 'pending', 'on_hold');--> statement-breakpoint
CREATE INDEX "tickets_active_department_idx" ON "tickets" USING btree ("tenant_id","department_id","updated_at") WHERE status in ('new', 'open', 'pending', 'on_hold');--> statement-breakpoint
CREATE INDEX "tickets_active_unassigned_idx" ON "tickets" USING btree ("tenant_id","updated_at") WHERE status in ('new', 'open', 'pending', 'on_hold') and assignee_id is null;--> statement-breakpoint
CREATE INDEX "tickets_active_escalated_idx" ON "tickets" USING btree ("tenant_id","updated_at") WHERE status in ('new', 'open', 'pending', 'on_hold') and escalation_level > 0;--> statement-breakpoint
CREATE INDEX "ticket_sla_breached_idx" ON "ticket_sla" USING btree ("tenant_id","breached_at");