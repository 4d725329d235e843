import { Col, Row, Typography } from 'antd';
import { CasesPanel } from './CasesPanel';
import { FindingsPanel } from './FindingsPanel';
import { OverdueChart } from './OverdueChart';
import { ProjectTable } from './ProjectTable';
import { RunPanel } from './RunPanel';
import { SourcesPanel } from './SourcesPanel';
import { TownTable } from './TownTable';

/** 工作台: findings by rule, level, town and project; the case funnel and queues; 应退未退 by week; sources' freshness; the latest run. */
export default function DashboardPage() {
  return (
    <div>
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        工作台
      </Typography.Title>
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={14}>
          <FindingsPanel />
        </Col>
        <Col xs={24} xl={10}>
          <CasesPanel />
        </Col>
        <Col span={24}>
          <TownTable />
        </Col>
        <Col xs={24} xl={12}>
          <ProjectTable />
        </Col>
        <Col xs={24} xl={12}>
          <OverdueChart />
        </Col>
        <Col xs={24} xl={12}>
          <SourcesPanel />
        </Col>
        <Col xs={24} xl={12}>
          <RunPanel />
        </Col>
      </Row>
    </div>
  );
}
