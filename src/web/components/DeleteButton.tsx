import { DeleteOutlined } from '@ant-design/icons';
import { Button, Popconfirm } from 'antd';
import { useTranslation } from 'react-i18next';

/** A table row's delete button, asking first (`confirm` is the question). */
export function DeleteButton({ confirm, onDelete }: { confirm: string; onDelete: () => Promise<unknown> }) {
  const { t } = useTranslation();
  return (
    <Popconfirm title={confirm} okText={t('common.delete')} cancelText={t('common.cancel')} okButtonProps={{ danger: true }} onConfirm={onDelete}>
      <Button size="small" danger icon={<DeleteOutlined />}>
        {t('common.delete')}
      </Button>
    </Popconfirm>
  );
}
