import { Card } from 'antd';
import { useUrlList } from '../../common/url-list';
import { CaseDrawer } from '../cases/CaseDrawer';
import { CaseFilters } from '../cases/CaseFilters';
import { CaseTable, caseColumns } from '../cases/CaseTable';
import { useCases, type CasesQuery } from '../cases/queries';
import { ExportButtons } from './ExportButtons';
import { MeasuresRow } from './MeasuresRow';

const FILTER_KEYS = ['town', 'project', 'nature'] as const;
const NATURES = ['eligibility', 'violation'] as const;

/** 应退未退: the overdue cases (filters in the URL), each row expanding to its measures and progress; the exports. */
export default function OverduePage() {
  const list = useUrlList(FILTER_KEYS);
  const filter = { ...list.filters, nature: NATURES.find((n) => n === list.filters.nature) };
  const cases = useCases({ ...list.query, ...filter, queue: 'overdue' } satisfies CasesQuery);
  const open = (id: string) => list.update({ case: id });
  return (
    <Card title="应退未退" extra={<ExportButtons filter={filter} />}>
      <CaseFilters nature value={filter} onChange={(k, v) => list.filter({ [k]: v })} onReset={() => list.reset()} />
      <CaseTable
        query={cases}
        pagination={list.pagination}
        empty="没有应退未退的案件"
        onOpen={open}
        columns={caseColumns(open).filter((c) => c.title !== '状态')}
        expandable={{ expandedRowRender: (r) => <MeasuresRow id={r.id} />, expandRowByClick: false }}
      />
      <CaseDrawer id={list.params.get('case')} onClose={() => list.update({ case: undefined })} />
    </Card>
  );
}
