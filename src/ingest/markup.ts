/**
 * Text formats (txt, md, html) to lines. Council reports arrive as text or Markdown exports
 * that often still hold HTML tags, Markdown table pipes and tab-separated table cells; this
 * turns them into plain lines with the structure hints (heading level, list marker, quote,
 * table row) the structurer needs, and counts what markup it removed.
 */
import { decodeHTML } from 'entities';
import { bump, textLine, type Dropped, type Line } from './lines.js';

// Every pattern here runs in time linear in the text: a tag's attributes stop at the next "<"
// ("[^<>]*"), so a run of "<a<a<a..." is not rescanned from each "<"; elements whose content is
// removed (scripts, comments) are found by removeElements, one pass from left to right.
const HAS_TAGS = /<\/?(?:p|ul|ol|li|i|b|u|em|strong|div|br|span|table|tr|td|th|h[1-6]|blockquote|a|font|sup|sub)\b[^<>]*>/i;
const DROP_ELEMENTS = /<(script|style|head|noscript|svg|template)\b[^<>]*>/gi;
const FURNITURE_ELEMENTS = /<(nav|footer|header|aside|form|button)\b[^<>]*>/gi;
const COMMENT_OPEN = /<!--/g;
const BLOCKQUOTE_OPEN = /<blockquote\b[^<>]*>/gi;
const BLOCKQUOTE_CLOSE = /<\/blockquote\s*>/gi;
const HEADING_OPEN = /<h([1-6])\b[^<>]*>/gi;
const HEADING_CLOSE = /<\/h[1-6]\s*>/gi;
const LI_OPEN = /<li\b[^<>]*>/gi;
const CELL_OPEN = /<t[dh]\b[^<>]*>/gi;
const EMPH_OPEN = /<(?:b|strong|u)\b[^<>]*>/gi;
const EMPH_CLOSE = /<\/(?:b|strong|u)\s*>/gi;
const BLOCK_TAG = /<\/?(?:p|div|br|ul|ol|li|table|tbody|thead|tr|section|article|main|body|html|dl|dt|dd|hr|figure|figcaption|caption)\b[^<>]*>/gi;
const ANY_TAG = /<\/?[a-zA-Z][^<>]*>/g;

// Sentinels (private-use characters never found in the reports).
const Q_OPEN = '\uE001';
const Q_CLOSE = '\uE002';
const H_MARK = '\uE003';
const E_OPEN = '\uE004';
const E_CLOSE = '\uE005';
const SENTINELS = /[\uE001-\uE005]/g;

