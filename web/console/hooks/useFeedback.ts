import { App } from 'antd';
import { useMemo } from 'react';

/** Toasts for success and failure; a failure shows the server's (already localized) message. */
export function useFeedback() {
  const { message } = App.useApp();
  return useMemo(() => ({
    ok(text: string) { void message.success(text); },
    fail(err: unknown) { void message.error(err instanceof Error ? err.message : String(err)); },
  }), [message]);
}
