/** Entry point of the scale bench's client process for the sdk client (see clientRun.ts). */
import { sdkClient } from './clients/sdk';
import { runClient } from './clientRun';

runClient('sdk', sdkClient);
