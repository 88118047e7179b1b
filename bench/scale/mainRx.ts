/** Entry point of the scale bench's client process for deepgram-rx (see clientRun.ts). */
import { rxClient } from './clients/rx';
import { runClient } from './clientRun';

runClient('rx', rxClient);
