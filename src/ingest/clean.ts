/**
 * Cleaning: remove page furniture and boilerplate from lines, counting what was dropped
 * by kind (the run report sums these). Kinds: page_number, running_header, stamp,
 * back_matter, contact, web_furniture, toc, footnote.
 */
import { bump, type Dropped, type Line } from './lines.js';

const PAGE_NUMBER = /^(?:page\s*)?\d{1,3}(?:\s*(?:of|\/)\s*\d{1,3})?$|^-\s*\d{1,3}\s*-$|^\d{1,3}\s*\|\s*page$/i;
const STAMP = /^(?:pre-?publication(?: draft)?|draft|official[- ]sensitive|official|not protectively marked|restricted|embargoed.*)$/i;
const BACK_MATTER_START = [
  /^the office for standards in education,? children.s services\s+and\s+skills/i,
  /^ofsted has statutory responsibility/i,
  /^if you would like a copy of this document in a different format/i,
  /^interested in our work\?/i,
  /^any complaints about the inspection or the report/i,
  /^you may (?:re-?use|copy) (?:this information|all or parts)/i,
  /^©\s*crown copyright/i,
];
const BACK_MATTER_LINE = [
  /^©\s*crown copyright \d{4}$/i,
  /^(?:website|web):\s*www\.ofsted\.gov\.uk$/i,
  /^this document may be reproduced in whole or in part/i,
  /^that the information quoted is reproduced without adaptation/i,
  /^publication are stated\.?$/i,
  /^further copies of this report are obtainable/i,
  /^this publication is available at/i,
  /^to receive regular email alerts about new publications/i,
  /^(?:reference )?no\.?\s*\d{6}$/i,
  /^(?:ofsted|piccadilly gate|store st(?:reet)?|manchester|m1 2wd)$/i,
  /^(?:t|textphone|e|w)\s*:?\s*(?:0[\d ]{9,}|\S+@ofsted\.gov\.uk|(?:https?:\/\/)?www\.[\w./-]+)$/i,
];
const CONTACT_LABEL =
  /^(?:contact(?: name| officers?(?:\(s\))?| details| us)?|tel(?:ephone)?|phone|mobile|e-?mail|fax|textphone|name|position|job title|author|report author|direct line)\b\s*[:.]?\s*/i;
/**
 * An e-mail address. The look-behind anchors each attempt at the start of a run of address
 * characters: without it a long run with no "@" is rescanned from every position (quadratic).
 */
