/** The line record shared by the PDF and text readers, before cleaning and structuring. */
export interface Line {
  text: string;
  /** 1-based page. */
  page: number;
  /** Vertical gap before the line: in line heights for PDFs, blank lines for text (0 = none). */
  gap: number;
  /** Left position: PDF x in points; for text the count of leading spaces. */
  x: number;
  /** Right end (PDF), else 0. */
  xEnd: number;
  /** Font size relative to the document's body text (1 = body). */
  size: number;
  /** Whole line set in a non-body font (PDF, usually bold) or emphasised markup (**, <b>, <u>). */
  emph: boolean;
  /** Explicit heading level from markup (#, <h2>). */
  headingLevel?: number;
  /** Explicit list marker from markup (md '-', html <li>). */
  marker?: string;
  /** Inside a block quote (md '>', <blockquote>). */
  quoted?: boolean;
  /** A row of a table (cells joined by ' | '). */
  tableRow?: boolean;
  /** Position on its page (PDF): first/last lines are candidates for running headers/footers. */
  pos?: 'top' | 'bottom' | 'body';
  /** PDF: column pieces of the line with their x (only when the line has wide gaps). */
  cells?: { text: string; x: number }[];
  /** Hard break: the line must start a new block (e.g. a new table cell or markup block). */
  hard?: boolean;
}

export function textLine(text: string, page: number, gap: number, extra: Partial<Line> = {}): Line {
  return { text, page, gap, x: 0, xEnd: 0, size: 1, emph: false, ...extra };
}

export type Dropped = Record<string, number>;

export function bump(d: Dropped, kind: string, n = 1): void {
  if (n > 0) d[kind] = (d[kind] ?? 0) + n;
}
