import { PaperClipOutlined } from '@ant-design/icons';
import { Button, Image, Space, Typography } from 'antd';
import { useRef } from 'react';
import type { AttachmentView } from '../../../../src/contracts/attachments.ts';
import { INLINE_IMAGE_TYPES } from '../../../../src/contracts/attachment-limits.ts';

/** A chat line's files: raster images as thumbnails (shown in place), anything else as a download link. */
export function ChatFiles({ files }: { files: readonly AttachmentView[] }) {
  if (!files.length) return null;
  return (
    <Space direction="vertical" size={4} style={{ marginTop: 4 }}>
      {files.map((f) => (INLINE_IMAGE_TYPES as readonly string[]).includes(f.contentType)
        ? <Image key={f.id} src={`/api/v1/attachments/${f.id}?inline=1`} alt={f.filename} width={160} data-testid="chat-thumb" />
        : (
          <Typography.Link key={f.id} href={`/api/v1/attachments/${f.id}`} download={f.filename} data-testid="chat-download">
            <PaperClipOutlined /> {f.filename} ({Math.ceil(f.size / 1024)} KB)
          </Typography.Link>
        ))}
    </Space>
  );
}

/** The line's text, unless it only names its own file ("📎 name"): then the file says it better. */
export function lineText(body: string, files: readonly AttachmentView[] | undefined): string | null {
  return files?.some((f) => body === `📎 ${f.filename}` || body === f.filename) ? null : body;
}

/** The composer's paperclip: picks one file for the caller to upload. */
export function AttachButton({ onFile, disabled, label }: { onFile: (f: File) => void; disabled?: boolean; label: string }) {
  const ref = useRef<HTMLInputElement>(null);
  return (
    <>
      <input ref={ref} type="file" hidden data-testid="chat-file" onChange={(e) => { const f = e.target.files?.[0]; e.target.value = ''; if (f) onFile(f); }} />
      <Button icon={<PaperClipOutlined />} disabled={disabled} title={label} aria-label={label} data-testid="chat-attach" onClick={() => ref.current?.click()} />
    </>
  );
}
