import { UploadOutlined } from '@ant-design/icons';
import { Button, Card, Col, Drawer, Empty, Flex, Form, Grid, Input, List, Result, Row, Skeleton, Typography, Upload, type UploadFile } from 'antd';
import { useEffect, useMemo, useRef, useState } from 'react';
import { Link } from 'react-router';
import { ArticleBody } from '../ArticleBody.tsx';
import { Highlighted } from '../components/Highlighted.tsx';
import { newId, portalApi, PortalError, type KbPublicArticleView, type Suggestions } from '../portal-api.ts';
import { usePortalI18n } from '../portal-i18n.ts';

interface Values { name: string; email: string; subject: string; description: string }
const DEBOUNCE_MS = 400;
/** The search takes up to 200 characters: the subject, then the start of the description. */
export const suggestionQuery = (subject = '', description = '') => `${subject.trim()} ${description.trim()}`.trim().slice(0, 200);

/**
 * Submit a request. While the customer types, published public articles matching the subject and
 * description appear beside the form; reading one and pressing "this solved my problem" records a
 * deflection and ends there. Otherwise the request becomes a ticket and its number is shown.
 */
export function NewRequestPage() {
  const { t } = usePortalI18n();
  const [form] = Form.useForm<Values>();
  const screens = Grid.useBreakpoint();
  const wide = screens.md !== false; // beside the form; on phones, right under the description
  const subject = Form.useWatch('subject', form);
  const description = Form.useWatch('description', form);
  const query = suggestionQuery(subject, description);
  const [suggestions, setSuggestions] = useState<Suggestions | null>(null);
  const [reading, setReading] = useState<KbPublicArticleView | 'loading' | null>(null);
  const [done, setDone] = useState<{ kind: 'filed'; number: number } | { kind: 'solved' } | null>(null);
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const formId = useMemo(() => newId(), [done]);
  const latest = useRef(0);
  const [files, setFiles] = useState<UploadFile[]>([]);

  useEffect(() => {
    if (!query) { setSuggestions(null); return; }
    const call = ++latest.current;
    const timer = setTimeout(() => {
      portalApi.suggest(query).then((r) => { if (call === latest.current) setSuggestions(r); }, () => undefined);
    }, DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [query]);

  const open = async (id: string) => {
    setReading('loading');
    try { setReading(await portalApi.article(id)); } catch { setReading(null); }
  };
  const solved = async (articleId: string) => {
    try {
      await portalApi.deflect(articleId, query, 'portal');
      setReading(null);
      setDone({ kind: 'solved' });
    } catch (err) { setError(err instanceof PortalError ? err.message : String(err)); }
  };
  const submit = async (v: Values) => {
    setSending(true);
    setError(null);
    try {
      if (files.some((f) => f.status === 'uploading')) return;
      const attachmentIds = files.flatMap((f) => (f.status === 'done' && f.response?.id ? [f.response.id as string] : []));
      const r = await portalApi.submit({ name: v.name, email: v.email.trim(), subject: v.subject, description: v.description, formId, ...(attachmentIds.length ? { attachmentIds } : {}) });
      setFiles([]);
      setDone({ kind: 'filed', number: r.number });
      form.resetFields();
    } catch (err) {
      setError(err instanceof PortalError ? err.message : String(err));
    } finally { setSending(false); }
  };

  if (done?.kind === 'filed') {
    return <Result status="success" title={t('submitted')} data-testid="portal-request-done"
      subTitle={<span data-testid="portal-request-number">{t('submittedText', { number: done.number })}</span>}
      extra={[<Link key="home" to="/"><Button>{t('backHome')}</Button></Link>, <Button key="again" type="primary" onClick={() => setDone(null)}>{t('submitAnother')}</Button>]} />;
  }
  if (done?.kind === 'solved') {
    return <Result status="success" title={t('solvedTitle')} subTitle={t('solvedText')} data-testid="portal-solved"
      extra={<Link to="/"><Button type="primary">{t('backHome')}</Button></Link>} />;
  }

  const suggestionCard = (
  <Card size="small" title={t('suggestions')} data-testid="portal-suggestions">
    {!query ? <Typography.Text type="secondary">{t('suggestionsHint')}</Typography.Text> : (
      <List size="small" dataSource={suggestions?.items ?? []} locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('noSuggestions')} /> }}
        renderItem={(hit) => (
          <List.Item data-testid="portal-suggestion" style={{ cursor: 'pointer' }} onClick={() => void open(hit.id)}>
            <List.Item.Meta title={<Typography.Link><Highlighted value={hit.title} /></Typography.Link>}
              description={<span className="portal-snippet"><Highlighted value={hit.snippet} /></span>} />
          </List.Item>
        )} />
    )}
  </Card>
  );
  const required = (field: string) => [{ required: true, whitespace: true, message: t('required', { field }) }];
  return (
    <Row gutter={[24, 24]}>
      <Col xs={24} md={14}>
        <Card>
          <Typography.Title level={3} style={{ marginTop: 0 }}>{t('newTitle')}</Typography.Title>
          <Typography.Paragraph type="secondary">{t('newSubtitle')}</Typography.Paragraph>
          <Form form={form} layout="vertical" onFinish={(v) => void submit(v)} data-testid="portal-request-form" requiredMark={false}>
            <Form.Item name="name" label={t('name')} rules={required(t('name'))}><Input maxLength={100} data-testid="portal-field-name" autoComplete="name" /></Form.Item>
            <Form.Item name="email" label={t('email')} rules={[...required(t('email')), { type: 'email', message: t('badEmail') }]}>
              <Input maxLength={254} data-testid="portal-field-email" autoComplete="email" inputMode="email" />
            </Form.Item>
            <Form.Item name="subject" label={t('subject')} rules={required(t('subject'))}><Input maxLength={200} data-testid="portal-field-subject" /></Form.Item>
            <Form.Item name="description" label={t('description')} rules={required(t('description'))}>
              <Input.TextArea rows={6} maxLength={10_000} data-testid="portal-field-description" />
            </Form.Item>
            {!wide && query ? <div style={{ marginBottom: 16 }}>{suggestionCard}</div> : null}
            <Form.Item label={t('files')}>
              <Upload fileList={files} maxCount={5} multiple data-testid="portal-files"
                onChange={({ fileList }) => setFiles(fileList)}
                customRequest={({ file, onSuccess, onError }) => {
                  portalApi.upload(file as File).then((a) => onSuccess?.(a), (err: Error) => onError?.(err));
                }}>
                <Button icon={<UploadOutlined />} disabled={files.length >= 5}>{t('addFiles')}</Button>
              </Upload>
            </Form.Item>
            {error ? <Typography.Paragraph type="danger" data-testid="portal-request-error">{error}</Typography.Paragraph> : null}
            <Button type="primary" htmlType="submit" loading={sending} data-testid="portal-request-submit" block>{t('submit')}</Button>
          </Form>
        </Card>
      </Col>
      <Col xs={24} md={10}>
        {wide ? suggestionCard : null}
      </Col>
      <Drawer open={reading !== null} onClose={() => setReading(null)} size="large" data-testid="portal-suggestion-drawer"
        title={reading && reading !== 'loading' ? reading.title : ' '}
        footer={reading && reading !== 'loading' ? (
          <Flex gap={8} justify="flex-end" wrap>
            <Button onClick={() => setReading(null)} data-testid="portal-not-solved">{t('notSolved')}</Button>
            <Button type="primary" onClick={() => void solved(reading.id)} data-testid="portal-solved-button">{t('solved')}</Button>
          </Flex>
        ) : null}>
        {reading === 'loading' ? <Skeleton active /> : reading ? <ArticleBody html={reading.body} /> : null}
      </Drawer>
    </Row>
  );
}
