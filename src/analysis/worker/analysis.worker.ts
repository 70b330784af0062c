/** The analysis Web Worker: exposes AnalysisApi over Comlink, so the page never blocks. */
import { expose } from 'comlink';
import { AnalysisApi } from './analysis-api.ts';

expose(new AnalysisApi());
