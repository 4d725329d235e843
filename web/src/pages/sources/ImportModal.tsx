import { InboxOutlined } from '@ant-design/icons';
import { Alert, Modal, Table, Typography, Upload, type UploadFile } from 'antd';
import { useState } from 'react';
import type { ApiBody, Item } from '../../api/types';
import { count } from '../../common/format';
import { errorText, QueryState } from '../../common/QueryState';
import { rawText } from './SourceDrawer';
import { useImportRejections, useRegistryImport } from './queries';

type Report = ApiBody<'/api/registry/import', 'post'>;
type FileReport = Item<Report['files']>;
type ImportRejection = Item<ApiBody<'/api/registry/imports/{id}/rejections', 'get'>['items']>;

const KINDS: Record<string, string> = { projects: '项目台账', units: '房源台账', households: '家庭台账', members: '家庭成员台账' };

function RejectionReport({ batchId }: { batchId: number }) {
  const [page, setPage] = useState(1);
  const q = useImportRejections(batchId, page);
  return (
    <QueryState query={q}>
      {(d) =>
        d.total === 0 ? (
          <Typography.Text type="secondary">没有拒收的行：文件中的记录均已读取。</Typography.Text>
        ) : (
        <Table<ImportRejection>
          rowKey={(r) => `${r.file}:${r.line}`}
          size="small"
          loading={q.isFetching}
          dataSource={d.items}
          pagination={{ current: page, pageSize: 10, total: d.total, onChange: setPage, showSizeChanger: false, showTotal: (n) => `共 ${count(n)} 行` }}
          columns={[
            { title: '文件', dataIndex: 'file', width: 150, ellipsis: true },
            { title: '行', dataIndex: 'line', width: 60, align: 'right' },
            { title: '原因', dataIndex: 'reason', width: 220, render: (r: string) => <Typography.Text type="danger">{r}</Typography.Text> },
            { title: '内容（已脱敏）', dataIndex: 'raw', ellipsis: true, render: (raw: Record<string, unknown>) => rawText(raw) },
          ]}
        />
        )
      }
    </QueryState>
  );
}

/** 上传台账: CSV or XLSX ledger files; the report file by file, then the rejected lines. */
export function ImportModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const [files, setFiles] = useState<UploadFile[]>([]);
  const upload = useRegistryImport();
  const report = upload.data;
  const close = () => {
    setFiles([]);
    upload.reset();
    onClose();
  };
  return (
    <Modal
      open={open}
      title="上传台账"
      width={900}
      onCancel={close}
      okText={report ? '完成' : '上传'}
      cancelText="取消"
      okButtonProps={{ disabled: !report && !files.length, loading: upload.isPending }}
      onOk={() => (report ? close() : upload.mutate(files.map((f) => f.originFileObj ?? (f as unknown as File))))}
      destroyOnHidden
    >
      {!report && (
        <Upload.Dragger
          multiple
          accept=".csv,.xlsx"
          fileList={files}
          beforeUpload={() => false}
          onChange={({ fileList }) => setFiles(fileList)}
        >
          <p className="ant-upload-drag-icon">
            <InboxOutlined />
          </p>
          <p className="ant-upload-text">点击或拖入台账文件（.csv、.xlsx）</p>
          <p className="ant-upload-hint">项目、房源、家庭、家庭成员台账，可一次上传多个文件</p>
        </Upload.Dragger>
      )}
      {upload.isError && <Alert type="error" showIcon style={{ marginTop: 12 }} message="上传失败" description={errorText(upload.error)} />}
      {report && (
        <>
          <Typography.Title level={5}>导入报告（批次 #{report.batchId}）</Typography.Title>
          <Table<FileReport>
            rowKey="file"
            size="small"
            pagination={false}
            dataSource={report.files}
            rowClassName={(f) => (f.error ? 'row-failing' : '')}
            columns={[
              { title: '文件', dataIndex: 'file', ellipsis: true },
              { title: '类型', dataIndex: 'kind', width: 110, render: (k: string | null) => (k ? (KINDS[k] ?? k) : '—') },
              { title: '读取', dataIndex: 'received', width: 70, align: 'right', render: count },
              { title: '新增', dataIndex: 'inserted', width: 70, align: 'right', render: count },
              { title: '更新', dataIndex: 'updated', width: 70, align: 'right', render: count },
              { title: '未变', dataIndex: 'unchanged', width: 70, align: 'right', render: count },
              { title: '删除', dataIndex: 'deleted', width: 70, align: 'right', render: count },
              { title: '拒收', dataIndex: 'rejected', width: 70, align: 'right', render: (n: number) => (n ? <Typography.Text type="danger">{count(n)}</Typography.Text> : '0') },
              { title: '错误', dataIndex: 'error', width: 160, ellipsis: true, render: (e?: string) => (e ? <Typography.Text type="danger">{e}</Typography.Text> : '—') },
            ]}
          />
          <Typography.Title level={5} style={{ marginTop: 16 }}>
            拒收明细
          </Typography.Title>
          <RejectionReport batchId={report.batchId} />
        </>
      )}
    </Modal>
  );
}
