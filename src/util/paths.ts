import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The source root of the running code: `<repo>/dist/src` when compiled, `<repo>/src` under vitest/tsx. */
export const SRC_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The package root (holds package.json, codebook/, models/), from dist or from src. */
export const REPO_ROOT = resolve(SRC_ROOT, existsSync(join(SRC_ROOT, '..', 'package.json')) ? '..' : '../..');

/** The project codebook. */
export const PROJECT_CODEBOOK = join(REPO_ROOT, 'codebook', 'codebook.json');