const MD_HEADING = /^(#{1,6})\s+(.*?)\s*#*\s*$/;
const MD_QUOTE = /^>\s?/;
const MD_TABLE_SEP = /^[\s|:+-]*-[\s|:+-]*$/;
// Link and image text stops at the next bracket, a title at 200 characters: linear time.
const MD_IMAGE = /!\[[^[\]]*\]\([^()]*\)/g;
const MD_LINK = /\[([^[\]]+)\]\((?:[^()\s]+)(?:\s+"[^"\n]{0,200}")?\)/g;
const MD_STRONG = /\*\*|__/g;
const MD_EM = /(?<![\w*])\*(?=[^\s*])|(?<=[^\s*])\*(?![\w*])/g;
const MD_ESCAPE = /\\([\\`*_{}[\]()#+\-.!|>])/g;
const LIST_PREFIX_BEFORE_PIPE = /^\s*(?:[-*+]\s+)?(?=\|)/;
const INLINE_BULLET_SPLIT = /\s+[•◼▪●■]\s+/;
const HAS_INLINE_BULLET = /(?:^|\s)[•◼▪●■]\s/;
export const MARKER_ONLY = /^(?:\d{1,3}(?:\.\d{1,3})*\.?|\((?:[ivxlc]{1,6}|[a-z]|\d{1,2})\)|[a-z]\)|[ivx]{1,5}\.|[•◼▪●■◦▫□–-])$/;
const LEADING_MARKER = /^(\d{1,3}(?:\.\d{1,3})*\.|\d{1,3}\)|\((?:[ivxlc]{1,6}|[a-z]|\d{1,2})\)|[a-z]\)|[•◼▪●■◦▫□‣∙·\uF0B7\uF0A7\uF076\uF0D8\uF0FC]|[-*+–](?=\s))\s*(?=\S)/;
const LAYOUT_GAP = /\S {3,}\S/;
const LAYOUT_GAP_SPLIT = / {3,}/;
const SETEXT = /^\s*(?:-{2,}|={2,})\s*$/;
const NUMBER_AFTER_BULLET = /^(\d{1,3}(?:\.\d{1,3})*\.?)\s+(?=\S)/;
/** "Report to: Cabinet", "Date: 09/11/2020": a short label, a colon and a value (a key-value row). */
const LABEL_VALUE = /^([A-Z][A-Za-z()'’/&\- ]{1,40}?):\s+(\S.{0,120})$/;
const ZERO_WIDTH = /[\u200B-\u200D\uFEFF\u00AD]/g;
const NBSP = /[\u00A0\u2007\u202F]/g;

/** Convert embedded HTML to lines with sentinels; counts tags removed. */
/**
 * Remove every element that `open` finds (a global pattern for its opening tag) up to its closing
 * tag, `close(match)`, in one pass: after a removal the search goes on past it, and a name whose
 * closing tag is missing from the rest of the text is not searched for again. An element with no
 * closing tag is left in place (its tag goes with the other tags). `replacement` stands in for it.
 */
function removeElements(t: string, open: RegExp, close: (m: RegExpExecArray) => string, replacement: string, onRemove: () => void): string {
  let out = '';
  let last = 0;
  const unclosed = new Set<string>();
  const closers = new Map<string, RegExp>();
  open.lastIndex = 0;
  for (let m = open.exec(t); m; m = open.exec(t)) {
    const closing = close(m);
    if (unclosed.has(closing)) continue;
    let re = closers.get(closing);
    if (!re) closers.set(closing, (re = new RegExp(closing, 'gi')));
    re.lastIndex = open.lastIndex;
    const end = re.exec(t);
    if (!end) {
      unclosed.add(closing);
      continue;
    }
    out += t.slice(last, m.index) + replacement;
    last = end.index + end[0].length;
    open.lastIndex = last;
    onRemove();
  }
  return last === 0 ? t : out + t.slice(last);
}

const closingTag = (m: RegExpExecArray) => `</${m[1]!.toLowerCase()}\\s*>`;

function htmlToText(text: string, isHtmlFile: boolean, dropped: Dropped): string {
  let t = removeElements(text, COMMENT_OPEN, () => '-->', '', () => {});
  t = removeElements(t, DROP_ELEMENTS, closingTag, '\n', () => bump(dropped, 'html_tag'));
  if (isHtmlFile) t = removeElements(t, FURNITURE_ELEMENTS, closingTag, '\n', () => bump(dropped, 'web_furniture'));
  t = t
    .replace(BLOCKQUOTE_OPEN, `\n${Q_OPEN}\n`)
    .replace(BLOCKQUOTE_CLOSE, `\n${Q_CLOSE}\n`)
    .replace(HEADING_OPEN, (_m, n: string) => `\n\n${H_MARK}${n}`)
    .replace(HEADING_CLOSE, '\n\n')
    .replace(LI_OPEN, '\n• ')
    .replace(CELL_OPEN, '\t')
    .replace(EMPH_OPEN, E_OPEN)
    .replace(EMPH_CLOSE, E_CLOSE);
  let tags = 0;
  t = t.replace(BLOCK_TAG, (m) => {
    tags++;
    return /^<\/?(?:p|div|table|section|article|ul|ol)\b/i.test(m) ? '\n\n' : '\n';
  });
  t = t.replace(ANY_TAG, () => {
    tags++;
    return '';
  });
  bump(dropped, 'html_tag', tags);
  return decodeHTML(t);
}

function cleanInline(s: string): string {
  return s
    .replace(MD_IMAGE, '')
    .replace(MD_LINK, '$1')
    .replace(MD_STRONG, '')
    .replace(MD_EM, '')
    .replace(MD_ESCAPE, '$1')
    .replace(/[ \t]+/g, ' ')
    .trim();
}

const BARE_NUMBER = /^\d{1,3}$/;

/** Only blank space (or nothing) before the next form feed or the end of the text. */
function atPageEnd(text: string, from: number): boolean {
  for (let k = from; k < text.length; k++) {
    const c = text.charCodeAt(k);
    if (c === 12) return true;
    if (c !== 32 && c !== 10 && c !== 9) return false;
  }
  return true;
}

/** Split a text document into lines with structure hints. */
export function textToLines(raw: string, format: 'txt' | 'md' | 'html', dropped: Dropped): Line[] {
  let text = raw.replace(/\r\n?/g, '\n').replace(NBSP, ' ').replace(ZERO_WIDTH, '');
  if (format === 'html' || HAS_TAGS.test(text.slice(0, 200_000)) || HAS_TAGS.test(text)) {
    text = htmlToText(text, format === 'html', dropped);
  }
  const out: Line[] = [];
  let page = 1;
  let gap = 0;
  let quoted = false;
  let pendingMarker: string | undefined;
  let start = 0;
  const len = text.length;
  while (start <= len) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = len;
    let line = text.slice(start, end);
    start = end + 1;
    // Form feeds are page breaks (text exported from PDFs).
    if (line.includes('\f')) {
      const parts = line.split('\f');
      page += parts.length - 1;
      line = parts[parts.length - 1]!;
      gap++;
    }
    if (line.includes(Q_OPEN)) {
      quoted = true;
      line = line.replace(Q_OPEN, '');
    }
    if (line.includes(Q_CLOSE)) {
      quoted = false;
      line = line.replace(Q_CLOSE, '');
    }
    // Setext underline ("Heading" / "---" or "==="): the previous line is a heading.
    if (format !== 'html' && SETEXT.test(line) && out.length && gap === 0) {
      const prev = out[out.length - 1]!;
      if (!prev.marker && !prev.tableRow && prev.text.length < 120) {
        prev.headingLevel = line.trim().startsWith('=') ? 1 : 2;
        prev.hard = true;
        bump(dropped, 'table_syntax');
        continue;
      }
    }
    const indentMatch = /^[ \t]*/.exec(line)![0];
    const x = indentMatch.replace(/\t/g, '    ').length;
    let body = line.trim();
    if (!body || /^[\uE001-\uE005\s]*$/.test(body)) {
      gap++;
      continue;
    }
    // A bare number just before a page break is the page's number (`pdftotext -layout` output),
    // not the marker of the paragraph that runs on over the break: cleaning drops it.
    if (BARE_NUMBER.test(body) && atPageEnd(text, start)) {
      out.push(textLine(body, page, gap, { x, pos: 'bottom' }));
      gap = 0;
      continue;
    }
    let headingLevel: number | undefined;
    let lineQuoted = quoted;
    let emph = false;
    const hm = body.match(/^\uE003([1-6])/);
    if (hm) {
      headingLevel = Number(hm[1]);
      body = body.slice(2);
    }
    if (MD_QUOTE.test(body) && format !== 'html') {
      lineQuoted = true;
      body = body.replace(/^(?:>\s?)+/, '');
    }
    const mh = format !== 'html' ? MD_HEADING.exec(body) : null;
    if (mh) {
      headingLevel = mh[1]!.length;
      body = mh[2]!;
    }
    // Whole-line emphasis: <b>..</b>, <u>..</u>, **..**
    const stripped = body.replace(/[\uE004\uE005]/g, (m) => m);
    if (/^\uE004[^\uE004]*\uE005[:.]?$/.test(stripped) || /^(\*\*|__)[^*_]+\1[:.]?$/.test(body)) emph = true;
    body = body.replace(SENTINELS, '');
    // Tables: pipes and tabs.
    let cells: string[] | null = null;
    const pipeBody = body.replace(LIST_PREFIX_BEFORE_PIPE, '');
    if (pipeBody.startsWith('|') || pipeBody.endsWith('|') || / \| /.test(pipeBody)) {
      if (MD_TABLE_SEP.test(pipeBody)) {
        bump(dropped, 'table_syntax');
        continue;
      }
      cells = pipeBody.split('|');
      bump(dropped, 'table_syntax');
    } else if (body.includes('\t') || line.includes('\t')) {
      cells = line.split('\t');
    } else if (LAYOUT_GAP.test(body)) {
      // Columns laid out with runs of spaces (text exported with `pdftotext -layout`).
      cells = body.split(LAYOUT_GAP_SPLIT);
    }
    let tableRow = false;
    let marker: string | undefined;
    if (cells) {
      const cs = cells.map((c) => cleanInline(c.replace(SENTINELS, ''))).filter((c) => c.length > 0);
      if (cs.length === 0) {
        gap++;
        continue;
      }
      if (MARKER_ONLY.test(cs[0]!) && cs.length >= 2) {
        marker = cs[0];
        body = cs.slice(1).join(' ');
      } else if (cs.length === 1) {
        if (MARKER_ONLY.test(cs[0]!)) {
          pendingMarker = cs[0];
          continue;
        }
        body = cs[0]!;
      } else {
        const longest = Math.max(...cs.map((c) => c.length));
        if (longest > 80 && cs.length <= 2) body = cs.join(' ');
        else {
          body = cs.join(' | ');
          tableRow = true;
        }
      }
    } else {
      body = cleanInline(body);
    }
    if (!body) {
      gap++;
      continue;
    }
    if (!marker && !tableRow && headingLevel === undefined) {
      const lm = LEADING_MARKER.exec(body);
      if (lm) {
        marker = lm[1]!;
        body = body.slice(lm[0].length);
        // "- 18.1. text" or "- 20 text": the number is the real marker.
        const num = NUMBER_AFTER_BULLET.exec(body);
        if (num && /^[-*+•–]$/.test(marker)) {
          marker = num[1]!;
          body = body.slice(num[0].length);
        }
      } else if (MARKER_ONLY.test(body) && !/^[a-z]\)$/.test(body)) {
        pendingMarker = body;
        continue;
      } else {
        const kv = LABEL_VALUE.exec(body);
        if (kv && !/^(?:https?|www)/i.test(kv[1]!)) {
          tableRow = true;
          body = `${kv[1]!.trim()}: | ${kv[2]!.trim()}`;
        }
      }
    }
    if (pendingMarker && !marker && !tableRow) marker = pendingMarker;
    pendingMarker = undefined;
    // Several bullets run together on one line ("• a • b • c").
    if (!tableRow && HAS_INLINE_BULLET.test(body)) {
      const parts = body.split(INLINE_BULLET_SPLIT).map((p) => p.replace(/^[•◼▪●■]\s*/, '').trim());
      const leadIsBullet = /^[•◼▪●■]\s/.test(body);
      parts.forEach((p, k) => {
        if (!p) return;
        const isItem = k > 0 || leadIsBullet;
        out.push(
          textLine(p, page, k === 0 ? gap : 0, {
            x,
            marker: isItem ? '•' : marker,
            quoted: lineQuoted,
            hard: true,
          }),
        );
      });
      gap = 0;
      continue;
    }
    out.push(
      textLine(body, page, gap, {
        x,
        headingLevel,
        marker,
        quoted: lineQuoted,
        tableRow,
        emph,
        hard: !!cells || headingLevel !== undefined,
      }),
    );
    gap = 0;
  }
  return out;
}
