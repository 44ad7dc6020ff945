import { EditOutlined, PlusOutlined, StarOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Col, Drawer, Form, Grid, Input, InputNumber, Row, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  ENVELOPE_BLOCKS,
  ENVELOPE_PAPER_KEYS,
  ENVELOPE_PAPERS,
  type EnvelopeLayout,
  type EnvelopePaper,
  type EnvelopeTemplateDto,
  type EnvelopeTemplateInput,
} from '../../../common/schemas/print';
import { api } from '../../api/client';
import { useAction } from '../../components/actions';
import { DeleteButton } from '../../components/DeleteButton';
import { Envelope, ENVELOPE_TEMPLATES_KEY, useEnvelopeTemplates } from '../../components/Envelope';
import { showError } from '../../components/form';
import { PageContainer } from '../../components/PageContainer';

/** The paper's size: the standard one, or the template's own for a custom paper. */
function paperSize(paper: EnvelopePaper | undefined, width: number | undefined, height: number | undefined) {
  const standard = paper ? ENVELOPE_PAPERS[paper] : null;
  return { widthMm: standard?.width ?? width ?? 220, heightMm: standard?.height ?? height ?? 110 };
}

const NEW_TEMPLATE: EnvelopeTemplateInput = {
  name: '',
  paper: 'cn5',
  layout: { postcode: { x: 12, y: 10 }, address: { x: 20, y: 32 }, company: { x: 20, y: 44 }, recipient: { x: 60, y: 60 }, sender: { x: 120, y: 82 } },
  fontSize: 14,
};

