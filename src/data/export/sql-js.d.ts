// sql.js ships no types; only what export-gpkg.ts uses is declared.
declare module 'sql.js' {
  type SqlValue = number | string | Uint8Array | null;
  interface Statement {
    run(params?: SqlValue[]): void;
    free(): boolean;
  }
  interface Database {
    run(sql: string, params?: SqlValue[]): Database;
    exec(sql: string, params?: SqlValue[]): { columns: string[]; values: SqlValue[][] }[];
    prepare(sql: string): Statement;
    export(): Uint8Array;
    close(): void;
  }
  interface SqlJsStatic {
    Database: new (data?: Uint8Array) => Database;
  }
  export default function initSqlJs(config?: { locateFile?: (file: string) => string }): Promise<SqlJsStatic>;
  export type { Database, SqlJsStatic, SqlValue };
}
