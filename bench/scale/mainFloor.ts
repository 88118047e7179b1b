/** Entry point of the scale bench's client process for the floor client (see clientRun.ts). */
import { floorClient } from './clients/floor';
import { runClient } from './clientRun';

runClient('floor', floorClient);
