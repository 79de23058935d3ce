CREATE TABLE "inbound_mails" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"mailbox_id" uuid,
	"remote_id" text NOT NULL,
	"rfc_message_id" text,
	"from_address" text,
	"subject" text,
	"raw" "bytea" NOT NULL,
	"size" integer NOT NULL,
	"status" text DEFAULT 'received' NOT NULL,
	"reason" text,
	"attempts" integer DEFAULT 0 NOT NULL,
	"ticket_id" uuid,
	"message_id" uuid,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"processed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "mailboxes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"name" text NOT NULL,
	"address" text NOT NULL,
	"protocol" text NOT NULL,
	"host" text,
	"port" integer,
	"tls" text DEFAULT 'tls' NOT NULL,
	"username" text,
	"password" text,
	"folder" text DEFAULT 'INBOX' NOT NULL,
	"department_id" uuid,
	"active" boolean DEFAULT true NOT NULL,
	"poll_interval_seconds" integer DEFAULT 60 NOT NULL,
	"delete_after_fetch" boolean DEFAULT false NOT NULL,
	"cursor" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"last_sync_state" text,
	"last_sync_at" timestamp with time zone,
	"last_error" text,
	"last_fetched" integer DEFAULT 0 NOT NULL,
	"next_sync_at" timestamp with time zone DEFAULT now() NOT NULL,
	"lease_owner" text,
	"lease_until" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "inbound_mails" ADD CONSTRAINT "inbound_mails_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inbound_mails" ADD CONSTRAINT "inbound_mails_mailbox_id_mailboxes_id_fk" FOREIGN KEY ("mailbox_id") REFERENCES "public"."mailboxes"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inbound_mails" ADD CONSTRAINT "inbound_mails_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inbound_mails" ADD CONSTRAINT "inbound_mails_message_id_messages_id_fk" FOREIGN KEY ("message_id") REFERENCES "public"."messages"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mailboxes" ADD CONSTRAINT "mailboxes_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mailboxes" ADD CONSTRAINT "mailboxes_department_id_departments_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."departments"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "inbound_mails_remote_key" ON "inbound_mails" USING btree ("tenant_id","mailbox_id","remote_id");--> statement-breakpoint
CREATE INDEX "inbound_mails_rfc_message_idx" ON "inbound_mails" USING btree ("tenant_id","rfc_message_id");--> statement-breakpoint
CREATE INDEX "inbound_mails_message_idx" ON "inbound_mails" USING btree ("tenant_id","message_id");--> statement-breakpoint
CREATE INDEX "inbound_mails_pending_idx" ON "inbound_mails" USING btree ("mailbox_id","received_at") WHERE status = 'received';--> statement-breakpoint
CREATE UNIQUE INDEX "mailboxes_tenant_name_key" ON "mailboxes" USING btree ("tenant_id","name");--> statement-breakpoint
CREATE INDEX "mailboxes_due_idx" ON "mailboxes" USING btree ("next_sync_at") WHERE active;--> statement-breakpoint
CREATE UNIQUE INDEX "mailboxes_receiver_address_key" ON "mailboxes" USING btree (lower("address")) WHERE protocol = 'smtp_receiver';