CREATE TABLE "chat_department_settings" (
	"tenant_id" uuid NOT NULL,
	"department_id" uuid NOT NULL,
	"max_queue_length" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "chat_department_settings_tenant_id_department_id_pk" PRIMARY KEY("tenant_id","department_id")
);
--> statement-breakpoint
ALTER TABLE "chat_department_settings" ADD CONSTRAINT "chat_department_settings_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "chat_department_settings" ADD CONSTRAINT "chat_department_settings_department_id_departments_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."departments"("id") ON DELETE cascade ON UPDATE no action;