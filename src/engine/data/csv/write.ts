// Columns to RFC 4180 CSV (a header, then one line per row), as dataset exports write them; the import
// reads the result back to the same rows.
import type { ColumnBatch, FieldSpec } from '../types.js';

function quote(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function batchToCsv(batch: ColumnBatch, fields: FieldSpec[]): string {
  const out: string[] = [fields.map((f) => f.name).join(',')];
  const cols = fields.map((f) => batch.columns[f.name]);
  for (let r = 0; r < batch.rowCount; r++) {
    const cells = cols.map((c) => {
      if (!c) return '';
      if (c.type === 'string') {
        const k = c.codes[r]!;
        return k < 0 ? '' : quote(c.dictionary[k]!);
      }
      if (c.nulls?.[r]) return '';
      if (c.type === 'boolean') return c.values[r] ? 'true' : 'false';
      return String(c.values[r]);
    });
    out.push(cells.join(','));
  }
  return out.join('\n') + '\n';
}
