import { Result } from 'antd';

/** A page that is not built yet (its folder will replace this). */
export function UnderConstruction({ title }: { title: string }) {
  return <Result status="info" title="建设中" subTitle={`「${title}」页面正在建设中`} />;
}
