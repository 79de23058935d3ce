-- Every node caches resolved sessions and API tokens; any change that can end or alter a login
-- tells every node (NOTIFY is delivered on commit), whichever code path made it.
CREATE OR REPLACE FUNCTION kefu_auth_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    PERFORM pg_notify('kefu_auth', OLD.tenant_id::text);
  ELSE
    PERFORM pg_notify('kefu_auth', NEW.tenant_id::text);
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER sessions_auth_changed AFTER DELETE OR UPDATE OF expires_at, csrf_token, user_id, tenant_id ON sessions
  FOR EACH ROW EXECUTE FUNCTION kefu_auth_changed();
--> statement-breakpoint
CREATE TRIGGER api_tokens_auth_changed AFTER DELETE OR UPDATE OF revoked_at, token_hash, user_id, tenant_id ON api_tokens
  FOR EACH ROW EXECUTE FUNCTION kefu_auth_changed();
--> statement-breakpoint
CREATE TRIGGER users_auth_changed AFTER DELETE OR UPDATE ON users
  FOR EACH ROW EXECUTE FUNCTION kefu_auth_changed();
--> statement-breakpoint
CREATE TRIGGER roles_auth_changed AFTER DELETE OR UPDATE ON roles
  FOR EACH ROW EXECUTE FUNCTION kefu_auth_changed();
