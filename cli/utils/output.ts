/** Prints data as pretty JSON on stdout (dates as ISO strings). */
export function printJson(data: unknown): void {
  process.stdout.write(`${JSON.stringify(data, null, 2)}\n`);
}

export function line(text = ''): void {
  process.stdout.write(`${text}\n`);
}

/** Notes and progress go to stderr so stdout keeps only the result. */
export function note(text: string): void {
  process.stderr.write(`${text}\n`);
}

export interface Column<T> {
  title: string;
  value: (row: T) => unknown;
}

/** A plain aligned table; `empty` is printed when there are no rows. */
export function printTable<T>(rows: T[], columns: Column<T>[], empty = '(none)'): void {
  if (rows.length === 0) {
    line(empty);
    return;
  }
  const cells = rows.map((r) => columns.map((c) => cell(c.value(r))));
  const widths = columns.map((c, i) => Math.max(c.title.length, ...cells.map((row) => row[i]!.length)));
  const fmt = (values: string[]) => values.map((v, i) => (i === values.length - 1 ? v : v.padEnd(widths[i]!))).join('  ').trimEnd();
  line(fmt(columns.map((c) => c.title.toUpperCase())));
  for (const row of cells) line(fmt(row));
}

function cell(v: unknown): string {
  if (v === null || v === undefined) return '-';
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (Array.isArray(v)) return v.length ? v.join(', ') : '-';
  return String(v).replace(/\s*\n\s*/g, ' ');
}

/** A framed block for something shown only once (a generated password, an API token). */
export function printSecretBox(title: string, rows: [string, string][], footer?: string): void {
  const label = Math.max(...rows.map(([k]) => k.length));
  const body = [title, '', ...rows.map(([k, v]) => `  ${`${k}:`.padEnd(label + 1)} ${v}`), ...(footer ? ['', footer] : [])];
  const width = Math.max(...body.map((l) => l.length));
  line(`+${'-'.repeat(width + 2)}+`);
  for (const l of body) line(`| ${l.padEnd(width)} |`);
  line(`+${'-'.repeat(width + 2)}+`);
}

/** The one and only time a generated password is shown. */
export function printGeneratedPassword(login: string, password: string, who = 'Administrator account'): void {
  printSecretBox(`${who}: the password is shown ONCE`, [['login', login], ['password', password]], `Save it now; change it with \`portal user passwd ${login}\`.`);
}
