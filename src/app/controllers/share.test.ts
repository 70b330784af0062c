import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Polygon } from 'geojson';
import { parseCatalogue } from '../../data/catalogue.ts';
import { Store, initialState } from '../store.ts';
import { MAX_STUDY_VERTICES, decodeUrlState } from '../url-state.ts';
import { ShareController } from './share.ts';

const catalogue = parseCatalogue(JSON.parse(readFileSync(join(import.meta.dirname, '../../../data/catalogue.json'), 'utf8')));
const HREF = 'https://example.gov.cn/map/?debug#map=1.00/2.00000/3.00000';

function setUp(clipboard: { writeText(text: string): Promise<void> } | null, mode: 'staff' | 'public' = 'staff') {
  const store = new Store(initialState({ mode, view: { center: [122.2, 30], zoom: 13 } }));
  store.setCatalogue(catalogue);
  const ctl = new ShareController(store, { location: { href: HREF }, clipboard, confirmMs: 1000 });
  return { store, ctl };
}

afterEach(() => vi.useRealTimers());

describe('ShareController', () => {
  it('copies the link to the map as the state shows it, confirms, and lets the confirmation go', async () => {
    vi.useFakeTimers();
    const copied: string[] = [];
    const { store, ctl } = setUp({ writeText: (t) => (copied.push(t), Promise.resolve()) });
    store.setTab('analysis');
    store.setCoverageSettings({ kind: 'parking', parkingRadius: 200 });
    store.select({ layerId: 'parks', featureId: 'PK-001', properties: {}, lngLat: [122.2, 30] });
    await ctl.share();
    expect(copied).toHaveLength(1);
    const url = new URL(copied[0]!);
    expect(url.search).toBe('');
    expect(decodeUrlState(url.hash)).toMatchObject({ view: { zoom: 13 }, coverage: { kind: 'parking', parkingRadius: 200 }, popup: { featureId: 'PK-001' } });
    expect(store.state.share).toEqual({ status: 'copied', url: copied[0], studyOmitted: false });
    vi.advanceTimersByTime(1000);
    expect(store.state.share).toEqual({ status: 'idle' });
    ctl.dispose();
  });

  it('offers the link to copy by hand where the clipboard refuses, or there is none', async () => {
    const refused = setUp({ writeText: () => Promise.reject(new DOMException('denied', 'NotAllowedError')) }, 'public');
    await refused.ctl.share();
    expect(refused.store.state.share).toMatchObject({ status: 'manual', studyOmitted: false });
    const url = (refused.store.state.share as { url: string }).url;
    expect(new URL(url).searchParams.get('view')).toBe('public');
    refused.ctl.dismiss();
    expect(refused.store.state.share).toEqual({ status: 'idle' });
    const none = setUp(null);
    await none.ctl.share();
    expect(none.store.state.share.status).toBe('manual');
  });

  it('says so when the study area is too large for a link', async () => {
    const { store, ctl } = setUp({ writeText: () => Promise.resolve() });
    const ring = Array.from({ length: MAX_STUDY_VERTICES + 10 }, (_, i) => [122.2 + 0.01 * Math.cos(i / 80), 30 + 0.01 * Math.sin(i / 80)]);
    const geometry: Polygon = { type: 'Polygon', coordinates: [[...ring, ring[0]!]] };
    store.setStudyArea({ feature: { type: 'Feature', properties: {}, geometry }, label: 'big.geojson' });
    await ctl.share();
    expect(store.state.share).toMatchObject({ status: 'copied', studyOmitted: true });
    expect(decodeUrlState(new URL((store.state.share as { url: string }).url).hash).study).toBeUndefined();
    ctl.dispose();
  });
});
