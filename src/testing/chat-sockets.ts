import { io as connect, type Socket } from 'socket.io-client';
import type { Client, TestTenant } from './test-server.ts';

/**
 * What the live-chat socket tests share: an agent's console socket that records every event it gets,
 * waiting for a condition, and waiting for a socket to connect.
 */

/** A staff member's console socket (their session cookie), recording what arrives. */
export function agentSocket(url: string, t: TestTenant, c: Client): { s: Socket; events: Array<{ event: string; payload: Record<string, unknown> }> } {
  // forceNew: socket.io-client would otherwise reuse a visitor's connection (and its headers) to the same server
  const s = connect(url, { transports: ['websocket'], extraHeaders: { host: t.host, cookie: c.cookie }, reconnection: false, forceNew: true });
  const events: Array<{ event: string; payload: Record<string, unknown> }> = [];
  s.onAny((event: string, payload: Record<string, unknown>) => events.push({ event, payload }));
  return { s, events };
}

/** Polls until `check` gives something truthy, or fails naming `what`. */
export async function waitFor<T>(check: () => T | undefined | null | false | Promise<T | undefined | null | false>, what: string, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export const connected = (s: Socket): Promise<void> =>
  new Promise<void>((resolve, reject) => { if (s.connected) resolve(); s.on('connect', () => resolve()); s.on('connect_error', reject); });
