// sql.js ships no types; only what import-gpkg.ts uses is declared.
declare module 'sql.js' {
  type SqlValue = number | string | Uint8Array | null;
  interface Statement {
    bind(values?: SqlValue[]): boolean;
    step(): boolean;
    get(): SqlValue[];
    getColumnNames(): string[];
    free(): boolean;
  }
  interface Database {
    prepare(sql: string): Statement;
    exec(sql: string, params?: SqlValue[]): { columns: string[]; values: SqlValue[][] }[];
    close(): void;
  }
  interface SqlJsStatic {
    Database: new (data?: Uint8Array) => Database;
  }
  export default function initSqlJs(config?: { locateFile?: (file: string) => string }): Promise<SqlJsStatic>;
  export type { Database, SqlValue };
}
