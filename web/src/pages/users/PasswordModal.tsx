import { CopyOutlined } from '@ant-design/icons';
import { Alert, App, Button, Modal, Space, Typography } from 'antd';

/** A generated one-time password, shown once: the user must change it at first sign-in. */
export function PasswordModal({ shown, onClose }: { shown: { username: string; password: string } | null; onClose: () => void }) {
  const { message } = App.useApp();
  const copy = async () => {
    await navigator.clipboard.writeText(shown!.password);
    void message.success('已复制');
  };
  return (
    <Modal open={!!shown} title="一次性密码" onCancel={onClose} footer={<Button type="primary" onClick={onClose}>我已记下</Button>} mask={{ closable: false }} destroyOnHidden>
      {shown && (
        <Space orientation="vertical" size={12} style={{ width: '100%' }}>
          <Typography.Text>
            用户 <Typography.Text strong>{shown.username}</Typography.Text> 的一次性密码：
          </Typography.Text>
          <Space>
            <Typography.Text code style={{ fontSize: 18 }} data-testid="one-time-password">
              {shown.password}
            </Typography.Text>
            <Button icon={<CopyOutlined />} onClick={() => void copy()}>
              复制
            </Button>
          </Space>
          <Alert type="warning" showIcon message="此密码只显示这一次，关闭后无法再次查看。请通过安全渠道交给用户；首次登录时须修改密码。" />
        </Space>
      )}
    </Modal>
  );
}
