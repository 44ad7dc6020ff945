/**
 * The quote as a PDF (SAL-5), drawn with pdfkit in a CJK font from the machine:
 * the standard PDF fonts have no Chinese glyphs and would print boxes, so
 * without a CJK font there is no PDF (PDF_FONT_MISSING) rather than a wrong one.
 */
import { existsSync } from 'node:fs';
import PDFDocument from 'pdfkit';
import { formatMoney } from '../../../common/money.js';
import type { QuotePrintDto } from '../../../common/schemas/quotes.js';
import { AppError } from '../../platform/http/errors.js';

/** Known places of CJK fonts (Debian / Ubuntu packages), with the face to take from a collection. */
const KNOWN_FONTS: [path: string, face?: string][] = [
  ['/usr/share/fonts/truetype/wqy/wqy-microhei.ttc', 'WenQuanYiMicroHei'],
  ['/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc', 'WenQuanYiZenHei'],
  ['/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', 'NotoSansCJKsc-Regular'],
  ['/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc', 'NotoSansCJKsc-Regular'],
  ['/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc', 'NotoSansCJKsc-Regular'],
  ['/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc', 'NotoSerifCJKsc-Regular'],
  ['/usr/share/fonts/truetype/arphic/uming.ttc', 'AR PL UMing CN'],
];

export interface PdfFont {
  path: string;
  /** The face's PostScript name inside a .ttc collection. */
  face?: string;
}

/**
 * The font to draw with: `CRM_PDF_FONT` (a .ttf/.otf file, or `file.ttc#PostScriptName`),
 * else the first known CJK font present; none: PDF_FONT_MISSING.
 */
export function findPdfFont(env: NodeJS.ProcessEnv = process.env): PdfFont {
  const configured = env.CRM_PDF_FONT?.trim();
  if (configured) {
    const [path, face] = configured.split('#') as [string, string | undefined];
    if (existsSync(path)) return { path, face: face || KNOWN_FONTS.find(([p]) => p === path)?.[1] };
  }
  const known = KNOWN_FONTS.find(([path]) => existsSync(path));
  if (!known) throw new AppError('PDF_FONT_MISSING');
  return { path: known[0], face: known[1] };
}

const LABELS = {
  'zh-CN': {
    title: '报价单', code: '报价单号', version: '版本', customer: '客户', contact: '联系人', owner: '报价人', validUntil: '有效期至', date: '报价日期',
    product: '产品', quantity: '数量', unit: '单位', price: '单价', discount: '折扣', amount: '金额',
    listTotal: '标准价合计', subtotal: '明细合计', discountAmount: '整单折扣', tax: '税额', total: '报价总额', words: '大写金额', terms: '条款与说明', currency: '币种',
  },
  en: {
    title: 'Quotation', code: 'Quote no.', version: 'Version', customer: 'Customer', contact: 'Contact', owner: 'Prepared by', validUntil: 'Valid until', date: 'Date',
    product: 'Product', quantity: 'Qty', unit: 'Unit', price: 'Price', discount: 'Disc.', amount: 'Amount',
    listTotal: 'At list prices', subtotal: 'Lines', discountAmount: 'Overall discount', tax: 'Tax', total: 'Total', words: 'In words', terms: 'Terms', currency: 'Currency',
  },
} as const;

/** Renders the quote on A4; resolves with the whole file. */
export function renderQuotePdf(p: QuotePrintDto, font: PdfFont, locale: 'zh-CN' | 'en' = 'zh-CN'): Promise<Buffer> {
  const L = LABELS[locale];
  const b = p.quote;
  const money = (v: string) => formatMoney(v);
  const doc = new PDFDocument({ size: 'A4', margin: 50, info: { Title: `${L.title} ${b.code} v${b.version}`, Author: p.companyName } });
  const done = new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.registerFont('cjk', font.path, font.face);
  doc.font('cjk');
  const width = doc.page.width - 100;

  doc.fontSize(16).text(p.companyName, { align: 'center' });
  doc.moveDown(0.3).fontSize(20).text(L.title, { align: 'center' });
  doc.moveDown(0.8).fontSize(10);
  const meta: [string, string][] = [
    [L.code, `${b.code}`],
    [L.version, `v${b.version}`],
    [L.customer, b.customerName ?? ''],
    [L.contact, b.contactName ?? '-'],
    [L.owner, b.ownerName ?? ''],
    [L.date, (b.sentAt ?? b.updatedAt).slice(0, 10)],
    [L.validUntil, b.validUntil ?? '-'],
    [L.currency, b.currency],
  ];
  for (let i = 0; i < meta.length; i += 2) {
    const y = doc.y;
    doc.text(`${meta[i]![0]}：${meta[i]![1]}`, 50, y, { width: width / 2 });
    if (meta[i + 1]) doc.text(`${meta[i + 1]![0]}：${meta[i + 1]![1]}`, 50 + width / 2, y, { width: width / 2 });
    doc.moveDown(0.3);
  }

  // the lines as a table: product, quantity, unit, price, discount, amount
  const cols = [{ w: 0.34 }, { w: 0.11, right: true }, { w: 0.09 }, { w: 0.16, right: true }, { w: 0.1, right: true }, { w: 0.2, right: true }];
  const row = (cells: string[], bold = false) => {
    const y = doc.y;
    let x = 50;
    let bottom = y;
    cells.forEach((cell, i) => {
      const w = cols[i]!.w * width;
      doc.text(cell, x + 2, y, { width: w - 4, align: cols[i]!.right ? 'right' : 'left' });
      bottom = Math.max(bottom, doc.y);
      x += w;
    });
    doc.y = bottom + 4;
    doc.moveTo(50, doc.y - 2).lineTo(50 + width, doc.y - 2).lineWidth(bold ? 1 : 0.5).stroke();
  };
  doc.moveDown(0.8);
  row([L.product, L.quantity, L.unit, L.price, L.discount, L.amount], true);
  for (const l of b.lines) {
    if (doc.y > doc.page.height - 120) doc.addPage();
    row([l.productName, l.quantity, l.unit, money(l.price), l.discount === '0.00' ? '-' : `${l.discount}%`, money(l.amount)]);
  }

  doc.moveDown(0.5);
  const totals: [string, string][] = [
    [L.listTotal, money(b.totals.listTotal)],
    [L.subtotal, money(b.totals.subtotal)],
    ...(b.totals.discountAmount !== '0.00' ? [[`${L.discountAmount}（${b.discount}%）`, `-${money(b.totals.discountAmount)}`] as [string, string]] : []),
    [`${L.tax}（${b.taxRate}%）`, money(b.totals.tax)],
    [L.total, `${b.currency} ${money(b.totals.total)}`],
  ];
  for (const [label, value] of totals) doc.text(`${label}：${value}`, 50, doc.y, { width, align: 'right' });
  doc.moveDown(0.3).fontSize(11).text(`${L.words}：${p.amountInWords}`, 50, doc.y, { width, align: 'right' });
  if (b.terms) {
    doc.moveDown(1).fontSize(11).text(L.terms, 50, doc.y);
    doc.moveDown(0.2).fontSize(10).text(b.terms, { width });
  }
  doc.end();
  return done;
}
