import type { Locale as AntdLocale } from 'antd/es/locale';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import { DATA_SCOPES, type DataScope, PERMISSIONS, type Permission, SCOPED_MODULES, type ScopedModule } from '../../common/permissions';
import { en } from './en';
import { zhCN as zhMessages } from './zh-CN';

export const LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'zh-CN';

/** Remembers the choice for the sign-in page and the next visit. */
const STORAGE_KEY = 'crm.locale';

export const LOCALE_NAMES: Record<Locale, string> = { 'zh-CN': '中文', en: 'English' };

const ANTD_LOCALES: Record<Locale, AntdLocale> = { 'zh-CN': zhCN, en: enUS };
const DAYJS_LOCALES: Record<Locale, string> = { 'zh-CN': 'zh-cn', en: 'en' };

export const isLocale = (v: unknown): v is Locale => LOCALES.includes(v as Locale);

function storedLocale(): Locale {
  try {
    const v = localStorage.getItem(STORAGE_KEY);
    return isLocale(v) ? v : DEFAULT_LOCALE;
  } catch {
    return DEFAULT_LOCALE;
  }
}

function applyDocument(locale: Locale) {
  document.documentElement.lang = locale;
  dayjs.locale(DAYJS_LOCALES[locale]);
}

const initial = storedLocale();
applyDocument(initial);

void i18n.use(initReactI18next).init({
  resources: { 'zh-CN': { translation: zhMessages }, en: { translation: en } },
  lng: initial,
  fallbackLng: DEFAULT_LOCALE,
  interpolation: { escapeValue: false },
  returnNull: false,
});

export const currentLocale = (): Locale => (isLocale(i18n.language) ? i18n.language : DEFAULT_LOCALE);

/** Switches the interface language and remembers it in this browser. */
export async function setLocale(locale: Locale): Promise<void> {
  try {
    localStorage.setItem(STORAGE_KEY, locale);
  } catch {
    // private mode: the choice lasts for this page only
  }
  applyDocument(locale);
  if (i18n.language !== locale) await i18n.changeLanguage(locale);
}

export const antdLocale = (locale: Locale): AntdLocale => ANTD_LOCALES[locale];

/** Picks the zh or en label of the shared catalogues in src/common/permissions.ts. */
const pick = (l: { zh: string; en: string }) => (currentLocale() === 'en' ? l.en : l.zh);

export const permissionLabel = (code: string): string => (code in PERMISSIONS ? pick(PERMISSIONS[code as Permission]) : code);
export const scopeLabel = (scope: string): string => (scope in DATA_SCOPES ? pick(DATA_SCOPES[scope as DataScope]) : scope);
export const moduleLabel = (module: string): string => (module in SCOPED_MODULES ? pick(SCOPED_MODULES[module as ScopedModule]) : module);
export const groupLabel = pick;

/**
 * A message for a key made at run time (an audit action, an entity name). Falls
 * back to the raw key, so a value the server adds later still shows.
 */
export function dynamicLabel(
  prefix:
    | 'audit.actions'
    | 'audit.entities'
    | 'audit.fields'
    | 'audit.values'
    | 'customers.kinds'
    | 'customers.addresses.tags'
    | 'contacts.lifecycles',
  key: string,
): string {
  const full = `${prefix}.${key}`;
  return i18n.exists(full) ? i18n.t(full as never) : key;
}

export default i18n;
