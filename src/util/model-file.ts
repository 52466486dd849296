/**
 * Reading a versioned model file (the tagger's and the themes'): JSON, then format, version and
 * feature set checked against what this code writes, each refusal saying how to fix it.
 */
export interface ModelHeader {
  format: string;
  formatVersion: number;
  featureSet: string;
}

export function readModelFile<T extends ModelHeader>(json: string, where: string, expected: ModelHeader): T {
  let file: T;
  try {
    file = JSON.parse(json) as T;
  } catch (e) {
    throw new Error(`${where} is not JSON (${(e as Error).message}): retrain it with npm run train`);
  }
  if (file?.format !== expected.format || file.formatVersion !== expected.formatVersion) {
    throw new Error(`${where}: unsupported format ${file?.format} v${file?.formatVersion} (expected ${expected.format} v${expected.formatVersion}): retrain it with npm run train`);
  }
  if (file.featureSet !== expected.featureSet) throw new Error(`${where} was trained on features ${file.featureSet}, this code extracts ${expected.featureSet}: run npm run train`);
  return file;
}
