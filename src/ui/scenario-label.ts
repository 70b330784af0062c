import type { Lang } from '../app/store.ts';
import type { Scenario } from '../app/planning-types.ts';
import { t } from './i18n.ts';

/** A scenario's name as shown: its own, or "Scenario n" by its place in the list. */
export function scenarioLabel(lang: Lang, s: Pick<Scenario, 'name'>, index: number): string {
  return s.name || t(lang, 'plan.defaultName', { n: index + 1 });
}
