/**
 * `npm run eval`: S/I/M/N tagging (ours, k-fold cross-validation by document) next to the rules
 * alone and natural's AFINN baseline, overall and per kind of document; then the themes (micro and
 * per theme) and the improvement-share error of document x theme cells, on train + dev of
 * ../shared/eval (or $EVAL_DIR). `--folds <k>` sets the folds (default 5); `--json <file>` also
 * writes the headline figures there (what the acceptance test reads). Each PDF report is also
 * converted with `pdftotext -layout` and labelled again as plain text by its fold's model
 * (`--no-text` skips that).
 */
import { writeFileSync } from 'node:fs';
import { DEFAULT_EVAL_DIR, loadEvalUnits, type EvalUnit } from '../src/eval/data.js';
import { evaluateCells, formatCellEval, type UnitPrediction } from '../src/eval/cells.js';
import { alignEvalDocs, hasPdftotext } from '../src/eval/align.js';
import { DEFAULT_FOLDS, evaluateLabels, formatLabelEval, prepareDocs, scoreLabels } from '../src/eval/labels.js';
import { evaluateThemesCV, formatThemeEval } from '../src/eval/themes.js';
import { loadCodebook } from '../src/theme/codebook.js';

const arg = (name: string) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const jsonOut = arg('--json');
const at = process.argv.indexOf('--folds');
const folds = at > 0 ? Number(process.argv[at + 1]) : DEFAULT_FOLDS;
if (!Number.isInteger(folds) || folds < 2) {
  process.stderr.write('eval: --folds takes a whole number >= 2, e.g. --folds 5\n');
  process.exit(2);
}
const evalDir = process.env.EVAL_DIR ?? DEFAULT_EVAL_DIR;
const units = loadEvalUnits(evalDir);
const t0 = performance.now();
const aligned = await alignEvalDocs(units, evalDir, (_d, k, n) => {
  if (k % 25 === 0) process.stderr.write(`eval: reading sources ${k}/${n}\n`);
});
if (aligned.missing.length) process.stderr.write(`eval: sources missing for ${aligned.missing.length} documents (headings guessed from the units): ${aligned.missing.join(', ')}\n`);
// The PDF reports again, converted with pdftotext -layout and read as text (skipped with --no-text or without pdftotext).
let alternate: ReturnType<typeof prepareDocs> | undefined;
if (!process.argv.includes('--no-text')) {
  if (hasPdftotext()) {
    const asText = await alignEvalDocs(units, evalDir, (_d, k, n) => {
      if (k % 25 === 0) process.stderr.write(`eval: reading PDF sources as layout text ${k}/${n}\n`);
    }, 'layout-text');
    alternate = prepareDocs(asText.docs);
  } else process.stderr.write('eval: pdftotext not found (Debian: apt-get install poppler-utils): the plain-text comparison is skipped\n');
}
const labels = evaluateLabels(prepareDocs(aligned.docs), { folds, alternate, onFold: (f, n) => process.stderr.write(`eval: fold ${f + 1}/${n} (${((performance.now() - t0) / 1000).toFixed(0)} s)\n`) });
process.stdout.write(formatLabelEval(labels) + '\n\n');
const codebook = loadCodebook();
// The cells a chart shows: predicted labels (cross-validated) with the themes the pipeline gives them.
const predictedLabel = new Map<EvalUnit, UnitPrediction['label']>();
for (const p of labels.predictions) p.units.forEach((u, k) => predictedLabel.set(u, p.ours[k]!));
const themeCv = evaluateThemesCV(aligned.docs, codebook, folds, (u) => predictedLabel.get(u) ?? 'N');
process.stdout.write('themes, codebook rules alone:\n' + formatThemeEval(themeCv.rulesOnly) + '\n\n');
process.stdout.write(`themes, learned scorers + codebook (${folds}-fold CV by document):\n` + formatThemeEval(themeCv.model) + '\n\n');
const themeEval = themeCv.model;
const predicted = new Map<EvalUnit, UnitPrediction>(units.map((u) => [u, { label: predictedLabel.get(u) ?? 'N', themes: themeCv.pipeline.get(u) ?? [] }]));
const cells = evaluateCells(units, predicted);
process.stdout.write(formatCellEval(cells) + '\n');
if (jsonOut) {
  const macro = (m: { macroF1: number; perLabel: { label: string; f1: number }[] }) => ({ macroF1: m.macroF1, f1: Object.fromEntries(m.perLabel.map((l) => [l.label, l.f1])) });
  const figures = {
    dataSha256: labels.dataSha256,
    units: labels.units,
    documents: labels.documents,
    folds: labels.folds,
    labels: { ours: macro(labels.ours), rulesOnly: macro(labels.rulesOnly), afinn: macro(labels.afinn), families: Object.fromEntries(Object.entries(labels.families).map(([f, m]) => [f, macro(m)])) },
    byKind: Object.fromEntries(Object.entries(labels.byKind).map(([k, v]) => [k, { documents: v!.documents, units: v!.units, ours: v!.ours.macroF1, rulesOnly: v!.rulesOnly.macroF1, afinn: v!.afinn.macroF1 }])),
    documentsMacroF1: Object.fromEntries(labels.predictions.map((p) => [p.doc, scoreLabels(p.units.map((u) => u.label), p.ours).macroF1])),
    councilPapers: Object.fromEntries(labels.predictions.filter((p) => p.kind === 'council_paper').map((p) => [p.doc, scoreLabels(p.units.map((u) => u.label), p.ours).macroF1])),
    themes: { units: themeEval.units, micro: themeEval.micro.f1, rulesOnlyMicro: themeCv.rulesOnly.micro.f1, f1: Object.fromEntries(themeEval.perTheme.map((t) => [t.theme, { f1: t.f1, support: t.support }])) },
    cells: { minFindings: cells.minFindings, cells: cells.cells, empty: cells.empty, mae: cells.mae },
    layoutText: labels.alternate ? { documents: labels.alternate.documents, units: labels.alternate.units, pdf: labels.alternate.usual.macroF1, text: labels.alternate.alternate.macroF1 } : null,
  };
  writeFileSync(jsonOut, JSON.stringify(figures, null, 2) + '\n');
}
