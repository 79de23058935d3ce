import { DeleteOutlined, PaperClipOutlined, UploadOutlined } from '@ant-design/icons';
import { Button, List, Popconfirm, Typography, Upload } from 'antd';
import { useState } from 'react';
import type { AttachmentList } from '../../../../src/contracts/attachments.ts';
import { http, upload } from '../../../shared/api.ts';
import { attachmentsApi } from '../../../shared/endpoints.ts';
import { useI18n } from '../../../shared/i18n.ts';
import { useFeedback } from '../../hooks/useFeedback.ts';
import { useRemote } from '../../hooks/useRemote.ts';

const at = (id: string) => encodeURIComponent(id);
/** An article's files (routes in src/modules/kb/kb-attachments.routes.ts). */
export const kbFilesApi = {
  list: (articleId: string) => http.get<AttachmentList>(`/api/v1/kb/articles/${at(articleId)}/attachments`),
  upload: (articleId: string, files: File[]) => upload<AttachmentList>(`/api/v1/kb/articles/${at(articleId)}/attachments`, files),
  remove: (articleId: string, attachmentId: string) => http.del(`/api/v1/kb/articles/${at(articleId)}/attachments/${at(attachmentId)}`),
};

/**
 * The files of an article (manuals, forms, screenshots): the help center lists them while the article
 * is published and public. Staff download them like a ticket's files.
 */
export function KbArticleFiles({ articleId, canManage }: { articleId: string; canManage: boolean }) {
  const { t } = useI18n();
  const feedback = useFeedback();
  const files = useRemote(() => kbFilesApi.list(articleId), [articleId]);
  const [busy, setBusy] = useState(false);
  const send = async (list: File[]) => {
    setBusy(true);
    try { await kbFilesApi.upload(articleId, list); await files.reload(); } catch (err) { feedback.fail(err); } finally { setBusy(false); }
  };
  const remove = async (id: string) => {
    try { await kbFilesApi.remove(articleId, id); await files.reload(); } catch (err) { feedback.fail(err); }
  };
  return (
    <div data-testid="kb-files">
      <Typography.Paragraph type="secondary">{t('kb.files.help')}</Typography.Paragraph>
      {canManage ? (
        <Upload multiple showUploadList={false} beforeUpload={(_f, list) => { if (_f === list[0]) void send(list as unknown as File[]); return false; }}>
          <Button icon={<UploadOutlined />} loading={busy} data-testid="kb-files-upload">{t('kb.files.upload')}</Button>
        </Upload>
      ) : null}
      <List size="small" style={{ marginTop: 12 }} loading={files.loading} dataSource={files.data?.items ?? []} locale={{ emptyText: t('kb.files.none') }}
        renderItem={(f) => (
          <List.Item data-testid="kb-file" actions={canManage ? [
            <Popconfirm key="del" title={t('kb.files.removeConfirm', { name: f.filename })} onConfirm={() => void remove(f.id)}>
              <Button size="small" type="text" danger icon={<DeleteOutlined />} aria-label={t('kb.files.remove')} />
            </Popconfirm>,
          ] : []}>
            <Typography.Link href={attachmentsApi.url(f.id)} download={f.filename}><PaperClipOutlined /> {f.filename}</Typography.Link>
            <Typography.Text type="secondary">{Math.max(1, Math.round(f.size / 1024))} KB</Typography.Text>
          </List.Item>
        )} />
    </div>
  );
}
