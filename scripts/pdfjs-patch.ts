/**
 * Two performance fixes to pdfjs-dist's text extraction, applied as exact source replacements
 * to a copy of its worker bundle (`dist/vendor/pdf.worker.mjs`, written by `npm run build`
 * through scripts/vendor-pdfjs.ts; node_modules is never touched). A build step, so it lives with
 * the build scripts; the pipeline only checks which version the patched copy was made from
 * (src/ingest/pdfjs-version.ts).
 *
 * Both replace code on the per-glyph path of `getTextContent` with code that computes the same
 * values in the same floating-point order, so the text items (strings, transforms, widths) are
 * bit-identical: test/pdfjs-patch.test.ts compares the full text content of the 40 sample
 * reports with and without the patches. Together they halve pdfjs's CPU time on those reports.
 *
 * When pdfjs-dist changes and a replacement no longer matches exactly once, the build writes no
 * patched copy (the stock worker is used, slower but correct) and the test fails, so that the
 * patch is re-derived or dropped on purpose rather than silently.
 */

export interface SourcePatch {
  id: string;
  /** Why the original is slow and why the replacement is equivalent. */
  why: string;
  find: string;
  replace: string;
}

export const PDFJS_WORKER_PATCHES: readonly SourcePatch[] = [
  {
    id: 'textstate-clone-prototype',
    why:
      'TextState.clone() built each copy with Object.create(this), making every saved state the prototype of ' +
      'the next: V8 turns each such object into a prototype (slow-mode) map and every clone gets its own hidden ' +
      'class, so all later property access on text states goes megamorphic (14% of extraction time). All fields ' +
      'are own properties copied by Object.assign, so a plain TextState.prototype copy behaves the same.',
    find: '    const clone = Object.assign(Object.create(this), this);\n    clone.textMatrix = this.textMatrix.slice();',
    replace: '    const clone = Object.assign(Object.create(TextState.prototype), this);\n    clone.textMatrix = this.textMatrix.slice();',
  },
  {
    id: 'text-transform-inline',
    why:
      'getCurrentTextTransform() runs about twice per glyph and allocated two 6-element arrays through the ' +
      'generic Util.transform (Float32Array and Array operands: polymorphic element loads). The replacement ' +
      'multiplies the same matrices with the same expressions (including the zero terms, so NaN, infinities and ' +
      'signed zeros come out the same) and allocates once.',
    find: `      const tsm = [textState.fontSize * textState.textHScale, 0, 0, textState.fontSize, 0, textState.textRise];
      if (font.isType3Font && (textState.fontSize <= 1 || font.isCharBBox) && !isArrayEqual(textState.fontMatrix, FONT_IDENTITY_MATRIX)) {
        const glyphHeight = font.bbox[3] - font.bbox[1];
        if (glyphHeight > 0) {
          tsm[3] *= glyphHeight * textState.fontMatrix[3];
        }
      }
      return Util.transform(textState.ctm, Util.transform(textState.textMatrix, tsm));`,
    replace: `      const a = textState.fontSize * textState.textHScale;
      let d = textState.fontSize;
      const f = textState.textRise;
      if (font.isType3Font && (textState.fontSize <= 1 || font.isCharBBox) && !isArrayEqual(textState.fontMatrix, FONT_IDENTITY_MATRIX)) {
        const glyphHeight = font.bbox[3] - font.bbox[1];
        if (glyphHeight > 0) {
          d *= glyphHeight * textState.fontMatrix[3];
        }
      }
      const m = textState.textMatrix, c = textState.ctm;
      const i0 = m[0] * a + m[2] * 0, i1 = m[1] * a + m[3] * 0, i2 = m[0] * 0 + m[2] * d, i3 = m[1] * 0 + m[3] * d;
      const i4 = m[0] * 0 + m[2] * f + m[4], i5 = m[1] * 0 + m[3] * f + m[5];
      return [c[0] * i0 + c[2] * i1, c[1] * i0 + c[3] * i1, c[0] * i2 + c[2] * i3, c[1] * i2 + c[3] * i3, c[0] * i4 + c[2] * i5 + c[4], c[1] * i4 + c[3] * i5 + c[5]];`,
  },
];

export interface PatchResult {
  text: string;
  applied: string[];
  /** Patches whose `find` text did not occur exactly once (not applied). */
  missing: { id: string; occurrences: number }[];
}

/** Apply each patch whose `find` text occurs exactly once; report the others. */
export function applySourcePatches(source: string, patches: readonly SourcePatch[] = PDFJS_WORKER_PATCHES): PatchResult {
  let text = source;
  const applied: string[] = [];
  const missing: PatchResult['missing'] = [];
  for (const p of patches) {
    const occurrences = text.split(p.find).length - 1;
    if (occurrences !== 1) {
      missing.push({ id: p.id, occurrences });
      continue;
    }
    text = text.replace(p.find, () => p.replace);
    applied.push(p.id);
  }
  return { text, applied, missing };
}
