import { describe, expect, it } from 'vitest';
import { loadProjector } from '../crs/load-projector.ts';
import { GaussKrugerReadout, parseCoordinate, toLngLat } from './coordinates.ts';

describe('parseCoordinate', () => {
  it('reads degrees in either order, the one above 90 being the longitude', () => {
    expect(parseCoordinate('122.2 30.0')).toEqual({ crs: 'EPSG:4326', lngLat: [122.2, 30], swapped: false });
    expect(parseCoordinate('30.0, 122.2')).toEqual({ crs: 'EPSG:4326', lngLat: [122.2, 30], swapped: true });
    expect(parseCoordinate(' 30.0，122.2 ')).toEqual({ crs: 'EPSG:4326', lngLat: [122.2, 30], swapped: true });
    expect(parseCoordinate('122.2°E 30°N')).toEqual({ crs: 'EPSG:4326', lngLat: [122.2, 30], swapped: false });
    // Both below 90: taken as written, x then y.
    expect(parseCoordinate('45 30')).toEqual({ crs: 'EPSG:4326', lngLat: [45, 30], swapped: false });
  });

  it('reads Gauss–Krüger metres in either order, by zone prefix when there is one', () => {
    expect(parseCoordinate('423089.93 3319050.54')).toEqual({ crs: 'EPSG:4550', easting: 423089.93, northing: 3319050.54 });
    expect(parseCoordinate('3319050.54, 423089.93')).toEqual({ crs: 'EPSG:4550', easting: 423089.93, northing: 3319050.54 });
    expect(parseCoordinate('41423089.93 3319050.54')).toEqual({ crs: 'EPSG:4529', easting: 41423089.93, northing: 3319050.54 });
    expect(parseCoordinate('40712611 3320826')).toEqual({ crs: 'EPSG:4528', easting: 40712611, northing: 3320826 });
  });

  it('refuses what is not a position', () => {
    for (const text of ['', '122.2', '122.2 30 5', 'abc def', '200 100', '150 120', '42423089 3319050', '423089 319050', '5000 30', 'NaN 30']) {
      expect(parseCoordinate(text), text).toBeNull();
    }
  });
});

describe('toLngLat', () => {
  it('projects Gauss–Krüger back to degrees (Xincheng, REFERENCE.md: PROJ cs2cs)', async () => {
    const [lng, lat] = (await toLngLat(parseCoordinate('423089.93 3319050.54')!, loadProjector))!;
    expect(lng).toBeCloseTo(122.203, 6);
    expect(lat).toBeCloseTo(29.988, 6);
    const zone41 = (await toLngLat(parseCoordinate('41423089.93 3319050.54')!, loadProjector))!;
    expect(zone41[0]).toBeCloseTo(122.203, 6);
  });

  it('passes degrees through and refuses a latitude beyond the pole', async () => {
    expect(await toLngLat({ crs: 'EPSG:4326', lngLat: [122.2, 30], swapped: false })).toEqual([122.2, 30]);
    expect(await toLngLat({ crs: 'EPSG:4326', lngLat: [0, 95], swapped: false })).toBeNull();
  });
});

describe('GaussKrugerReadout', () => {
  it('answers null until proj4 is loaded, then at once', async () => {
    let loads = 0;
    const readout = new GaussKrugerReadout(async (from, to) => {
      loads++;
      return loadProjector(from, to);
    });
    expect(readout.project([122.203, 29.988])).toBeNull();
    await readout.ready();
    const [e, n] = readout.project([122.203, 29.988])!;
    expect(e).toBeCloseTo(423089.93, 1);
    expect(n).toBeCloseTo(3319050.54, 1);
    readout.project([122.3, 30]);
    expect(loads).toBe(1);
  });
});
