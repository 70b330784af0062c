/** The io Web Worker: glue only, the jobs are in `io-api.ts`. */
import { expose } from 'comlink';
import { ioApi } from './io-api.ts';

expose(ioApi);
