/**
 * Wires the print layout: on request it renders the current view off screen at the paper's
 * map size, and fills the layout with the title, legend of the visible layers, date and
 * attribution in the current language. Part of the composition root, like main.ts.
 */
import type { Map as MapLibreMap } from 'maplibre-gl';
import type { Store } from './app/store.ts';
import { styleClasses } from './app/style-classes.ts';
import { captureMapImage } from './map/map-image.ts';
import { downloadDataUrl } from './ui/download.ts';
import { t } from './ui/i18n.ts';
import { mapImageSize } from './ui/print-geometry.ts';
import './ui/print-layout.ts';

export function setUpPrint(store: Store, map: MapLibreMap): () => void {
  const print = document.querySelector('zs-print-layout')!;
  let job: AbortController | null = null;

  const render = async (): Promise<void> => {
    job?.abort();
    const ctl = (job = new AbortController());
    print.image = null;
    try {
      print.image = await captureMapImage(map, { ...mapImageSize(print.paper, print.orientation), signal: ctl.signal });
    } catch (err) {
      if (!ctl.signal.aborted) console.error(err);
    }
  };

  const open = (): void => {
    const s = store.state;
    const cat = s.catalogue;
    if (!cat) return;
    const lang = s.lang;
    print.labels = {
      title: cat.title[lang],
      subtitle: t(lang, 'app.subtitle'),
      legend: t(lang, 'print.legend'),
      scale: t(lang, 'print.scale'),
      north: t(lang, 'print.north'),
      date: t(lang, 'print.date'),
      attribution: t(lang, 'source.heading'),
      demo: t(lang, 'demo.notice'),
      print: t(lang, 'print.print'),
      savePng: t(lang, 'print.savePng'),
      close: t(lang, 'print.close'),
      paper: t(lang, 'print.paper'),
      orientation: t(lang, 'print.orientation'),
      portrait: t(lang, 'print.portrait'),
      landscape: t(lang, 'print.landscape'),
      rendering: t(lang, 'print.rendering'),
    };
    print.legend = cat.layers
      .filter((e) => s.layers[e.id]?.visible ?? e.visible)
      .map((e) => ({
        name: e.name[lang],
        shape: e.geometry.includes('Point') ? ('pt' as const) : e.geometry.includes('Line') ? ('ln' as const) : ('poly' as const),
        classes: styleClasses(e, cat.stages).map((c) => ({ label: c.label[lang], color: c.color, dash: c.dash })),
      }));
    print.date = new Intl.DateTimeFormat(lang === 'zh' ? 'zh-CN' : 'en-GB', { dateStyle: 'long' }).format(new Date());
    print.attribution = `${cat.attribution} · ${cat.source[lang]}`;
    print.hidden = false;
    void render();
  };

  const onOpen = (): void => open();
  document.addEventListener('zs-print-open', onOpen);
  print.addEventListener('zs-print-options', (e) => {
    print.paper = e.detail.paper;
    print.orientation = e.detail.orientation;
    void render();
  });
  print.addEventListener('zs-print-save-png', () => {
    if (!print.image) return;
    const day = new Date().toISOString().slice(0, 10);
    downloadDataUrl(print.image.dataUrl, `zhoushan-map-${day}.png`);
  });
  print.addEventListener('zs-print-close', () => {
    job?.abort();
    print.hidden = true;
    print.image = null;
  });
  return () => document.removeEventListener('zs-print-open', onOpen);
}
