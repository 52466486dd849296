/**
 * Yield to the event loop around every test and hook, so that vitest's worker RPC messages
 * (task updates) are answered even after a long stretch of synchronous work on a loaded machine:
 * without it a run whose tests all pass can still end with "Timeout calling onTaskUpdate"
 * (vitest-dev/vitest discussion 6511).
 */
import { afterAll, afterEach, beforeAll } from 'vitest';

const yieldToLoop = () => new Promise<void>((res) => setImmediate(res));

beforeAll(yieldToLoop);
afterEach(yieldToLoop);
afterAll(yieldToLoop);
