import { describe, expect, it } from 'vitest';
import { CSV_BOM, csvField, csvRecord } from './csv.js';

describe('CSV writer', () => {
  it('quotes fields with quotes, commas and line breaks (RFC 4180) and ends records with CRLF', () => {
    expect(csvRecord(['北京云帆科技有限公司', 'a,b', 'say "hi"', 'line1\nline2', 'cr\rlf', ''])).toBe(
      '北京云帆科技有限公司,"a,b","say ""hi""","line1\nline2","cr\rlf",\r\n',
    );
    expect(csvRecord([null, undefined, 12])).toBe(',,12\r\n');
  });

  it('keeps text that a spreadsheet would run as a formula from running', () => {
    expect(csvField('=HYPERLINK("http://x","y")')).toBe(`"'=HYPERLINK(""http://x"",""y"")"`);
    expect(csvField('+86 138 0000 0001')).toBe("'+86 138 0000 0001");
    expect(csvField('-2+3')).toBe("'-2+3");
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvField('\t=1')).toBe("'\t=1");
    expect(csvField('\r=1')).toBe(`"'\r=1"`);
    expect(csvField('a=1')).toBe('a=1');
  });

  it('leaves numbers, and text that is a plain number, as numbers', () => {
    expect(csvField(-12.5)).toBe('-12.5');
    expect(csvField('-12.50')).toBe('-12.50');
    expect(csvField('+3')).toBe('+3');
    expect(csvField(Number.NaN)).toBe('');
  });

  it('starts files with a byte order mark so Excel reads UTF-8', () => {
    expect(Buffer.from(CSV_BOM, 'utf8')).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
  });
});
