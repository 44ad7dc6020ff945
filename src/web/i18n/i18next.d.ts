import type { Messages } from './zh-CN';

// typed keys: t('menu.customers') is checked against the Chinese texts
declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: Messages };
    returnNull: false;
  }
}
