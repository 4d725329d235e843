import { UnderConstruction } from '../../common/UnderConstruction';

export default function Page() {
  return <UnderConstruction title="审计日志" />;
}
