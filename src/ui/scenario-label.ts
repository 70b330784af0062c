import type { Lang } from '../app/store.ts';
import type { Scenario } from '../app/planning-types.ts';
import { t } from './i18n.ts';

/** A scenario's name as shown: its own, or "Scenario n" by its place in the list. */
export function scenarioLabel(lang: Lang, s: Pick<Scenario, 'name'>, index: number): string {
  return s.name || t(lang, 'plan.defaultName', { n: index + 1 });
}

/** One side of a comparison as shown: "Today" (id null), or the scenario by its label; '' for one no longer there. */
export function compareSideLabel(lang: Lang, scenarios: readonly Scenario[], id: string | null): string {
  if (id === null) return t(lang, 'plan.compareToday');
  const i = scenarios.findIndex((x) => x.id === id);
  return i >= 0 ? scenarioLabel(lang, scenarios[i]!, i) : '';
}
