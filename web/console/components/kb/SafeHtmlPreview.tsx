/**
 * An article body (sanitized on the server) shown as formatted HTML inside a sandboxed frame with no
 * permissions at all: no scripts, no forms, no same-origin access. If a vector ever got past the
 * sanitizer, it would still have nothing to run in.
 */
export function SafeHtmlPreview({ html, testId }: { html: string; testId?: string }) {
  const doc = `<!doctype html><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src https: data:; style-src 'unsafe-inline'"><style>body{font:14px/1.7 system-ui,-apple-system,'PingFang SC','Microsoft YaHei',sans-serif;color:#1f2329;margin:8px}img{max-width:100%}</style>${html}`;
  return <iframe title="preview" sandbox="" srcDoc={doc} data-testid={testId} style={{ width: '100%', minHeight: 160, border: '1px solid #e8ebf2', borderRadius: 6, background: '#fff' }} />;
}
