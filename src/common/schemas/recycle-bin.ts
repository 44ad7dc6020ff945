/** The recycle bin (CUS-14): the entities whose deleted records it lists, restores and erases. */
export const BIN_ENTITIES = ['customer', 'contact', 'lead', 'product', 'opportunity'] as const;
export type BinEntity = (typeof BIN_ENTITIES)[number];
