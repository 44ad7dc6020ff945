import { AppError } from './errors.js';

/** Keyset cursors: the sort values of the last row, opaque to the client. */
export function encodeCursor(values: (string | number | undefined)[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

export function decodeCursor(cursor: string | undefined, length: number): (string | number)[] | undefined {
  if (cursor === undefined) return undefined;
  try {
    const values = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(values) && values.length === length && values.every((v) => ['string', 'number'].includes(typeof v))) return values;
  } catch {
    /* fall through */
  }
  throw new AppError('INVALID_CURSOR', {}, [{ path: 'cursor', message: 'invalid' }]);
}
