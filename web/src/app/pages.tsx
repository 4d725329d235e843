import {
  AlertOutlined,
  AuditOutlined,
  BarChartOutlined,
  DatabaseOutlined,
  FileProtectOutlined,
  FileSearchOutlined,
  FolderOpenOutlined,
  SafetyCertificateOutlined,
  TeamOutlined,
} from '@ant-design/icons';
import { lazy, type ComponentType, type LazyExoticComponent, type ReactNode } from 'react';
import { ALL_ROLES, type Role } from './roles';

/** A page of the side menu: its route, menu label, icon, the roles that see it, its lazy chunk. */
export interface MenuPage {
  path: string;
  label: string;
  icon: ReactNode;
  roles: readonly Role[];
  component: LazyExoticComponent<ComponentType>;
}

/**
 * The side menu, in order (exactly these labels). Each page is its own folder under src/pages/
 * and its own chunk (React.lazy). The API still refuses what a role may not do.
 */
export const MENU_PAGES: MenuPage[] = [
  { path: '/dashboard', label: '工作台', icon: <BarChartOutlined />, roles: ALL_ROLES, component: lazy(() => import('../pages/dashboard')) },
  { path: '/findings', label: '核查结果', icon: <FileSearchOutlined />, roles: ALL_ROLES, component: lazy(() => import('../pages/findings')) },
  { path: '/cases', label: '案件', icon: <FolderOpenOutlined />, roles: ALL_ROLES, component: lazy(() => import('../pages/cases')) },
  { path: '/overdue', label: '应退未退', icon: <AlertOutlined />, roles: ALL_ROLES, component: lazy(() => import('../pages/overdue')) },
  { path: '/sources', label: '数据源', icon: <DatabaseOutlined />, roles: ALL_ROLES, component: lazy(() => import('../pages/sources')) },
  { path: '/sampling', label: '抽查核实', icon: <SafetyCertificateOutlined />, roles: ALL_ROLES, component: lazy(() => import('../pages/sampling')) },
  { path: '/audit', label: '审计日志', icon: <AuditOutlined />, roles: ['admin', 'auditor'], component: lazy(() => import('../pages/audit')) },
  { path: '/policies', label: '政策', icon: <FileProtectOutlined />, roles: ALL_ROLES, component: lazy(() => import('../pages/policies')) },
  { path: '/users', label: '用户', icon: <TeamOutlined />, roles: ['admin'], component: lazy(() => import('../pages/users')) },
];

/** Pages outside the menu, opened from links (一户一档 from any household). */
export const OTHER_PAGES: { path: string; title: string; component: LazyExoticComponent<ComponentType> }[] = [
  { path: '/households/:code', title: '一户一档', component: lazy(() => import('../pages/household')) },
];
