CREATE TABLE "chat_robot_states" (
	"conversation_id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"choices" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"question" text,
	"answered_article_id" uuid,
	"misses" integer DEFAULT 0 NOT NULL,
	"handed_over_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "kb_unanswered_questions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"normalized" text NOT NULL,
	"question" text NOT NULL,
	"reason" text NOT NULL,
	"widget_style_id" uuid,
	"widget_name" text,
	"conversation_id" uuid,
	"ticket_id" uuid,
	"count" integer DEFAULT 1 NOT NULL,
	"first_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"article_id" uuid
);
--> statement-breakpoint
ALTER TABLE "kb_articles" ADD COLUMN "source_ticket_id" uuid;--> statement-breakpoint
ALTER TABLE "widget_styles" ADD COLUMN "robot_name" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "widget_styles" ADD COLUMN "robot_greeting_zh" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "widget_styles" ADD COLUMN "robot_greeting_en" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "widget_styles" ADD COLUMN "robot_answer_threshold" real DEFAULT 0.6 NOT NULL;--> statement-breakpoint
ALTER TABLE "widget_styles" ADD COLUMN "robot_suggest_threshold" real DEFAULT 0.3 NOT NULL;--> statement-breakpoint
ALTER TABLE "widget_styles" ADD COLUMN "robot_handover_floor" real DEFAULT 0.2 NOT NULL;--> statement-breakpoint
ALTER TABLE "chat_robot_states" ADD CONSTRAINT "chat_robot_states_conversation_id_chat_conversations_id_fk" FOREIGN KEY ("conversation_id") REFERENCES "public"."chat_conversations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "chat_robot_states" ADD CONSTRAINT "chat_robot_states_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kb_unanswered_questions" ADD CONSTRAINT "kb_unanswered_questions_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kb_unanswered_questions" ADD CONSTRAINT "kb_unanswered_questions_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kb_unanswered_questions" ADD CONSTRAINT "kb_unanswered_questions_article_id_kb_articles_id_fk" FOREIGN KEY ("article_id") REFERENCES "public"."kb_articles"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "kb_unanswered_key" ON "kb_unanswered_questions" USING btree ("tenant_id","normalized");--> statement-breakpoint
CREATE INDEX "kb_unanswered_status_idx" ON "kb_unanswered_questions" USING btree ("tenant_id","status","count");--> statement-breakpoint
ALTER TABLE "kb_articles" ADD CONSTRAINT "kb_articles_source_ticket_id_tickets_id_fk" FOREIGN KEY ("source_ticket_id") REFERENCES "public"."tickets"("id") ON DELETE set null ON UPDATE no action;