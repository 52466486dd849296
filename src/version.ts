import { readFileSync } from 'node:fs';

// dist/src/version.js -> ../../package.json; src/version.ts (vitest, tsx) -> ../package.json
const pkgUrl = new URL(import.meta.url.endsWith('.ts') ? '../package.json' : '../../package.json', import.meta.url);
const pkg = JSON.parse(readFileSync(pkgUrl, 'utf8')) as { name: string; version: string };

export const TOOL_NAME: string = pkg.name;
export const VERSION: string = pkg.version;
