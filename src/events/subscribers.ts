import { mailSubscriber } from '../modules/mail/mail.subscribers.ts';
import { realtimeSubscriber } from '../modules/realtime/realtime.subscribers.ts';
import type { Subscriber } from './subscriber.ts';

/** Every subscriber, in one list. Each gets its own delivery job per event, so one failing never delays another. */
export const SUBSCRIBERS: readonly Subscriber[] = [
  realtimeSubscriber,
  mailSubscriber,
];
