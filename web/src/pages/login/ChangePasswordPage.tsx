import { Alert, App, Button, Card, Form, Input, Typography } from 'antd';
import { useChangePassword, useLogout } from '../../app/session';
import { errorText } from '../../common/QueryState';

interface Values {
  current: string;
  next: string;
  confirm: string;
}

/**
 * 修改密码: forced at the first sign-in after a password was set or reset by someone else. The
 * service checks the policy (12+ characters, not the username, not a common password) and says why.
 */
export default function ChangePasswordPage({ forced }: { forced?: boolean }) {
  const change = useChangePassword();
  const logout = useLogout();
  const { message } = App.useApp();
  const submit = (v: Values) => change.mutate({ current: v.current, next: v.next }, { onSuccess: () => void message.success('密码已修改') });
  const reasons = change.error && 'details' in change.error ? (change.error as { details: { reason: string }[] }).details : [];

  return (
    <main style={{ minHeight: '100vh', display: 'flex', alignItems: 'center', justifyContent: 'center', background: '#f0f2f5' }}>
      <Card style={{ width: 420 }}>
        <Typography.Title level={3}>修改密码</Typography.Title>
        {forced && <Alert type="warning" showIcon title="首次登录或密码已被重置，请先修改密码后再使用系统。" style={{ marginBottom: 16 }} />}
        {change.isError && (
          <Alert type="error" showIcon role="alert" title={errorText(change.error)} description={reasons.map((r) => r.reason).join('；') || undefined} style={{ marginBottom: 16 }} />
        )}
        <Form<Values> layout="vertical" onFinish={submit} disabled={change.isPending}>
          <Form.Item name="current" label="当前密码" rules={[{ required: true, message: '请输入当前密码' }]}>
            <Input.Password autoComplete="current-password" autoFocus />
          </Form.Item>
          <Form.Item name="next" label="新密码" extra="至少12个字符，不能与用户名相同，不能是常见密码" rules={[{ required: true, message: '请输入新密码' }, { min: 12, message: '新密码至少12个字符' }]}>
            <Input.Password autoComplete="new-password" />
          </Form.Item>
          <Form.Item
            name="confirm"
            label="确认新密码"
            dependencies={['next']}
            rules={[
              { required: true, message: '请再次输入新密码' },
              ({ getFieldValue }) => ({ validator: (_, v) => (!v || getFieldValue('next') === v ? Promise.resolve() : Promise.reject(new Error('两次输入的新密码不一致'))) }),
            ]}
          >
            <Input.Password autoComplete="new-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={change.isPending}>
            确认修改
          </Button>
          <Button type="link" block onClick={() => logout.mutate()} style={{ marginTop: 8 }}>
            退出登录
          </Button>
        </Form>
      </Card>
    </main>
  );
}
