import { mailSubscriber } from '../modules/mail/mail.subscribers.ts';
import { realtimeSubscriber } from '../modules/realtime/realtime.subscribers.ts';
import { assignmentJobs, assignmentSubscriber } from '../modules/assignment/assignment.subscribers.ts';
import { notificationsSubscriber } from '../modules/notifications/notifications.subscribers.ts';
import { slaJobs, slaSubscriber } from '../modules/sla/sla.subscribers.ts';
import { automationJobs, automationSubscriber, sweepJob } from '../modules/automation/automation.subscribers.ts';
import { attachmentJobs, attachmentSweepJob } from '../modules/attachments/attachments.jobs.ts';
import { chatSubscriber } from '../channels/webchat/chat.subscribers.ts';
import { emailJobs, emailOutboundSubscriber } from '../channels/email/send-queue.ts';
import type { ScheduleInput } from './jobs.ts';
import type { ClaimedJob } from './jobs.ts';
import type { Runtime, Subscriber } from './subscriber.ts';

/** Every subscriber, in one list. Each gets its own delivery job per event, so one failing never delays another. */
export const SUBSCRIBERS: readonly Subscriber[] = [
  realtimeSubscriber,
  mailSubscriber,
  assignmentSubscriber,
  slaSubscriber,
  notificationsSubscriber,
  automationSubscriber,
  chatSubscriber,
  emailOutboundSubscriber,
];

/** Durable timers and jobs of the modules, by queue name. */
export const JOB_HANDLERS: Record<string, (job: ClaimedJob, rt: Runtime) => Promise<void>> = {
  ...assignmentJobs,
  ...slaJobs,
  ...automationJobs,
  ...attachmentJobs,
  ...emailJobs,
};

/** Recurring jobs every node makes sure exist at start (same key: one per cluster). */
export const STARTUP_JOBS: ReadonlyArray<() => ScheduleInput> = [() => sweepJob(), () => attachmentSweepJob()];
