import { PlusOutlined } from '@ant-design/icons';
import { App, Button, Card, Popconfirm, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { roleLabel } from '../../app/roles';
import { dayTime } from '../../common/format';
import { errorText, QueryError } from '../../common/QueryState';
import { useUrlList } from '../../common/url-list';
import { PasswordModal } from './PasswordModal';
import { UserForm, type User } from './UserForm';
import { useDisableUser, useResetPassword, useUpdateUser, useUsers } from './queries';

const scopeText = (u: User) => (u.scopeTowns.length || u.scopeProjects.length ? [...u.scopeTowns, ...u.scopeProjects.map((p) => `项目 ${p}`)].join('、') : '全市');

function StatusTag({ u }: { u: User }) {
  if (!u.active) return <Tag color="red">已停用</Tag>;
  if (u.lockedUntil && new Date(u.lockedUntil) > new Date()) return <Tag color="orange">已锁定</Tag>;
  if (u.mustChangePassword) return <Tag color="blue">待改密码</Tag>;
  return <Tag color="green">正常</Tag>;
}

/** 用户 (admin): accounts, their roles and scopes; create, edit, disable/enable, reset a password. */
export default function UsersPage() {
  const list = useUrlList([]);
  const users = useUsers(list.page, list.pageSize);
  const [editing, setEditing] = useState<{ user: User | null } | null>(null);
  const [shown, setShown] = useState<{ username: string; password: string } | null>(null);
  const disable = useDisableUser();
  const enable = useUpdateUser();
  const reset = useResetPassword();
  const { message } = App.useApp();
  const fail = (e: unknown) => void message.error(errorText(e));

  return (
    <Card
      title="用户"
      extra={
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({ user: null })}>
          新建用户
        </Button>
      }
    >
      {users.isError ? (
        <QueryError error={users.error} retry={() => void users.refetch()} />
      ) : (
        <Table<User>
          rowKey="id"
          size="middle"
          loading={users.isFetching}
          dataSource={users.data?.items ?? []}
          locale={{ emptyText: '暂无用户' }}
          pagination={list.pagination(users.data?.total ?? 0, '个用户')}
          columns={[
            { title: '用户名', dataIndex: 'username', width: 150 },
            { title: '姓名', dataIndex: 'displayName', width: 120 },
            { title: '角色', dataIndex: 'role', width: 90, render: (r: string) => roleLabel(r) },
            { title: '数据范围', key: 'scope', ellipsis: true, render: (_: unknown, u) => scopeText(u) },
            { title: '状态', key: 'status', width: 90, render: (_: unknown, u) => <StatusTag u={u} /> },
            { title: '最近登录', dataIndex: 'lastLoginAt', width: 140, render: (t: string | null) => dayTime(t) },
            {
              title: '操作',
              key: 'actions',
              width: 230,
              render: (_: unknown, u) => (
                <Space size={0}>
                  <Button type="link" size="small" onClick={() => setEditing({ user: u })}>
                    编辑
                  </Button>
                  <Popconfirm
                    title={`重置 ${u.username} 的密码？`}
                    description="将生成新的一次性密码，该用户的登录会话随即失效。"
                    okText="重置"
                    cancelText="取消"
                    onConfirm={() => reset.mutate(u.id, { onSuccess: (r) => r.initialPassword && setShown({ username: u.username, password: r.initialPassword }), onError: fail })}
                  >
                    <Button type="link" size="small">
                      重置密码
                    </Button>
                  </Popconfirm>
                  {u.active ? (
                    <Popconfirm
                      title={`停用 ${u.username}？`}
                      description="停用后该用户无法登录，现有会话随即失效。"
                      okText="停用"
                      okButtonProps={{ danger: true }}
                      cancelText="取消"
                      onConfirm={() => disable.mutate(u.id, { onSuccess: () => void message.success(`已停用 ${u.username}`), onError: fail })}
                    >
                      <Button type="link" size="small" danger>
                        停用
                      </Button>
                    </Popconfirm>
                  ) : (
                    <Button type="link" size="small" onClick={() => enable.mutate({ id: u.id, body: { active: true } }, { onSuccess: () => void message.success(`已启用 ${u.username}`), onError: fail })}>
                      启用
                    </Button>
                  )}
                </Space>
              ),
            },
          ]}
        />
      )}
      <UserForm
        open={!!editing}
        user={editing?.user ?? null}
        onClose={() => setEditing(null)}
        onCreated={(username, password) => {
          setEditing(null);
          if (password) setShown({ username, password });
          else void message.success(`已创建 ${username}`);
        }}
      />
      <PasswordModal shown={shown} onClose={() => setShown(null)} />
    </Card>
  );
}
