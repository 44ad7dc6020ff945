import type { ImportEntity } from '../../../common/schemas/imports.js';
import type { ImportDefinition } from '../../platform/exchange/import.js';
import { contactImport } from '../contacts/contact-import.js';
import { customerImport } from '../customers/customer-import.js';
import { leadImport } from '../leads/lead-import.js';
import { opportunityImport } from '../opportunities/opportunity-import.js';
import { productImport } from '../products/product-import.js';

/** The import of each entity that has one. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each entity has its own row type; the runner only passes rows back
export const IMPORT_DEFINITIONS: Record<ImportEntity, ImportDefinition<any>> = {
  customer: customerImport,
  contact: contactImport,
  lead: leadImport,
  product: productImport,
  opportunity: opportunityImport,
};
