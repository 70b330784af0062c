import type { FeatureCollection } from 'geojson';
import { describe, expect, it } from 'vitest';
import { latinNames } from './latin-names.ts';

const fc = (props: Record<string, unknown>[]): FeatureCollection => ({
  type: 'FeatureCollection',
  features: props.map((p) => ({ type: 'Feature', properties: p, geometry: { type: 'Point', coordinates: [122.2, 30] } })),
});

describe('latinNames', () => {
  it('maps each Chinese name to its Latin form, roads and places together', () => {
    const roads = Object.freeze(fc([{ name: '沈家门纵九路', name_en: 'Shenjiamen N–S Road 9' }, { name: '沈家门纵九路', name_en: 'Shenjiamen N–S Road 9' }]));
    const places = fc([{ name: '定海', name_en: 'Dinghai' }]);
    const names = latinNames(roads, places);
    expect([...names]).toEqual([['沈家门纵九路', 'Shenjiamen N–S Road 9'], ['定海', 'Dinghai']]);
  });

  it('skips features without both names, and collections not loaded yet', () => {
    expect(latinNames(undefined, fc([{ name: '临城' }, { name_en: 'Baiquan' }, { name: '', name_en: 'x' }, { name: 3, name_en: 'y' }])).size).toBe(0);
  });

  it('keeps the first Latin form when a name comes twice with different ones', () => {
    expect(latinNames(fc([{ name: '临城', name_en: 'Lincheng' }, { name: '临城', name_en: 'Linchengzhen' }])).get('临城')).toBe('Lincheng');
  });
});
