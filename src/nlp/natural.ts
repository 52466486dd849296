/**
 * The one place the project imports `natural`. natural 8 loads dotenv, which prints
 * "tips" to stdout on import; quiet-env runs first (ES module evaluation order) and
 * silences them, so they never reach the CLI's output.
 *
 * Performance: natural's index requires every module it has (wordnet, spellcheck, storage
 * back-ends for MongoDB/Redis/Postgres...), about 1 s of CPU in every process and worker
 * thread. Only the pieces the project uses are loaded here, from natural's own files (same
 * classes, same behaviour); SentimentAnalyzer (evaluation baseline only) is loaded on first use.
 */
import './quiet-env.js';
import { createRequire } from 'node:module';
import type * as Natural from 'natural';

const require = createRequire(import.meta.url);
const lib = (path: string) => require(`natural/lib/natural/${path}`);

type Used = Pick<typeof Natural, 'WordTokenizer' | 'PorterStemmer' | 'BayesClassifier' | 'TfIdf' | 'stopwords' | 'SentimentAnalyzer' | 'BrillPOSTagger' | 'Lexicon' | 'RuleSet'>;

const natural = {
  WordTokenizer: lib('tokenizers/regexp_tokenizer.js').WordTokenizer,
  PorterStemmer: lib('stemmers/porter_stemmer.js'),
  BayesClassifier: lib('classifiers/bayes_classifier.js'),
  TfIdf: lib('tfidf/tfidf.js'),
  stopwords: lib('util/stopwords.js').words,
  get SentimentAnalyzer() {
    return lib('sentiment/SentimentAnalyzer.js');
  },
  // The part-of-speech tagger (emerging noun phrases): its English lexicon is 4 MB of JSON, loaded on first use.
  get BrillPOSTagger() {
    return lib('brill_pos_tagger/lib/Brill_POS_Tagger.js');
  },
  get Lexicon() {
    return lib('brill_pos_tagger/lib/Lexicon.js');
  },
  get RuleSet() {
    return lib('brill_pos_tagger/lib/RuleSet.js');
  },
} as Used;

export default natural;
