import type { Database } from '../../db/client.ts';
import { fileStoreFor } from '../../modules/attachments/file-store.ts';
import type { Config } from '../../server/config.ts';
import { lanesFor, type PipelineDeps } from './ingest-mail.ts';
import { startMailScheduler, type MailScheduler } from './mail-scheduler.ts';
import type { SmtpReceiver } from './smtp-receiver.ts';

/** Everything that brings mail in on one node: the mailbox scheduler and (when configured) the SMTP receiver. */
export interface MailIntake {
  scheduler: MailScheduler | null;
  receiver: SmtpReceiver | null;
  stop(): Promise<void>;
}

export async function startMailIntake(opts: {
  database: Database; config: Config; nodeId: string; ownsDatabase: boolean;
  log: (msg: string, extra: Record<string, unknown>) => void;
}): Promise<MailIntake> {
  const { database, config } = opts;
  const deps: PipelineDeps = { db: database.db, files: fileStoreFor(config), log: opts.log, lanes: lanesFor(database.kind) };
  const scheduler = config.mailFetch
    ? await startMailScheduler({ database, deps, nodeId: opts.nodeId, concurrency: config.mailFetchConcurrency, ownsDatabase: opts.ownsDatabase })
    : null;
  let receiver: SmtpReceiver | null = null;
  try {
    if (config.smtpReceiverPort !== undefined) {
      // loaded only when configured: smtp-server is still a dev dependency in package.json
      const { startSmtpReceiver } = await import('./smtp-receiver.ts');
      receiver = await startSmtpReceiver({ deps, host: config.host, port: config.smtpReceiverPort });
    }
  } catch (err) {
    await scheduler?.stop();
    throw err;
  }
  return {
    scheduler, receiver,
    async stop() {
      await receiver?.close();
      await scheduler?.stop();
    },
  };
}
