import { Alert, App, Form, Modal, Select } from 'antd';
import { roleLabel } from '../../app/roles';
import { errorText } from '../../common/QueryState';
import { useAssign, useAssignees } from './queries';

/** 指派: a user in the case's scope who works cases, or nobody (清除指派). */
export function AssignModal({ caseId, current, open, onClose }: { caseId: string; current: number | null; open: boolean; onClose: () => void }) {
  const users = useAssignees(caseId, open);
  const assign = useAssign(caseId);
  const { message } = App.useApp();
  const [form] = Form.useForm<{ userId?: number }>();
  return (
    <Modal
      open={open}
      title="指派案件"
      okText="确定"
      cancelText="取消"
      destroyOnHidden
      okButtonProps={{ loading: assign.isPending }}
      afterClose={() => assign.reset()}
      onCancel={onClose}
      onOk={() =>
        void form.validateFields().then((v) =>
          assign.mutate(v.userId ?? null, {
            onSuccess: () => {
              void message.success(v.userId ? '已指派' : '已清除指派');
              onClose();
            },
          }),
        )
      }
    >
      {users.isError && <Alert type="error" showIcon style={{ marginBottom: 16 }} message={errorText(users.error)} />}
      {assign.isError && <Alert type="error" showIcon style={{ marginBottom: 16 }} message="指派未完成" description={errorText(assign.error)} />}
      <Form form={form} layout="vertical" preserve={false} initialValues={{ userId: current ?? undefined }}>
        <Form.Item name="userId" label="指派给" extra="不选择则清除指派">
          <Select
            allowClear
            showSearch
            optionFilterProp="label"
            placeholder="选择人员"
            loading={users.isPending}
            options={(users.data ?? []).map((u) => ({ value: u.id, label: `${u.displayName}（${roleLabel(u.role)}，${u.username}）` }))}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
