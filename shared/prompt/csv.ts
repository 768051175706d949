// The slice of Python's csv module (dialect "excel") that A1111 uses for styles.csv and grid axis
// values, so files and fields round-trip byte-for-byte: quotes only open at a field's start,
// `""` is a quote inside quotes, blank lines are skipped, rows end in CRLF, QUOTE_MINIMAL on write.

export interface CsvReadOptions {
  /** Python's skipinitialspace: spaces after a comma are dropped (and a quote may follow them). */
  skipInitialSpace?: boolean;
}

export function parseCsv(text: string, options: CsvReadOptions = {}): string[][] {
  const rows: string[][] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    if (text[i] === '\r' || text[i] === '\n') {
      i++;
      continue;
    }
    const row: string[] = [];
    for (;;) {
      if (options.skipInitialSpace) while (text[i] === ' ') i++;
      let field = '';
      if (text[i] === '"') {
        for (i++; i < n; i++) {
          if (text[i] !== '"') field += text[i];
          else if (text[i + 1] === '"') field += text[++i];
          else {
            i++;
            break;
          }
        }
      }
      // Text after a closing quote, or an unquoted field: taken literally up to the delimiter.
      while (i < n && text[i] !== ',' && text[i] !== '\r' && text[i] !== '\n') field += text[i++];
      row.push(field);
      if (text[i] !== ',') break;
      i++;
    }
    rows.push(row);
    if (text[i] === '\r') i++;
    if (text[i] === '\n') i++;
  }
  return rows;
}

function quoteField(field: string, alone: boolean): string {
  if (/[",\r\n]/u.test(field) || (alone && field === '')) return `"${field.replaceAll('"', '""')}"`;
  return field;
}

export function formatCsv(rows: string[][]): string {
  return rows.map((row) => row.map((f) => quoteField(f, row.length === 1)).join(',') + '\r\n').join('');
}
