import { z } from 'zod';
import { Money, Percent, Quantity } from '../money.js';
import { Id } from './common.js';

/** A product line of an opportunity, a quote or a contract as a form sends it. */
export const LineInput = z
  .object({
    productId: Id,
    quantity: Quantity,
    /** Default: the product's list price. */
    price: Money.optional(),
    discount: Percent.default('0'),
  })
  .strict();
export type LineInput = z.output<typeof LineInput>;

export interface LineDto {
  id: number;
  productId: number;
  productName: string;
  unit: string;
  quantity: string;
  price: string;
  discount: string;
  amount: string;
}
