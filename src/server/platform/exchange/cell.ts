/** One value of an exported table: text, a number (kept a number in the file) or empty. */
export type Cell = string | number | null | undefined;
