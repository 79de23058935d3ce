import { LockOutlined } from '@ant-design/icons';
import { Form, Input } from 'antd';
import { useI18n } from '../../shared/i18n.ts';

/** "Password" and "repeat password", with the API's rule (8 to 200 characters). */
export function NewPasswordFields({ name = 'password', testId = 'new-password' }: { name?: string; testId?: string }) {
  const { t } = useI18n();
  return (
    <>
      <Form.Item name={name} label={t('field.newPassword')} extra={t('password.hint')}
        rules={[{ required: true, message: t('validation.passwordRequired') }, { min: 8, max: 200, message: t('validation.passwordLength') }]}>
        <Input.Password prefix={<LockOutlined />} autoComplete="new-password" data-testid={testId} />
      </Form.Item>
      <Form.Item name={`${name}Confirm`} label={t('field.confirmPassword')} dependencies={[name]}
        rules={[
          { required: true, message: t('validation.confirmRequired') },
          ({ getFieldValue }) => ({
            validator: (_, value) => (!value || getFieldValue(name) === value ? Promise.resolve() : Promise.reject(new Error(t('validation.passwordMismatch')))),
          }),
        ]}>
        <Input.Password prefix={<LockOutlined />} autoComplete="new-password" data-testid={`${testId}-confirm`} />
      </Form.Item>
    </>
  );
}
