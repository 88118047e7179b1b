/** Entry point of the scale bench's client process for the raw client (see clientRun.ts). */
import { rawClient } from './clients/raw';
import { runClient } from './clientRun';

runClient('raw', rawClient);
