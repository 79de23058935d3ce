import { Flex, Table, Typography } from 'antd';
import { useI18n } from '../../shared/i18n.ts';

/** Pretty JSON as text (never as HTML). */
export function JsonText({ value }: { value: unknown }) {
  if (value === undefined || value === null) return <Typography.Text type="secondary">—</Typography.Text>;
  return <pre className="kefu-json">{typeof value === 'string' ? value : JSON.stringify(value, null, 2)}</pre>;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

interface Row { field: string; before: unknown; after: unknown; changed: boolean }

/** What an audited change did: field by field, changed fields highlighted. */
export function JsonDiff({ before, after }: { before: unknown; after: unknown }) {
  const { t } = useI18n();
  if ((before !== null && before !== undefined && !isPlainObject(before)) || (after !== null && after !== undefined && !isPlainObject(after))) {
    return (
      <Flex gap={16}>
        <div style={{ flex: 1 }}><Typography.Text type="secondary">{t('audit.before')}</Typography.Text><JsonText value={before} /></div>
        <div style={{ flex: 1 }}><Typography.Text type="secondary">{t('audit.after')}</Typography.Text><JsonText value={after} /></div>
      </Flex>
    );
  }
  const b = (before ?? {}) as Record<string, unknown>;
  const a = (after ?? {}) as Record<string, unknown>;
  const fields = [...new Set([...Object.keys(b), ...Object.keys(a)])];
  const rows: Row[] = fields.map((field) => ({
    field, before: b[field], after: a[field], changed: JSON.stringify(b[field]) !== JSON.stringify(a[field]),
  })).sort((x, y) => Number(y.changed) - Number(x.changed));
  if (!rows.length) return <Typography.Text type="secondary">{t('audit.noDetails')}</Typography.Text>;
  return (
    <Table<Row> size="small" rowKey="field" pagination={false} dataSource={rows} data-testid="audit-diff"
      rowClassName={(r) => (r.changed && before && after ? 'kefu-diff-changed' : '')}
      columns={[
        { title: t('audit.field'), dataIndex: 'field', width: 180, render: (f: string) => <Typography.Text code>{f}</Typography.Text> },
        { title: t('audit.before'), key: 'before', render: (_, r) => <JsonText value={r.before} /> },
        { title: t('audit.after'), key: 'after', render: (_, r) => <JsonText value={r.after} /> },
      ]} />
  );
}