function TemplateDrawer({ template, onClose }: { template: EnvelopeTemplateDto | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const screens = Grid.useBreakpoint();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<EnvelopeTemplateInput>();
  const [saving, setSaving] = useState(false);
  const values = Form.useWatch([], form) as Partial<EnvelopeTemplateInput> | undefined;
  const start = template ?? NEW_TEMPLATE;
  const paper = values?.paper ?? start.paper;

  const save = async (v: EnvelopeTemplateInput) => {
    setSaving(true);
    try {
      const body = { ...v, senderPostcode: v.senderPostcode || null };
      if (template) await api.put(`/envelope-templates/${template.id}`, body);
      else await api.post('/envelope-templates', body);
      await queryClient.invalidateQueries({ queryKey: ENVELOPE_TEMPLATES_KEY });
      message.success(t('common.saved'));
      onClose();
    } catch (err) {
      showError(err, { message, t, form });
    } finally {
      setSaving(false);
    }
  };

  // the preview follows the form as it is typed
  const preview = {
    ...paperSize(paper, values?.widthMm, values?.heightMm),
    layout: { ...start.layout, ...(values?.layout as EnvelopeLayout | undefined) },
    fontSize: values?.fontSize ?? start.fontSize ?? 14,
    senderCompany: values?.senderCompany ?? null,
    senderAddress: values?.senderAddress ?? null,
    senderPostcode: values?.senderPostcode ?? null,
  };
  for (const b of ENVELOPE_BLOCKS) preview.layout[b] = { x: preview.layout[b]?.x ?? 0, y: preview.layout[b]?.y ?? 0 };

  return (
    <Drawer
      open
      title={template ? t('print.templates.edit', { name: template.name }) : t('print.templates.create')}
      width={screens.lg ? 1080 : '100%'}
      onClose={onClose}
      destroyOnHidden
      extra={
        <Space>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={saving} onClick={() => form.submit()} data-testid="envelope-template-save">
            {t('common.save')}
          </Button>
        </Space>
      }
    >
      <Row gutter={24}>
        <Col xs={24} lg={9}>
          <Form form={form} layout="vertical" initialValues={start} onFinish={save}>
            <Form.Item name="name" label={t('print.templates.name')} rules={[{ required: true, whitespace: true, message: t('print.templates.nameRequired') }]}>
              <Input maxLength={50} data-testid="envelope-template-name" />
            </Form.Item>
            <Form.Item name="paper" label={t('print.templates.paper')}>
              <Select options={ENVELOPE_PAPER_KEYS.map((p) => ({ value: p, label: t(`print.papers.${p}`) }))} />
            </Form.Item>
            {paper === 'custom' && (
              <Space.Compact block>
                <Form.Item name="widthMm" label={t('print.templates.widthMm')} rules={[{ required: true, message: t('print.templates.sizeRequired') }]}>
                  <InputNumber min={50} max={500} addonAfter="mm" />
                </Form.Item>
                <Form.Item name="heightMm" label={t('print.templates.heightMm')} rules={[{ required: true, message: t('print.templates.sizeRequired') }]}>
                  <InputNumber min={50} max={500} addonAfter="mm" />
                </Form.Item>
              </Space.Compact>
            )}
            <Form.Item name="fontSize" label={t('print.templates.fontSize')}>
              <InputNumber min={6} max={40} addonAfter="pt" />
            </Form.Item>
            <Typography.Title level={5}>{t('print.templates.positions')}</Typography.Title>
            <Typography.Paragraph type="secondary">{t('print.templates.positionsHelp')}</Typography.Paragraph>
            {ENVELOPE_BLOCKS.map((b) => (
              <Space key={b} align="baseline" wrap>
                <span style={{ display: 'inline-block', width: 96 }}>{t(`print.blocks.${b}`)}</span>
                <Form.Item name={['layout', b, 'x']} rules={[{ required: true, message: t('print.templates.sizeRequired') }]}>
                  <InputNumber min={0} max={500} addonBefore="X" addonAfter="mm" style={{ width: 150 }} />
                </Form.Item>
                <Form.Item name={['layout', b, 'y']} rules={[{ required: true, message: t('print.templates.sizeRequired') }]}>
                  <InputNumber min={0} max={500} addonBefore="Y" addonAfter="mm" style={{ width: 150 }} />
                </Form.Item>
              </Space>
            ))}
            <Typography.Title level={5}>{t('print.templates.sender')}</Typography.Title>
            <Form.Item name="senderCompany" label={t('print.templates.senderCompany')}>
              <Input maxLength={100} />
            </Form.Item>
            <Form.Item name="senderAddress" label={t('print.templates.senderAddress')}>
              <Input maxLength={200} />
            </Form.Item>
            <Form.Item name="senderPostcode" label={t('print.templates.senderPostcode')}>
              <Input maxLength={6} inputMode="numeric" />
            </Form.Item>
          </Form>
        </Col>
        <Col xs={24} lg={15}>
          <Typography.Title level={5}>{t('print.templates.preview')}</Typography.Title>
          <div className="envelope-scroll" data-testid="envelope-preview">
            <Envelope
              template={preview}
              labels={{ to: t('print.to'), postcode: t('print.postcodeLabel') }}
              data={{ company: t('print.sample.company'), address: t('print.sample.address'), postcode: '100080', contactName: t('print.sample.name'), contactTitle: t('print.sample.title') }}
            />
          </div>
        </Col>
      </Row>
    </Drawer>
  );
}

/** 信封打印模板 (CUS-17): the company's envelope templates, one of them the default. */
export default function EnvelopeTemplates() {
  const { t } = useTranslation();
  const { run } = useAction();
  const queryClient = useQueryClient();
  const templates = useEnvelopeTemplates();
  const [editing, setEditing] = useState<EnvelopeTemplateDto | 'new' | null>(null);

  /** Changes a template (`key` says which and how), then reloads the list. */
  const act = (key: string, work: () => Promise<unknown>, done: string) =>
    run(
      key,
      async () => {
        await work();
        await queryClient.invalidateQueries({ queryKey: ENVELOPE_TEMPLATES_KEY });
      },
      done,
    );

  return (
    <PageContainer
      title={t('menu.envelopeTemplates')}
      subTitle={t('print.templates.subtitle')}
      extra={
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="envelope-template-create">
          {t('print.templates.create')}
        </Button>
      }
    >
      {templates.error && <Alert type="error" showIcon message={templates.error.message} />}
      <Card className="page-card">
        <Table<EnvelopeTemplateDto>
          rowKey="id"
          loading={templates.isPending}
          dataSource={templates.data}
          pagination={false}
          scroll={{ x: 'max-content' }}
          columns={[
            {
              title: t('print.templates.name'),
              dataIndex: 'name',
              render: (name: string, r) => (
                <Space>
                  {name}
                  {r.isDefault && <Tag color="blue">{t('print.isDefault')}</Tag>}
                </Space>
              ),
            },
            { title: t('print.templates.paper'), dataIndex: 'paper', render: (p: EnvelopePaper) => t(`print.papers.${p}`) },
            { title: t('print.templates.size'), key: 'size', render: (_: unknown, r) => `${r.widthMm} × ${r.heightMm} mm` },
            {
              title: t('common.actions'),
              key: 'actions',
              render: (_: unknown, r) => (
                <Space wrap>
                  <Button size="small" icon={<EditOutlined />} onClick={() => setEditing(r)}>
                    {t('common.edit')}
                  </Button>
                  {!r.isDefault && (
                    <Button size="small" icon={<StarOutlined />} onClick={() => void act(`default:${r.id}`, () => api.put(`/envelope-templates/${r.id}/default`, {}), t('print.templates.defaultSet'))}>
                      {t('print.templates.setDefault')}
                    </Button>
                  )}
                  {!r.isDefault && (
                    <DeleteButton
                      confirm={t('print.templates.deleteConfirm', { name: r.name })}
                      onDelete={() => act(`delete:${r.id}`, () => api.delete(`/envelope-templates/${r.id}`), t('common.deleted'))}
                    />
                  )}
                </Space>
              ),
            },
          ]}
        />
      </Card>
      {editing && <TemplateDrawer template={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
    </PageContainer>
  );
}
