/** The FlatGeobuf schema of a catalogue layer: one column per field, labels as titles. */
import type { FieldDef, LayerEntry } from '../../src/data/catalogue.ts';
import type { FgbColumn } from '../../src/data/fgb/write-fgb.ts';

const COLUMN_TYPE: Record<FieldDef['type'], FgbColumn['type']> = {
  string: 'String',
  integer: 'Int',
  number: 'Double',
  boolean: 'Bool',
  date: 'DateTime',
};

export function layerColumns(entry: LayerEntry): FgbColumn[] {
  return entry.fields.map((f) => ({ name: f.name, type: COLUMN_TYPE[f.type], title: f.label.zh, description: f.label.en }));
}

/** The header title the generator writes for a layer. */
export const layerTitle = (entry: LayerEntry): string => `${entry.name.zh} ${entry.name.en} (demo data)`;
