import { EyeOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Table } from 'antd';
import { useState } from 'react';
import type { ApiBody, Item } from '../../api/types';
import { ROLES_SEEING_ID, type Role } from '../../app/roles';
import { errorText } from '../../common/QueryState';
import { useRevealedHousehold } from './queries';
import { RevealModal } from './RevealModal';

type Member = Item<ApiBody<'/api/households/{code}', 'get'>['members']>;

const SEX: Record<string, string> = { M: '男', F: '女', male: '男', female: '女', 男: '男', 女: '女' };

/** The members with masked ID numbers; admins and reviewers may reveal them for a stated purpose. */
export function MembersCard({ code, members, role }: { code: string; members: Member[]; role: Role }) {
  const [asking, setAsking] = useState(false);
  const [purpose, setPurpose] = useState<string | null>(null);
  const revealed = useRevealedHousehold(code, purpose);
  const rows = revealed.data?.members ?? members;
  return (
    <Card
      title="家庭成员"
      extra={
        ROLES_SEEING_ID.includes(role) &&
        !revealed.data && (
          <Button icon={<EyeOutlined />} onClick={() => setAsking(true)} loading={revealed.isFetching}>
            查看完整身份证号
          </Button>
        )
      }
    >
      {revealed.isError && <Alert type="error" showIcon title={errorText(revealed.error)} style={{ marginBottom: 12 }} />}
      {revealed.data && <Alert type="warning" showIcon title={`已显示完整身份证号（用途：${purpose}），本次查看已记入审计日志。`} style={{ marginBottom: 12 }} />}
      <Table<Member>
        size="small"
        rowKey={(m) => `${m.relation}-${m.name}-${m.idNo}`}
        dataSource={rows}
        pagination={false}
        locale={{ emptyText: '无登记成员' }}
        columns={[
          { title: '姓名', dataIndex: 'name' },
          { title: '关系', dataIndex: 'relationLabel' },
          { title: '身份证号', dataIndex: 'idNo', render: (id: string) => <span style={{ fontFamily: 'monospace' }}>{id}</span> },
          { title: '出生年份', dataIndex: 'birthYear', render: (y: number | null) => y ?? '—' },
          { title: '性别', dataIndex: 'sex', render: (s: string | null) => (s ? (SEX[s] ?? s) : '—') },
        ]}
      />
      <RevealModal
        open={asking}
        onCancel={() => setAsking(false)}
        onReveal={(p) => {
          setAsking(false);
          setPurpose(p);
        }}
      />
    </Card>
  );
}
