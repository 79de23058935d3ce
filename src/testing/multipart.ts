import crypto from 'node:crypto';

export interface Part { filename: string; content: Buffer | string; contentType?: string; field?: string }

/** A multipart/form-data body as a browser sends it (UTF-8 filenames, raw bytes), with its Content-Type header. */
export function multipart(parts: readonly Part[]): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----kefu-${crypto.randomBytes(12).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const p of parts) {
    const name = p.filename.replace(/"/g, '%22').replace(/\r?\n/g, ' ');
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${p.field ?? 'file'}"; filename="${name}"\r\nContent-Type: ${p.contentType ?? 'application/octet-stream'}\r\n\r\n`, 'utf8'));
    chunks.push(Buffer.isBuffer(p.content) ? p.content : Buffer.from(p.content, 'utf8'));
    chunks.push(Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}
