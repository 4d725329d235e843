import { Form, Input, Modal, Select, Typography } from 'antd';
import type { ApiBody, Item } from '../../api/types';
import { ROLE_LABEL, ROLES } from '../../app/roles';
import { errorText } from '../../common/QueryState';
import { useCreateUser, useProjects, useUpdateUser, type CreateBody } from './queries';

export type User = Item<ApiBody<'/api/users', 'get'>['items']>;
type Values = { username: string; displayName?: string; role: CreateBody['role']; towns: string[]; projects: string[] };

/** 新建用户 (no user) or 编辑 (a user): display name, role, and the towns/projects scope (none: 全市). */
export function UserForm({ open, user, onClose, onCreated }: { open: boolean; user: User | null; onClose: () => void; onCreated: (username: string, password?: string) => void }) {
  const [form] = Form.useForm<Values>();
  const projects = useProjects();
  const create = useCreateUser();
  const update = useUpdateUser();
  const pending = create.isPending || update.isPending;
  const refused = (e: unknown) => form.setFields([{ name: user ? 'displayName' : 'username', errors: [errorText(e)] }]);
  const submit = (v: Values) => {
    const scope = { towns: v.towns ?? [], projects: v.projects ?? [] };
    if (user) update.mutate({ id: user.id, body: { displayName: v.displayName?.trim() || undefined, role: v.role, ...scope } }, { onSuccess: onClose, onError: refused });
    else
      create.mutate(
        { username: v.username.trim(), displayName: v.displayName?.trim() || undefined, role: v.role, ...scope },
        { onSuccess: (r) => onCreated(r.user.username, r.initialPassword), onError: refused },
      );
  };
  return (
    <Modal open={open} title={user ? `编辑用户 · ${user.username}` : '新建用户'} okText="保存" cancelText="取消" confirmLoading={pending} onCancel={onClose} onOk={() => form.submit()} destroyOnHidden width={560}>
      <Form<Values>
        form={form}
        layout="vertical"
        preserve={false}
        onFinish={submit}
        initialValues={user ? { username: user.username, displayName: user.displayName, role: user.role, towns: user.scopeTowns, projects: user.scopeProjects } : { role: 'viewer', towns: [], projects: [] }}
      >
        <Form.Item name="username" label="用户名" rules={[{ required: true, message: '请填写用户名' }, { pattern: /^[A-Za-z0-9._-]{3,64}$/, message: '3-64个字符：字母、数字、_ . -' }]}>
          <Input disabled={!!user} placeholder="例如 zhang.san" autoComplete="off" />
        </Form.Item>
        <Form.Item name="displayName" label="姓名" rules={[{ max: 100, message: '最多100个字符' }]}>
          <Input placeholder="显示名称" />
        </Form.Item>
        <Form.Item name="role" label="角色" rules={[{ required: true }]}>
          <Select options={ROLES.map((r) => ({ value: r, label: ROLE_LABEL[r] }))} />
        </Form.Item>
        <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
          数据范围：不选镇（街道）和项目即为全市。
        </Typography.Paragraph>
        <Form.Item name="towns" label="镇（街道）">
          <Select mode="multiple" allowClear placeholder="全市" loading={projects.isPending} options={projects.data?.towns ?? []} />
        </Form.Item>
        <Form.Item name="projects" label="项目">
          <Select mode="multiple" allowClear placeholder="全市" optionFilterProp="label" loading={projects.isPending} options={projects.data?.projects ?? []} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
