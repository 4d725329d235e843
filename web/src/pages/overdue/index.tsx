import { Card } from 'antd';
import { useSearchParams } from 'react-router';
import { CaseDrawer } from '../cases/CaseDrawer';
import { CaseFilters } from '../cases/CaseFilters';
import { CaseTable, caseColumns } from '../cases/CaseTable';
import { withParams } from '../cases/filters';
import { useCases, type CasesQuery } from '../cases/queries';
import { ExportButtons } from './ExportButtons';
import { MeasuresRow } from './MeasuresRow';

const NATURES = ['eligibility', 'violation'] as const;

/** 应退未退: the overdue cases (filters in the URL), each row expanding to its measures and progress; the exports. */
export default function OverduePage() {
  const [params, setParams] = useSearchParams();
  const nature = NATURES.find((n) => n === params.get('nature'));
  const filter = { town: params.get('town') ?? undefined, project: params.get('project') ?? undefined, nature };
  const query: CasesQuery = {
    queue: 'overdue',
    ...filter,
    page: Math.max(1, Number(params.get('page')) || 1),
    pageSize: Math.min(200, Math.max(1, Number(params.get('pageSize')) || 20)),
  };
  const cases = useCases(query);
  const update = (changes: Record<string, string | undefined>) => setParams(withParams(params, changes));
  const open = (id: string) => update({ case: id });
  return (
    <Card title="应退未退" extra={<ExportButtons filter={filter} />}>
      <CaseFilters nature value={filter} onChange={(k, v) => update({ [k]: v, page: undefined })} onReset={() => setParams(new URLSearchParams())} />
      <CaseTable
        query={cases}
        page={query.page ?? 1}
        pageSize={query.pageSize ?? 20}
        empty="没有应退未退的案件"
        onPage={(page, pageSize) => update({ page: String(page), pageSize: String(pageSize) })}
        onOpen={open}
        columns={caseColumns(open).filter((c) => c.title !== '状态')}
        expandable={{ expandedRowRender: (r) => <MeasuresRow id={r.id} />, expandRowByClick: false }}
      />
      <CaseDrawer id={params.get('case')} onClose={() => update({ case: undefined })} />
    </Card>
  );
}
