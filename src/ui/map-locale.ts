/**
 * MapLibre's own UI strings (its controls' labels, the popup's close button, the gesture
 * hints) in the UI's language, keyed as MapLibre's `locale` option expects. The map view
 * takes this as a function, so it needs nothing from the UI.
 */
import type { Lang } from '../app/store.ts';
import { t } from './i18n.ts';

export function mapLocale(lang: Lang): Record<string, string> {
  return {
    'Map.Title': t(lang, 'map.title'),
    'NavigationControl.ZoomIn': t(lang, 'map.zoomIn'),
    'NavigationControl.ZoomOut': t(lang, 'map.zoomOut'),
    'AttributionControl.ToggleAttribution': t(lang, 'map.attribution'),
    'GeolocateControl.FindMyLocation': t(lang, 'map.locate'),
    'GeolocateControl.LocationNotAvailable': t(lang, 'map.locateUnavailable'),
    'Popup.Close': t(lang, 'map.popupClose'),
    'CooperativeGesturesHandler.WindowsHelpText': t(lang, 'map.gestureWindows'),
    'CooperativeGesturesHandler.MacHelpText': t(lang, 'map.gestureMac'),
    'CooperativeGesturesHandler.MobileHelpText': t(lang, 'map.gestureMobile'),
  };
}
