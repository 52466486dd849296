import { readFileSync } from 'node:fs';

import { join } from 'node:path';
import { REPO_ROOT } from './util/paths.js';

const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { name: string; version: string };

export const TOOL_NAME: string = pkg.name;
export const VERSION: string = pkg.version;
