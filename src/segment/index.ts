import type { IngestedDocument, SegmentedDocument, Section, Sentence } from '../types.js';
import { stems, tokenize } from '../nlp/tokens.js';

/** Stage 2: split a document's blocks into sentences, each with its section path. */
export function segment(doc: IngestedDocument): SegmentedDocument {
  const sections: Section[] = [];
  const sentences: Sentence[] = [];
  let path: string[] = [];
  for (const block of doc.blocks) {
    if (block.kind === 'heading') {
      const level = block.level ?? 1;
      path = [...path.slice(0, level - 1), block.text];
      sections.push({ index: sections.length, heading: block.text, level, path });
    }
    const parts = block.kind === 'paragraph' ? block.text.split(/(?<=[.!?])\s+(?=[A-Z“"])/) : [block.text];
    for (const text of parts) {
      const tokens = tokenize(text);
      const index = sentences.length;
      sentences.push({
        id: `${doc.id}#${index}`,
        doc: doc.id,
        index,
        text,
        sectionPath: path,
        blockKind: block.kind,
        isListItem: block.kind === 'list_item',
        isQuote: !!block.quoted,
        isHeading: block.kind === 'heading',
        page: block.page,
        tokens,
        stems: stems(tokens),
      });
    }
  }
  const { blocks: _blocks, ...rest } = doc;
  return { ...rest, sections, sentences };
}
