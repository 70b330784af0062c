/** The io Web Worker: glue only, the jobs are in `io-api.ts`. */
import { expose } from 'comlink';
import { ioApi } from './io-api.ts';
import { keepErrorDetails } from './worker-errors.ts';

keepErrorDetails();
expose(ioApi);
