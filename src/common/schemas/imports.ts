import { z } from 'zod';
import type { Permission } from '../permissions.js';
import { EXPORT_FORMATS } from './exchange.js';

/** The lists that import files (CUS-16). */
export const IMPORT_ENTITIES = ['customer', 'contact', 'lead', 'product', 'opportunity'] as const;
export type ImportEntity = (typeof IMPORT_ENTITIES)[number];

/**
 * What giving an import's new records to someone else (the owner setting)
 * takes; null: the entity's records have no owner (products), so an import
 * has no owner setting.
 */
export const IMPORT_OWNER_TRANSFER: Record<ImportEntity, Permission | null> = {
  customer: 'customer.transfer',
  // a contact belongs to its customer's owner
  contact: 'customer.transfer',
  lead: 'lead.transfer',
  product: null,
  opportunity: 'opportunity.transfer',
};

/** What happens to a row that the duplicate rules match to an existing record. */
export const DUPLICATE_MODES = ['skip', 'update', 'create'] as const;
export type DuplicateMode = (typeof DUPLICATE_MODES)[number];

export const IMPORT_STATUSES = ['draft', 'queued', 'running', 'completed', 'failed', 'cancelled', 'undoing', 'undone'] as const;
export type ImportStatus = (typeof IMPORT_STATUSES)[number];

/** Largest import file: a million rows of XLSX are ~60 MB, of CSV ~150 MB. */
export const IMPORT_MAX_BYTES = 300 * 1024 * 1024;
/** Rows shown by the preview. */
export const IMPORT_PREVIEW_ROWS = 20;

export const ImportEntityQuery = z.object({ entity: z.enum(IMPORT_ENTITIES) }).strict();
export const ImportTemplateQuery = z.object({ entity: z.enum(IMPORT_ENTITIES), format: z.enum(EXPORT_FORMATS).default('xlsx') }).strict();
export const ImportUploadQuery = z.object({ entity: z.enum(IMPORT_ENTITIES), fileName: z.string().trim().min(1).max(200) }).strict();
export const ImportFailuresQuery = z.object({ format: z.enum(EXPORT_FORMATS).default('xlsx') }).strict();

/**
 * How the file's rows become records: per column of the file the field it
 * fills (null: ignored), what to do with duplicates, and who owns new records
 * (null: the owner column of the file, else the importing user).
 */
export const ImportSettings = z
  .object({
    mapping: z.array(z.string().max(64).nullable()).min(1).max(500),
    duplicates: z.enum(DUPLICATE_MODES).default('skip'),
    ownerId: z.coerce.number().int().positive().nullable().default(null),
  })
  .strict();
export type ImportSettings = z.output<typeof ImportSettings>;

/** A field a column can be mapped to. */
export interface ImportFieldDto {
  key: string;
  label: string;
  required: boolean;
  /** The values a choice field accepts (its labels), for the template's drop-down lists and the wizard. */
  options?: string[];
  /** How the value is written: free text, or e.g. '2026-12-07', '13800138000'. */
  hint?: string;
}

/** An uploaded file before it is imported: what the wizard needs to map its columns. */
export interface ImportDraftDto {
  id: number;
  entity: ImportEntity;
  fileName: string;
  format: 'xlsx' | 'csv';
  /** The text encoding a CSV file was read in ('utf-8', 'gb18030'); null for XLSX. */
  encoding: string | null;
  headers: string[];
  /** The first rows under the header, as text. */
  sample: string[][];
  fields: ImportFieldDto[];
  /** Per column: the field it is mapped to, remembered from the user's last import of this entity or guessed from the header. */
  mapping: (string | null)[];
}

export interface ImportPreviewRow {
  /** The row's number in the file (the header is row 1). */
  rowNumber: number;
  /** The mapped values as they will be stored (by field key). */
  values: Record<string, string>;
  status: 'ok' | 'invalid' | 'duplicate';
  /** Why a row is invalid, or which rule matched a duplicate. */
  messages: string[];
  duplicateOf?: { id: number; name: string } | undefined;
}

export interface ImportPreviewDto {
  rows: ImportPreviewRow[];
}

export interface ImportJobDto {
  id: number;
  entity: ImportEntity;
  fileName: string;
  status: ImportStatus;
  settings: ImportSettings | null;
  rowsDone: number;
  rowsCreated: number;
  rowsUpdated: number;
  rowsSkipped: number;
  rowsFailed: number;
  /**
   * Records the undo moved to the recycle bin (created ones), those it set back
   * to their values before the import (updated ones), and those it kept
   * because they changed since.
   */
  rowsUndone: number;
  rowsRestored: number;
  rowsKept: number;
  /** Share of the file read, 0..1. */
  progress: number;
  /** Estimated from the pace so far; null until there is one. */
  secondsLeft: number | null;
  error: string | null;
  createdBy: { id: number; name: string };
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  allowed: { cancel: boolean; undo: boolean; failures: boolean };
}
