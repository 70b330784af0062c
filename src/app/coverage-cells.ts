/**
 * The grid cells of a coverage result as rows people read: each cell's name and district in
 * the UI's language, its residential land, the part covered and the share. The analysis
 * panel lists those below the target, the map's tip and popup show one, and the CSV export
 * writes the same rows in the same order.
 */
import type { FeatureCollection } from 'geojson';
import type { AppState, BelowTargetView } from './store.ts';

export interface CellRow {
  id: string;
  name: string;
  /** The district's value (its id) and its label. */
  district: string;
  districtLabel: string;
  /** Residential land in the cell, m²; the part within the service radius, m². */
  area: number;
  covered: number;
  /** covered / area, 0…1. */
  share: number;
}

/** The coverage result for the kind now chosen, or null while there is none. */
function currentResult(s: AppState) {
  const r = s.coverage.response;
  return r && r.settings.kind === s.coverageSettings.kind ? r.result : null;
}

/** Every cell with residential land, as rows (in the grid layer's order); null without a result. */
export function cellRows(s: AppState): CellRow[] | null {
  const result = currentResult(s);
  const roles = s.catalogue?.analysis;
  if (!result || !roles) return null;
  const grid: FeatureCollection | undefined = s.data[roles.zones];
  const field = s.catalogue?.layers.find((l) => l.id === roles.zones)?.fields.find((f) => f.name === roles.districtField);
  const rows: CellRow[] = [];
  for (const f of grid?.features ?? []) {
    const p = f.properties ?? {};
    const id = String(p.id ?? '');
    const z = result.byZone[id];
    if (!z || !(z.area > 0)) continue;
    const district = String(p[roles.districtField] ?? '');
    const name = String((s.lang === 'en' ? p.name_en : undefined) ?? p.name ?? id);
    rows.push({ id, name, district, districtLabel: field?.values?.find((v) => v.value === district)?.label[s.lang] ?? district, area: z.area, covered: z.covered, share: z.share });
  }
  return rows;
}

/** The cells below `view.target`, sorted as the view says (ties by name, then id, so the order is stable). */
export function cellsBelowTarget(rows: readonly CellRow[], view: BelowTargetView, lang: AppState['lang']): CellRow[] {
  const collator = new Intl.Collator(lang === 'zh' ? 'zh-CN' : 'en', { numeric: true });
  const byName = (a: CellRow, b: CellRow): number => collator.compare(a.name, b.name) || collator.compare(a.id, b.id);
  const key: Record<BelowTargetView['sort'], (a: CellRow, b: CellRow) => number> = {
    share: (a, b) => a.share - b.share || byName(a, b),
    name: byName,
    district: (a, b) => collator.compare(a.districtLabel, b.districtLabel) || a.share - b.share || byName(a, b),
  };
  const sign = view.dir === 'asc' ? 1 : -1;
  return rows.filter((r) => r.share < view.target).sort((a, b) => sign * key[view.sort](a, b));
}
