/**
 * Format checks for Chinese business data (CUS-13), shared by the server's
 * schemas and the web forms.
 */

/** 统一社会信用代码 (GB 32100-2015): 18 characters, the last a check character. */
const CREDIT_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const CREDIT_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

export function isCreditCode(value: string): boolean {
  if (!/^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/.test(value)) return false;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += CREDIT_CHARS.indexOf(value[i]!) * CREDIT_WEIGHTS[i]!;
  const check = (31 - (sum % 31)) % 31;
  return value[17] === CREDIT_CHARS[check];
}

/** Mainland mobile number after normalisation (no +86, spaces or dashes). */
export const MOBILE_RE = /^1[3-9]\d{9}$/;

/**
 * Landline: optional area code (010, 0755 ...), 7–8 digits, optional extension;
 * or a 400/800 service number. Written with dashes or spaces or none.
 */
export function isLandline(value: string): boolean {
  const v = value.replace(/[\s()（）]/g, '-').replace(/-+/g, '-').replace(/^-|-$/g, '');
  return /^(0\d{2,3}-?)?[2-9]\d{2,3}-?\d{4}(-\d{1,6})?$/.test(v) || /^[48]00-?\d{3}-?\d{4}$/.test(v);
}

/** Six-digit postcode (邮政编码). */
export const isPostcode = (value: string) => /^\d{6}$/.test(value);
