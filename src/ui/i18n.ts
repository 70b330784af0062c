/**
 * Every string the UI shows, in Chinese and English. Components take `lang` and call `t`;
 * none holds a literal of its own. Layer and field names come from the catalogue instead.
 */
import type { Lang } from '../app/store.ts';

const zh = {
  'app.title': '舟山城市治理一张图',
  'app.subtitle': '城市管理 2024 年上半年整治项目',
  'demo.badge': '演示数据',
  'demo.notice': '专题图层为按上半年工作总结数据生成的示意数据，位置与形状非真实；海岸线来自 OpenStreetMap。',
  'lang.switch': 'English',
  'lang.label': '切换语言',
  'layers.heading': '图层',
  'layers.group.programme': '整治项目',
  'layers.group.reference': '参考图层',
  'layers.group.user': '我的图层',
  'layers.loading': '加载中 {percent}%',
  'layers.loadingUnknown': '加载中…',
  'layers.count': '{count} 个要素',
  'layers.skipped': '已跳过 {count} 个无效要素',
  'layers.failed': '加载失败',
  'layers.toggle': '显示或隐藏 {name}',
  'basemap.heading': '底图',
  'basemap.offline': '离线底图（内置）',
  'basemap.osm': 'OpenStreetMap 在线',
  'basemap.tianditu': '天地图 在线',
  'basemap.tiandituKey': '天地图密钥',
  'basemap.tiandituKeyHint': '填写天地图 API 密钥后可用',
  'basemap.onlineNote': '在线底图需要联网，会向第三方服务器请求瓦片。',
  'legend.schematicRoads': '道路为示意路网',
  'panel.open': '打开面板',
  'panel.close': '收起面板',
  'popup.close': '关闭',
  'value.yes': '是',
  'value.no': '否',
  'value.none': '—',
  'catalogue.failed': '图层目录无法加载：{message}',
  'source.heading': '数据来源',
} as const;

export type MessageKey = keyof typeof zh;

const en: Record<MessageKey, string> = {
  'app.title': 'Zhoushan Remediation Map',
  'app.subtitle': 'Urban management remediation programme, H1 2024',
  'demo.badge': 'Demo data',
  'demo.notice': 'Thematic layers are synthetic demo data generated to match the H1 report’s figures; positions and shapes are not real. Coastline from OpenStreetMap.',
  'lang.switch': '中文',
  'lang.label': 'Switch language',
  'layers.heading': 'Layers',
  'layers.group.programme': 'Remediation programme',
  'layers.group.reference': 'Reference layers',
  'layers.group.user': 'My layers',
  'layers.loading': 'Loading {percent}%',
  'layers.loadingUnknown': 'Loading…',
  'layers.count': '{count} features',
  'layers.skipped': '{count} invalid features skipped',
  'layers.failed': 'Failed to load',
  'layers.toggle': 'Show or hide {name}',
  'basemap.heading': 'Basemap',
  'basemap.offline': 'Offline (built in)',
  'basemap.osm': 'OpenStreetMap (online)',
  'basemap.tianditu': 'Tianditu (online)',
  'basemap.tiandituKey': 'Tianditu key',
  'basemap.tiandituKeyHint': 'Enter a Tianditu API key to use it',
  'basemap.onlineNote': 'Online basemaps need a connection and request tiles from third-party servers.',
  'legend.schematicRoads': 'Roads are a schematic network',
  'panel.open': 'Open panel',
  'panel.close': 'Close panel',
  'popup.close': 'Close',
  'value.yes': 'Yes',
  'value.no': 'No',
  'value.none': '—',
  'catalogue.failed': 'The layer catalogue could not be loaded: {message}',
  'source.heading': 'Source',
};

const MESSAGES: Record<Lang, Record<MessageKey, string>> = { zh, en };

export function t(lang: Lang, key: MessageKey, params: Record<string, string | number> = {}): string {
  return MESSAGES[lang][key].replace(/\{(\w+)\}/g, (_, k: string) => (k in params ? String(params[k]) : `{${k}}`));
}

/** All keys, for tests that check both languages are complete. */
export const MESSAGE_KEYS = Object.keys(zh) as MessageKey[];
export const messagesFor = (lang: Lang): Readonly<Record<MessageKey, string>> => MESSAGES[lang];

export function formatNumber(lang: Lang, n: number, maxFractionDigits = 2): string {
  return new Intl.NumberFormat(lang === 'zh' ? 'zh-CN' : 'en-GB', { maximumFractionDigits: maxFractionDigits }).format(n);
}
