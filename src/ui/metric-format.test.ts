import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseCatalogue } from '../data/catalogue.ts';
import { loadMessages } from './i18n.ts';
import { axisUnit, formatMetric } from './metric-format.ts';

const catalogue = parseCatalogue(JSON.parse(readFileSync(join(import.meta.dirname, '../../data/catalogue.json'), 'utf8')));
const metric = (id: string) => catalogue.programme!.find((m) => m.id === id)!;

beforeAll(async () => {
  await Promise.all([loadMessages('zh'), loadMessages('en')]);
});

describe('the unit a chart’s value axis reads in', () => {
  it.each([
    ['shared-green', 'zh', '公顷', 1e-4],
    ['shared-green', 'en', 'ha', 1e-4],
    ['plots-greening', 'zh', '万㎡', 1e-4],
    ['plots-greening', 'en', 'm²', 1],
    ['plots-finished', 'zh', '块', 1],
    ['plots-finished', 'en', 'plots', 1],
    ['plots-rubbish', 'zh', '吨', 1],
    ['berths-length', 'en', 'm', 1],
    ['ponding-remediation', 'zh', '%', 1],
  ] as const)('%s in %s: %s', (id, lang, unit, factor) => {
    expect(axisUnit(metric(id), lang)).toEqual({ unit, factor });
  });

  it('agrees with the figure as the dashboard writes it', () => {
    // 35,500 m² is 3.55 ha: the axis's 3.55 and the figure's.
    const m = metric('shared-green');
    const { factor } = axisUnit(m, 'zh');
    expect(35_500 * factor).toBeCloseTo(3.55, 12);
    expect(formatMetric(m, 35_500, 'zh')).toBe('3.55 公顷');
  });
});
