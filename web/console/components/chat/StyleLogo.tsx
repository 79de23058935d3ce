import { DeleteOutlined, UploadOutlined } from '@ant-design/icons';
import { Alert, Button, Space, Typography } from 'antd';
import { useRef, useState } from 'react';
import type { WidgetStyleView } from '../../../../src/contracts/chat.ts';
import { ApiError, request, upload } from '../../../shared/api.ts';
import { useI18n } from '../../../shared/i18n.ts';

/** A widget style's logo: preview, upload (the server checks type and size and says why it refuses), remove. */
export function StyleLogo({ style: initial, onChange }: { style: WidgetStyleView; onChange: (s: WidgetStyleView) => void }) {
  const { t } = useI18n();
  // the logo is saved on its own (not with the form), so the rest of the form keeps what the admin typed
  const [style, setStyle] = useState(initial);
  const changed = (s: WidgetStyleView) => { setStyle(s); onChange(s); };
  const ref = useRef<HTMLInputElement>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const send = async (file: File) => {
    setBusy(true);
    setError(null);
    try {
      changed(await upload<WidgetStyleView>(`/api/v1/widget-styles/${style.id}/logo`, [file]));
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  const remove = async () => {
    try { changed(await request<WidgetStyleView>('DELETE', `/api/v1/widget-styles/${style.id}/logo`)); } catch (err) { setError(err instanceof ApiError ? err.message : String(err)); }
  };
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space>
        {style.logoUrl
          ? <img src={style.logoUrl} alt="" data-testid="logo-preview" style={{ height: 40, maxWidth: 160, objectFit: 'contain', background: style.themeColor, padding: 4, borderRadius: 4 }} />
          : null}
        <input ref={ref} type="file" accept="image/png,image/jpeg,image/webp,image/gif" hidden data-testid="logo-file"
          onChange={(e) => { const f = e.target.files?.[0]; e.target.value = ''; if (f) void send(f); }} />
        <Button icon={<UploadOutlined />} loading={busy} onClick={() => ref.current?.click()} data-testid="logo-upload">{t('chatAdmin.logoUpload')}</Button>
        {style.logoUrl ? <Button icon={<DeleteOutlined />} onClick={() => void remove()} data-testid="logo-remove">{t('chatAdmin.logoRemove')}</Button> : null}
      </Space>
      <Typography.Text type="secondary">{t('chatAdmin.logoHelp')}</Typography.Text>
      {error ? <Alert type="error" showIcon message={error} data-testid="logo-error" /> : null}
    </Space>
  );
}
