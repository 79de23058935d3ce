import type { Readable } from 'node:stream';
import type { FastifyRequest } from 'fastify';
import { AppError } from '../contracts/errors.ts';
import { tooLarge } from '../modules/attachments/file-store.ts';

/** One file of a multipart upload, read as a stream (nothing is buffered in memory). */
export interface UploadedFile {
  /** As the client sent it: sanitize before storing or showing it. */
  filename: string;
  contentType: string;
  stream: Readable;
}

export interface FileLimits {
  maxFiles: number;
  maxFileBytes: number;
}

/** Form fields beside the files are ignored; these only bound what a client can make the parser hold. */
const FIELD_LIMITS = { fields: 20, fieldSize: 4096, fieldNameSize: 100, headerPairs: 100 };

/**
 * Runs a files route's handler on the request's files. Parser failures become the API's own errors, and
 * after a refusal the rest of the body is read and thrown away, so the client gets the answer instead of
 * a connection stalled half-way through its upload.
 */
export async function withUploads<T>(req: FastifyRequest, limits: FileLimits, run: (files: AsyncIterable<UploadedFile>) => Promise<T>): Promise<T> {
  try {
    return await run(await openUploads(req, limits));
  } catch (err) {
    req.raw.unpipe();
    req.raw.resume();
    throw uploadError(err, limits);
  }
}

/**
 * The files of a multipart/form-data request. The envelope is checked up to the first file before the
 * handler runs (a malformed or empty upload is a 400 like any invalid body); the rest stream in as the
 * handler reads them. Each file is read up to one byte past the limit, so the store sees the overflow
 * and refuses it instead of keeping a silently truncated file.
 */
async function openUploads(req: FastifyRequest, limits: FileLimits): Promise<AsyncIterable<UploadedFile>> {
  if (!req.isMultipart()) throw new AppError('unsupported_media', { zh: '请以 multipart/form-data 方式上传文件', en: 'Send the files as multipart/form-data' });
  const parts = req.files({ limits: { ...FIELD_LIMITS, files: limits.maxFiles, parts: limits.maxFiles + FIELD_LIMITS.fields, fileSize: limits.maxFileBytes + 1 } });
  const first = await parts.next();
  if (first.done) throw new AppError('validation', { zh: '没有收到文件：请至少选择一个文件', en: 'No files were sent: add at least one file part' });
  const toFile = (p: NonNullable<typeof first.value>): UploadedFile => ({ filename: p.filename ?? '', contentType: p.mimetype ?? '', stream: p.file });
  return (async function* () {
    yield toFile(first.value);
    for await (const part of parts) yield toFile(part);
  })();
}

const BUSBOY_ERRORS = /^(Unexpected end of multipart data|Multipart: Boundary not found|Boundary required|(Part|Preamble) terminated early due to unexpected end of multipart data)$/;

/** The parser's failures as the API's own errors: too many or too big is a 413, anything malformed a 400. */
function uploadError(err: unknown, limits: FileLimits): unknown {
  if (err instanceof AppError) return err;
  const e = err as { code?: string; message?: string } | null;
  switch (e?.code) {
    case 'FST_FILES_LIMIT': return new AppError('too_large', { zh: `一次最多上传 ${limits.maxFiles} 个文件`, en: `At most ${limits.maxFiles} files can be sent at once` });
    case 'FST_PARTS_LIMIT':
    case 'FST_FIELDS_LIMIT': return new AppError('too_large', { zh: '上传内容的字段过多', en: 'The upload has too many parts' });
    case 'FST_REQ_FILE_TOO_LARGE': return tooLarge(limits.maxFileBytes);
    case 'FST_PROTO_VIOLATION': return new AppError('validation', { zh: '表单字段名不允许使用', en: 'A form field name is not allowed' });
    case 'FST_MP_PREMATURE_CLOSE': return new AppError('validation', { zh: '上传在完成前中断了', en: 'The upload ended before it was complete' });
  }
  // busboy's own errors carry no code, only these messages
  if (e && !e.code && typeof e.message === 'string' && BUSBOY_ERRORS.test(e.message)) {
    return new AppError('validation', { zh: `上传内容格式有误（${e.message}）`, en: `The multipart body is malformed (${e.message})` });
  }
  return err;
}
