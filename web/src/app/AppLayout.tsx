import { LogoutOutlined, UserOutlined } from '@ant-design/icons';
import { App as AntApp, Button, Layout, Menu, Space, Spin, Tag, Typography } from 'antd';
import { Suspense } from 'react';
import { Outlet, useLocation, useNavigate } from 'react-router';
import { ErrorBoundary } from '../common/ErrorBoundary';
import { errorText } from '../common/QueryState';
import { MENU_PAGES } from './pages';
import { roleLabel } from './roles';
import { scopeText, useLogout, type Me } from './session';

const { Header, Sider, Content } = Layout;

/** The console's frame: side menu (pages the role may use), header with the user, the page. */
export function AppLayout({ me }: { me: Me }) {
  const navigate = useNavigate();
  const location = useLocation();
  const logout = useLogout();
  const { message } = AntApp.useApp();
  const items = MENU_PAGES.filter((p) => p.roles.includes(me.role)).map((p) => ({ key: p.path, icon: p.icon, label: p.label }));
  const selected = MENU_PAGES.find((p) => location.pathname.startsWith(p.path))?.path;

  const signOut = () =>
    logout.mutate(undefined, {
      onSuccess: () => void navigate('/login', { replace: true }),
      onError: (e) => void message.error(errorText(e)),
    });

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Sider width={188} breakpoint="lg" collapsedWidth={64} theme="dark">
        <div style={{ color: '#fff', fontWeight: 600, padding: '16px 16px', whiteSpace: 'nowrap', overflow: 'hidden' }}>公租房资格复核</div>
        <nav aria-label="主菜单">
          <Menu theme="dark" mode="inline" selectedKeys={selected ? [selected] : []} items={items} onClick={(e) => void navigate(e.key)} />
        </nav>
      </Sider>
      <Layout>
        <Header style={{ background: '#fff', padding: '0 20px', display: 'flex', justifyContent: 'flex-end', alignItems: 'center', borderBottom: '1px solid #f0f0f0' }}>
          <Space size="middle" data-testid="user-info">
            <Space size={4}>
              <UserOutlined />
              <Typography.Text strong>{me.name}</Typography.Text>
            </Space>
            <Tag color="blue">{roleLabel(me.role)}</Tag>
            <Typography.Text type="secondary">范围：{scopeText(me)}</Typography.Text>
            <Button icon={<LogoutOutlined />} onClick={signOut} loading={logout.isPending}>
              退出登录
            </Button>
          </Space>
        </Header>
        <Content style={{ margin: 16 }}>
          <main>
            <ErrorBoundary resetKey={location.pathname}>
              <Suspense fallback={<Spin size="large" style={{ display: 'block', margin: '80px auto' }} />}>
                <Outlet />
              </Suspense>
            </ErrorBoundary>
          </main>
        </Content>
      </Layout>
    </Layout>
  );
}
