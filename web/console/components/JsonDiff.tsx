import { Flex, Table, Typography } from 'antd';
import { useI18n } from '../../shared/i18n.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Gives the name behind an id (a department, a person...), when known. */
export type NameOf = (id: string) => string | undefined;

/** An id shown with the name it stands for. */
function NamedId({ id, name }: { id: string; name: string }) {
  return <span className="kefu-json">{name} <Typography.Text type="secondary" style={{ fontSize: 11 }}>{id.slice(0, 8)}</Typography.Text></span>;
}

/** Pretty JSON as text (never as HTML); ids that name something known show that name. */
export function JsonText({ value, nameOf }: { value: unknown; nameOf?: NameOf }) {
  if (value === undefined || value === null) return <Typography.Text type="secondary">—</Typography.Text>;
  if (nameOf && typeof value === 'string' && UUID.test(value)) {
    const name = nameOf(value);
    if (name) return <NamedId id={value} name={name} />;
  }
  if (nameOf && Array.isArray(value) && value.length && value.every((v) => typeof v === 'string' && UUID.test(v) && nameOf(v))) {
    return <Flex vertical>{(value as string[]).map((id) => <NamedId key={id} id={id} name={nameOf(id)!} />)}</Flex>;
  }
  return <pre className="kefu-json">{typeof value === 'string' ? value : JSON.stringify(value, null, 2)}</pre>;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

interface Row { field: string; before: unknown; after: unknown; changed: boolean }

/** What an audited change did: field by field, changed fields highlighted. */
export function JsonDiff({ before, after, nameOf }: { before: unknown; after: unknown; nameOf?: NameOf }) {
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
        { title: t('audit.before'), key: 'before', render: (_, r) => <JsonText value={r.before} nameOf={r.field === 'id' ? undefined : nameOf} /> },
        { title: t('audit.after'), key: 'after', render: (_, r) => <JsonText value={r.after} nameOf={r.field === 'id' ? undefined : nameOf} /> },
      ]} />
  );
}
