import { Button, Space, Typography } from 'antd';
import { useState } from 'react';
import { QueryState } from '../../common/QueryState';
import { ActionModal } from '../cases/ActionModal';
import { MeasuresTable } from '../cases/CaseSections';
import { useCase } from '../cases/queries';

/** A case's measures and progress (from its detail), and 记录整改措施 when the user may record one. */
export function MeasuresRow({ id }: { id: string }) {
  const k = useCase(id);
  const [recording, setRecording] = useState(false);
  return (
    <QueryState query={k}>
      {(d) => (
        <div>
          <Space style={{ marginBottom: 24 }}>
            <Typography.Text strong>整改措施与进展</Typography.Text>
            {d.allowedActions.includes('record_measure') && (
              <Button size="small" type="primary" onClick={() => setRecording(true)}>
                记录整改措施
              </Button>
            )}
          </Space>
          <MeasuresTable measures={d.measures} />
          <ActionModal caseId={id} action={recording ? 'record_measure' : null} onClose={() => setRecording(false)} />
        </div>
      )}
    </QueryState>
  );
}
