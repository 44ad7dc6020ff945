import { Alert, Select, Space, Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { ImportDraftDto, ImportFieldDto } from '../../../common/schemas/imports';
import { type MappingProblems, SKIP } from './importUtils';

interface Props {
  draft: ImportDraftDto;
  mapping: (string | null)[];
  onChange: (mapping: (string | null)[]) => void;
  problems: MappingProblems;
}

interface ColumnRow {
  index: number;
  header: string;
  samples: string[];
}

/** How a field's value is written: its hint, or the choices it takes. */
function fieldHint(f: ImportFieldDto | undefined, separator: string): string | undefined {
  if (!f) return undefined;
  if (f.hint) return f.hint;
  if (f.options?.length) {
    const shown = f.options.slice(0, 8).join(separator);
    return f.options.length > 8 ? `${shown}…` : shown;
  }
  return undefined;
}

/** Step 2 (字段对应): per column of the file, its header, a few values and the field it fills. */
export function MappingStep({ draft, mapping, onChange, problems }: Props) {
  const { t } = useTranslation();
  const sep = t('common.listSeparator');
  const byKey = useMemo(() => new Map(draft.fields.map((f) => [f.key, f])), [draft.fields]);
  const twice = useMemo(() => new Set(problems.twice.map((f) => f.key)), [problems.twice]);

  const options = useMemo(
    () => [
      { value: SKIP, label: t('imports.skip') },
      ...draft.fields.map((f) => ({ value: f.key, label: f.required ? t('imports.requiredMark', { label: f.label }) : f.label })),
    ],
    [draft.fields, t],
  );

  const rows: ColumnRow[] = draft.headers.map((header, index) => ({
    index,
    header,
    samples: draft.sample
      .slice(0, 3)
      .map((r) => r[index] ?? '')
      .filter((v) => v.trim() !== ''),
  }));

  const setColumn = (index: number, key: string) => {
    const next = [...mapping];
    next[index] = key === SKIP ? null : key;
    onChange(next);
  };

  const columns: ColumnsType<ColumnRow> = [
    {
      title: t('imports.column'),
      dataIndex: 'header',
      key: 'header',
      width: 180,
      render: (h: string) => <Typography.Text strong>{h || '-'}</Typography.Text>,
    },
    {
      title: t('imports.sample'),
      dataIndex: 'samples',
      key: 'samples',
      render: (samples: string[]) =>
        samples.length ? (
          <div className="import-samples">
            {samples.map((v, i) => (
              <Typography.Text key={i} type="secondary" ellipsis={{ tooltip: v }} style={{ display: 'block', maxWidth: 260 }}>
                {v}
              </Typography.Text>
            ))}
          </div>
        ) : (
          <Typography.Text type="secondary">-</Typography.Text>
        ),
    },
    {
      title: t('imports.field'),
      key: 'field',
      width: 280,
      render: (_: unknown, r) => {
        const key = mapping[r.index] ?? null;
        const hint = fieldHint(key ? byKey.get(key) : undefined, sep);
        return (
          <div data-testid={`import-map-${r.index}`}>
            <Select<string>
              style={{ width: '100%' }}
              showSearch
              optionFilterProp="label"
              value={key ?? SKIP}
              options={options}
              status={key && twice.has(key) ? 'error' : undefined}
              onChange={(v) => setColumn(r.index, v)}
              aria-label={`${t('imports.field')}: ${r.header}`}
              popupMatchSelectWidth={false}
            />
            {hint && (
              <Typography.Text type="secondary" className="import-field-hint" style={{ fontSize: 12 }}>
                {hint}
              </Typography.Text>
            )}
          </div>
        );
      },
    },
  ];

  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Typography.Text type="secondary">{t('imports.mappingHelp')}</Typography.Text>
      {problems.missing.length > 0 && (
        <Alert
          type="warning"
          showIcon
          data-testid="import-mapping-missing"
          message={t('imports.missingRequired', { fields: problems.missing.map((f) => f.label).join(sep) })}
        />
      )}
      {problems.twice.length > 0 && (
        <Alert
          type="warning"
          showIcon
          data-testid="import-mapping-twice"
          message={t('imports.mappedTwice', { fields: problems.twice.map((f) => f.label).join(sep) })}
        />
      )}
      {problems.empty && <Alert type="warning" showIcon message={t('imports.nothingMapped')} />}
      <div data-testid="import-mapping">
        <Table<ColumnRow> rowKey="index" size="small" columns={columns} dataSource={rows} pagination={false} scroll={{ y: 420 }} />
      </div>
    </Space>
  );
}
