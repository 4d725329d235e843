import { UploadOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Col, Form, Row, Select, Table, Tag, Typography, Upload, type UploadFile } from 'antd';
import { useState } from 'react';
import type { ApiBody, Item } from '../../api/types';
import { ApiError } from '../../api/client';
import { bytes } from '../../common/bytes';
import { dayTime } from '../../common/format';
import { errorText, QueryState } from '../../common/QueryState';
import { useTemplates, useUploadTemplate } from './queries';

type Templates = ApiBody<'/api/templates', 'get'>;
type TemplateRow = { key: string; kindLabel: string; version: number; fileName: string; size: number | null; uploadedBy: string; createdAt: string | null; inUse: boolean; kind: string };

/** Every version of every kind (the built-in default as 版本 0), the one in use marked. */
function rowsOf(t: Templates): TemplateRow[] {
  const uploaded: TemplateRow[] = t.items.map((i: Item<Templates['items']>) => ({ key: `t${i.id}`, kind: i.kind, kindLabel: i.kindLabel, version: i.version, fileName: i.fileName, size: i.size, uploadedBy: i.uploadedBy, createdAt: i.createdAt, inUse: i.inUse }));
  const defaults: TemplateRow[] = t.defaults.map((d) => ({ key: `d${d.kind}`, kind: d.kind, kindLabel: d.kindLabel, version: 0, fileName: '默认模板', size: null, uploadedBy: '系统', createdAt: null, inUse: d.inUse }));
  return [...uploaded, ...defaults].sort((a, b) => a.kind.localeCompare(b.kind) || b.version - a.version);
}

/** 文书模板 (admin): the versions of each notice's template, the built-in default to start from, and an upload of a new version. */
export function TemplatesTab() {
  const templates = useTemplates(true);
  const upload = useUploadTemplate();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ kind: string }>();
  const [files, setFiles] = useState<UploadFile[]>([]);
  const [reasons, setReasons] = useState<string[]>([]);

  const submit = async () => {
    const v = await form.validateFields();
    const file = files[0]?.originFileObj;
    if (!file) return setReasons(['请选择模板文件（DOCX）']);
    setReasons([]);
    try {
      const t = await upload.mutateAsync({ kind: v.kind, file });
      void message.success(`已上传${t.kindLabel}模板第 ${t.version} 版`);
      setFiles([]);
    } catch (e) {
      setReasons(e instanceof ApiError && e.details.length ? e.details.map((d) => d.reason) : [errorText(e)]);
    }
  };

  return (
    <QueryState query={templates}>
      {(t) => (
        <Row gutter={16}>
          <Col span={15}>
            <Table<TemplateRow>
              size="small"
              rowKey="key"
              pagination={false}
              dataSource={rowsOf(t)}
              columns={[
                { title: '文书', dataIndex: 'kindLabel', width: 120 },
                { title: '版本', dataIndex: 'version', width: 140, render: (v: number, r) => <>{v === 0 ? '默认' : `第 ${v} 版`} {r.inUse && <Tag color="green">使用中</Tag>}</> },
                {
                  title: '文件',
                  dataIndex: 'fileName',
                  render: (n: string, r) => (r.version === 0 ? <a href={`/api/templates/defaults/${r.kind}`} download>下载默认模板</a> : n),
                },
                { title: '大小', dataIndex: 'size', width: 80, render: (s: number | null) => bytes(s) },
                {
                  title: '上传',
                  key: 'by',
                  width: 140,
                  render: (_, r) =>
                    r.createdAt ? (
                      <>
                        {r.uploadedBy}
                        <Typography.Text type="secondary" style={{ display: 'block' }}>
                          {dayTime(r.createdAt)}
                        </Typography.Text>
                      </>
                    ) : (
                      '—'
                    ),
                },
              ]}
            />
          </Col>
          <Col span={9}>
            <Card size="small" title="上传新版本">
              <Form form={form} layout="vertical" initialValues={{ kind: 'exit_determination' }}>
                <Form.Item name="kind" label="文书" rules={[{ required: true, message: '请选择文书' }]}>
                  <Select options={t.defaults.map((d) => ({ value: d.kind, label: d.kindLabel }))} />
                </Form.Item>
                <Form.Item label="模板文件" required extra="DOCX，不超过 5 MB；上传后即为该文书使用中的模板。">
                  <Upload accept=".docx" maxCount={1} fileList={files} beforeUpload={() => false} onChange={({ fileList }) => {
                      setReasons([]);
                      setFiles(fileList.map((f) => ({ ...f, status: 'done' })));
                    }}>
                    <Button icon={<UploadOutlined />}>选择文件</Button>
                  </Upload>
                </Form.Item>
                <Button type="primary" loading={upload.isPending} onClick={() => void submit()}>
                  上传
                </Button>
              </Form>
              {reasons.length > 0 && <Alert style={{ marginTop: 12 }} type="error" showIcon message="模板无效" description={<ul style={{ margin: 0, paddingLeft: 20 }}>{reasons.map((r) => <li key={r}>{r}</li>)}</ul>} />}
              <Typography.Title level={5} style={{ marginTop: 16 }}>
                可用占位符
              </Typography.Title>
              <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
                {t.placeholders.map((p) => (
                  <span key={p.tag} style={{ display: 'inline-block', marginRight: 12 }}>
                    <Typography.Text code>{`{${p.tag}}`}</Typography.Text> {p.label}
                  </span>
                ))}
              </Typography.Paragraph>
              <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
                问题清单内：
                {t.findingPlaceholders.map((p) => (
                  <span key={p.tag} style={{ display: 'inline-block', marginRight: 12 }}>
                    <Typography.Text code>{`{${p.tag}}`}</Typography.Text> {p.label}
                  </span>
                ))}
              </Typography.Paragraph>
            </Card>
          </Col>
        </Row>
      )}
    </QueryState>
  );
}
