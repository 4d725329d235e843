import { Result, Spin } from 'antd';
import type { ReactNode } from 'react';
import { Navigate, Route, Routes, useLocation } from 'react-router';
import { QueryError } from '../common/QueryState';
import ChangePasswordPage from '../pages/login/ChangePasswordPage';
import LoginPage from '../pages/login/LoginPage';
import { AppLayout } from './AppLayout';
import { MENU_PAGES, OTHER_PAGES } from './pages';
import type { Role } from './roles';
import { useMe } from './session';

function Forbidden() {
  return <Result status="403" title="无权访问" subTitle="您的角色不能使用此页面" />;
}

function Guarded({ role, roles, children }: { role: Role; roles: readonly Role[]; children: ReactNode }) {
  return roles.includes(role) ? children : <Forbidden />;
}

/** Routes: sign-in, forced password change, then the console's pages inside the layout. */
export function App() {
  const me = useMe();
  const location = useLocation();
  if (me.isPending) return <Spin size="large" style={{ display: 'block', margin: '160px auto' }} />;
  if (me.isError) return <QueryError error={me.error} retry={() => void me.refetch()} />;
  const user = me.data;
  if (!user) {
    return (
      <Routes>
        <Route path="/login" element={<LoginPage />} />
        <Route path="*" element={<Navigate to={`/login?next=${encodeURIComponent(location.pathname + location.search)}`} replace />} />
      </Routes>
    );
  }
  if (user.mustChangePassword) return <ChangePasswordPage forced />;
  return (
    <Routes>
      <Route path="/login" element={<Navigate to="/" replace />} />
      <Route element={<AppLayout me={user} />}>
        <Route index element={<Navigate to="/dashboard" replace />} />
        {MENU_PAGES.map((p) => (
          <Route
            key={p.path}
            path={p.path}
            element={
              <Guarded role={user.role} roles={p.roles}>
                <p.component />
              </Guarded>
            }
          />
        ))}
        {OTHER_PAGES.map((p) => (
          <Route key={p.path} path={p.path} element={<p.component />} />
        ))}
        <Route path="*" element={<Result status="404" title="页面不存在" />} />
      </Route>
    </Routes>
  );
}
