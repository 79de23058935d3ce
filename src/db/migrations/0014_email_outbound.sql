CREATE TABLE "outbound_mails" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"message_id" uuid NOT NULL,
	"ticket_id" uuid NOT NULL,
	"mailbox_id" uuid,
	"kind" text NOT NULL,
	"rfc_message_id" text NOT NULL,
	"in_reply_to" text,
	"references" text,
	"from_address" text NOT NULL,
	"from_name" text,
	"to_address" text NOT NULL,
	"subject" text NOT NULL,
	"text" text NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"next_attempt_at" timestamp with time zone,
	"bounce_reason" text,
	"server_response" text,
	"sent_at" timestamp with time zone,
	"bounced_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "mailboxes" ADD COLUMN "smtp_mode" text DEFAULT 'system' NOT NULL;--> statement-breakpoint
ALTER TABLE "mailboxes" ADD COLUMN "smtp_host" text;--> statement-breakpoint
ALTER TABLE "mailboxes" ADD COLUMN "smtp_port" integer;--> statement-breakpoint
ALTER TABLE "mailboxes" ADD COLUMN "smtp_tls" text DEFAULT 'starttls' NOT NULL;--> statement-breakpoint
ALTER TABLE "mailboxes" ADD COLUMN "smtp_username" text;--> statement-breakpoint
ALTER TABLE "mailboxes" ADD COLUMN "smtp_password" text;--> statement-breakpoint
ALTER TABLE "mailboxes" ADD COLUMN "sender_name" text;--> statement-breakpoint
ALTER TABLE "mailboxes" ADD COLUMN "dkim_domain" text;--> statement-breakpoint
ALTER TABLE "mailboxes" ADD COLUMN "dkim_selector" text;--> statement-breakpoint
ALTER TABLE "mailboxes" ADD COLUMN "dkim_private_key" text;--> statement-breakpoint
ALTER TABLE "mailboxes" ADD COLUMN "signature_zh" text;--> statement-breakpoint
ALTER TABLE "mailboxes" ADD COLUMN "signature_en" text;--> statement-breakpoint
ALTER TABLE "mailboxes" ADD COLUMN "auto_reply_enabled" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "mailboxes" ADD COLUMN "auto_reply_subject_zh" text;--> statement-breakpoint
ALTER TABLE "mailboxes" ADD COLUMN "auto_reply_subject_en" text;--> statement-breakpoint
ALTER TABLE "mailboxes" ADD COLUMN "auto_reply_body_zh" text;--> statement-breakpoint
ALTER TABLE "mailboxes" ADD COLUMN "auto_reply_body_en" text;--> statement-breakpoint
ALTER TABLE "mailboxes" ADD COLUMN "auto_reply_hourly_limit" integer DEFAULT 3 NOT NULL;--> statement-breakpoint
ALTER TABLE "mailboxes" ADD COLUMN "last_send_state" text;--> statement-breakpoint
ALTER TABLE "mailboxes" ADD COLUMN "last_send_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "mailboxes" ADD COLUMN "last_send_error" text;--> statement-breakpoint
ALTER TABLE "chat_agent_settings" ADD COLUMN "visitor_sound" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "chat_conversations" ADD COLUMN "collaborator_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL;--> statement-breakpoint
ALTER TABLE "chat_visitors" ADD COLUMN "file_token" text;--> statement-breakpoint
ALTER TABLE "widget_styles" ADD COLUMN "logo_type" text;--> statement-breakpoint
ALTER TABLE "widget_styles" ADD COLUMN "show_last_conversation" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "widget_styles" ADD COLUMN "max_queue_length" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "outbound_mails" ADD CONSTRAINT "outbound_mails_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outbound_mails" ADD CONSTRAINT "outbound_mails_message_id_messages_id_fk" FOREIGN KEY ("message_id") REFERENCES "public"."messages"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outbound_mails" ADD CONSTRAINT "outbound_mails_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outbound_mails" ADD CONSTRAINT "outbound_mails_mailbox_id_mailboxes_id_fk" FOREIGN KEY ("mailbox_id") REFERENCES "public"."mailboxes"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "outbound_mails_message_key" ON "outbound_mails" USING btree ("message_id");--> statement-breakpoint
CREATE INDEX "outbound_mails_rfc_message_idx" ON "outbound_mails" USING btree ("tenant_id","rfc_message_id");--> statement-breakpoint
CREATE INDEX "outbound_mails_ticket_idx" ON "outbound_mails" USING btree ("tenant_id","ticket_id");--> statement-breakpoint
CREATE INDEX "outbound_mails_auto_reply_idx" ON "outbound_mails" USING btree ("tenant_id","to_address","created_at") WHERE kind = 'auto_reply';