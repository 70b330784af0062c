/** The analysis worker's answers, as the UI shows them (types only). */
export type { CoverageResponse, StudyAreaResponse, WithinResponse } from '../analysis/worker/analysis-api.ts';
