import { CalendarOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Card, Checkbox, Col, Empty, Flex, Form, Input, Modal, Row, Select, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { assignmentApi } from '../../shared/endpoints.ts';
import { useI18n } from '../../shared/i18n.ts';
import type { CalendarInput, CalendarView } from '../../shared/types.ts';
import { PageHeader } from '../components/PageHeader.tsx';
import { useFeedback } from '../hooks/useFeedback.ts';
import { useRemote } from '../hooks/useRemote.ts';

/** Monday first, as people read a week here; the API numbers Sunday 0. */
const WEEK = [1, 2, 3, 4, 5, 6, 0] as const;
const TIMEZONES = ['Asia/Shanghai', 'Asia/Hong_Kong', 'Asia/Taipei', 'Asia/Singapore', 'Asia/Tokyo', 'Europe/London', 'Europe/Berlin', 'America/New_York', 'America/Los_Angeles', 'UTC'];
const HHMM = /^([01][0-9]|2[0-3]):[0-5][0-9]$|^24:00$/;
type Day = { open: boolean; from: string; to: string };

function toDays(c: CalendarView | null): Record<number, Day> {
  const days: Record<number, Day> = {};
  for (const d of WEEK) {
    const slot = c?.slots.find((s) => s.day === d);
    days[d] = slot ? { open: true, from: slot.open, to: slot.close } : { open: !c && d >= 1 && d <= 5, from: '09:00', to: '18:00' };
  }
  return days;
}

/** Business-hours calendars: weekly opening hours in a time zone, and holidays. */
export function BusinessHoursPage() {
  const { t } = useI18n();
  const feedback = useFeedback();
  const calendars = useRemote(() => assignmentApi.calendars(), []);
  const [editing, setEditing] = useState<CalendarView | 'new' | null>(null);
  const [name, setName] = useState('');
  const [timezone, setTimezone] = useState('Asia/Shanghai');
  const [days, setDays] = useState<Record<number, Day>>(toDays(null));
  const [holidays, setHolidays] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!editing) return;
    const c = editing === 'new' ? null : editing;
    setName(c?.name ?? '');
    setTimezone(c?.timezone ?? 'Asia/Shanghai');
    setDays(toDays(c));
    setHolidays(c?.holidays ?? []);
  }, [editing]);

  const invalid = WEEK.some((d) => days[d]!.open && (!HHMM.test(days[d]!.from) || !HHMM.test(days[d]!.to) || days[d]!.from >= days[d]!.to));
  const save = async () => {
    if (!name.trim() || invalid) return;
    const input: CalendarInput = {
      name: name.trim(), timezone,
      slots: WEEK.filter((d) => days[d]!.open).map((d) => ({ day: d, open: days[d]!.from, close: days[d]!.to })),
      holidays: holidays.filter((h) => /^\d{4}-\d{2}-\d{2}$/.test(h)),
    };
    setBusy(true);
    try {
      if (editing === 'new') await assignmentApi.createCalendar(input); else if (editing) await assignmentApi.updateCalendar(editing.id, input);
      feedback.ok(t('common.saved'));
      setEditing(null);
      await calendars.reload();
    } catch (err) { feedback.fail(err); } finally { setBusy(false); }
  };

  return (
    <div>
      <PageHeader title={t('nav.businessHours')} subtitle={t('hours.subtitle')}
        extra={<Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="calendar-create">{t('hours.create')}</Button>} />
      {calendars.data?.items.length ? (
        <Row gutter={[16, 16]}>
          {calendars.data.items.map((c) => (
            <Col key={c.id} xs={24} md={12} xl={8}>
              <Card title={<span><CalendarOutlined /> {c.name}</span>} data-testid={`calendar-${c.name}`}
                extra={<Button size="small" type="text" icon={<EditOutlined />} onClick={() => setEditing(c)}>{t('common.edit')}</Button>}>
                <Typography.Text type="secondary">{c.timezone}</Typography.Text>
                <Flex vertical gap={4} style={{ marginTop: 8 }}>
                  {WEEK.map((d) => {
                    const slots = c.slots.filter((s) => s.day === d);
                    return (
                      <Flex key={d} justify="space-between">
                        <span>{t(`weekday.${d}`)}</span>
                        {slots.length ? <span>{slots.map((s) => `${s.open}–${s.close}`).join(', ')}</span> : <Typography.Text type="secondary">{t('hours.closed')}</Typography.Text>}
                      </Flex>
                    );
                  })}
                </Flex>
                {c.holidays.length ? <Flex gap={4} wrap style={{ marginTop: 12 }}>{c.holidays.map((h) => <Tag key={h} bordered={false} color="red">{h}</Tag>)}</Flex> : null}
              </Card>
            </Col>
          ))}
        </Row>
      ) : <Card><Empty description={t('hours.empty')} /></Card>}
      <Modal open={!!editing} width={620} title={editing === 'new' ? t('hours.create') : t('common.edit')} onCancel={() => setEditing(null)} onOk={() => void save()}
        confirmLoading={busy} okText={t('common.save')} cancelText={t('common.cancel')} destroyOnHidden okButtonProps={{ disabled: !name.trim() || invalid, 'data-testid': 'calendar-save' }}>
        <Form layout="vertical" requiredMark={false}>
          <Flex gap={12}>
            <Form.Item label={t('field.name')} style={{ flex: 1 }}><Input value={name} onChange={(e) => setName(e.target.value)} data-testid="calendar-name" placeholder={t('hours.namePlaceholder')} /></Form.Item>
            <Form.Item label={t('hours.timezone')} style={{ width: 220 }}>
              <Select showSearch value={timezone} onChange={setTimezone} data-testid="calendar-timezone" options={TIMEZONES.map((z) => ({ value: z, label: z }))} />
            </Form.Item>
          </Flex>
          <Form.Item label={t('hours.weekly')}>
            <Flex vertical gap={6} data-testid="calendar-week">
              {WEEK.map((d) => {
                const day = days[d]!;
                const set = (p: Partial<Day>) => setDays({ ...days, [d]: { ...day, ...p } });
                const bad = day.open && (!HHMM.test(day.from) || !HHMM.test(day.to) || day.from >= day.to);
                return (
                  <Flex key={d} align="center" gap={12} data-testid={`calendar-day-${d}`}>
                    <Checkbox checked={day.open} onChange={(e) => set({ open: e.target.checked })} style={{ width: 90 }}>{t(`weekday.${d}`)}</Checkbox>
                    {day.open ? (
                      <>
                        <Input value={day.from} onChange={(e) => set({ from: e.target.value })} style={{ width: 90 }} status={bad ? 'error' : undefined} />
                        <span>–</span>
                        <Input value={day.to} onChange={(e) => set({ to: e.target.value })} style={{ width: 90 }} status={bad ? 'error' : undefined} />
                      </>
                    ) : <Typography.Text type="secondary">{t('hours.closed')}</Typography.Text>}
                  </Flex>
                );
              })}
            </Flex>
          </Form.Item>
          <Form.Item label={t('hours.holidays')} extra={t('hours.holidaysHelp')}>
            <Select mode="tags" value={holidays} onChange={(v: string[]) => setHolidays(v)} open={false} suffixIcon={null} tokenSeparators={[',', ' ', '，']} data-testid="calendar-holidays" />
          </Form.Item>
        </Form>
      </Modal>
    </div>
  );
}
