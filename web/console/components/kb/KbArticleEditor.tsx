import { DeleteOutlined } from '@ant-design/icons';
import { App, Button, Drawer, Flex, Form, Input, Popconfirm, Segmented, Select, Space, Tabs, Tag, Timeline, TreeSelect, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { Link } from 'react-router';
import { KB_LIMITS } from '../../../../src/contracts/kb.ts';
import { formatDateTime } from '../../../shared/format.ts';
import { useI18n } from '../../../shared/i18n.ts';
import { kbApi, type KbArticleInput, type KbArticleView, type KbCategoryView, type KbVersionView } from '../../../shared/kbApi.ts';
import type { Locale } from '../../../shared/types.ts';
import { useFeedback } from '../../hooks/useFeedback.ts';
import { categoryTree } from './KbCategoryTree.tsx';
import { SafeHtmlPreview } from './SafeHtmlPreview.tsx';
import { KbArticleFiles } from './KbArticleFiles.tsx';

interface Values {
  kind: 'article' | 'faq'; title: string; body: string; keywords: string[]; synonyms: string[]; paraphrases: string;
  locale: Locale; visibility: 'public' | 'internal'; categoryId: string | null;
}

const lines = (text: string) => text.split('\n').map((l) => l.trim()).filter(Boolean);

/**
 * Writing an article or FAQ entry: title, HTML body (sanitized by the server on save; the preview shows
 * what was stored, in a sandboxed frame), keywords, synonym groups, paraphrases, language, visibility
 * and category; publish or take back; versions. Without kb.manage it is read-only.
 */
export function KbArticleEditor({ articleId, open, categories, defaultCategoryId, canManage, onClose, onChanged, prefillTitle, onCreated }: {
  articleId: string | null; open: boolean; categories: KbCategoryView[]; defaultCategoryId: string | null; canManage: boolean;
  onClose(): void; onChanged(): Promise<void>;
  /** A new FAQ's question, written from an unanswered question (KbUnansweredTab). */
  prefillTitle?: string | null;
  /** Called once when a new article is first saved. */
  onCreated?(a: KbArticleView): Promise<void> | void;
}) {
  const { t, lang } = useI18n();
  const feedback = useFeedback();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [loaded, setArticle] = useState<KbArticleView | null>(null);
  // Never the article shown before the drawer was reopened on another one: until the new one loads,
  // its preview and versions tabs would belong to the old one (a click there was lost on reload).
  const article = loaded && (!articleId || loaded.id === articleId) ? loaded : null;
  const [versions, setVersions] = useState<KbVersionView[]>([]);
  const [busy, setBusy] = useState(false);
  const tree = useMemo(() => categoryTree(categories, (c) => c.name).map(function value(n): object {
    return { value: n.key, title: n.title, children: n.children?.map(value) };
  }), [categories]);

  useEffect(() => {
    if (!open) return;
    setArticle(null);
    setVersions([]);
    form.resetFields();
    if (!articleId) {
      const prefillLocale = prefillTitle ? (/[\u4e00-\u9fff]/u.test(prefillTitle) ? 'zh-CN' : 'en') : lang;
      form.setFieldsValue({ kind: 'faq', title: prefillTitle ?? '', body: '', keywords: [], synonyms: [], paraphrases: '', locale: prefillLocale, visibility: 'public', categoryId: defaultCategoryId });
      return;
    }
    void (async () => {
      try {
        const [a, v] = await Promise.all([kbApi.article(articleId), kbApi.versions(articleId)]);
        setArticle(a);
        setVersions(v.items);
        form.setFieldsValue({ ...a, paraphrases: a.paraphrases.join('\n'), locale: a.locale, categoryId: a.categoryId });
      } catch (err) {
        feedback.fail(err);
      }
    })();
  }, [open, articleId]);

  const input = (v: Values): KbArticleInput => ({
    kind: v.kind, title: v.title, body: v.body ?? '', keywords: v.keywords ?? [], synonyms: v.synonyms ?? [], paraphrases: lines(v.paraphrases ?? ''),
    locale: v.locale, visibility: v.visibility, categoryId: v.categoryId ?? null,
  });

  const refresh = async (a: KbArticleView) => {
    setArticle(a);
    form.setFieldsValue({ ...a, paraphrases: a.paraphrases.join('\n') });
    setVersions((await kbApi.versions(a.id)).items);
    await onChanged();
  };

  const save = async (then?: 'publish') => {
    const values = await form.validateFields();
    setBusy(true);
    try {
      let a = article ? await kbApi.update(article.id, input(values)) : await kbApi.create(input(values));
      if (!article) await onCreated?.(a);
      if (then === 'publish') a = await kbApi.publish(a.id);
      await refresh(a);
      void message.success(then === 'publish' ? t('kb.published') : t('common.saved'));
    } catch (err) {
      feedback.fail(err);
    } finally {
      setBusy(false);
    }
  };

  const unpublish = async () => {
    if (!article) return;
    setBusy(true);
    try { await refresh(await kbApi.unpublish(article.id)); void message.success(t('kb.unpublished')); } catch (err) { feedback.fail(err); } finally { setBusy(false); }
  };

  const remove = async () => {
    if (!article) return;
    try { await kbApi.remove(article.id); await onChanged(); onClose(); } catch (err) { feedback.fail(err); }
  };

  const status = article?.status ?? 'draft';
  const actionLabel = (a: string) => (['create', 'update', 'publish', 'unpublish'].includes(a) ? t(`kb.action.${a as 'create'}`) : a);

  const editor = (
    <Form form={form} layout="vertical" disabled={!canManage} data-testid="kb-editor-form">
      <Flex gap={12} wrap>
        <Form.Item name="kind" label={t('kb.col.kind')}>
          <Segmented options={[{ value: 'faq', label: t('kb.kind.faq') }, { value: 'article', label: t('kb.kind.article') }]} data-testid="kb-kind" />
        </Form.Item>
        <Form.Item name="locale" label={t('kb.field.locale')}>
          <Segmented options={[{ value: 'zh-CN', label: t('kb.locale.zh-CN') }, { value: 'en', label: t('kb.locale.en') }]} data-testid="kb-locale" />
        </Form.Item>
        <Form.Item name="visibility" label={t('kb.field.visibility')}>
          <Segmented options={[{ value: 'public', label: t('kb.visibility.public') }, { value: 'internal', label: t('kb.visibility.internal') }]} data-testid="kb-visibility" />
        </Form.Item>
        <Form.Item name="categoryId" label={t('kb.field.category')} style={{ minWidth: 200, flex: 1 }}>
          <TreeSelect allowClear treeDefaultExpandAll treeData={tree} placeholder={t('kb.uncategorized')} data-testid="kb-category-select" />
        </Form.Item>
      </Flex>
      <Form.Item name="title" label={t('kb.field.title')} rules={[{ required: true, whitespace: true, max: KB_LIMITS.titleMax }]}>
        <Input data-testid="kb-title" maxLength={KB_LIMITS.titleMax} />
      </Form.Item>
      <Form.Item name="paraphrases" label={t('kb.field.paraphrases')} extra={t('kb.field.paraphrasesHelp')}>
        <Input.TextArea data-testid="kb-paraphrases" autoSize={{ minRows: 2, maxRows: 8 }} />
      </Form.Item>
      <Form.Item name="body" label={t('kb.field.body')} rules={[{ max: KB_LIMITS.bodyMax }]}>
        <Input.TextArea data-testid="kb-body" autoSize={{ minRows: 5, maxRows: 16 }} style={{ fontFamily: 'ui-monospace, SFMono-Regular, Menlo, monospace', fontSize: 13 }} />
      </Form.Item>
      <Form.Item name="keywords" label={t('kb.field.keywords')} extra={t('kb.field.keywordsHelp')}>
        <Select mode="tags" open={false} tokenSeparators={[',', '，']} data-testid="kb-keywords" />
      </Form.Item>
      <Form.Item name="synonyms" label={t('kb.field.synonyms')} extra={t('kb.field.synonymsHelp')}>
        <Select mode="tags" open={false} tokenSeparators={[',', '，']} data-testid="kb-synonyms" />
      </Form.Item>
    </Form>
  );

  return (
    <Drawer open={open} onClose={onClose} size={760} destroyOnHidden data-testid="kb-editor"
      afterOpenChange={(shown) => { if (!shown) { setArticle(null); setVersions([]); } }}
      title={<Space>{article ? t('kb.editTitle') : t('kb.newTitle')}{article ? <Tag color={status === 'published' ? 'green' : 'default'} data-testid="kb-status">{t(`kb.status.${status}`)}</Tag> : null}</Space>}
      extra={canManage ? (
        <Space>
          {article ? (
            <Popconfirm title={t('kb.deleteArticleConfirm', { title: article.title })} onConfirm={() => void remove()} okButtonProps={{ danger: true, 'data-testid': 'kb-delete-ok' }}>
              <Button danger icon={<DeleteOutlined />} data-testid="kb-delete">{t('kb.deleteArticle')}</Button>
            </Popconfirm>
          ) : null}
          {status === 'published' ? <Button onClick={() => void unpublish()} loading={busy} data-testid="kb-unpublish">{t('kb.unpublish')}</Button> : null}
          <Button onClick={() => void save()} loading={busy} data-testid="kb-save">{t('common.save')}</Button>
          <Button type="primary" onClick={() => void save('publish')} loading={busy} data-testid="kb-publish">{status === 'published' ? t('kb.saveAndKeepPublished') : t('kb.publish')}</Button>
        </Space>
      ) : null}>
      {!canManage ? <Typography.Paragraph type="secondary">{t('kb.readOnly')}</Typography.Paragraph> : null}
      {article?.sourceTicketId ? <Typography.Paragraph data-testid="kb-source-ticket">{t('kb.sourceTicket')} <Link to={`/tickets/${article.sourceTicketId}`}>{t('kb.openSourceTicket')}</Link></Typography.Paragraph> : null}
      <Tabs items={[
        { key: 'edit', label: t('common.edit'), children: editor },
        ...(article ? [{ key: 'preview', label: <span data-testid="kb-preview-tab">{t('kb.preview')}</span>, children: <SafeHtmlPreview html={article.body} testId="kb-preview" /> }] : []),
        ...(article ? [{ key: 'files', label: <span data-testid="kb-files-tab">{t('kb.files.tab')}</span>, children: <KbArticleFiles articleId={article.id} canManage={canManage} /> }] : []),
        ...(article ? [{
          key: 'versions', label: <span data-testid="kb-versions-tab">{t('kb.versions')}</span>,
          children: (
            <Timeline data-testid="kb-versions" items={versions.map((v) => ({
              children: <div><Typography.Text strong>{t('kb.version', { n: v.version })}</Typography.Text> · {actionLabel(v.action)} · {v.authorName} · <Typography.Text type="secondary">{formatDateTime(v.createdAt, lang)}</Typography.Text><div>{v.title}</div></div>,
            }))} />
          ),
        }] : []),
      ]} />
    </Drawer>
  );
}
