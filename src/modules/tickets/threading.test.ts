import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decideThread, statusAfterMessage } from './threading.ts';

describe('threading decisions', () => {
  const thread: Array<[Parameters<typeof decideThread>[0], ReturnType<typeof decideThread>]> = [
    [null, 'new'],
    [{ status: 'new' }, 'continue'],
    [{ status: 'open' }, 'continue'],
    [{ status: 'pending' }, 'continue'],
    [{ status: 'on_hold' }, 'continue'],
    [{ status: 'resolved' }, 'continue'],
    [{ status: 'closed' }, 'new'],
    [{ status: 'closed', mergedIntoId: '00000000-0000-4000-8000-000000000001' }, 'merged'],
    [{ status: 'closed', mergedIntoId: null }, 'new'],
  ];
  for (const [hint, expected] of thread) it(`${hint?.status ?? 'no hint'}${hint?.mergedIntoId ? ' (merged)' : ''} → ${expected}`, () => assert.equal(decideThread(hint), expected));

  const status: Array<[Parameters<typeof statusAfterMessage>, string]> = [
    [['new', 'customer', 'public'], 'new'],
    [['pending', 'customer', 'public'], 'open'],
    [['resolved', 'customer', 'public'], 'open'],
    [['on_hold', 'customer', 'public'], 'open'],
    [['new', 'agent', 'public'], 'pending'],
    [['open', 'agent', 'public'], 'pending'],
    [['on_hold', 'agent', 'public'], 'on_hold'],
    [['new', 'agent', 'internal'], 'open'],
    [['pending', 'agent', 'internal'], 'pending'],
    [['open', 'system', 'public'], 'open'],
  ];
  for (const [args, expected] of status) it(`${args.join('/')} → ${expected}`, () => assert.equal(statusAfterMessage(...args), expected));
});