const EMAIL = /(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+/;
const PHONE = /(?:\+44\s?|\b0)\d{2,4}[\s-]?\d{3,4}[\s-]?\d{3,4}\b/;
const URL_ONLY = /^(?:https?:\/\/|www\.)\S+$/i;
const POSTCODE_LINE = /^(?:[\w' ,.-]{0,40}\s)?[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}$/;
const SOCIAL = /\b(?:linkedin|facebook|twitter|instagram|youtube|pinterest|rss|tiktok|flickr)\b/gi;
const WEB_FURNITURE = [
  /\bcontact us\b/i,
  /\bwebsite design by\b/i,
  /\ball rights reserved\b/i,
  /^skip to (?:main )?content$/i,
  /\bcookies?\b.*\b(?:settings|policy|accept)\b/i,
  /^(?:privacy(?: policy)?|accessibility(?: statement)?|terms(?: and conditions)?|sitemap|share this(?: page)?|back to top|print this page|sign up|subscribe)$/i,
  /\bcollaboration\b.*\bby\b/i,
];
const TOC_LINE = /^(.{3,}?)(?:\s*\.{3,}\s*|\t\s*)(\d{1,3})$/;
/**
 * Furniture (contents entries, contact lines, cookie banners, addresses) is short. Longer lines are
 * never tested against those patterns, which keeps cleaning linear in the length of a line: a
 * pattern like TOC_LINE backtracks quadratically on a line of 100,000 dots.
 */
const MAX_FURNITURE_CHARS = 300;
const isTocLine = (t: string) => t.length <= MAX_FURNITURE_CHARS && TOC_LINE.test(t);
const CONTENTS = /^(?:table of )?contents$/i;
const FOOTNOTE = /^\d{1,2}\s+(?:[A-Z]|https?:|www\.)/;

function isBackMatterStart(t: string): boolean {
  for (const re of BACK_MATTER_START) if (re.test(t)) return true;
  return false;
}

function runningKey(t: string): string {
  return t.replace(/\t/g, ' ').replace(/\d+/g, '#').replace(/\s+/g, ' ').trim().toLowerCase();
}

function wordCount(t: string): number {
  let n = 0;
  for (const w of t.split(/\s+/)) if (w) n++;
  return n;
}

export interface CleanContext {
  isPdf: boolean;
  pageCount: number;
}

/** Remove furniture; returns kept lines. */
export function cleanLines(lines: Line[], ctx: CleanContext, dropped: Dropped): Line[] {
  const drop = new Uint8Array(lines.length);
  const mark = (i: number, kind: string) => {
    if (!drop[i]) {
      drop[i] = 1;
      bump(dropped, kind);
    }
  };
  // 1. Running headers/footers: the same text (digits ignored) near the top or bottom of many pages.
  if (ctx.pageCount >= 3) {
    const pagesByKey = new Map<string, Set<number>>();
    const edge = edgeIndexes(lines);
    for (const i of edge) {
      const k = runningKey(lines[i]!.text);
      if (!k) continue;
      if (!pagesByKey.has(k)) pagesByKey.set(k, new Set());
      pagesByKey.get(k)!.add(lines[i]!.page);
    }
    const need = Math.max(3, Math.ceil(ctx.pageCount * 0.3));
    for (const i of edge) {
      const k = runningKey(lines[i]!.text);
      if ((pagesByKey.get(k)?.size ?? 0) >= need && !PAGE_NUMBER.test(lines[i]!.text)) mark(i, 'running_header');
    }
  }
  // 2. Line-level furniture.
  let onContentsPage = -1;
  for (let i = 0; i < lines.length; i++) {
    if (drop[i]) continue;
    const l = lines[i]!;
    const t = l.text.replace(/\t/g, ' ').trim();
    const edgeLine = !ctx.isPdf || l.pos === 'top' || l.pos === 'bottom';
    if (PAGE_NUMBER.test(t) && (edgeLine || /^page\b/i.test(t))) {
      if (ctx.isPdf || ctx.pageCount > 1 || /^page\b/i.test(t) || /^-\s*\d/.test(t)) {
        mark(i, 'page_number');
        continue;
      }
    }
    if (STAMP.test(t)) {
      mark(i, 'stamp');
      continue;
    }
    if (BACK_MATTER_LINE.some((re) => re.test(t))) {
      mark(i, 'back_matter');
      continue;
    }
    if (CONTENTS.test(t)) {
      onContentsPage = l.page;
      mark(i, 'toc');
      // A PDF contents page: when most of the rest of the page are "entry ... page" lines,
      // the whole rest is the table of contents (entries wrap onto unnumbered lines).
      if (ctx.isPdf) {
        let n = 0;
        let toc = 0;
        for (let j = i + 1; j < lines.length && lines[j]!.page === l.page; j++) {
          n++;
          if (isTocLine(lines[j]!.text.trim())) toc++;
        }
        if (n > 0 && toc / n >= 0.5) for (let j = i + 1; j < lines.length && lines[j]!.page === l.page; j++) mark(j, 'toc');
      }
      continue;
    }
    if (onContentsPage === l.page && (isTocLine(l.text.trim()) || isTocLine(t))) {
      mark(i, 'toc');
      continue;
    }
    if (t.length > MAX_FURNITURE_CHARS) continue;
    const words = wordCount(t);
    if (words <= 14) {
      const label = CONTACT_LABEL.exec(t);
      const rest = label ? t.slice(label[0].length) : t;
      if (label && (rest === '' || EMAIL.test(rest) || PHONE.test(rest) || (words <= 6 && /:/.test(t)))) {
        mark(i, 'contact');
        continue;
      }
      if (EMAIL.test(t) && words <= 4) {
        mark(i, 'contact');
        continue;
      }
      if (URL_ONLY.test(t)) {
        mark(i, 'web_furniture');
        continue;
      }
    }
    if (!ctx.isPdf) {
      const social = t.match(SOCIAL);
      if ((social && social.length >= 3) || (words <= 20 && WEB_FURNITURE.some((re) => re.test(t)))) {
        mark(i, 'web_furniture');
        continue;
      }
    }
    if (POSTCODE_LINE.test(t) && words <= 8) {
      // An address block: the postcode line and the short lines just above it.
      mark(i, 'contact');
      for (let j = i - 1, n = 0; j >= 0 && n < 8; j--, n++) {
        const p = lines[j]!;
        const pt = p.text.trim();
        if (drop[j]) continue;
        if (p.page !== l.page || wordCount(pt) > 7 || /[.;:!?]$/.test(pt) || p.headingLevel !== undefined || p.marker) break;
        mark(j, 'contact');
        if (p.gap >= 1 && !ctx.isPdf) break;
      }
      continue;
    }
    if (ctx.isPdf && l.pos === 'bottom' && l.size < 0.85 && FOOTNOTE.test(t)) {
      mark(i, 'footnote');
      continue;
    }
  }
  // 3. Back matter: from the first trigger on the last pages (PDF) / last lines (text) to the end.
  const firstTail = ctx.isPdf ? Math.max(1, ctx.pageCount - 2) : Number.POSITIVE_INFINITY;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    const tail = ctx.isPdf ? l.page >= firstTail : i >= lines.length - 40;
    if (tail && isBackMatterStart(l.text)) {
      for (let j = i; j < lines.length; j++) if (!drop[j]) mark(j, 'back_matter');
      break;
    }
  }
  // 4. Trailing web furniture of text documents: a run of short unpunctuated lines at the end
  // that holds at least one furniture line already dropped.
  if (!ctx.isPdf) {
    let j = lines.length - 1;
    let sawFurniture = false;
    const run: number[] = [];
    while (j >= 0) {
      const l = lines[j]!;
      const t = l.text.trim();
      if (drop[j]) {
        sawFurniture = true;
        j--;
        continue;
      }
      if (wordCount(t) > 20 || /[.!?]["”’]?$/.test(t)) break;
      run.push(j);
      j--;
    }
    if (sawFurniture) for (const k of run) mark(k, 'web_furniture');
  }
  const out: Line[] = [];
  for (let i = 0; i < lines.length; i++) if (!drop[i]) out.push(lines[i]!);
  return out;
}

/** Indexes of the first 3 and last 3 lines of each page. */
function edgeIndexes(lines: Line[]): number[] {
  const byPage = new Map<number, number[]>();
  lines.forEach((l, i) => {
    if (!byPage.has(l.page)) byPage.set(l.page, []);
    byPage.get(l.page)!.push(i);
  });
  const out = new Set<number>();
  for (const idx of byPage.values()) {
    for (const i of idx.slice(0, 3)) out.add(i);
    for (const i of idx.slice(-3)) out.add(i);
  }
  return [...out].sort((a, b) => a - b);
}
