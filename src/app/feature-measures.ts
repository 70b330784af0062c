/**
 * A feature's measures for its popup: on the page for an ordinary feature (the measuring
 * code loads with the first popup), in the analysis worker for a huge one (an imported
 * polygon of a million vertices takes seconds).
 */
import type { Feature } from 'geojson';
import type { FeatureMeasures } from '../analysis/measure.ts';
import { positionCount } from '../geo/packed-features.ts';
import type { AnalysisPort } from './analysis-client.ts';

const HUGE = 50_000;

export async function measureForPopup(f: Feature, worker: Pick<AnalysisPort, 'measure'>): Promise<FeatureMeasures> {
  if (positionCount(f.geometry) > HUGE) return worker.measure(f);
  return (await import('../analysis/measure.ts')).measureFeature(f);
}
