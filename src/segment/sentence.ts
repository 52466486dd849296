import type { BlockKind, Sentence } from '../types.js';
import { stems, tokenize } from '../nlp/tokens.js';
import { codePointLength } from './text.js';

export interface SentenceInit {
  doc: string;
  index: number;
  text: string;
  /** Defaults to `${doc}#${index}`. */
  id?: string;
  sectionPath?: string[];
  blockKind?: BlockKind;
  isQuote?: boolean;
  page?: number;
  /** Place in the document's extracted text (segment/text.ts); default: block 1, from 0. */
  block?: number;
  start?: number;
}

/** Build a Sentence record (tokens and stems included) from its text and place. */
export function makeSentence(init: SentenceInit): Sentence {
  const tokens = tokenize(init.text);
  const blockKind = init.blockKind ?? 'paragraph';
  return {
    id: init.id ?? `${init.doc}#${init.index}`,
    doc: init.doc,
    index: init.index,
    text: init.text,
    sectionPath: init.sectionPath ?? [],
    blockKind,
    isListItem: blockKind === 'list_item',
    isQuote: init.isQuote ?? false,
    isHeading: blockKind === 'heading',
    page: init.page ?? 1,
    block: init.block ?? 1,
    start: init.start ?? 0,
    end: (init.start ?? 0) + codePointLength(init.text),
    tokens,
    stems: stems(tokens),
  };
}
