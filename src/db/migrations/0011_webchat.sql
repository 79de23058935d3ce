CREATE TABLE "canned_replies" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"owner_id" uuid,
	"category" text DEFAULT '' NOT NULL,
	"title" text NOT NULL,
	"body" text NOT NULL,
	"sort_order" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "chat_agent_settings" (
	"tenant_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"chat_capacity" integer DEFAULT 5 NOT NULL,
	"last_chat_at" timestamp with time zone,
	"recent_transfers" jsonb DEFAULT '[]'::jsonb NOT NULL,
	CONSTRAINT "chat_agent_settings_tenant_id_user_id_pk" PRIMARY KEY("tenant_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "chat_conversations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"ticket_id" uuid NOT NULL,
	"visitor_id" uuid NOT NULL,
	"widget_style_id" uuid,
	"status" text DEFAULT 'queued' NOT NULL,
	"agent_id" uuid,
	"scope" jsonb NOT NULL,
	"exclude" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"last_seq" integer DEFAULT 0 NOT NULL,
	"rating" smallint,
	"rating_comment" text,
	"queued_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"ended_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "chat_message_seqs" (
	"tenant_id" uuid NOT NULL,
	"conversation_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"message_id" uuid NOT NULL,
	CONSTRAINT "chat_message_seqs_conversation_id_seq_pk" PRIMARY KEY("conversation_id","seq")
);
--> statement-breakpoint
CREATE TABLE "chat_visitors" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"visitor_key" text NOT NULL,
	"customer_id" uuid,
	"first_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"visits" integer DEFAULT 1 NOT NULL,
	"last_ip" text,
	"region" jsonb DEFAULT '{"country":null,"province":null,"city":null,"isp":null}'::jsonb NOT NULL,
	"device" jsonb,
	"referrer" jsonb,
	"trail" jsonb DEFAULT '{"pages":[],"dropped":0}'::jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "region_strategies" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"name" text NOT NULL,
	"regions" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"department_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"priority" integer DEFAULT 1 NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "widget_styles" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"name" text NOT NULL,
	"theme_color" text DEFAULT '#1677ff' NOT NULL,
	"position" text DEFAULT 'right' NOT NULL,
	"greeting_zh" text DEFAULT '' NOT NULL,
	"greeting_en" text DEFAULT '' NOT NULL,
	"language" text DEFAULT 'auto' NOT NULL,
	"logo_sha" text,
	"designated_department_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"designated_agent_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"hide_department_names" boolean DEFAULT false NOT NULL,
	"hide_offline_agents" boolean DEFAULT false NOT NULL,
	"proactive_invite" boolean DEFAULT true NOT NULL,
	"robot_enabled" boolean DEFAULT false NOT NULL,
	"pre_chat_fields" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "canned_replies" ADD CONSTRAINT "canned_replies_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "canned_replies" ADD CONSTRAINT "canned_replies_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "chat_agent_settings" ADD CONSTRAINT "chat_agent_settings_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "chat_agent_settings" ADD CONSTRAINT "chat_agent_settings_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "chat_conversations" ADD CONSTRAINT "chat_conversations_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "chat_conversations" ADD CONSTRAINT "chat_conversations_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "chat_conversations" ADD CONSTRAINT "chat_conversations_visitor_id_chat_visitors_id_fk" FOREIGN KEY ("visitor_id") REFERENCES "public"."chat_visitors"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "chat_conversations" ADD CONSTRAINT "chat_conversations_widget_style_id_widget_styles_id_fk" FOREIGN KEY ("widget_style_id") REFERENCES "public"."widget_styles"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "chat_conversations" ADD CONSTRAINT "chat_conversations_agent_id_users_id_fk" FOREIGN KEY ("agent_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "chat_message_seqs" ADD CONSTRAINT "chat_message_seqs_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "chat_message_seqs" ADD CONSTRAINT "chat_message_seqs_conversation_id_chat_conversations_id_fk" FOREIGN KEY ("conversation_id") REFERENCES "public"."chat_conversations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "chat_message_seqs" ADD CONSTRAINT "chat_message_seqs_message_id_messages_id_fk" FOREIGN KEY ("message_id") REFERENCES "public"."messages"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "chat_visitors" ADD CONSTRAINT "chat_visitors_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "chat_visitors" ADD CONSTRAINT "chat_visitors_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "region_strategies" ADD CONSTRAINT "region_strategies_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "widget_styles" ADD CONSTRAINT "widget_styles_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "canned_replies_owner_idx" ON "canned_replies" USING btree ("tenant_id","owner_id","category");--> statement-breakpoint
CREATE INDEX "chat_conversations_status_idx" ON "chat_conversations" USING btree ("tenant_id","status","queued_at");--> statement-breakpoint
CREATE INDEX "chat_conversations_agent_idx" ON "chat_conversations" USING btree ("tenant_id","agent_id","status");--> statement-breakpoint
CREATE INDEX "chat_conversations_visitor_idx" ON "chat_conversations" USING btree ("tenant_id","visitor_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "chat_conversations_ticket_key" ON "chat_conversations" USING btree ("ticket_id");--> statement-breakpoint
CREATE UNIQUE INDEX "chat_message_seqs_message_key" ON "chat_message_seqs" USING btree ("message_id");--> statement-breakpoint
CREATE UNIQUE INDEX "chat_visitors_key" ON "chat_visitors" USING btree ("tenant_id","visitor_key");--> statement-breakpoint
CREATE INDEX "chat_visitors_seen_idx" ON "chat_visitors" USING btree ("tenant_id","last_seen_at");--> statement-breakpoint
CREATE INDEX "region_strategies_tenant_idx" ON "region_strategies" USING btree ("tenant_id","priority");--> statement-breakpoint
CREATE INDEX "widget_styles_tenant_idx" ON "widget_styles" USING btree ("tenant_id","created_at");