/** The analysis Web Worker: exposes AnalysisApi over Comlink, so the page never blocks. */
import { expose } from 'comlink';
import wasmUrl from 'highs/runtime?url';
import { AnalysisApi } from './analysis-api.ts';

// HiGHS comes on the first optimality figure asked for, its .wasm from the app's own origin.
expose(new AnalysisApi({ loadSolver: async () => (await import('highs')).default({ locateFile: () => wasmUrl }) }));
