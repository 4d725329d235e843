import { UnderConstruction } from '../../common/UnderConstruction';

export default function Page() {
  return <UnderConstruction title="数据源" />;
}
