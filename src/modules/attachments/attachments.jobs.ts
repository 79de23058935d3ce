import { schedule, type ClaimedJob, type ScheduleInput } from '../../events/jobs.ts';
import type { Runtime } from '../../events/subscriber.ts';
import { sweepAttachments } from './attachments.service.ts';
import { fileStoreFor } from './file-store.ts';

export const ATTACHMENT_SWEEP_MINUTES = 60;

/** The recurring housekeeping of uploads and files; scheduled at start, then it reschedules itself. */
export const attachmentSweepJob = (runAt = new Date()): ScheduleInput => ({ queue: 'attachments:sweep', key: 'attachments:sweep', payload: {}, runAt });

export const attachmentJobs: Record<string, (job: ClaimedJob, rt: Runtime) => Promise<void>> = {
  'attachments:sweep': async (_job, rt) => {
    await sweepAttachments(rt.database.db, fileStoreFor(rt.config), rt.now());
    await schedule(rt.database.db, attachmentSweepJob(new Date(Date.now() + ATTACHMENT_SWEEP_MINUTES * 60_000)));
  },
};
