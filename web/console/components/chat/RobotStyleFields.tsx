import { Form, Input, InputNumber, Space, Typography } from 'antd';
import { DEFAULT_ROBOT_THRESHOLDS } from '../../../../src/channels/webchat/robot-decision.ts';
import { useI18n } from '../../../shared/i18n.ts';

/** A new style's robot settings (the thresholds chosen on CLINC150, robot-decision.ts). */
export const ROBOT_STYLE_DEFAULTS = {
  robotName: '', robotGreetingZh: '', robotGreetingEn: '',
  robotAnswerThreshold: DEFAULT_ROBOT_THRESHOLDS.answer, robotSuggestThreshold: DEFAULT_ROBOT_THRESHOLDS.suggest, robotHandoverFloor: DEFAULT_ROBOT_THRESHOLDS.floor,
};

const threshold = { min: 0, max: 1, step: 0.05, style: { width: 110 } } as const;

/**
 * The robot's settings inside a widget style's form, shown when the robot is on: its name and greetings,
 * and the three confidence thresholds (answer ≥ suggest ≥ hand-over floor; the server checks the order).
 */
export function RobotStyleFields() {
  const { t } = useI18n();
  const enabled = Form.useWatch('robotEnabled');
  if (!enabled) return null;
  return (
    <div data-testid="robot-settings" style={{ border: '1px solid #f0f0f0', borderRadius: 8, padding: '12px 12px 0' }}>
      <Typography.Text strong>{t('robot.settings')}</Typography.Text>
      <Form.Item name="robotName" label={t('robot.name')} rules={[{ max: 40 }]} style={{ marginTop: 8 }}><Input placeholder={t('chat.robot')} data-testid="robot-name" /></Form.Item>
      <Form.Item name="robotGreetingZh" label={t('robot.greetingZh')} rules={[{ max: 500 }]}><Input.TextArea rows={2} data-testid="robot-greeting-zh" /></Form.Item>
      <Form.Item name="robotGreetingEn" label={t('robot.greetingEn')} rules={[{ max: 500 }]}><Input.TextArea rows={2} data-testid="robot-greeting-en" /></Form.Item>
      <Space wrap align="start">
        <Form.Item name="robotAnswerThreshold" label={t('robot.answerThreshold')} tooltip={t('robot.answerHelp')}><InputNumber {...threshold} data-testid="robot-answer" /></Form.Item>
        <Form.Item name="robotSuggestThreshold" label={t('robot.suggestThreshold')} tooltip={t('robot.suggestHelp')}><InputNumber {...threshold} data-testid="robot-suggest" /></Form.Item>
        <Form.Item name="robotHandoverFloor" label={t('robot.floor')} tooltip={t('robot.floorHelp')}><InputNumber {...threshold} data-testid="robot-floor" /></Form.Item>
      </Space>
      <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>{t('robot.thresholdsHelp')}</Typography.Paragraph>
    </div>
  );
}
