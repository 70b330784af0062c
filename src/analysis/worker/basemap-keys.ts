/**
 * The names under which the basemap's roads and land reach the analysis worker beside the
 * layers. Their own module: the page needs these two strings, not the worker's code.
 */
export const BASEMAP_ROADS = 'basemap:roads';
export const BASEMAP_LAND = 'basemap:land';
