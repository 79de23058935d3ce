import {
  DownloadOutlined, FileExcelOutlined, FileImageOutlined, FileOutlined, FilePdfOutlined, FilePptOutlined, FileTextOutlined, FileWordOutlined, FileZipOutlined,
} from '@ant-design/icons';
import { Flex, Image, Typography } from 'antd';
import type { ReactNode } from 'react';
import { INLINE_IMAGE_TYPES } from '../../../../src/contracts/attachment-limits.ts';
import { attachmentsApi } from '../../../shared/endpoints.ts';
import { useI18n } from '../../../shared/i18n.ts';
import type { AttachmentView } from '../../../shared/types.ts';

/** "512 B", "1.2 KB", "3.4 MB". */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 ** 2) return `${(bytes / 1024).toFixed(bytes < 10 * 1024 ? 1 : 0)} KB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
  return `${(bytes / 1024 ** 3).toFixed(1)} GB`;
}

/** Only these are ever shown in place; the server serves anything else (SVG and HTML included) as a download. */
export function isInlineImage(contentType: string): boolean {
  return (INLINE_IMAGE_TYPES as readonly string[]).includes(contentType);
}

export function fileIcon(contentType: string, filename: string): ReactNode {
  const ext = filename.split('.').pop()?.toLowerCase() ?? '';
  if (contentType.startsWith('image/')) return <FileImageOutlined />;
  if (contentType === 'application/pdf' || ext === 'pdf') return <FilePdfOutlined />;
  if (/^docx?$/.test(ext) || contentType.includes('wordprocessing') || contentType === 'application/msword') return <FileWordOutlined />;
  if (/^(xlsx?|csv)$/.test(ext) || contentType.includes('spreadsheet')) return <FileExcelOutlined />;
  if (/^pptx?$/.test(ext) || contentType.includes('presentation')) return <FilePptOutlined />;
  if (/^(zip|rar|7z|gz|tar)$/.test(ext) || contentType.includes('zip')) return <FileZipOutlined />;
  if (contentType.startsWith('text/') || ext === 'txt' || ext === 'log') return <FileTextOutlined />;
  return <FileOutlined />;
}

/**
 * A message's files: each with its name, size and a download link; PNG, JPEG, GIF and WebP images also
 * as a thumbnail that opens a larger preview. Names are shown as text, never as markup.
 */
export function MessageAttachments({ items }: { items: readonly AttachmentView[] }) {
  const { t } = useI18n();
  if (!items.length) return null;
  return (
    <Flex wrap gap={8} style={{ marginTop: 10 }} data-testid="message-attachments" role="list" aria-label={t('attachment.list')}>
      {items.map((a) => (
        <Flex key={a.id} role="listitem" align="center" gap={8} className="kefu-attachment" data-testid="attachment" data-attachment-id={a.id}>
          {isInlineImage(a.contentType) ? (
            <Image src={attachmentsApi.url(a.id, true)} alt={a.filename} width={40} height={40} style={{ objectFit: 'cover', borderRadius: 4 }}
              data-testid="attachment-thumb" />
          ) : <span className="kefu-attachment-icon">{fileIcon(a.contentType, a.filename)}</span>}
          <a href={attachmentsApi.url(a.id)} download={a.filename} title={t('attachment.download', { name: a.filename })} data-testid="attachment-link"
            style={{ display: 'flex', alignItems: 'center', gap: 8, minWidth: 0 }}>
            <Flex vertical style={{ minWidth: 0 }}>
              <Typography.Text ellipsis style={{ maxWidth: 220, color: 'inherit' }} data-testid="attachment-name">{a.filename}</Typography.Text>
              <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="attachment-size">{formatSize(a.size)}</Typography.Text>
            </Flex>
            <DownloadOutlined />
          </a>
        </Flex>
      ))}
    </Flex>
  );
}
