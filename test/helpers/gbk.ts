/** GBK bytes for tests (Node can decode GB18030 but not encode it): the reverse of every two-byte code. */

let table: Map<string, number> | null = null;

function reverseTable(): Map<string, number> {
  const decoder = new TextDecoder('gb18030', { fatal: true });
  const map = new Map<string, number>();
  const pair = Buffer.alloc(2);
  for (let lead = 0x81; lead <= 0xfe; lead++) {
    for (let trail = 0x40; trail <= 0xfe; trail++) {
      if (trail === 0x7f) continue;
      pair[0] = lead;
      pair[1] = trail;
      let ch: string;
      try {
        ch = decoder.decode(pair);
      } catch {
        continue; // unassigned in GBK
      }
      if (!map.has(ch)) map.set(ch, (lead << 8) | trail); // the first code wins where two decode alike
    }
  }
  return map;
}

/** `text` in GBK (the two-byte part of GB18030); throws on a character outside it. */
export function encodeGb18030(text: string): Buffer {
  table ??= reverseTable();
  const out: number[] = [];
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if (c < 0x80) {
      out.push(c);
      continue;
    }
    const code = table.get(ch);
    if (code === undefined) throw new Error(`not in GBK: ${ch} (U+${c.toString(16).toUpperCase()})`);
    out.push(code >> 8, code & 0xff);
  }
  return Buffer.from(out);
}
