import { CloseOutlined, PaperClipOutlined, WarningOutlined } from '@ant-design/icons';
import { App, Button, Flex, Progress, Tooltip, Typography, Upload } from 'antd';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { MAX_ATTACHMENTS_PER_MESSAGE } from '../../../../src/contracts/attachment-limits.ts';
import { ApiError } from '../../../shared/api.ts';
import { attachmentsApi } from '../../../shared/endpoints.ts';
import { useI18n } from '../../../shared/i18n.ts';
import type { AttachmentView } from '../../../shared/types.ts';
import { fileIcon, formatSize } from './MessageAttachments.tsx';

export interface PendingUpload {
  uid: string;
  name: string;
  size: number;
  type: string;
  percent: number;
  status: 'uploading' | 'done' | 'error';
  attachment?: AttachmentView;
  error?: string;
}

/**
 * The files picked for the message being written. Each uploads at once (to the ticket, unsent); the
 * reply then names the uploaded ones. Switching tickets drops the list.
 */
export function usePendingUploads(ticketId: string) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [items, setItems] = useState<PendingUpload[]>([]);
  const aborts = useRef(new Map<string, AbortController>());
  const count = useRef(0);
  count.current = items.filter((i) => i.status !== 'error').length;

  const update = useCallback((uid: string, patch: Partial<PendingUpload>) => setItems((list) => list.map((x) => (x.uid === uid ? { ...x, ...patch } : x))), []);

  const clear = useCallback(() => {
    for (const a of aborts.current.values()) a.abort();
    aborts.current.clear();
    setItems([]);
  }, []);
  useEffect(() => clear, [ticketId, clear]);

  const add = useCallback((file: File & { uid?: string }) => {
    if (count.current >= MAX_ATTACHMENTS_PER_MESSAGE) {
      void message.warning(t('attachment.tooMany', { n: MAX_ATTACHMENTS_PER_MESSAGE }));
      return;
    }
    count.current++;
    const uid = file.uid ?? `${Date.now()}-${Math.random()}`;
    const abort = new AbortController();
    aborts.current.set(uid, abort);
    setItems((list) => [...list, { uid, name: file.name, size: file.size, type: file.type, percent: 0, status: 'uploading' }]);
    attachmentsApi.upload(ticketId, [file], { signal: abort.signal, onProgress: (percent) => update(uid, { percent: Math.min(percent, 99) }) })
      .then((res) => update(uid, { status: 'done', percent: 100, attachment: res.items[0] }))
      .catch((err: unknown) => {
        if (err instanceof ApiError && err.code === 'aborted') return;
        const text = err instanceof Error ? err.message : t('attachment.failed');
        update(uid, { status: 'error', error: text });
        void message.error(`${file.name}: ${text}`);
      })
      .finally(() => aborts.current.delete(uid));
  }, [ticketId, message, t, update]);

  const remove = useCallback((uid: string) => {
    aborts.current.get(uid)?.abort();
    aborts.current.delete(uid);
    setItems((list) => list.filter((x) => x.uid !== uid));
  }, []);

  return useMemo(() => ({
    items, add, remove, clear,
    /** Uploaded and ready to send. */
    ids: items.flatMap((i) => (i.status === 'done' && i.attachment ? [i.attachment.id] : [])),
    /** Still uploading: sending now would leave them behind. */
    busy: items.some((i) => i.status === 'uploading'),
  }), [items, add, remove, clear]);
}

export type PendingUploads = ReturnType<typeof usePendingUploads>;

/** The composer's paper clip: pick one or more files; each starts uploading right away. */
export function AttachButton({ uploads, disabled }: { uploads: PendingUploads; disabled?: boolean }) {
  const { t } = useI18n();
  return (
    <Upload multiple showUploadList={false} disabled={disabled} beforeUpload={(file) => { uploads.add(file); return Upload.LIST_IGNORE; }}>
      <Button type="text" size="small" icon={<PaperClipOutlined />} disabled={disabled} data-testid="composer-attach">{t('attachment.attach')}</Button>
    </Upload>
  );
}

/** Chips of the picked files: progress while uploading, the reason when refused, × to leave one out. */
export function PendingUploadList({ uploads }: { uploads: PendingUploads }) {
  const { t } = useI18n();
  if (!uploads.items.length) return null;
  return (
    <Flex vertical gap={6} style={{ marginTop: 10 }}>
      <Flex wrap gap={8} data-testid="composer-attachments">
        {uploads.items.map((u) => (
          <Tooltip key={u.uid} title={u.status === 'error' ? u.error : undefined}>
            <Flex align="center" gap={8} className={`kefu-attachment${u.status === 'error' ? ' kefu-attachment-error' : ''}`}
              data-testid="composer-attachment" data-status={u.status}>
              <span className="kefu-attachment-icon">{u.status === 'error' ? <WarningOutlined /> : fileIcon(u.type, u.name)}</span>
              <Flex vertical style={{ minWidth: 0 }}>
                <Typography.Text ellipsis style={{ maxWidth: 200 }} data-testid="composer-attachment-name">{u.name}</Typography.Text>
                {u.status === 'uploading'
                  ? <Progress percent={u.percent} size="small" showInfo={false} style={{ width: 120, margin: 0 }} data-testid="composer-attachment-progress" />
                  : <Typography.Text type={u.status === 'error' ? 'danger' : 'secondary'} style={{ fontSize: 12 }}>
                    {u.status === 'error' ? t('attachment.failed') : formatSize(u.size)}
                  </Typography.Text>}
              </Flex>
              <Button type="text" size="small" icon={<CloseOutlined />} onClick={() => uploads.remove(u.uid)}
                aria-label={t('attachment.remove', { name: u.name })} data-testid="composer-attachment-remove" />
            </Flex>
          </Tooltip>
        ))}
      </Flex>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>{uploads.busy ? t('attachment.waitUploads') : t('attachment.hint')}</Typography.Text>
    </Flex>
  );
}
