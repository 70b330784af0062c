/** Planning's plain data, as the UI shows it (types only: no solver or engine comes with them). */
export type { ExactFigure, ProposedSite, Scenario, ScenarioResponse, SuggestResponse } from '../analysis/planning/types.ts';
