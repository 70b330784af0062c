/** The build-time settings the app reads from `import.meta.env` (Vite takes them from `.env` files or the environment). */
interface ImportMetaEnv {
  /** A Tianditu key built in, used until one is typed in the panel; unset means none. */
  readonly VITE_TIANDITU_KEY?: string;
}
