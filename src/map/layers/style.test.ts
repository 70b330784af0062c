import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateStyleMin } from '@maplibre/maplibre-gl-style-spec';
import type { LayerSpecification, StyleSpecification } from 'maplibre-gl';
import { describe, expect, it } from 'vitest';
import { parseCatalogue } from '../../data/catalogue.ts';
import { styleClasses } from '../../app/style-classes.ts';
import { baseStyle } from './basemap.ts';
import { onlineBasemap } from './online-basemaps.ts';
import { SELECTED_SUFFIX, clickableLayerIds, scaledOpacity, sourceId, thematicLayers } from './thematic.ts';

const catalogue = parseCatalogue(JSON.parse(readFileSync(join(import.meta.dirname, '../../../data/catalogue.json'), 'utf8')));

function fullStyle(lang: 'zh' | 'en'): StyleSpecification {
  const style = baseStyle(lang, '© OpenStreetMap contributors');
  for (const e of catalogue.layers) {
    style.sources[sourceId(e.id)] = { type: 'geojson', data: { type: 'FeatureCollection', features: [] } };
    style.layers.push(...thematicLayers(e, catalogue.stages));
  }
  return style;
}

describe('style builders', () => {
  it('build a style that MapLibre’s own validator accepts, in both languages', () => {
    expect(validateStyleMin(fullStyle('zh'))).toEqual([]);
    expect(validateStyleMin(fullStyle('en'))).toEqual([]);
  });

  it('need no glyph server and make no request outside the page by default', () => {
    const style = fullStyle('zh');
    expect(style.glyphs).toBeUndefined();
    expect(style.sprite).toBeUndefined();
    expect(JSON.stringify(style)).not.toMatch(/https?:\/\//);
  });

  it('online basemaps only exist when asked for, and Tianditu only with a key', () => {
    expect(onlineBasemap('offline', 'k')).toBeNull();
    expect(onlineBasemap('tianditu', '')).toBeNull();
    const tdt = onlineBasemap('tianditu', 'a&b')!;
    expect(Object.values(tdt.sources)[0]!.tiles![0]).toContain('tk=a%26b');
    const osm = onlineBasemap('osm', '')!;
    const style = fullStyle('zh');
    Object.assign(style.sources, osm.sources);
    style.layers.push(...osm.layers);
    expect(validateStyleMin(style)).toEqual([]);
  });

  it('give every layer a highlight layer and click targets that exclude it', () => {
    for (const e of catalogue.layers) {
      const ids = thematicLayers(e, catalogue.stages).map((l) => l.id);
      expect(ids).toContain(`${e.id}${SELECTED_SUFFIX}`);
      expect(clickableLayerIds(e, catalogue.stages)).not.toContain(`${e.id}${SELECTED_SUFFIX}`);
    }
  });

  it('colour each status class distinctly within a layer, from the catalogue', () => {
    for (const e of catalogue.layers) {
      const classes = styleClasses(e, catalogue.stages);
      expect(new Set(classes.map((c) => c.color)).size, e.id).toBe(classes.length);
    }
    const plots = styleClasses(catalogue.layers.find((l) => l.id === 'idle-plots')!, catalogue.stages);
    expect(plots.map((c) => [c.value, c.dash])).toEqual([['finished', false], ['in_progress', true], ['due', true]]);
  });

  it('hide layers the catalogue marks invisible', () => {
    const grid = catalogue.layers.find((l) => l.id === 'grid-cells')!;
    expect(thematicLayers(grid, catalogue.stages).every((l) => l.layout?.visibility === 'none')).toBe(true);
  });
  it('scales what a style layer sets for its opacity, and sets what it leaves at the default', () => {
    const fill = { id: 'f', type: 'fill', source: 's', paint: { 'fill-opacity': 0.5 } } as const;
    const circle = { id: 'c', type: 'circle', source: 's', paint: { 'circle-opacity': ['case', true, 0.8, 0.2] } } as const;
    expect(scaledOpacity(fill as LayerSpecification, 0.4)).toEqual([['fill-opacity', 0.2]]);
    expect(scaledOpacity(circle as unknown as LayerSpecification, 0.5)).toEqual([
      ['circle-opacity', ['*', ['case', true, 0.8, 0.2], 0.5]],
      ['circle-stroke-opacity', 0.5],
    ]);
  });
});
