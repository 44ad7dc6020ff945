/**
 * Product lines of sales documents (opportunities, quotes, contracts): the one
 * place that turns a form's lines into stored ones. A product must be on the
 * shelf to be added (SAL-4); a line already on the document keeps its product,
 * name and unit even after the product leaves the shelf. Amounts come from
 * money.ts, never from the client.
 */
import { cents, lineAmount } from '../../../common/money.js';
import type { LineInput } from '../../../common/schemas/line-items.js';
import type { Queryable } from '../../db/database.js';
import { AppError } from '../../platform/http/errors.js';
import { productsForSale } from '../products/products.service.js';

export interface StoredLine {
  productId: number;
  productName: string;
  unit: string;
  quantity: string;
  price: string;
  discount: string;
  amount: string;
}

export async function prepareLines(q: Queryable, tenantId: number, input: LineInput[], existing: StoredLine[] = [], path = 'lines'): Promise<StoredLine[]> {
  const products = await productsForSale(q, tenantId, input.map((l) => l.productId));
  return input.map((l, i) => {
    const product = products.get(l.productId);
    const kept = existing.find((e) => e.productId === l.productId);
    if (!kept && !product?.onShelf) throw new AppError('VALIDATION_FAILED', {}, [{ path: `${path}.${i}.productId`, message: 'disabled' }]);
    const price = l.price ?? product?.price ?? kept!.price;
    return {
      productId: l.productId,
      productName: kept?.productName ?? product!.name,
      unit: kept?.unit ?? product!.unit,
      quantity: l.quantity,
      price: cents(price),
      discount: cents(l.discount),
      amount: lineAmount({ price, quantity: l.quantity, discount: l.discount }),
    };
  });
}
