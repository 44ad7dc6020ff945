import { Modal, type FormInstance, type ModalProps } from 'antd';
import { useTranslation } from 'react-i18next';

type Props = Omit<ModalProps, 'open' | 'onOk' | 'onCancel' | 'confirmLoading'> & {
  /** The form inside: OK submits it, and its onFinish saves. */
  form: FormInstance;
  submitting: boolean;
  onClose: () => void;
};

/** A modal around a form that saves: shown while mounted, its fields gone once it closes so that the next one starts afresh. */
export function FormModal({ form, submitting, onClose, ...props }: Props) {
  const { t } = useTranslation();
  return (
    <Modal
      open
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={submitting}
      destroyOnHidden
      {...props}
    />
  );
}
