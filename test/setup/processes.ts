/**
 * After every test, the processes it started (test/helpers/processes.ts) are stopped if they are
 * still running: a test that fails half-way, or times out waiting for a server to start, leaves
 * no paperboy serve or schedule behind for the rest of the run.
 */
import { afterEach } from 'vitest';
import { stopTracked } from '../helpers/processes.js';

afterEach(() => stopTracked());
